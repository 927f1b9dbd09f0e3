//! Finding the dated tasks in a Vietnamese directive or news text: each clause with a deadline
//! phrase becomes a proposal (the clause, its owner, its due date), for a person to review.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use serde::Serialize;

use super::due::{Due, Reading, Recurrence, find_due};
use super::fold::fold;

/// A task found in a text, not yet stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    /// The clause, as written.
    pub sentence: String,
    /// Who must do it, as named; empty when the text does not say.
    pub owner: String,
    #[serde(serialize_with = "serialize_due")]
    pub due: Due,
    /// The time phrase it came from.
    pub due_phrase: String,
    pub recurrence: Option<Recurrence>,
}

fn serialize_due<S: serde::Serializer>(due: &Due, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&due.date.format("%Y-%m-%d").to_string())
}

impl Proposal {
    /// What makes an imported task the same task: its clause, folded. Not its date or owner,
    /// which a reviewer may have corrected before saving.
    pub fn import_key(&self) -> String {
        let clause: String = fold(&self.sentence).split_whitespace().collect::<Vec<_>>().join(" ");
        format!("clause:{}", clause.chars().take(240).collect::<String>())
    }
}

/// Clauses end at a full stop, a question or exclamation mark, a semicolon or a line break, but
/// not at a dot between digits ("8.8", "67.300").
fn clauses(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    for (paragraph_no, paragraph) in text.lines().enumerate() {
        let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
        let mut start = 0;
        for (i, &(at, ch)) in chars.iter().enumerate() {
            let next = chars.get(i + 1).map(|&(_, c)| c);
            let prev = i.checked_sub(1).map(|j| chars[j].1);
            let ends = match ch {
                ';' | '!' | '?' => true,
                '.' => !(prev.is_some_and(|c| c.is_ascii_digit()) && next.is_some_and(|c| c.is_ascii_digit())),
                _ => false,
            };
            if ends {
                out.push((paragraph_no, paragraph[start..at].trim()));
                start = at + ch.len_utf8();
            }
        }
        out.push((paragraph_no, paragraph[start..].trim()));
    }
    out.into_iter().filter(|(_, c)| c.chars().count() >= 12).collect()
}

/// Who is named as responsible, in the order such names are tried.
static OWNERS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"(?i:UBND|Ủy ban nhân dân|Uỷ ban nhân dân) (?:các )?(?:cấp )?(?:tỉnh|huyện|xã)(?:, thành phố)?(?: trực thuộc [Tt]rung ương)?",
        r"Bộ (?:Công an|Tư pháp|Tài chính|Nội vụ|Y tế|Ngoại giao|Quốc phòng|Xây dựng|Công Thương|Thông tin và Truyền thông|Kế hoạch và Đầu tư|Nông nghiệp và Môi trường|Nông nghiệp và Phát triển nông thôn|Tài nguyên và Môi trường|Giáo dục và Đào tạo|Lao động - Thương binh và Xã hội|Khoa học và Công nghệ|Văn hóa, Thể thao và Du lịch|Giao thông vận tải)",
        r"Văn phòng Chính phủ",
        r"Ngân hàng Nhà nước(?: Việt Nam)?",
        r"Ban Chỉ đạo[^,;.()]{0,80}",
        r"Tổ [Cc]ông tác(?: Đề án 06)?",
        r"Ủy ban Quốc gia về chuyển đổi số",
        r"(?i)(?:lãnh đạo )?(?:các )?bộ, (?:cơ quan ngang bộ|ngành)(?:, địa phương)?",
        r"(?i:cán bộ, công chức)[^,;.]{0,30}",
        r"(?i)(?:các )?(?:tỉnh|địa phương), thành phố",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("owner pattern compiles"))
    .collect()
});

/// The first responsible body named in a clause.
pub fn owner_in(clause: &str) -> Option<String> {
    OWNERS
        .iter()
        .filter_map(|pattern| pattern.find(clause))
        .min_by_key(|m| m.start())
        .map(|m| m.as_str().trim().trim_end_matches(',').to_owned())
}

/// A clause about what was done, not what must be done.
fn reports_the_past(folded: &str) -> bool {
    const DONE: &[&str] = &[" da ", " da hoan thanh", "dat duoc"];
    const ORDER: &[&str] =
        &["yeu cau", "giao", "phai", "khan truong", "hoan thanh", "phan dau", "day manh", "chu tri", "trien khai"];
    DONE.iter().any(|w| folded.contains(w)) && !ORDER.iter().any(|w| folded.contains(w))
}

/// The dated tasks of `text`, published on `published` (which anchors "năm nay" and tells
/// deadlines from dates already past when it was written).
pub fn extract(text: &str, published: NaiveDate) -> Vec<Proposal> {
    let month_start = published.with_day(1).unwrap_or(published);
    let mut proposals: Vec<Proposal> = Vec::new();
    let mut last_owner: Option<(usize, String)> = None;
    for (paragraph, clause) in clauses(text) {
        let owner = owner_in(clause);
        if let Some(owner) = &owner {
            last_owner = Some((paragraph, owner.clone()));
        }
        let Some(found) = find_due(clause, published, Reading::Sentence) else { continue };
        let lower_bound = if found.due.precision == super::due::DuePrecision::Day { published } else { month_start };
        if found.due.date < lower_bound || reports_the_past(&format!(" {} ", fold(clause))) {
            continue;
        }
        // A clause that names nobody belongs to the body named just before, in the same paragraph.
        let owner = owner.or_else(|| last_owner.as_ref().filter(|(p, _)| *p == paragraph).map(|(_, o)| o.clone()));
        let proposal = Proposal {
            sentence: clause.to_owned(),
            owner: owner.unwrap_or_default(),
            due: found.due,
            due_phrase: clause[found.span.clone()].to_owned(),
            recurrence: found.recurrence,
        };
        if !proposals.iter().any(|p| p.import_key() == proposal.import_key()) {
            proposals.push(proposal);
        }
    }
    proposals
}

static DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b").expect("date pattern compiles"));

/// The publication date a news page shows near its top ("Thứ năm - 13/07/2023 07:48").
pub fn publication_date(text: &str) -> Option<NaiveDate> {
    text.lines().take(6).find_map(|line| {
        let caps = DATE.captures(line)?;
        NaiveDate::from_ymd_opt(caps[3].parse().ok()?, caps[2].parse().ok()?, caps[1].parse().ok()?)
    })
}

#[cfg(test)]
mod tests {
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
    fn the_date_belongs_to_its_clause_and_dots_in_numbers_do_not_split() {
        let text = "UBND các tỉnh số hóa dữ liệu hộ tịch trong tháng 3/2025; số hóa dữ liệu đất đai trong tháng 6/2025. Có 67.300 doanh nghiệp.";
        let found = extract(text, d(2025, 3, 18));
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].owner, "UBND các tỉnh", "the owner carries to the next clause");
        assert!(found[1].sentence.starts_with("số hóa dữ liệu đất đai"));
    }

    #[test]
    fn the_publication_date_is_read_from_the_top() {
        assert_eq!(publication_date("Tiêu đề\n\nThứ năm - 13/07/2023 07:48\nNội dung"), Some(d(2023, 7, 13)));
        assert_eq!(publication_date("Không có ngày"), None);
    }
}
