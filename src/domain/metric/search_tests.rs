//! How `search` ranks, reads intent and judges its confidence, on the small fixture catalog.

use super::super::fixtures::catalog;
use super::*;

fn ask<'a>(metrics: &'a [Metric], q: &str) -> MetricAnswer<'a> {
    search(metrics, &MetricIndex::build(metrics), q)
}

fn best(metrics: &[Metric], q: &str) -> Option<String> {
    ask(metrics, q).best().map(|m| m.metric.key.clone())
}

#[test]
fn vietnamese_with_and_without_tone_marks_find_the_same_metric() {
    let metrics = catalog();
    for q in ["tài khoản VNeID", "tai khoan vneid", "định danh điện tử", "dinh danh"] {
        assert_eq!(best(&metrics, q).as_deref(), Some("vneid"), "{q}");
    }
}

#[test]
fn question_words_do_not_push_the_right_metric_down() {
    let metrics = catalog();
    for q in [
        "có bao nhiêu tài khoản định danh điện tử được kích hoạt rồi vậy",
        "how many e-ID accounts are there in Vietnam so far",
        "KTS chiếm bao nhiêu % GDP nam 2024",
    ] {
        let answer = ask(&metrics, q);
        assert_ne!(answer.confidence, Confidence::NotFound, "{q}");
        assert!(["vneid", "de-share"].contains(&answer.matches[0].metric.key.as_str()), "{q}");
    }
}

#[test]
fn members_are_not_teams() {
    let metrics = catalog();
    assert_eq!(best(&metrics, "có bao nhiêu người tham gia tổ công nghệ số").as_deref(), Some("members"));
    assert_eq!(best(&metrics, "bao nhiêu tổ công nghệ số cộng đồng").as_deref(), Some("teams"));
}

#[test]
fn a_regional_rank_is_not_the_world_rank() {
    let metrics = catalog();
    assert_eq!(best(&metrics, "VN xếp thứ mấy về chính phủ điện tử trong ĐNÁ").as_deref(), Some("egdi-sea"));
    assert_eq!(best(&metrics, "e-government rank in Southeast Asia").as_deref(), Some("egdi-sea"));
    assert_eq!(best(&metrics, "Vietnam's rank in the UN e-government index").as_deref(), Some("egdi"));
}

#[test]
fn a_province_question_flags_a_missing_provincial_figure() {
    let metrics = catalog();
    let answer = ask(&metrics, "thành viên tổ công nghệ số ở Sơn La");
    assert_eq!(answer.matches[0].metric.key, "members");
    assert_eq!(answer.scope_missing.as_deref(), Some("Sơn La"));
    let answer = ask(&metrics, "thành viên tổ công nghệ số ở Hà Giang");
    assert_eq!(answer.matches[0].lead.observations[0].value, 12131.0);
    assert_eq!(answer.scope_missing, None);
}

#[test]
fn english_questions_find_the_metric_and_the_period() {
    let metrics = catalog();
    let answer = ask(&metrics, "digital economy share of GDP 2024");
    assert_eq!(answer.matches[0].metric.key, "de-share");
    assert_eq!(answer.period, Some(Period::Year(2024)));
    assert_eq!(answer.matches[0].lead.observations.len(), 1);
    assert_eq!(answer.matches[0].lead.observations[0].value, 18.3);
}

#[test]
fn a_half_year_question_gets_the_half_year_figure() {
    let metrics = catalog();
    for q in ["tỷ trọng kinh tế số 6 tháng đầu năm 2022", "digital economy share H1 2022", "KTS nửa đầu năm 2022"]
    {
        let answer = ask(&metrics, q);
        assert_eq!(answer.period, Some(Period::Half(2022, 1)), "{q}");
        assert_eq!(answer.matches[0].lead.observations[0].value, 10.41, "{q}");
    }
}

#[test]
fn unknown_questions_get_the_closest_figures_not_an_answer() {
    let metrics = catalog();
    let answer = ask(&metrics, "giá vàng SJC hôm nay");
    assert!(answer.matches.is_empty());
    assert_eq!(answer.confidence, Confidence::NotFound);
    let answer = ask(&metrics, "vneld acounts");
    assert_eq!(
        answer.best().map(|m| m.metric.key.as_str()).or(answer.alternatives.first().map(|m| m.key.as_str())),
        Some("vneid"),
        "a typo is corrected or suggested"
    );
}

#[test]
fn a_clear_question_is_clear_and_a_vague_one_offers_alternatives() {
    let metrics = catalog();
    let answer = ask(&metrics, "thành viên tổ công nghệ số cộng đồng");
    assert_eq!(answer.confidence, Confidence::Clear);
    assert!(answer.alternatives.is_empty());
    let answer = ask(&metrics, "kế hoạch chuyển đổi số");
    assert_eq!(answer.confidence, Confidence::Close, "the ministries' or the provinces'?");
    let offered: Vec<&str> = answer
        .matches
        .iter()
        .take(1)
        .map(|m| m.metric.key.as_str())
        .chain(answer.alternatives.iter().map(|m| m.key.as_str()))
        .collect();
    assert!(offered.contains(&"plans-ministries") && offered.contains(&"plans-provinces"), "{offered:?}");
}

#[test]
fn series_is_ordered_by_period() {
    let metrics = catalog();
    let periods: Vec<String> = metrics[0].observations.iter().map(|o| o.period.to_string()).collect();
    assert_eq!(periods, vec!["2021", "2022-H1", "2024", "2025"]);
}

#[test]
fn a_tapped_alternative_is_answered_as_the_question_asked() {
    let metrics = catalog();
    let index = MetricIndex::build(&metrics);
    let asked = index.asked("năm 2024 đơn giản hóa bao nhiêu thủ tục");
    let procedures = metrics.iter().find(|m| m.key == "procedures").unwrap();
    assert_eq!(lead(procedures, &asked).observations[0].value, 313.0);
}
