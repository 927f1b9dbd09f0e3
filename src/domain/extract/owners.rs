//! Who owns a task: the bodies of `lexicon/owners.toml` found in a clause, told apart from the
//! partners ("phối hợp với Bộ Công an") and recipients ("trình UBND tỉnh") it also names.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::super::fold::fold;

const LEXICON: &str = include_str!("../../../lexicon/owners.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Lexicon {
    owners: Vec<OwnerEntry>,
    #[serde(default)]
    families: Vec<Family>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnerEntry {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // `kind` documents the family for reviewers.
struct Family {
    kind: String,
    pattern: String,
}

/// The compiled lexicon: one pattern for every name, alias and family, and each folded alias's
/// full name.
struct Owners {
    pattern: Regex,
    canonical: HashMap<String, String>,
}

/// A name as it may open a sentence: "[Cc]ác bộ, ngành".
fn either_case(name: &str) -> String {
    let mut chars = name.chars();
    let Some(first) = chars.next() else { return String::new() };
    let rest = regex::escape(chars.as_str());
    let (lower, upper): (String, String) = (first.to_lowercase().collect(), first.to_uppercase().collect());
    if lower == upper { format!("{}{rest}", regex::escape(&lower)) } else { format!("[{lower}{upper}]{rest}") }
}

static OWNERS: LazyLock<Owners> = LazyLock::new(|| {
    let lexicon: Lexicon = toml::from_str(LEXICON).expect("lexicon/owners.toml is valid");
    let mut canonical = HashMap::new();
    let mut names: Vec<&str> = Vec::new();
    for entry in &lexicon.owners {
        for name in std::iter::once(&entry.name).chain(&entry.aliases) {
            canonical.insert(key(name), entry.name.clone());
            names.push(name);
        }
    }
    // Longest first: at one position the first alternative that matches wins.
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    let alternatives: Vec<String> = names
        .iter()
        .map(|n| either_case(n))
        .chain(lexicon.families.iter().map(|f| format!("(?:{})", f.pattern)))
        .collect();
    let pattern = Regex::new(&alternatives.join("|")).expect("owner patterns compile");
    Owners { pattern, canonical }
});

/// Folded, with "Ủy ban nhân dân" as "ubnd" and spaces collapsed: how two namings are compared.
fn key(name: &str) -> String {
    let folded = fold(name).replace("uy ban nhan dan", "ubnd").replace("thanh pho", "tp").replace("tp.", "tp");
    folded.split_whitespace().collect::<Vec<_>>().join(" ").trim_end_matches([',', '.']).to_owned()
}

/// The full name of an owner as the lexicon knows it ("Bộ KH&CN" is "Bộ Khoa học và Công nghệ"),
/// folded for comparison; an unknown owner is its own folded text.
pub fn canonical_owner(name: &str) -> String {
    let k = key(name);
    match OWNERS.canonical.get(&k) {
        Some(full) => key(full),
        None => k,
    }
}

/// The lexicon's full name for an owner however a text wrote it ("BCA", "Bộ Công An" are "Bộ Công
/// an"), or `None` for a body it does not list.
pub fn known_owner(name: &str) -> Option<&'static str> {
    OWNERS.canonical.get(&key(name)).map(String::as_str)
}

/// A body named in a clause, with where it is (byte offsets into the clause).
#[derive(Debug, Clone)]
struct Named<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

fn named_bodies(clause: &str) -> Vec<Named<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(m) = OWNERS.pattern.find_at(clause, at) {
        let before = clause[..m.start()].chars().next_back();
        let after = clause[m.end()..].chars().next();
        let whole = m.as_str();
        // A listed name is whole; a family's match may run into the next body's name.
        let text = if OWNERS.canonical.contains_key(&key(whole)) { whole } else { cut_at_next_body(whole) };
        let text = text.trim_end_matches([',', ' ']);
        let mut end = m.start() + text.len().max(1);
        while !clause.is_char_boundary(end) {
            end += 1;
        }
        if !before.is_some_and(char::is_alphanumeric) && (end < m.end() || !after.is_some_and(char::is_alphanumeric)) {
            out.push(Named { text, start: m.start(), end });
        }
        at = end;
    }
    out
}

/// A family's proper-name part stops where the next body begins: in a PDF table that lost its
/// columns, "UBND tỉnh Văn phòng UBND tỉnh Các sở, ngành" is "UBND tỉnh" and two others.
fn cut_at_next_body(name: &str) -> &str {
    const STARTS: &[&str] =
        &["Các", "Văn", "Sở", "Công", "Trung", "Ban", "Bộ", "Chủ", "Tổng", "Cục", "Vụ", "Ủy", "UBND"];
    let mut words = name.char_indices().filter(|&(i, c)| i > 0 && c == ' ').map(|(i, _)| i);
    // The first word is the body's kind ("UBND"): what follows may be cut.
    let _ = words.next();
    for at in words {
        let next = name[at + 1..].split(' ').next().unwrap_or("");
        if STARTS.contains(&next) {
            return &name[..at];
        }
    }
    name
}

/// Words after which a body is a partner or a recipient, never the owner (folded, at the end of the
/// text before the name).
const NOT_THE_OWNER: &[&str] = &[
    "phoi hop voi",
    "phoi hop cung",
    "phoi hop",
    "cung voi",
    "voi",
    "trinh",
    "gui",
    "gui ve",
    "bao cao",
    "xin y kien",
    "cua",
    "cho",
    "tai",
    "den",
    "tham muu",
    "tham muu cho",
    "huong dan",
    "theo",
    "va",
    "ho tro",
    "de nghi voi",
];

/// Words that assign a task: the owner is the body after them ("Ban Chỉ đạo yêu cầu các bộ, ngành").
const ASSIGNS: &[&str] = &["yeu cau", "giao", "de nghi", "chi dao", "phan cong", "dao tao cho"];

fn is_partner(before_folded: &str) -> bool {
    let tail = before_folded.trim_end_matches([' ', ',', '(']);
    NOT_THE_OWNER
        .iter()
        .any(|w| tail.ends_with(w) && tail[..tail.len() - w.len()].ends_with([' ', ',', '(']) || tail == *w)
}

/// The owner a clause names: the body "chủ trì" follows, else the first named after a word that
/// assigns, else the first that is not a partner or a recipient.
pub fn owner_in(clause: &str) -> Option<String> {
    let named = named_bodies(clause);
    if named.is_empty() {
        return subject_body(clause);
    }
    let folded_before = |n: &Named| fold(&clause[..n.start]);
    let candidates: Vec<&Named> = named.iter().filter(|n| !is_partner(&folded_before(n))).collect();
    if let Some(lead) =
        candidates.iter().find(|n| fold(&clause[n.end..]).trim_start_matches([' ', ',']).starts_with("chu tri"))
    {
        return Some(lead.text.to_owned());
    }
    let folded = fold(clause);
    // The body right after a word that assigns ("yêu cầu các bộ, ngành"); "yêu cầu nghiên cứu …"
    // assigns to the body named elsewhere. Offsets are compared in the folded text.
    let assigned_at: Vec<usize> = ASSIGNS
        .iter()
        .flat_map(|w| {
            let word = format!("{w} ");
            folded.match_indices(&word).map(|(i, m)| i + m.len()).collect::<Vec<_>>()
        })
        .collect();
    if let Some(n) = candidates.iter().find(|n| {
        let at = folded_before(n).len();
        assigned_at.iter().any(|&end| at >= end && at - end <= 12)
    }) {
        return Some(n.text.to_owned());
    }
    candidates.first().map(|n| n.text.to_owned())
}

/// Words that open the name of a body the lexicon does not list ("Cục Quản lý khám, chữa bệnh",
/// "Vụ Kế hoạch - Tài chính", "Các bệnh viện hạng I").
const BODY_HEADS: &[&str] = &[
    "cuc",
    "vu",
    "tong cuc",
    "chi cuc",
    "ban",
    "trung tam",
    "vien",
    "benh vien",
    "cac benh vien",
    "truong",
    "cac truong",
    "hoc vien",
    "tap doan",
    "tong cong ty",
    "cong ty",
    "kho bac",
    "thanh tra",
    "dai",
    "phong",
    "hoi dong",
    "cac co so",
    "cac don vi",
    "cac co quan",
];

/// Verbs that end a body's name at the head of a clause.
const VERBS: &[&str] = &[
    "huong dan",
    "hoan thanh",
    "tong hop",
    "chu tri",
    "trien khai",
    "xay dung",
    "phoi hop",
    "bao cao",
    "ra soat",
    "cap nhat",
    "ban hanh",
    "thuc hien",
    "tham muu",
    "chi dao",
    "bo tri",
    "cong bo",
    "to chuc",
    "nghien cuu",
    "ket noi",
    "dam bao",
    "bao dam",
    "trinh",
    "gui",
    "tiep nhan",
    "van hanh",
    "so hoa",
    "dua",
    "lam",
    "xu ly",
    "theo doi",
    "kiem tra",
    "danh gia",
    "dieu chinh",
    "khan truong",
    "tiep tuc",
    "phai",
    "can",
    "co trach nhiem",
];

/// The body a clause opens with, when the lexicon knows none: a head word, then the name up to the
/// first verb (at most eight words).
fn subject_body(clause: &str) -> Option<String> {
    let start = clause.find(|c: char| c.is_alphabetic())?;
    let start = if super::clauses::is_list_item(clause) {
        let marker_end = clause[start..].find(|c: char| c.is_whitespace()).map(|i| start + i)?;
        let head: String = clause[start..marker_end].chars().filter(|c| c.is_alphabetic()).collect();
        if head.chars().count() <= 2 {
            clause[marker_end..].find(|c: char| c.is_alphabetic())? + marker_end
        } else {
            start
        }
    } else {
        start
    };
    let body = &clause[start..];
    let folded = fold(body);
    if !BODY_HEADS.iter().any(|h| folded.starts_with(&format!("{h} "))) || !body.starts_with(char::is_uppercase) {
        return None;
    }
    let words: Vec<(usize, &str)> =
        body.split_whitespace().map(|w| (w.as_ptr() as usize - body.as_ptr() as usize, w)).collect();
    for (i, &(at, _)) in words.iter().enumerate().skip(1).take(8) {
        let rest = fold(&body[at..]);
        if VERBS.iter().any(|v| rest.starts_with(v) && rest[v.len()..].starts_with([' ', ',']) || rest == *v) {
            let name = body[..at].trim().trim_end_matches([',', ';']);
            return (i >= 2).then(|| name.to_owned());
        }
    }
    None
}

/// Whether a clause assigns work to someone ("yêu cầu Bộ X", "giao Sở Y"): its owner then holds for
/// the items that follow.
pub fn assigns(clause: &str) -> bool {
    let folded = fold(clause);
    ASSIGNS.iter().any(|w| folded.contains(&format!("{w} ")))
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
