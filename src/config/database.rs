//! The database address (`database_url`): its scheme decides the database, SQLite or PostgreSQL;
//! any other is refused at load, before a file named after it could be made.

use std::fmt;
use std::str::FromStr;

/// The configuration key and its environment variable, for messages that say where to look.
pub const KEY: &str = "database_url (HANCHOT_DATABASE_URL)";

/// Which database an address names, with the address as sqlx takes it.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://path`, `sqlite:path` or `sqlite::memory:`: embedded, the default.
    Sqlite(String),
    /// `postgres://…` or `postgresql://…`.
    Postgres(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DatabaseUrlError {
    #[error("{KEY} = {shown:?} names no database: write sqlite://path/to/file.db or postgres://user@host/db")]
    NoScheme { shown: String },
    #[error(
        "{KEY} = {shown:?}: the bot cannot use a `{scheme}` database; write sqlite://path/to/file.db or \
         postgres://user@host/db"
    )]
    Unsupported { shown: String, scheme: String },
    #[error("{KEY} = {shown:?} is not a valid PostgreSQL address: {reason}")]
    Malformed { shown: String, reason: String },
}

impl FromStr for DatabaseUrl {
    type Err = DatabaseUrlError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let shown = redact(text);
        let Some((scheme, _)) = text.split_once(':') else { return Err(DatabaseUrlError::NoScheme { shown }) };
        match scheme.to_ascii_lowercase().as_str() {
            "sqlite" => Ok(Self::Sqlite(text.to_owned())),
            "postgres" | "postgresql" => match url::Url::parse(text) {
                Ok(url) if url.has_host() => Ok(Self::Postgres(text.to_owned())),
                Ok(_) => Err(DatabaseUrlError::Malformed { shown, reason: "it names no host".into() }),
                Err(e) => Err(DatabaseUrlError::Malformed { shown, reason: e.to_string() }),
            },
            // A bare path (`data/hanchot.db`) or a Windows drive has no scheme worth the name.
            s if s.is_empty() || s.contains(['/', '\\', '.']) || s.len() == 1 => {
                Err(DatabaseUrlError::NoScheme { shown })
            }
            other => Err(DatabaseUrlError::Unsupported { shown, scheme: other.to_owned() }),
        }
    }
}

impl DatabaseUrl {
    /// The address as sqlx takes it (with its password: never log this).
    pub fn as_str(&self) -> &str {
        match self {
            Self::Sqlite(url) | Self::Postgres(url) => url,
        }
    }
}

/// The address without its password, for messages and logs.
impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(self.as_str()))
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

/// `postgres://user:secret@host/db` as `postgres://user:***@host/db`; anything else as it is.
fn redact(text: &str) -> String {
    match url::Url::parse(text) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("***"));
            url.to_string()
        }
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme_decides_the_database() {
        for url in ["sqlite://data/hanchot.db", "sqlite::memory:", "sqlite:///var/lib/hanchot/hanchot.db"] {
            assert_eq!(url.parse(), Ok(DatabaseUrl::Sqlite(url.to_owned())), "{url}");
        }
        for url in ["postgres://bot@localhost/hanchot", "postgresql://bot:pw@db.example.org:5433/hanchot"] {
            assert_eq!(url.parse(), Ok(DatabaseUrl::Postgres(url.to_owned())), "{url}");
        }
    }

    #[test]
    fn another_scheme_or_none_is_refused_naming_the_key() {
        let error = "mysql://bot@localhost/hanchot".parse::<DatabaseUrl>().unwrap_err();
        assert!(matches!(&error, DatabaseUrlError::Unsupported { scheme, .. } if scheme == "mysql"), "{error}");
        for text in ["data/hanchot.db", "hanchot.db", "C:\\bot\\hanchot.db", "postgres:/nohost"] {
            let message = text.parse::<DatabaseUrl>().unwrap_err().to_string();
            assert!(message.starts_with(KEY), "{text}: {message}");
        }
    }

    #[test]
    fn a_password_is_never_shown() {
        let url: DatabaseUrl = "postgres://bot:s3cret@localhost/hanchot".parse().unwrap();
        assert_eq!(url.to_string(), "postgres://bot:***@localhost/hanchot");
        assert!(!format!("{url:?}").contains("s3cret"));
        let message = "mysql://bot:s3cret@localhost/db".parse::<DatabaseUrl>().unwrap_err().to_string();
        assert!(!message.contains("s3cret") && message.contains("mysql"), "{message}");
    }
}
