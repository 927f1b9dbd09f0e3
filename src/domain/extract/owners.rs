//! Who owns a task: the lexicon's name for a body however a text writes it, and the owners a
//! clause names (see `grammar`).

use super::grammar;
use super::lexicon::{LEXICON_DATA, key};

/// The lexicon's entry for a naming: as written, else without a leading "các" ("Các Sở Công
/// Thương" is "Sở Công Thương").
fn entry(name: &str) -> Option<&'static super::lexicon::Known> {
    LEXICON_DATA.known(name).or_else(|| {
        let k = key(name);
        k.strip_prefix("cac ").and_then(|rest| LEXICON_DATA.known(rest))
    })
}

/// The full name of an owner as the lexicon knows it ("Bộ KH&CN" is "Bộ Khoa học và Công nghệ"),
/// folded for comparison; an unknown owner is its own folded text.
pub fn canonical_owner(name: &str) -> String {
    match entry(name) {
        Some(known) => key(&known.full),
        None => key(name),
    }
}

/// The lexicon's full name for an owner however a text wrote it ("BCA", "Bộ Công An" are "Bộ Công
/// an"), or `None` for a body it does not list.
pub fn known_owner(name: &str) -> Option<&'static str> {
    entry(name).map(|k| k.full.as_str())
}

/// The owners a clause names, joined ("Bộ Tài chính, Ngân hàng Nhà nước Việt Nam"), or `None`.
pub fn owner_in(clause: &str) -> Option<String> {
    let reading = grammar::read(clause, None);
    (!reading.bodies.is_empty()).then(|| reading.bodies.joined())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_and_bodies_below_ministries_are_owners() {
        assert_eq!(owner_in("Bộ KH&CN hoàn thành nền tảng").as_deref(), Some("Bộ KH&CN"));
        assert_eq!(canonical_owner("Bộ KH&CN"), canonical_owner("Bộ Khoa học và Công nghệ"));
        assert_eq!(canonical_owner("Bộ TT&TT"), canonical_owner("Bộ Khoa học và Công nghệ"));
        assert_eq!(owner_in("NHNN chỉ đạo các ngân hàng").as_deref(), Some("NHNN"));
        assert_eq!(owner_in("Sở Y tế triển khai bệnh án điện tử").as_deref(), Some("Sở Y tế"));
        assert_eq!(owner_in("Công an tỉnh làm sạch dữ liệu").as_deref(), Some("Công an tỉnh"));
        assert_eq!(
            owner_in("Trung tâm Phục vụ hành chính công tiếp nhận hồ sơ").as_deref(),
            Some("Trung tâm Phục vụ hành chính công")
        );
        assert_eq!(owner_in("Văn phòng UBND tỉnh tổng hợp").as_deref(), Some("Văn phòng UBND tỉnh"));
        assert_eq!(owner_in("UBND TP. Hà Nội triển khai").as_deref(), Some("UBND TP. Hà Nội"));
        assert_eq!(owner_in("giao Sở KH&CN chủ trì").as_deref(), Some("Sở KH&CN"));
        assert_eq!(known_owner("Các Sở Công Thương"), Some("Sở Công Thương"));
    }

    #[test]
    fn a_body_outside_the_lexicon_is_the_clause_subject_up_to_its_verb() {
        assert_eq!(
            owner_in("1. Cục Quản lý khám, chữa bệnh hướng dẫn các bệnh viện").as_deref(),
            Some("Cục Quản lý khám, chữa bệnh")
        );
        assert_eq!(owner_in("Vụ Kế hoạch - Tài chính tổng hợp, báo cáo").as_deref(), Some("Vụ Kế hoạch - Tài chính"));
        assert_eq!(owner_in("Các bệnh viện hạng I hoàn thành bệnh án").as_deref(), Some("Các bệnh viện hạng I"));
        assert_eq!(owner_in("Ban hành quy chế mới"), None, "a verb that looks like a head word");
    }

    #[test]
    fn a_partner_or_a_recipient_is_not_the_owner() {
        assert_eq!(owner_in("chủ trì, phối hợp với Bộ Công an xây dựng"), None);
        assert_eq!(
            owner_in("Sở Tư pháp chủ trì, phối hợp với Công an tỉnh trình UBND tỉnh").as_deref(),
            Some("Sở Tư pháp")
        );
        assert_eq!(owner_in("Sở Nội vụ tham mưu UBND tỉnh ban hành quy chế").as_deref(), Some("Sở Nội vụ"));
        assert_eq!(owner_in("phối hợp với các bộ, ngành hoàn thiện"), None);
    }

    #[test]
    fn the_owner_is_the_one_assigned_not_the_one_who_assigns() {
        assert_eq!(
            owner_in("Ban Chỉ đạo yêu cầu các bộ, ngành và địa phương:").as_deref(),
            Some("các bộ, ngành và địa phương")
        );
        assert_eq!(
            owner_in("Thủ tướng giao Bộ Công an chủ trì, phối hợp với Bộ Tư pháp").as_deref(),
            Some("Bộ Công an")
        );
    }
}
