//! The bodies a clause names, where they are, and how they group: "Bộ Tài chính, Ngân hàng Nhà
//! nước" is two bodies side by side; "Bộ trưởng, Thủ trưởng cơ quan ngang bộ, …, Chủ tịch UBND các
//! tỉnh" is one addressee list, kept whole.

use super::super::fold::{NEAR, fold, head};
use super::lexicon::{LEXICON_DATA, strip_tones};

/// A body named in a clause (byte offsets into the clause).
#[derive(Debug, Clone)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    /// How to show it: the lexicon's spelling of a listed name (so an untoned text gets its tone
    /// marks), else the text.
    pub name: String,
    /// It names a kind of body ("các bộ, ngành", "Bộ trưởng"), not one.
    pub generic: bool,
    /// It issues the text ("Thủ tướng", "UBND tỉnh"): "X chỉ đạo Y" assigns to Y.
    pub leader: bool,
    /// A listed leader ("Thủ tướng", "Ban Chỉ đạo"): it assigns, it never owns a task.
    pub issuer: bool,
}

/// Bodies side by side, joined by commas or "và": one role in the clause.
#[derive(Debug, Clone)]
pub struct Group {
    pub start: usize,
    pub end: usize,
    pub members: Vec<Mention>,
}

impl Group {
    /// The owners or partners it names: each body apart, or the whole list as one when it holds an
    /// addressee of a kind ("các bộ, ngành", "Chủ tịch UBND các tỉnh").
    pub fn names(&self, clause: &str) -> Vec<String> {
        if self.members.len() > 1 && self.members.iter().any(|m| m.generic) {
            vec![clause[self.start..self.end].trim().to_owned()]
        } else {
            self.members.iter().map(|m| m.name.clone()).collect()
        }
    }

    pub fn leader(&self) -> bool {
        self.members.iter().all(|m| m.leader)
    }

    pub fn issuer(&self) -> bool {
        self.members.iter().all(|m| m.issuer)
    }
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
    "van phong",
    "to giup viec",
    "to cong tac",
    "buu dien",
    "vien thong",
    "ngan hang",
    "cac san",
    "cac ngan hang",
    "cac doanh nghiep",
];

/// Verbs (and the words of a time or a purpose) that end a body's name.
const VERBS: &[&str] = &[
    "huong dan",
    "hoan thanh",
    "hoan thien",
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
    "chiu trach nhiem",
    "duoc",
    "se",
    "ho tro",
    "cung cap",
    "thong nhat",
    "dong bo",
    "mo rong",
    "tich hop",
    "tuyen truyen",
    "nghiem thu",
    "doi chieu",
    "phu song",
    "xac thuc",
    "lam sach",
    "can doi",
    "chu dong",
    "tap trung",
    "day manh",
    "ap dung",
    "su dung",
    "rasoat",
    "trong",
    "truoc",
    "voi",
];

/// The body the text at `at` opens when the lexicon knows none: a head word, then the name up to
/// the first verb (two to fourteen words), or `None`.
fn unknown_body(clause: &str, at: usize, listed: &[Mention]) -> Option<(usize, String)> {
    let body = &clause[at..];
    let folded = fold(&head(body, NEAR));
    if !body.starts_with(char::is_uppercase) && !folded.starts_with("cac ") {
        return None;
    }
    if !BODY_HEADS.iter().any(|h| folded.starts_with(&format!("{h} "))) || folded.starts_with("ban hanh") {
        return None;
    }
    let words: Vec<usize> =
        body.split_whitespace().take(15).map(|w| w.as_ptr() as usize - body.as_ptr() as usize).collect();
    for (i, &w) in words.iter().enumerate().skip(1).take(14) {
        let rest = fold(&head(&body[w..], NEAR));
        // A listed body after a comma starts the next name: "Văn phòng Chính phủ, Bộ Công an".
        let joined = body[..w].trim_end();
        let next_listed =
            (joined.ends_with(',') || fold(joined).ends_with(" va")) && listed.iter().any(|m| m.start == at + w);
        // Words inside a listed name ("Ban Chỉ đạo") are no verbs.
        if listed.iter().any(|m| m.start < at + w && at + w < m.end) {
            continue;
        }
        let ends =
            VERBS.iter().any(|v| rest.starts_with(v) && rest[v.len()..].starts_with([' ', ',', ':']) || rest == *v)
                || rest.starts_with(['(', ';', ':'])
                || next_listed;
        if ends {
            let name = body[..w].trim().trim_end_matches([',', ';', ' ']);
            return (i >= 2).then(|| (at + name.len(), name.to_owned()));
        }
    }
    None
}

/// Whether a body's name begins at `at`: the clause's start, or after a space or punctuation.
fn word_start(clause: &str, at: usize) -> bool {
    at == 0 || clause[..at].ends_with([' ', ',', ':', '(', '"', '“', ';'])
}

fn leader_by_name(text: &str) -> bool {
    let k = fold(text);
    let singular = !k.contains(" cac ");
    singular
        && [
            "chu tich ubnd",
            "chu tich uy ban",
            "pho chu tich",
            "ubnd tinh",
            "ubnd thanh pho",
            "ubnd tp",
            "uy ban nhan dan tinh",
            "uy ban nhan dan thanh pho",
        ]
        .iter()
        .any(|p| k.starts_with(p))
}

/// Every body the clause names, left to right: the lexicon's, and the unknown ones that open the
/// clause or follow a comma, a colon or a word that assigns or partners.
pub fn mentions(clause: &str) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    for m in LEXICON_DATA.matches(clause) {
        let text = &clause[m.start..m.end];
        let (name, generic, leader) = match &m.listed {
            Some(k) => {
                // The lexicon's spelling, but the text's first letter ("Các bộ" opens a sentence).
                let written = if strip_tones(text).0 == text && strip_tones(&k.written).0 != k.written {
                    k.written.clone()
                } else {
                    text.to_owned()
                };
                (written, k.generic || fold(text).starts_with("cac "), k.leader)
            }
            None => (
                text.to_owned(),
                fold(text).starts_with("cac ") || fold(text).starts_with("chu tich"),
                leader_by_name(text),
            ),
        };
        let issuer = m.listed.as_ref().is_some_and(|k| k.leader);
        // "Các Sở Công Thương": the plural belongs to the name.
        let plural = ["các ", "Các ", "cac ", "Cac "].iter().find(|p| clause[..m.start].ends_with(**p));
        let (start, name, generic) = match plural {
            Some(p) if !fold(&name).starts_with("cac ") => (m.start - p.len(), format!("{p}{name}"), true),
            _ => (m.start, name, generic),
        };
        out.push(Mention { start, end: m.end, name, generic, leader, issuer });
    }
    // Unknown bodies: where a word starts outside the lexicon's matches.
    let mut extra = Vec::new();
    let mut covered_to = 0;
    let listed_starts: std::collections::HashSet<usize> = out.iter().map(|m| m.start).collect();
    for (at, _) in clause.char_indices() {
        if at < covered_to || !word_start(clause, at) {
            continue;
        }
        if listed_starts.contains(&at) {
            continue;
        }
        if let Some((end, name)) = unknown_body(clause, at, &out) {
            // An unknown name that holds listed ones ("Tổ giúp việc Ban Chỉ đạo") replaces them.
            let holds = out.iter().any(|m| m.start >= at && m.end <= end);
            if out.iter().any(|m| m.start < at && m.end > at) {
                continue;
            }
            if holds || !out.iter().any(|m| m.start < end && m.end > at) {
                let generic = fold(&name).starts_with("cac ");
                extra.push(Mention { start: at, end, name, generic, leader: false, issuer: false });
                covered_to = end;
            }
        }
    }
    if !extra.is_empty() {
        out.retain(|m| !extra.iter().any(|e| m.start >= e.start && m.end <= e.end));
        out.extend(extra);
        out.sort_by_key(|m| m.start);
    }
    // "… liên quan", "(cũ)" belong to the name before.
    for m in &mut out {
        let rest = fold(&head(&clause[m.end..], NEAR));
        for tail in [" co lien quan", " lien quan"] {
            if rest.starts_with(tail) && !rest[tail.len()..].starts_with(char::is_alphanumeric) {
                let len =
                    clause[m.end..].char_indices().nth(tail.chars().count()).map_or(clause.len() - m.end, |(i, _)| i);
                m.name = format!("{}{}", m.name, &clause[m.end..m.end + len]);
                m.end += len;
                break;
            }
        }
    }
    out
}

/// Mentions joined by a comma, a semicolon or "và" (and nothing else) form a group.
pub fn groups(clause: &str, mentions: Vec<Mention>) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for m in mentions {
        if let Some(last) = out.last_mut() {
            if m.start < last.end {
                continue;
            }
            let gap = fold(&clause[last.end..m.start]);
            let gap = gap.trim();
            // A leader does not join a list: "Theo Thủ tướng, Bộ Tài chính …".
            let apart = m.issuer || last.members.iter().any(|l| l.issuer);
            if !apart && matches!(gap, "," | ";" | "va" | ", va" | "va cac" | "/" | "cung") {
                last.end = m.end;
                last.members.push(m);
                continue;
            }
        }
        out.push(Group { start: m.start, end: m.end, members: vec![m] });
    }
    out
}
