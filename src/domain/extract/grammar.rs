//! Who must act in a clause: the performer is the body the assigning verb points at ("giao",
//! "yêu cầu", "đề nghị", a leader's "chỉ đạo"), the body that "chủ trì", or the clause's subject;
//! never the body that assigns, the partner ("phối hợp với"), the recipient ("trình", "gửi", "báo
//! cáo … về"), the owner of a system ("do … chủ quản", "thuộc …") or the object of another verb
//! ("đưa Trung tâm dữ liệu quốc gia vào vận hành"). The same with or without tone marks.

use super::super::fold::{NEAR, fold, head, tail};
use super::bodies::{Group, Mention, groups, mentions};

/// The bodies of one clause.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bodies {
    /// Who must act, each as named; an addressee list is one.
    pub owners: Vec<String>,
    /// Who works with them.
    pub partners: Vec<String>,
}

impl Bodies {
    pub fn is_empty(&self) -> bool {
        self.owners.is_empty()
    }

    /// The owners as one line: "Bộ Tài chính, Ngân hàng Nhà nước Việt Nam".
    pub fn joined(&self) -> String {
        self.owners.join(", ")
    }
}

/// What a clause says about who acts.
#[derive(Debug, Clone, Default)]
pub struct ClauseReading {
    pub bodies: Bodies,
    /// The clause assigns work ("Thủ tướng yêu cầu:", "UBND tỉnh giao:") without naming who does it
    /// in this clause.
    pub assigns_without_object: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// "X chủ trì", "X được giao", "X có trách nhiệm".
    Lead,
    /// Right after a word that assigns: "giao X", "yêu cầu X".
    Assigned,
    /// Opens the clause (after a list marker or a lead-in like "Theo đó,").
    Subject,
    /// Assigns to someone else: "X yêu cầu …", a leader's "X chỉ đạo …".
    Assigner,
    Partner,
    /// "trình X", "gửi X", "hướng dẫn X", "của X", "do X chủ quản", "thuộc X".
    Recipient,
    /// "Đối với X, …": the owner when the clause names no other.
    Topic,
    /// The object of some other verb.
    Other,
}

/// Words after which a body works with the owner.
const PARTNER: &[&str] = &["phoi hop voi", "phoi hop cung", "phoi hop", "cung voi", "va phoi hop voi"];

/// Words after which a body is the one told to act.
const ASSIGNING: &[&str] =
    &["giao nhiem vu cho", "giao nhiem vu", "giao cho", "giao", "yeu cau", "de nghi", "phan cong"];

/// Words after which a body receives, is guided, owns or holds: never the owner.
const RECIPIENT: &[&str] = &[
    "trinh",
    "gui",
    "gui ve",
    "ve",
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
    "ho tro",
    "thuoc",
    "do",
    "qua",
    "(qua",
    "tu",
    "giua",
    "len",
    "doi voi",
    "de nghi cua",
    "de xuat cua",
    "chi dao",
];

/// Words that may open a clause before its subject.
const LEAD_INS: &[&str] = &[
    "theo do",
    "dong thoi",
    "ngoai ra",
    "sau do",
    "cu the",
    "trong do",
    "tiep do",
    "ben canh do",
    "cung voi do",
    "rieng",
];

/// Words after a body that make it the one who acts.
const LEADS: &[&str] =
    &["chu tri", "(chu tri)", "duoc giao", "duoc yeu cau", "duoc de nghi", "co trach nhiem", "chiu trach nhiem"];

fn squash(text: &str) -> String {
    fold(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `text` ends with the word or words `w` (whole words).
fn ends_with_words(text: &str, w: &str) -> bool {
    text == w || text.ends_with(w) && text[..text.len() - w.len()].ends_with([' ', ',', '(', ':', ';'])
}

/// A list marker at the start: "1.", "a)", "-", "(2)", "Thứ nhất,".
fn strip_marker(folded: &str) -> &str {
    let t = folded.trim_start_matches(['-', '–', '+', '•', '*', '·', ' ']);
    for lead in ["thu nhat,", "thu hai,", "thu ba,", "thu tu,", "thu nam,", "thu sau,"] {
        if let Some(rest) = t.strip_prefix(lead) {
            return rest.trim_start();
        }
    }
    let marker: String = t.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '(').collect();
    let rest = &t[marker.len()..];
    if !marker.is_empty() && marker.trim_start_matches('(').len() <= 2 && rest.starts_with([')', '.']) {
        return rest[1..].trim_start();
    }
    t
}

/// Whether a body after `before` (folded, collapsed) opens its clause.
fn opens_the_clause(before: &str) -> bool {
    let p = strip_marker(before).trim();
    if p.is_empty() || p.ends_with([',', ':']) || LEAD_INS.contains(&p) {
        return true;
    }
    // "năm 2026 Hà Nội phấn đấu …": a time before the subject.
    p.rsplit(' ').next().is_some_and(|w| w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()))
}

/// The assigning verb right after a body ("X yêu cầu", "X cũng giao"), and whether a colon follows it.
fn assigns_next(after: &str) -> Option<(&'static str, bool)> {
    let after = after.trim_start_matches([' ', ',']);
    let after = ["cung ", "vua ", "tiep tuc ", "da "].iter().fold(after, |a, adv| a.strip_prefix(adv).unwrap_or(a));
    ["yeu cau", "giao", "de nghi", "chi dao", "phan cong"].into_iter().find_map(|v| {
        let rest = after.strip_prefix(v)?;
        (!rest.starts_with(char::is_alphanumeric)).then(|| (v, rest.trim_start().starts_with(':')))
    })
}

/// "Quý cơ quan", "Quý Bộ": the addressee of the letter.
fn addressee_mentions(clause: &str, addressee: Option<&str>) -> Vec<Mention> {
    let Some(addressee) = addressee else { return Vec::new() };
    let (plain, origin) = super::lexicon::strip_tones(clause);
    let lower = plain.to_ascii_lowercase();
    let mut out = Vec::new();
    for word in ["quy co quan", "quy bo", "quy don vi", "quy uy ban", "quy dia phuong", "quy so"] {
        if let Some(i) = lower.find(word).filter(|&i| !lower[i + word.len()..].starts_with(char::is_alphanumeric)) {
            let (start, end) = (origin[i], origin[i + word.len()]);
            out.push(Mention { start, end, name: addressee.to_owned(), generic: true, leader: false, issuer: false });
        }
    }
    out
}

/// The bodies of a clause and their roles, read from the words around them.
pub fn read(clause: &str, addressee: Option<&str>) -> ClauseReading {
    let mut found = mentions(clause);
    let extra = addressee_mentions(clause, addressee);
    if !extra.is_empty() {
        found.retain(|m| !extra.iter().any(|e| m.start < e.end && m.end > e.start));
        found.extend(extra);
        found.sort_by_key(|m| m.start);
    }
    let groups = groups(clause, found);
    let mut roles: Vec<Role> = Vec::with_capacity(groups.len());
    for (i, g) in groups.iter().enumerate() {
        let before = squash(&tail(&clause[..g.start], NEAR));
        let before = before.trim_end();
        let after = squash(&head(&clause[g.end..], NEAR));
        let bare = before.trim_end_matches([':', ',', ' ']);
        let leader_before = groups[..i].iter().zip(&roles).any(|(h, r)| *r == Role::Assigner && h.leader());
        let opening = opens_the_clause(before);
        // "Hà Nội: Các phường phải …": a place before a colon is the headline's topic.
        let topic_colon = after.starts_with(':') && after.len() > 1;
        let role = if PARTNER.iter().any(|w| ends_with_words(before, w)) {
            Role::Partner
        } else if topic_colon {
            Role::Other
        } else if ASSIGNING.iter().any(|w| ends_with_words(bare, w))
            || ends_with_words(bare, "chi dao") && (leader_before || before.ends_with(':'))
        {
            Role::Assigned
        } else if strip_marker(bare) == "doi voi" {
            Role::Topic
        } else if ends_with_words(bare, "cua") && after.starts_with("dat ") {
            // A target's owner: "tỷ lệ … của các sở, ngành đạt tối thiểu 80%".
            Role::Subject
        } else if !opening && RECIPIENT.iter().any(|w| ends_with_words(bare, w)) {
            Role::Recipient
        } else if LEADS.iter().any(|w| after.starts_with(w)) {
            Role::Lead
        } else if let Some((verb, colon)) = assigns_next(&after) {
            if verb == "chi dao" && !g.leader() && !colon {
                // "Bộ Y tế chỉ đạo các bệnh viện …": the ministry is told to see it done.
                if opening { Role::Subject } else { Role::Other }
            } else {
                Role::Assigner
            }
        } else if opening {
            Role::Subject
        } else {
            Role::Other
        };
        roles.push(role);
    }
    let pick = |want: Role| groups.iter().zip(&roles).find(|(g, r)| **r == want && !g.issuer()).map(|(g, _)| g);
    let owner: Option<&Group> = pick(Role::Lead)
        .or_else(|| pick(Role::Assigned))
        .or_else(|| groups.iter().zip(&roles).find(|(g, r)| **r == Role::Subject && !g.issuer()).map(|(g, _)| g))
        .or_else(|| pick(Role::Topic));
    let partners =
        groups.iter().zip(&roles).filter(|(_, r)| **r == Role::Partner).flat_map(|(g, _)| g.names(clause)).collect();
    let owners = owner.map(|g| g.names(clause)).unwrap_or_default();
    let folded = squash(clause);
    let assigns = roles.contains(&Role::Assigner)
        || ASSIGNING.iter().any(|w| strip_marker(&folded).starts_with(w))
        || folded.ends_with("chi dao:");
    ClauseReading { assigns_without_object: owners.is_empty() && assigns, bodies: Bodies { owners, partners } }
}

#[cfg(test)]
#[path = "grammar_tests.rs"]
mod tests;
