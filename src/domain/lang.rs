//! The two languages the bot speaks.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Vietnamese first, English too. Its text (`vi`, `en`) is the ISO 639-1 code; [`FromStr`] is the
/// forgiving parser of what a user types (`/lang tiếng Anh`), so strum derives only the text.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    Serialize,
    Deserialize,
    strum::Display,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// The language for a Telegram user's `language_code` ("en", "en-GB", "vi"…), if we speak it.
    pub fn from_telegram_code(code: &str) -> Option<Self> {
        let primary = code.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        match primary.as_str() {
            "vi" => Some(Self::Vi),
            "en" => Some(Self::En),
            _ => None,
        }
    }
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "vi" | "vn" | "tiếng việt" | "tieng viet" | "vietnamese" => Ok(Self::Vi),
            "en" | "english" | "tiếng anh" | "tieng anh" => Ok(Self::En),
            other => Err(format!("unknown language {other:?}: use vi or en")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn telegram_codes_map_to_languages() {
        assert_eq!(Lang::from_telegram_code("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_telegram_code("vi"), Some(Lang::Vi));
        assert_eq!(Lang::from_telegram_code("fr"), None);
        assert_eq!("EN".parse::<Lang>(), Ok(Lang::En));
        assert!("de".parse::<Lang>().is_err());
    }
}
