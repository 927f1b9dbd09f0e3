//! Tests of extraction on short texts written for each rule.

use super::*;
use crate::domain::due::DuePrecision;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn every_listed_time_phrase_makes_a_task() {
    let text = "Thủ tướng yêu cầu:\n\
        Bộ Công an hoàn thành Trung tâm dữ liệu trong tháng 9/2026.\n\
        Bộ Tư pháp hoàn thành trong tháng 9 năm nay việc rà soát văn bản.\n\
        Bộ Tài chính gửi báo cáo trước ngày 15/10/2026.\n\
        UBND các tỉnh nộp kế hoạch chậm nhất ngày 20/11/2026.\n\
        Văn phòng Chính phủ áp dụng quy trình mới từ ngày 1/1/2027.\n\
        Bộ Y tế triển khai hồ sơ sức khỏe điện tử trong quý III/2026.\n\
        Bộ Nội vụ hoàn thành cơ sở dữ liệu cán bộ trong 6 tháng đầu năm 2027.\n\
        Ngân hàng Nhà nước hoàn thành đối soát sinh trắc cuối năm 2026.\n\
        Bộ Xây dựng số hóa hồ sơ đến hết năm 2026.\n\
        Bộ Công Thương đẩy mạnh thương mại điện tử trong năm 2026.\n\
        Các bộ, ngành cập nhật kết quả hằng tháng vào phần mềm.\n\
        Tổ công tác báo cáo định kỳ hàng tháng.";
    let found = extract(text, d(2026, 8, 20));
    let got: Vec<(NaiveDate, DuePrecision, bool, &str)> =
        found.iter().map(|p| (p.due.date, p.due.precision, p.recurrence.is_some(), p.owner.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (d(2026, 9, 30), DuePrecision::Month, false, "Bộ Công an"),
            (d(2026, 9, 30), DuePrecision::Month, false, "Bộ Tư pháp"),
            (d(2026, 10, 15), DuePrecision::Day, false, "Bộ Tài chính"),
            (d(2026, 11, 20), DuePrecision::Day, false, "UBND các tỉnh"),
            (d(2027, 1, 1), DuePrecision::Day, false, "Văn phòng Chính phủ"),
            (d(2026, 9, 30), DuePrecision::Quarter, false, "Bộ Y tế"),
            (d(2027, 6, 30), DuePrecision::Half, false, "Bộ Nội vụ"),
            (d(2026, 12, 31), DuePrecision::Year, false, "Ngân hàng Nhà nước"),
            (d(2026, 12, 31), DuePrecision::Year, false, "Bộ Xây dựng"),
            (d(2026, 12, 31), DuePrecision::Year, false, "Bộ Công Thương"),
            (d(2026, 8, 31), DuePrecision::Month, true, "Các bộ, ngành"),
            (d(2026, 8, 31), DuePrecision::Month, true, "Tổ công tác"),
        ]
    );
    assert_eq!(found[0].due_phrase, "trong tháng 9/2026");
}

#[test]
fn this_year_follows_the_publication_date_across_new_year() {
    let text = "Bộ Công an hoàn thành trong tháng 2 năm nay.";
    assert_eq!(extract(text, d(2027, 1, 3))[0].due.date, d(2027, 2, 28));
    assert!(extract(text, d(2026, 12, 30)).is_empty(), "February 2026 was past when this was written");
}

#[test]
fn clauses_without_a_time_or_about_the_past_are_not_tasks() {
    let text = "Bộ Công an khẩn trương nghiên cứu Luật Bảo vệ dữ liệu cá nhân.\n\
        Trong năm 2024, Quốc hội đã ban hành Luật Dữ liệu.\n\
        Đến tháng 6/2023, có 63% hệ thống thông tin được phê duyệt.\n\
        Năm 2025 là năm bứt phá.";
    assert!(extract(text, d(2025, 2, 6)).is_empty());
}

#[test]
fn a_relative_clause_with_da_does_not_make_an_order_a_report() {
    let text = "Bộ Công an công bố danh mục giấy tờ đã được tích hợp trên VNeID hằng tháng.";
    let found = extract(text, d(2025, 9, 10));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].recurrence, Some(Recurrence::Monthly));
}

#[test]
fn the_date_belongs_to_its_clause_and_dots_in_numbers_do_not_split() {
    let text = "UBND các tỉnh số hóa dữ liệu hộ tịch trong tháng 3/2025; số hóa dữ liệu đất đai trong tháng 6/2025. Có 67.300 doanh nghiệp.";
    let found = extract(text, d(2025, 3, 18));
    assert_eq!(found.len(), 2);
    assert_eq!(found[1].owner, "UBND các tỉnh", "the owner carries to the next clause");
    assert!(found[1].sentence.starts_with("số hóa dữ liệu đất đai"));
}

#[test]
fn a_bare_deadline_closes_the_clause_before_it() {
    let text = "Sở Tư pháp xây dựng cơ sở dữ liệu công chứng của tỉnh; hoàn thành trong tháng 11/2026.";
    let found = extract(text, d(2026, 9, 1));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].sentence, "Sở Tư pháp xây dựng cơ sở dữ liệu công chứng của tỉnh");
    assert_eq!(found[0].owner, "Sở Tư pháp");
    assert_eq!(found[0].due.date, d(2026, 11, 30));
}

#[test]
fn a_list_takes_the_owner_its_frame_assigns() {
    let text = "Ban Chỉ đạo yêu cầu Bộ Nông nghiệp và Môi trường thực hiện một số nhiệm vụ sau:\n\
        Thứ nhất, hoàn thành làm sạch dữ liệu đất đai trong tháng 11.\n\
        Thứ hai, chủ trì, phối hợp với Bộ Công an kết nối dữ liệu với VNeID trước 15/12.";
    let found = extract(text, d(2026, 10, 2));
    let owners: Vec<&str> = found.iter().map(|p| p.owner.as_str()).collect();
    assert_eq!(owners, vec!["Bộ Nông nghiệp và Môi trường", "Bộ Nông nghiệp và Môi trường"]);
    assert_eq!(found[1].due.date, d(2026, 12, 15));
}

#[test]
fn a_headline_restating_a_body_task_is_one_proposal() {
    let text = "Bộ Công an phải kết nối dữ liệu dân cư với ngân hàng trước ngày 10/12/2026\n\
        25/11/2026 09:15\n\
        Thủ tướng yêu cầu Bộ Công an hoàn thành kết nối dữ liệu dân cư với các ngân hàng thương mại trước ngày 10/12/2026.";
    let published = publication_date(text).unwrap();
    assert_eq!(published, d(2026, 11, 25));
    let found = extract(text, published);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].sentence.starts_with("Thủ tướng yêu cầu"), "the fuller statement is kept");
}

#[test]
fn table_rows_are_tasks_with_the_rows_owner() {
    let text = "STT | Nhiệm vụ | Chủ trì | Phối hợp | Thời hạn\n\
        1 | Triển khai bệnh án điện tử tại bệnh viện tuyến tỉnh | Sở Y tế | Sở Tài chính | Năm 2026\n\
        2 | Số hóa hồ sơ hộ tịch còn lại | Sở Tư pháp | Công an tỉnh | Quý II/2026\n\
        3 | Tuyên truyền về VNeID | Sở Văn hóa, Thể thao và Du lịch | Các sở | Thường xuyên";
    let found = extract(text, d(2026, 1, 10));
    let got: Vec<(&str, DuePrecision, &str)> =
        found.iter().map(|p| (p.owner.as_str(), p.due.precision, p.sentence.as_str())).collect();
    assert_eq!(
        got,
        vec![
            ("Sở Y tế", DuePrecision::Year, "Triển khai bệnh án điện tử tại bệnh viện tuyến tỉnh"),
            ("Sở Tư pháp", DuePrecision::Quarter, "Số hóa hồ sơ hộ tịch còn lại"),
        ]
    );
}

#[test]
fn hidden_characters_never_reach_a_proposal() {
    let text = "Bộ Công an\u{202E} hoàn\u{200B} thành\u{7} kết nối\ttrong tháng 9/2026.";
    let found = extract(text, d(2026, 8, 1));
    assert_eq!(found[0].sentence, "Bộ Công an hoàn thành kết nối trong tháng 9/2026");
}

#[test]
fn a_long_list_frame_with_a_deadline_is_not_a_task_but_lends_it() {
    let text = "Trong tháng 10/2026, Bộ Khoa học và Công nghệ hoàn thành các việc sau:\n\
        - Công bố bộ chỉ số đánh giá chuyển đổi số cấp tỉnh;\n\
        - Vận hành nền tảng giám sát an toàn thông tin.";
    let found = extract(text, d(2026, 9, 5));
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found.iter().all(|p| p.due.date == d(2026, 10, 31) && p.owner == "Bộ Khoa học và Công nghệ"));
}

#[test]
fn two_body_tasks_of_one_owner_on_one_date_stay_two() {
    let text = "Tiêu đề\nNgày đăng 01/09/2026\nMở đầu.\n\
        Bộ Công an hoàn thành kết nối dữ liệu hộ tịch trước ngày 30/10/2026.\n\
        Bộ Công an hoàn thành kết nối dữ liệu đất đai trước ngày 30/10/2026.";
    let found = extract(text, d(2026, 9, 1));
    assert_eq!(found.len(), 2, "{found:#?}");
}

#[test]
fn a_pasted_list_of_tasks_on_the_first_lines_is_not_a_headline() {
    let text = "Bộ Công an hoàn thành kết nối dữ liệu dân cư trước ngày 15/3/2027.\n\
        Sở Y tế triển khai sổ sức khỏe điện tử trước ngày 15/3/2027.\n\
        Bộ Tư pháp số hóa sổ hộ tịch trước ngày 15/3/2027.";
    let found = extract(text, d(2026, 12, 2));
    let owners: Vec<&str> = found.iter().map(|p| p.owner.as_str()).collect();
    assert_eq!(owners, vec!["Bộ Công an", "Sở Y tế", "Bộ Tư pháp"]);
}

#[test]
fn a_headline_by_its_form_still_merges_with_the_task_it_restates() {
    let text = "Kết nối dữ liệu dân cư với ngân hàng trước ngày 10/12/2026\n\
        Hà Nội, ngày 2/12/2026\n\
        Bộ Công an phải kết nối dữ liệu dân cư với ngân hàng trước ngày 10/12/2026.";
    let found = extract(text, d(2026, 12, 2));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].owner, "Bộ Công an");
}

#[test]
fn one_long_line_of_comma_separated_dated_clauses_gives_each_its_proposal() {
    let owners = ["Bộ Công an", "Bộ Tư pháp", "Sở Y tế", "Bộ Tài chính"];
    let line: Vec<String> = (0..400)
        .map(|i| format!("{} số hóa hồ sơ loại {i} trước ngày {}/{}/2027", owners[i % 4], i % 28 + 1, i % 12 + 1))
        .collect();
    let found = extract(&format!("{}.", line.join(", ")), d(2026, 12, 2));
    assert_eq!(found.len(), 400);
}
