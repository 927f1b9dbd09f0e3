//! The wording of figure replies, read as a journalist would (issue 21): one line per fact, a
//! change with both ends, rankings without "cả nước", a refusal in one heading saying what the bot
//! has instead, a longer period said as such.

use hanchot::domain::lang::Lang;
use hanchot::domain::metric::search;
use hanchot::render::metric_answer;

use crate::dev_set;

async fn reply(q: &str, lang: Lang) -> String {
    let catalog = dev_set::seeded_catalog().await;
    let answer = search(&catalog.metrics, &catalog.metric_index, q);
    metric_answer(&answer, q, lang).html
}

#[tokio::test]
async fn a_change_shows_both_ends() {
    let text = reply("tổ công nghệ số từ 6/2022 đến 6/2023 tăng bao nhiêu", Lang::Vi).await;
    assert!(
        text.contains("Từ <b>40.590 tổ</b> (tháng 6/2022) lên") && text.contains("tăng <b>34.410 tổ</b>"),
        "{text}"
    );
    let text = reply("so với cuối năm 2022, tổ công nghệ số tăng thêm bao nhiêu tổ", Lang::Vi).await;
    assert!(text.contains("so với 2022") && text.contains("6.000"), "{text}");
}

#[tokio::test]
async fn the_same_fact_from_two_outlets_is_one_line_and_a_rank_is_a_country_s() {
    let text = reply("Vietnam UN e-government ranking", Lang::En).await;
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("71/193")).collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert!(lines[0].contains("VOV") && lines[0].contains("Báo Mới") && lines[0].contains("Vietnam"), "{text}");
    assert!(!text.contains("national"), "{text}");
}

#[tokio::test]
async fn refusals_say_what_the_bot_has_in_one_heading() {
    let text = reply("Đà Nẵng xếp hạng DTI bao nhiêu", Lang::Vi).await;
    assert!(text.starts_with("📊") && text.contains("không có số liệu của Đà Nẵng"), "{text}");
    assert!(!text.contains("cả nước"), "another province's rank is not the nation's: {text}");
    let text = reply("how many 5G subscribers are there", Lang::En).await;
    assert!(text.contains("No figure answers") && text.contains("event"), "{text}");
    let text = reply("tỷ trọng kinh tế số năm 2019", Lang::Vi).await;
    assert_eq!(text.matches("📊").count(), 1, "{text}");
    assert!(!text.contains("Chưa có số liệu cho 2019") && text.contains("không có số liệu cho 2019"), "{text}");
}

#[tokio::test]
async fn a_longer_period_is_said_and_a_range_is_not_repeated() {
    let text = reply("tỷ trọng kinh tế số quý 1/2023", Lang::Vi).await;
    assert!(text.contains("Không có số liệu riêng cho quý I/2023"), "{text}");
    let text = reply("mục tiêu tăng trưởng GDP 2025", Lang::Vi).await;
    assert!(text.contains("8–10%") && !text.contains("(8–10%"), "{text}");
}

/// The texts of a bot's replies, joined.
fn texts(sent: &[crate::support::fake_bot_api::Sent]) -> String {
    sent.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join("\n")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_figure_question_is_answered_in_its_own_language_unless_the_chat_chose_one() {
    let bot = crate::support::TestBot::start(crate::support::TODAY).await;
    let english = "Activated electronic ID (VNeID) accounts";
    let vietnamese = "Tài khoản định danh điện tử (VNeID) đã kích hoạt";
    // A Vietnamese client asking in English, as a command and as plain text, and the other way round.
    let reply = texts(&bot.ask(501, 501, "vi", "/metric how many VNeID accounts were activated").await);
    assert!(reply.contains(english) && !reply.contains(vietnamese), "{reply}");
    let reply = texts(&bot.ask(501, 501, "vi", "how many VNeID accounts were activated").await);
    assert!(reply.contains(english), "{reply}");
    let reply = texts(&bot.ask(502, 502, "en", "/metric có bao nhiêu tài khoản VNeID").await);
    assert!(reply.contains(vietnamese) && !reply.contains(english), "{reply}");
    // A question of names alone follows the client.
    let reply = texts(&bot.ask(502, 502, "en", "/metric VNeID").await);
    assert!(reply.contains(english), "{reply}");
    // /lang wins over the question's language.
    bot.ask(503, 503, "en", "/lang vi").await;
    let reply = texts(&bot.ask(503, 503, "en", "/metric how many VNeID accounts were activated").await);
    assert!(reply.contains(vietnamese), "{reply}");
}

#[tokio::test]
async fn a_question_about_what_no_figure_covers_says_so_in_its_words() {
    let text = reply("tỷ lệ dân số có smartphone", Lang::Vi).await;
    assert!(text.contains("Bot không có số liệu nào về “smartphone”"), "{text}");
    let text = reply("how many people use e-wallets", Lang::En).await;
    assert!(text.contains("None of the bot's figures is about “wallets”"), "{text}");
}

#[tokio::test]
async fn a_figure_against_its_target_says_what_is_left_once() {
    let text = reply("phủ sóng 5G đã đạt bao nhiêu so với chỉ tiêu", Lang::Vi).await;
    assert!(text.contains("<b>61,2% dân số</b>") && text.contains("còn thiếu <b>8,8 điểm phần trăm</b>"), "{text}");
    assert_eq!(text.matches("70% dân số").count(), 1, "the target is one line: {text}");
    let text = reply("5G population coverage against the target", Lang::En).await;
    assert!(text.contains("Against the target 2026") && text.contains("8.8 percentage points</b> short"), "{text}");
}

#[tokio::test]
async fn last_year_is_the_year_before_the_figure_asked() {
    let text = reply("doanh thu thương mại điện tử bán lẻ năm 2025 tăng bao nhiêu so với năm trước", Lang::Vi).await;
    assert!(text.contains("Từ <b>25 tỷ USD</b> (2024) lên <b>36 tỷ USD</b> (2025)"), "{text}");
}

#[tokio::test]
async fn a_share_asked_of_a_count_is_not_answered_by_another_share() {
    let text = reply("tỷ lệ doanh nghiệp có chứng thư chữ ký số", Lang::Vi).await;
    assert!(text.starts_with("Không tìm thấy"), "{text}");
}

#[tokio::test]
async fn two_figures_joined_in_one_question_are_both_answered() {
    let text = reply("tỷ trọng KTS và doanh thu KTS năm 2024", Lang::Vi).await;
    assert!(text.contains("<b>18,3% GDP</b>") && text.contains("<b>152 tỷ USD</b>"), "{text}");
    let text = reply("how many VNeID accounts are activated and how many services are on VNeID", Lang::En).await;
    assert!(text.contains("Activated electronic ID") && text.contains("Services and applications on VNeID"), "{text}");
    let text = reply("doanh thu phần mềm và dịch vụ CNTT năm 2024", Lang::Vi).await;
    assert_eq!(text.matches("📊").count(), 1, "'và' inside one figure's name joins nothing: {text}");
}
