//! The two legacy Vietnamese 8-bit encodings offices still send, told apart from Windows-1258 by
//! which decoding reads as Vietnamese: TCVN3 (TCVN 5712:1993, the ".Vn" fonts: one byte a letter)
//! and VNI (VNI-Windows: a base letter and then a byte for its marks, "Vieät" for "Việt").
//!
//! A .docx typed in those fonts holds the same bytes as Latin-1 letters ("Sè hãa"): its text is
//! mapped back to the bytes and read the same way.

use encoding_rs::{WINDOWS_1252, WINDOWS_1258};
use unicode_normalization::UnicodeNormalization;

/// The 8-bit encodings a text may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Windows1258,
    Tcvn3,
    Vni,
}

/// Bytes 0x80–0xFF in TCVN 5712:1993 (as the C library's TCVN5712-1 reads them); below 0x80 is
/// ASCII. 0xB0–0xB4 are the tone marks, combining.
const TCVN3_HIGH: &str = "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ\u{A0}ĂÂÊÔƠƯĐăâêôơưđẰ\u{300}\u{309}\u{303}\u{301}\u{323}àảãáạẲằẳẵắẴẮẦẨẪẤỀặầẩẫấậèỂẻẽéẹềểễếệìỉỄẾỒĩíịòỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ";

fn decode_tcvn3(bytes: &[u8]) -> String {
    let high: Vec<char> = TCVN3_HIGH.chars().collect();
    bytes.iter().map(|&b| if b < 0x80 { b as char } else { high[usize::from(b - 0x80)] }).nfc().collect()
}

/// What a VNI mark byte (read as Windows-1252) adds to the vowel before it: a circumflex or a
/// breve (or neither), and a tone.
fn vni_mark(c: char) -> Option<(Option<char>, Option<char>)> {
    const CIRCUMFLEX: char = '\u{302}';
    const BREVE: char = '\u{306}';
    let (grave, acute, hook, tilde, dot) = ('\u{300}', '\u{301}', '\u{309}', '\u{303}', '\u{323}');
    Some(match c.to_lowercase().next()? {
        'ø' => (None, Some(grave)),
        'ù' => (None, Some(acute)),
        'û' => (None, Some(hook)),
        'õ' => (None, Some(tilde)),
        'ï' => (None, Some(dot)),
        'â' => (Some(CIRCUMFLEX), None),
        'à' => (Some(CIRCUMFLEX), Some(grave)),
        'á' => (Some(CIRCUMFLEX), Some(acute)),
        'å' => (Some(CIRCUMFLEX), Some(hook)),
        'ã' => (Some(CIRCUMFLEX), Some(tilde)),
        'ä' => (Some(CIRCUMFLEX), Some(dot)),
        'ê' => (Some(BREVE), None),
        'è' => (Some(BREVE), Some(grave)),
        'é' => (Some(BREVE), Some(acute)),
        'ú' => (Some(BREVE), Some(hook)),
        'ü' => (Some(BREVE), Some(tilde)),
        'ë' => (Some(BREVE), Some(dot)),
        _ => return None,
    })
}

/// VNI's letters of one byte: đ, ơ, ư, the toned i's and ỵ.
fn vni_letter(c: char) -> Option<char> {
    Some(match c {
        'ñ' => 'đ',
        'Ñ' => 'Đ',
        'ô' => 'ơ',
        'Ô' => 'Ơ',
        'ö' => 'ư',
        'Ö' => 'Ư',
        'æ' => 'ỉ',
        'Æ' => 'Ỉ',
        'ó' => 'ĩ',
        'Ó' => 'Ĩ',
        'ò' => 'ị',
        'Ò' => 'Ị',
        'î' => 'ỵ',
        'Î' => 'Ỵ',
        _ => return None,
    })
}

fn decode_vni(bytes: &[u8]) -> String {
    let (latin, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
    let mut out = String::with_capacity(latin.len());
    let mut previous: Option<char> = None;
    for c in latin.chars() {
        let base = previous.map(|p| p.to_lowercase().next().unwrap_or(p));
        let mark = vni_mark(c).filter(|(shape, _)| match (shape, base) {
            (_, None) => false,
            (None, Some(b)) => "aeiouyơư".contains(b),
            (Some('\u{302}'), Some(b)) => "aeo".contains(b),
            (Some(_), Some(b)) => b == 'a',
        });
        match mark {
            Some((shape, tone)) => {
                out.extend(shape);
                out.extend(tone);
                previous = None;
            }
            None => {
                let letter = vni_letter(c).unwrap_or(c);
                out.push(letter);
                previous = Some(letter);
            }
        }
    }
    out.nfc().collect()
}

fn decode_1258(bytes: &[u8]) -> String {
    WINDOWS_1258.decode_without_bom_handling(bytes).0.nfc().collect()
}

/// Every precomposed letter of Vietnamese, lower and upper case.
const VIETNAMESE: &str = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ\
    ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ";

fn has_tone(c: char) -> bool {
    c.to_string().nfd().any(|m| matches!(m, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}'))
}

/// How Vietnamese a text reads: its words with letters beyond ASCII that are Vietnamese syllables
/// (only Vietnamese letters, at most one tone), less those that are not ("®Êt", "Vieät").
fn vietnamese_score(text: &str) -> i64 {
    let mut score = 0i64;
    for word in text.split(|c: char| c.is_whitespace() || c.is_ascii_punctuation()) {
        if word.is_ascii() {
            continue;
        }
        let letters = word.chars().all(|c| c.is_ascii_alphabetic() || VIETNAMESE.contains(c));
        let tones = word.chars().filter(|&c| has_tone(c)).count();
        score += if letters && tones <= 1 { 1 } else { -1 };
    }
    score
}

/// `bytes` (not UTF-8) decoded in whichever of Windows-1258, TCVN3 and VNI reads as Vietnamese,
/// Windows-1258 when none reads better.
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    let mut best = (decode_1258(bytes), Encoding::Windows1258);
    let mut best_score = vietnamese_score(&best.0);
    for (text, encoding) in [(decode_tcvn3(bytes), Encoding::Tcvn3), (decode_vni(bytes), Encoding::Vni)] {
        let score = vietnamese_score(&text);
        if score > best_score {
            (best, best_score) = ((text, encoding), score);
        }
    }
    best
}

/// A text whose letters are a legacy encoding's bytes shown as Latin-1 (a .docx typed in a ".Vn"
/// or VNI font), converted; `None` when it reads better as it is.
pub fn repair(text: &str) -> Option<(String, Encoding)> {
    let (bytes, _, unmappable) = WINDOWS_1252.encode(text);
    if unmappable || bytes.is_ascii() {
        return None;
    }
    let as_is = vietnamese_score(text);
    [(decode_tcvn3(&bytes), Encoding::Tcvn3), (decode_vni(&bytes), Encoding::Vni)]
        .into_iter()
        .map(|(t, e)| (vietnamese_score(&t), t, e))
        .filter(|(score, _, _)| *score > as_is)
        .max_by_key(|(score, _, _)| *score)
        .map(|(_, t, e)| (t, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_encoding_reads_as_itself() {
        let tcvn3 = b"S\xe8 h\xe3a d\xf7 li\xd6u \xae\xcat \xaeai";
        assert_eq!(decode(tcvn3), ("Số hóa dữ liệu đất đai".to_owned(), Encoding::Tcvn3));
        let vni = "Vieät Nam soá hoùa döõ lieäu ñaát ñai".as_bytes();
        let (latin, _, _) = WINDOWS_1252.encode(std::str::from_utf8(vni).unwrap());
        assert_eq!(decode(&latin), ("Việt Nam số hóa dữ liệu đất đai".to_owned(), Encoding::Vni));
        let (cp1258, _, _) = WINDOWS_1258.encode("Bộ Công an hoàn thành kết nối");
        assert_eq!(decode(&cp1258).1, Encoding::Windows1258);
    }

    #[test]
    fn latin1_letters_of_a_legacy_font_are_repaired_and_unicode_is_left_alone() {
        assert_eq!(
            repair("S\u{e8} h\u{e3}a d\u{f7} li\u{d6}u \u{ae}\u{ca}t \u{ae}ai").map(|r| r.0).as_deref(),
            Some("Số hóa dữ liệu đất đai")
        );
        assert_eq!(repair("Việt Nam"), None);
        assert_eq!(repair("Bộ Tài chính"), None);
        assert_eq!(repair("Café à Paris"), None);
    }
}
