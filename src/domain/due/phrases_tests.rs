//! Tests of the time-phrase rules.

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn parse(phrase: &str) -> (NaiveDate, DuePrecision) {
    let (due, _) = parse_due_phrase(phrase, d(2025, 3, 18)).unwrap_or_else(|| panic!("no due in {phrase:?}"));
    (due.date, due.precision)
}

/// The due date a sentence gives, published on `published`.
fn in_sentence(text: &str, published: NaiveDate) -> Option<(NaiveDate, DuePrecision, Option<Recurrence>)> {
    find_due(text, published, Reading::Sentence).map(|f| (f.due.date, f.due.precision, f.recurrence))
}

#[test]
fn month_phrases_mean_the_end_of_the_month() {
    assert_eq!(parse("trong tháng 6/2025"), (d(2025, 6, 30), DuePrecision::Month));
    assert_eq!(parse("đến tháng 6/2025"), (d(2025, 6, 30), DuePrecision::Month));
    assert_eq!(parse("hoàn thành trong tháng 7/2023"), (d(2023, 7, 31), DuePrecision::Month));
    assert_eq!(parse("trong tháng 8/ 2025"), (d(2025, 8, 31), DuePrecision::Month));
    assert_eq!(parse("tháng 9 năm 2026"), (d(2026, 9, 30), DuePrecision::Month));
}

#[test]
fn this_year_is_the_publication_year() {
    assert_eq!(parse("hoàn thành trong tháng 6 năm nay"), (d(2025, 6, 30), DuePrecision::Month));
    let (due, _) = parse_due_phrase("cuối năm nay", d(2026, 12, 31)).unwrap();
    assert_eq!(due.date, d(2026, 12, 31));
    let (due, _) = parse_due_phrase("trong tháng 2 năm nay", d(2027, 1, 2)).unwrap();
    assert_eq!(due.date, d(2027, 2, 28));
}

#[test]
fn february_ends_on_the_29th_in_leap_years() {
    assert_eq!(parse("trong tháng 2/2028").0, d(2028, 2, 29));
    assert_eq!(parse("trong tháng 2/2027").0, d(2027, 2, 28));
    assert_eq!(parse("trong tháng 2/2100").0, d(2100, 2, 28));
}

#[test]
fn day_phrases_are_exact() {
    assert_eq!(parse("từ ngày 1/7/2025"), (d(2025, 7, 1), DuePrecision::Day));
    assert_eq!(parse("trước ngày 15/10/2026"), (d(2026, 10, 15), DuePrecision::Day));
    assert_eq!(parse("chậm nhất ngày 20/11/2026"), (d(2026, 11, 20), DuePrecision::Day));
    assert_eq!(parse("trước ngày 15 tháng 10 năm 2026"), (d(2026, 10, 15), DuePrecision::Day));
}

#[test]
fn day_dates_need_no_ngay() {
    let p = d(2025, 9, 2);
    assert_eq!(in_sentence("gửi Bộ Tư pháp trước 15/10/2025.", p), Some((d(2025, 10, 15), DuePrecision::Day, None)));
    assert_eq!(in_sentence("Từ 15/9/2025, áp dụng quy trình mới", p), Some((d(2025, 9, 15), DuePrecision::Day, None)));
    assert_eq!(in_sentence("Thời hạn hoàn thành: 15/10/2025", p), Some((d(2025, 10, 15), DuePrecision::Day, None)));
}

#[test]
fn phrases_without_a_year_take_the_publication_year() {
    let p = d(2025, 9, 2);
    assert_eq!(in_sentence("hoàn thành trong tháng 11", p), Some((d(2025, 11, 30), DuePrecision::Month, None)));
    assert_eq!(in_sentence("cũng trong tháng 10, công bố", p), Some((d(2025, 10, 31), DuePrecision::Month, None)));
    assert_eq!(in_sentence("xong trong quý IV", p), Some((d(2025, 12, 31), DuePrecision::Quarter, None)));
    assert_eq!(in_sentence("báo cáo Thủ tướng trước 20/9", p), Some((d(2025, 9, 20), DuePrecision::Day, None)));
    assert_eq!(in_sentence("chậm nhất ngày 20-9", p), Some((d(2025, 9, 20), DuePrecision::Day, None)));
    assert_eq!(
        in_sentence("hoàn thành trong tháng 1", d(2025, 11, 20)),
        Some((d(2026, 1, 31), DuePrecision::Month, None)),
        "an early month named late in the year is next year's"
    );
}

#[test]
fn a_yearless_reading_never_cuts_a_full_date() {
    let p = d(2025, 9, 2);
    assert_eq!(in_sentence("trước 20/9/2026", p).map(|x| x.0), Some(d(2026, 9, 20)));
    assert_eq!(in_sentence("Trong tháng 3 năm 2024, đã", p).map(|x| x.0), Some(d(2024, 3, 31)));
    assert_eq!(
        in_sentence("tăng trưởng từ 8-10% trong năm 2025", p),
        Some((d(2025, 12, 31), DuePrecision::Year, None)),
        "a range is not a yearless date"
    );
}

#[test]
fn relative_deadlines_count_from_their_anchor() {
    let p = d(2025, 8, 25);
    assert_eq!(in_sentence("trong 30 ngày kể từ ngày 1/9/2025", p).map(|x| x.0), Some(d(2025, 10, 1)));
    assert_eq!(in_sentence("trong 15 ngày kể từ ngày ký", p).map(|x| x.0), Some(d(2025, 9, 9)));
    assert_eq!(
        in_sentence("trong 5 ngày làm việc kể từ ngày ban hành", d(2025, 8, 29)).map(|x| x.0),
        Some(d(2025, 9, 5)),
        "Friday + 5 working days is the next Friday"
    );
}

#[test]
fn recurrences_beyond_monthly_start_at_the_end_of_the_current_period() {
    let p = d(2026, 8, 20);
    assert_eq!(
        in_sentence("báo cáo Bộ Công an hằng quý", p),
        Some((d(2026, 9, 30), DuePrecision::Quarter, Some(Recurrence::Quarterly)))
    );
    assert_eq!(
        in_sentence("tổng hợp báo cáo định kỳ 6 tháng", p),
        Some((d(2026, 12, 31), DuePrecision::Half, Some(Recurrence::HalfYearly)))
    );
    assert_eq!(
        in_sentence("tổ chức đánh giá hằng năm", p),
        Some((d(2026, 12, 31), DuePrecision::Year, Some(Recurrence::Yearly)))
    );
    assert_eq!(in_sentence("doanh thu tăng trưởng 20% hằng năm", p), None, "a rate, not a duty");
}

#[test]
fn long_range_targets_are_years_but_programme_names_are_not() {
    let p = d(2026, 1, 5);
    assert_eq!(
        in_sentence("Đến năm 2030, kinh tế số đạt 30% GDP", p),
        Some((d(2030, 12, 31), DuePrecision::Year, None))
    );
    assert_eq!(in_sentence("Chiến lược phát triển kinh tế số đến năm 2025, tầm nhìn đến năm 2030", p), None);
    assert_eq!(in_sentence("Chương trình chuyển đổi số giai đoạn 2026 - 2030", p), None);
}

#[test]
fn impossible_days_and_years_are_not_dates() {
    assert!(parse_due_phrase("trước ngày 31/2/2026", d(2026, 1, 1)).is_none());
    assert!(parse_due_phrase("trong tháng 13/2026", d(2026, 1, 1)).is_none());
    assert!(parse_due_phrase("trước ngày 1/1/1900", d(2026, 1, 1)).is_none());
}

#[test]
fn year_quarter_and_half_phrases() {
    assert_eq!(parse("cuối năm 2025"), (d(2025, 12, 31), DuePrecision::Year));
    assert_eq!(parse("đến hết năm 2026"), (d(2026, 12, 31), DuePrecision::Year));
    assert_eq!(parse("trong năm 2026"), (d(2026, 12, 31), DuePrecision::Year));
    assert_eq!(parse("Năm 2025"), (d(2025, 12, 31), DuePrecision::Year));
    assert_eq!(parse("trong quý III/2026"), (d(2026, 9, 30), DuePrecision::Quarter));
    assert_eq!(parse("quý 1 năm 2027"), (d(2027, 3, 31), DuePrecision::Quarter));
    assert_eq!(parse("6 tháng đầu năm 2027"), (d(2027, 6, 30), DuePrecision::Half));
    assert_eq!(parse("6 tháng cuối năm 2026"), (d(2026, 12, 31), DuePrecision::Half));
    assert_eq!(parse("Quý II"), (d(2025, 6, 30), DuePrecision::Quarter), "a table cell: this year");
    assert_eq!(parse("15/10/2026"), (d(2026, 10, 15), DuePrecision::Day));
}

#[test]
fn monthly_tasks_start_in_the_publication_month() {
    let (due, recurrence) = parse_due_phrase("định kỳ hàng tháng", d(2025, 3, 18)).unwrap();
    assert_eq!(recurrence, Some(Recurrence::Monthly));
    assert_eq!(due.date, d(2025, 3, 31));
    let (_, recurrence) = parse_due_phrase("hằng tháng", d(2025, 3, 18)).unwrap();
    assert_eq!(recurrence, Some(Recurrence::Monthly));
}

#[test]
fn a_prefix_must_be_a_word_of_its_own() {
    let text = "Kế hoạch số 40-KH/TU ngày 27/02/2026 về tổ chức giải báo chí";
    assert!(find_due(text, d(2026, 3, 1), Reading::Sentence).is_none());
    let found = find_due("áp dụng từ ngày 1/1/2027", d(2026, 3, 1), Reading::Sentence).unwrap();
    assert_eq!(found.due.date, d(2027, 1, 1));
    assert_eq!(&"áp dụng từ ngày 1/1/2027"[found.span], "từ ngày 1/1/2027");
}

#[test]
fn the_phrase_does_not_take_the_syllable_before_it() {
    let text = "triển khai hộ chiếu điện tử từ ngày 1/10/2025";
    let found = find_due(text, d(2025, 9, 1), Reading::Sentence).unwrap();
    assert_eq!(&text[found.span], "từ ngày 1/10/2025");
}

#[test]
fn a_bare_year_in_a_sentence_is_not_a_deadline() {
    let text = "Năm 2024, Quốc hội đã ban hành Luật Dữ liệu";
    assert!(find_due(text, d(2025, 2, 6), Reading::Sentence).is_none());
    assert!(find_due("Nghị định số 130/2018/NĐ-CP ngày 27/9/2018", d(2023, 7, 13), Reading::Sentence).is_none());
    assert!(find_due("Ngày 20/9, Ban Chỉ đạo họp phiên thứ ba", d(2025, 9, 1), Reading::Sentence).is_none());
    assert!(find_due("Hà Nội, ngày 24 tháng 9 năm 2025", d(2025, 9, 1), Reading::Sentence).is_none());
}

#[test]
fn a_number_before_a_lead_word_is_no_day_of_the_month() {
    // A school's, a station's number: the deadline is the month, as without it.
    for text in [
        "Kích hoạt tài khoản định danh cho học sinh trường 7 trong tháng 9/2027.",
        "Triển khai sổ sức khỏe điện tử tại trạm số 12 trong tháng 9/2027.",
        "Hoàn thành tại 7 xã trước tháng 9/2027.",
    ] {
        let found = find_due(text, d(2026, 11, 28), Reading::Sentence).expect(text);
        assert_eq!((found.due.date, found.due.precision), (d(2027, 9, 30), DuePrecision::Month), "{text}");
    }
}

#[test]
fn the_span_points_into_the_original_text() {
    let text = "Số hóa dữ liệu đất đai trong tháng 6/2025.";
    let found = find_due(text, d(2025, 3, 18), Reading::Sentence).unwrap();
    assert_eq!(&text[found.span], "trong tháng 6/2025");
}

#[test]
fn a_period_ends_with_its_last_year_in_either_language() {
    for phrase in ["giai đoạn 2025 - 2027", "For 2025-2027", "by 2027", "Giai đoạn 2025–2027"] {
        assert_eq!(parse(phrase), (d(2027, 12, 31), DuePrecision::Year), "{phrase}");
    }
    assert_eq!(parse("by 2030"), (d(2030, 12, 31), DuePrecision::Year));
    // Only a phrase known to be a time phrase: a sentence's "for 2025-2027" is no deadline.
    assert_eq!(in_sentence("Ngân sách cho giai đoạn 2025 - 2027 được phân bổ.", d(2025, 3, 18)), None);
}
