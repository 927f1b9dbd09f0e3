//! The body lexicon (`lexicon/owners.toml`) compiled once: every name, alias, family and province,
//! matched in a clause with or without tone marks, and each naming's full name.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::super::fold::fold;

const LEXICON: &str = include_str!("../../../lexicon/owners.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    owners: Vec<Entry>,
    #[serde(default)]
    families: Vec<Family>,
    #[serde(default)]
    provinces: Vec<Province>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    generic: bool,
    #[serde(default)]
    leader: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // `kind` documents the family for reviewers.
struct Family {
    kind: String,
    pattern: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Province {
    name: String,
    #[serde(default)]
    former: Vec<String>,
    #[serde(default)]
    short: Vec<String>,
}

/// What the lexicon says of a listed name.
#[derive(Debug, Clone)]
pub struct Known {
    /// The lexicon's full name.
    pub full: String,
    /// The alias as the lexicon writes it (with its tone marks).
    pub written: String,
    pub generic: bool,
    pub leader: bool,
}

pub struct Lexicon {
    /// Listed names, longest first, any case, on tone-stripped text.
    names: Regex,
    /// Families, on tone-stripped text.
    families: Regex,
    /// Folded key of every name and alias → what it is.
    known: HashMap<String, Known>,
}

/// Removes tone and vowel marks but keeps case ("Bộ Công an" is "Bo Cong an"), remembering where
/// each byte of the result came from.
pub fn strip_tones(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len() + 1);
    for (start, ch) in text.char_indices() {
        if ch.is_ascii() {
            out.push(ch);
            origin.push(start);
            continue;
        }
        for c in std::iter::once(ch).nfd().filter(|c| !is_combining_mark(*c)) {
            let c = match c {
                'đ' => 'd',
                'Đ' => 'D',
                other => other,
            };
            for _ in 0..c.len_utf8() {
                origin.push(start);
            }
            out.push(c);
        }
    }
    origin.push(text.len());
    (out, origin)
}

fn stripped(text: &str) -> String {
    strip_tones(text).0
}

/// Folded, with "Ủy ban nhân dân" as "ubnd", "thành phố" as "tp" and spaces collapsed: how two
/// namings are compared.
pub fn key(name: &str) -> String {
    let folded =
        fold(name).replace("uy ban nhan dan", "ubnd").replace("thanh pho", "tp").replace("tp.", "tp").replace(';', ",");
    folded.split_whitespace().collect::<Vec<_>>().join(" ").trim_end_matches([',', '.']).to_owned()
}

pub static LEXICON_DATA: LazyLock<Lexicon> = LazyLock::new(|| {
    let file: File = toml::from_str(LEXICON).expect("lexicon/owners.toml is valid");
    let mut known = HashMap::new();
    let mut names: Vec<String> = Vec::new();
    // Leaders are matched in their case: "Tỉnh", "Thành phố" as the issuer, not "tỉnh" in a name.
    let mut leaders: Vec<String> = Vec::new();
    for entry in &file.owners {
        for name in std::iter::once(&entry.name).chain(&entry.aliases) {
            // The first naming of a key is how it is written ("Văn phòng UBND tỉnh", not a variant).
            known.entry(key(name)).or_insert_with(|| Known {
                full: entry.name.clone(),
                written: name.clone(),
                generic: entry.generic,
                leader: entry.leader,
            });
            if entry.leader { leaders.push(stripped(name)) } else { names.push(stripped(name)) }
        }
    }
    let alternation = |mut list: Vec<String>| {
        list.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
        list.dedup();
        list.iter().map(|n| regex::escape(n)).collect::<Vec<_>>().join("|")
    };
    let names =
        Regex::new(&format!("(?i:{})|(?:{})", alternation(names), alternation(leaders))).expect("owner names compile");
    let mut provinces: Vec<String> = file
        .provinces
        .iter()
        .flat_map(|p| std::iter::once(&p.name).chain(&p.former).chain(&p.short))
        .map(|n| regex::escape(&stripped(n)))
        .collect();
    provinces.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    let province = provinces.join("|");
    let families = file
        .families
        .iter()
        .map(|f| format!("(?:{})", stripped(&f.pattern).replace("{province}", &province)))
        .collect::<Vec<_>>()
        .join("|");
    let families = Regex::new(&families).expect("owner families compile");
    Lexicon { names, families, known }
});

/// A listed body or a family's match in a text (byte offsets into the original).
#[derive(Debug, Clone)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub listed: Option<Known>,
}

impl Lexicon {
    pub fn known(&self, name: &str) -> Option<&Known> {
        self.known.get(&key(name))
    }

    /// Every body of the lexicon in `text`, left to right; at one place the longer of a listed
    /// name and a family's match.
    pub fn matches(&self, text: &str) -> Vec<Match> {
        let (plain, origin) = strip_tones(text);
        let mut out = Vec::new();
        let mut at = 0;
        while at < plain.len() {
            let a = self.names.find_at(&plain, at);
            let b = self.families.find_at(&plain, at);
            let best = match (a, b) {
                (Some(a), Some(b)) => {
                    if (a.start(), std::cmp::Reverse(a.end())) <= (b.start(), std::cmp::Reverse(b.end())) {
                        (a, true)
                    } else {
                        (b, false)
                    }
                }
                (Some(a), None) => (a, true),
                (None, Some(b)) => (b, false),
                (None, None) => break,
            };
            let (m, is_name) = best;
            let (start, mut end) = (origin[m.start()], origin[m.end()]);
            if !is_name {
                end = start + cut_at_next_body(&text[start..end]).trim_end_matches([',', ' ']).len();
            }
            let before = text[..start].chars().next_back();
            let after = text[end..].chars().next();
            let next = if end > start
                && !before.is_some_and(char::is_alphanumeric)
                && !after.is_some_and(char::is_alphanumeric)
            {
                let listed = if is_name { self.known(&text[start..end]).cloned() } else { None };
                out.push(Match { start, end, listed });
                end
            } else {
                start + text[start..].chars().next().map_or(1, char::len_utf8)
            };
            // Back to the stripped text: the first byte that comes from `next` or later.
            at = origin.partition_point(|&o| o < next).max(m.start() + 1);
            while at < plain.len() && !plain.is_char_boundary(at) {
                at += 1;
            }
        }
        out
    }
}

/// A family's proper-name part stops where the next body begins: in a PDF table that lost its
/// columns, "UBND tỉnh Văn phòng UBND tỉnh Các sở, ngành" is "UBND tỉnh" and two others. The
/// family's own words ("Chủ tịch UBND các tỉnh") are never cut.
fn cut_at_next_body(name: &str) -> &str {
    const STARTS: &[&str] = &[
        "Cac", "Van", "So", "Cong", "Trung", "Ban", "Bo", "Chu", "Tong", "Cuc", "Vu", "Uy", "UBND", "Giam",
        // A table's date column after the body: "UBND các xã, phường Tháng 6/2026".
        "Thang", "Quy", "Ngay", "Truoc", "Trong", "Thuong", "Hang",
    ];
    const KIND: &[&str] =
        &["UBND", "Uy", "Chu", "Pho", "Thanh", "TP", "TP.", "Trung", "Cong", "Buu", "Vien", "Bao", "Kho"];
    let mut in_kind = true;
    for (at, _) in name.char_indices().filter(|&(i, c)| i > 0 && c == ' ') {
        let next = stripped(name[at + 1..].split(' ').next().unwrap_or(""));
        let lower = next.starts_with(|c: char| !c.is_uppercase());
        if in_kind && (lower || KIND.contains(&next.as_str())) {
            continue;
        }
        in_kind = false;
        if STARTS.contains(&next.as_str()) {
            return &name[..at];
        }
    }
    name
}
