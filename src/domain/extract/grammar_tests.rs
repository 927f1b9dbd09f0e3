//! Tests of the owner grammar on clauses written for each rule, with and without tone marks.

use super::*;

fn owners(clause: &str) -> Vec<String> {
    read(clause, None).bodies.owners
}

fn partners(clause: &str) -> Vec<String> {
    read(clause, None).bodies.partners
}

#[test]
fn the_performer_is_the_one_the_assigning_verb_points_at() {
    assert_eq!(owners("Thủ tướng giao Bộ Công an chủ trì xây dựng Nghị định"), ["Bộ Công an"]);
    assert_eq!(owners("Bộ Công an đề nghị Công an các tỉnh, thành phố triển khai:"), ["Công an các tỉnh, thành phố"]);
    assert_eq!(owners("UBND Thành phố cũng giao Sở Xây dựng số hóa hồ sơ"), ["Sở Xây dựng"]);
    assert!(owners("Chủ tịch UBND tỉnh yêu cầu:").is_empty());
    assert!(read("Thủ tướng Chính phủ yêu cầu:", None).assigns_without_object);
    assert_eq!(owners("Các xã, phường, đặc khu được yêu cầu bố trí cán bộ"), ["Các xã, phường, đặc khu"]);
}

#[test]
fn a_ministry_told_to_direct_stays_the_owner_unless_a_leader_directs() {
    assert_eq!(owners("Bộ Y tế chỉ đạo các bệnh viện hoàn thành bệnh án điện tử"), ["Bộ Y tế"]);
    assert_eq!(
        owners("Thành phố chỉ đạo: Các đơn vị chưa có phần mềm hoàn thành lắp đặt"),
        ["Các đơn vị chưa có phần mềm"]
    );
    assert_eq!(owners("Bộ cũng đề nghị Bộ Tài chính chỉ đạo Cục Thuế hướng dẫn người bán"), ["Bộ Tài chính"]);
}

#[test]
fn modifiers_objects_and_recipients_are_not_owners() {
    assert!(owners("Cổng Dịch vụ công quốc gia do Văn phòng Chính phủ chủ quản phải kết nối").is_empty());
    assert_eq!(
        owners("Bộ Công an chủ trì, phối hợp với Bộ Khoa học và Công nghệ đưa Trung tâm dữ liệu quốc gia vào vận hành"),
        ["Bộ Công an"]
    );
    assert_eq!(owners("Cac don vi bao cao ket qua ve Bo Cong an"), ["Cac don vi"]);
    assert_eq!(owners("Sở Nội vụ tham mưu UBND tỉnh ban hành quy chế"), ["Sở Nội vụ"]);
}

#[test]
fn several_owners_stay_apart_and_addressee_lists_stay_whole() {
    assert_eq!(
        owners("Bộ Tài chính, Ngân hàng Nhà nước Việt Nam hoàn thiện cơ chế"),
        ["Bộ Tài chính", "Ngân hàng Nhà nước Việt Nam"]
    );
    assert_eq!(
        owners("Bảo hiểm xã hội Việt Nam và Bộ Nội vụ thống nhất quy trình"),
        ["Bảo hiểm xã hội Việt Nam", "Bộ Nội vụ"]
    );
    let list = "Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ, Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương";
    assert_eq!(owners(&format!("{list}:")), [list]);
    let list = "Giám đốc các sở, Thủ trưởng các ban, ngành cấp tỉnh, Chủ tịch UBND các xã, phường";
    assert_eq!(owners(&format!("Chủ tịch UBND tỉnh yêu cầu {list}:")), [list]);
}

#[test]
fn partners_are_apart_from_owners() {
    assert_eq!(partners("Bộ Tư pháp chủ trì, phối hợp với Bộ Công an, Bộ Y tế hoàn thiện"), ["Bộ Công an", "Bộ Y tế"]);
    assert_eq!(
        partners("Bộ Giáo dục và Đào tạo chủ trì, phối hợp với các bộ, ngành liên quan xây dựng"),
        ["các bộ, ngành liên quan"]
    );
    assert_eq!(
        partners("Cục Chuyển đổi số quốc gia chủ trì, phối hợp với Cục An toàn thông tin xây dựng"),
        ["Cục An toàn thông tin"]
    );
}

#[test]
fn without_tone_marks_the_same_roles() {
    assert_eq!(owners("Bo Cong an chu tri, phoi hop voi Bo Khoa hoc va Cong nghe hoan thanh"), ["Bộ Công an"]);
    assert_eq!(
        partners("Bo Cong an chu tri, phoi hop voi Bo Khoa hoc va Cong nghe hoan thanh"),
        ["Bộ Khoa học và Công nghệ"]
    );
    assert_eq!(owners("Giao Bo Tai chinh huong dan cac bo, nganh lap du toan"), ["Bộ Tài chính"]);
    assert_eq!(
        owners("UBND cac tinh, thanh pho truc thuoc trung uong lam sach du lieu"),
        ["UBND cac tinh, thanh pho truc thuoc trung uong"]
    );
}

#[test]
fn provinces_and_their_bodies_are_known_by_name() {
    assert_eq!(owners("Công an thành phố Đà Nẵng chủ trì làm sạch dữ liệu"), ["Công an thành phố Đà Nẵng"]);
    assert_eq!(
        owners("Trung tâm Phục vụ hành chính công tỉnh An Giang số hóa kết quả"),
        ["Trung tâm Phục vụ hành chính công tỉnh An Giang"]
    );
    assert_eq!(owners("Theo kế hoạch, năm 2026 Hà Nội phấn đấu kinh tế số chiếm 25% GRDP"), ["Hà Nội"]);
    assert!(
        owners("Sở Nông nghiệp và Môi trường chuyển dữ liệu của tỉnh Bình Dương (cũ)")
            .iter()
            .all(|o| o != "tỉnh Bình Dương")
    );
}

#[test]
fn a_name_outside_the_lexicon_may_hold_a_listed_one_but_not_run_into_the_next() {
    assert_eq!(
        owners("4. Tổ giúp việc Ban Chỉ đạo tổng hợp, báo cáo Trưởng Ban Chỉ đạo hằng quý"),
        ["Tổ giúp việc Ban Chỉ đạo"]
    );
    assert_eq!(
        owners(
            "Tập đoàn Công nghiệp - Viễn thông Quân đội và Tập đoàn Bưu chính Viễn thông Việt Nam hỗ trợ các địa phương"
        ),
        ["Tập đoàn Công nghiệp - Viễn thông Quân đội", "Tập đoàn Bưu chính Viễn thông Việt Nam"]
    );
    assert!(owners("Ngày 6 tháng 1 năm 2026, Thủ tướng chủ trì Hội nghị").is_empty(), "a leader chairs, owns nothing");
}
