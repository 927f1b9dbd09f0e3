//! One configuration struct, layered: built-in defaults, then a TOML file, then `HANCHOT_*`
//! environment variables. The bot token is not configuration: it is read from `TELOXIDE_TOKEN` only.

use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

use crate::domain::lang::Lang;
use crate::domain::schedule::Cron;

mod check;
pub mod database;

pub use check::FREE_PER_SECOND;
pub use database::{DatabaseUrl, DatabaseUrlError};

/// The file read when `--config` is not given, if it exists in the working folder.
pub const DEFAULT_FILE: &str = "config/default.toml";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Time zone for due dates, days left, digests and reminders.
    pub timezone: Tz,
    /// The database: `sqlite://path` (the file and its folder are created on first run) or
    /// `postgres://user@host/db`; its scheme decides ([`DatabaseUrl`]).
    pub database_url: String,
    /// Language for users whose Telegram language is neither Vietnamese nor English.
    pub default_lang: Lang,
    /// Telegram user ids allowed to change data.
    pub admins: Vec<u64>,
    /// The @username `hanchot ask` answers as; `serve` asks Telegram.
    pub bot_username: String,
    /// When digests go out, as cron with seconds: `sec min hour day month weekday` (weekday 1 = Sunday).
    pub digest_cron: Cron,
    /// Lead days before each due date when reminders go out, unless a chat chose others.
    pub remind_days: Vec<u32>,
    /// A message that fell due while the bot was down is still sent this many hours late; older
    /// ones are recorded as skipped.
    pub grace_hours: u32,
    /// The program received .docx and .pdf files are read in, as a child process
    /// (`PROGRAM read-document`); unset: this binary.
    pub document_reader: Option<PathBuf>,
    /// Sent, failed and skipped outbox rows are kept this many days (their record), then pruned.
    pub outbox_keep_days: u32,
    /// Telegram's limits: messages per second overall, per second to one chat, per minute to a group.
    pub max_per_second: u32,
    pub max_per_chat_per_second: u32,
    pub max_per_group_per_minute: u32,
    /// Digests and reminders are sent as paid broadcasts (`allow_paid_broadcast`): up to 1,000
    /// a second instead of 30, for a fee in Telegram Stars per message. Replies stay free.
    pub paid_broadcast: bool,
    /// Where the HTTP server (webhook, health, metrics, calendars) listens, e.g. `0.0.0.0:8080`;
    /// empty: no server (polling only).
    pub listen: String,
    /// The public address Telegram posts updates to (`https://bot.example.org/tg`); its path is
    /// the path served. Set, the bot runs on a webhook instead of polling.
    pub webhook_url: String,
    /// The webhook's secret token (1–256 of `A-Z a-z 0-9 _ -`); empty: generated once and kept in
    /// the database.
    pub webhook_secret: String,
    /// The public address of the HTTP server, for the calendar links (`https://bot.example.org`).
    pub public_url: String,
    /// How often `serve` polls the watched sources (`hanchot sources`), in seconds.
    pub source_poll_seconds: u32,
    /// Watched sources may be on private, loopback and link-local addresses (tests, intranets).
    pub allow_private_sources: bool,
    /// Where the proposals of watched sources go for review: this chat, instead of each admin's
    /// private chat.
    pub review_chat_id: Option<i64>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            timezone: chrono_tz::Asia::Ho_Chi_Minh,
            database_url: "sqlite://data/hanchot.db".to_owned(),
            default_lang: Lang::Vi,
            admins: Vec::new(),
            bot_username: "hanchot_bot".to_owned(),
            digest_cron: "0 0 7 * * *".parse().expect("the default schedule is valid cron"),
            remind_days: vec![30, 7, 1, 0],
            grace_hours: 6,
            document_reader: None,
            outbox_keep_days: 30,
            max_per_second: 30,
            max_per_chat_per_second: 1,
            max_per_group_per_minute: 20,
            paid_broadcast: false,
            listen: String::new(),
            webhook_url: String::new(),
            webhook_secret: String::new(),
            public_url: String::new(),
            source_poll_seconds: 1800,
            allow_private_sources: false,
            review_chat_id: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("config file {0} does not exist")]
    Missing(PathBuf),
    #[error("invalid configuration: {0}")]
    Invalid(#[from] Box<figment::Error>),
    #[error("invalid configuration: {0}")]
    Value(String),
}

impl Config {
    /// Loads the configuration from `file` (or [`DEFAULT_FILE`] if present) and the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        let file = match file {
            Some(path) if !path.exists() => return Err(ConfigError::Missing(path.to_owned())),
            Some(path) => Some(path),
            None => Some(Path::new(DEFAULT_FILE)).filter(|p| p.exists()),
        };
        if let Some(path) = file {
            // A misspelt key would otherwise be ignored and the bot would run on the default.
            if let Ok(keys) = Figment::from(Toml::file_exact(path)).extract::<figment::value::Dict>() {
                check::refuse_unknown(keys.keys().map(String::as_str), check::Source::File(path))?;
            }
            figment = figment.merge(Toml::file_exact(path));
        }
        let env = Env::prefixed(check::ENV_PREFIX);
        let env_keys: Vec<String> =
            env.iter().map(|(key, _)| key.as_str().to_lowercase()).filter(|key| !key.is_empty()).collect();
        check::refuse_unknown(env_keys.iter().map(String::as_str), check::Source::Environment)?;
        figment = figment.merge(env);
        let config: Config = figment.extract().map_err(|e| ConfigError::Invalid(Box::new(e)))?;
        check::values(&config)?;
        Ok(config)
    }

    /// Refuses a digest schedule that has no time in the years after `now`: loading cannot tell,
    /// as the clock is set from the configured time zone.
    pub fn check_schedule_fires(&self, now: chrono::DateTime<chrono::Utc>) -> Result<(), ConfigError> {
        check::fires(self, now)
    }

    pub fn is_admin(&self, user_id: Option<u64>) -> bool {
        user_id.is_some_and(|id| self.admins.contains(&id))
    }
}

#[cfg(test)]
#[allow(clippy::result_large_err)] // figment::Jail's closures return figment::Error.
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_matches_the_built_in_defaults() {
        let shipped: Config = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file_exact(concat!(env!("CARGO_MANIFEST_DIR"), "/config/default.toml")))
            .extract()
            .unwrap();
        assert_eq!(shipped, Config::default());
    }

    #[test]
    fn environment_overrides_the_file() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("custom.toml", "timezone = \"Asia/Bangkok\"\ndefault_lang = \"en\"")?;
            jail.set_env("HANCHOT_DATABASE_URL", "sqlite::memory:");
            jail.set_env("HANCHOT_ADMINS", "[42, 7]");
            jail.set_env("HANCHOT_DIGEST_CRON", "*/5 * * * * *");
            let config = Config::load(Some(Path::new("custom.toml"))).expect("loads");
            assert_eq!(config.timezone, chrono_tz::Asia::Bangkok);
            assert_eq!(config.default_lang, Lang::En);
            assert_eq!(config.database_url, "sqlite::memory:");
            assert!(config.is_admin(Some(42)) && !config.is_admin(Some(1)) && !config.is_admin(None));
            assert_eq!(config.digest_cron, "*/5 * * * * *");
            Ok(())
        });
    }

    #[test]
    fn bad_values_and_missing_files_are_errors() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("bad.toml", "timezone = \"Mars/Olympus\"")?;
            assert!(matches!(Config::load(Some(Path::new("bad.toml"))), Err(ConfigError::Invalid(_))));
            assert!(matches!(Config::load(Some(Path::new("nope.toml"))), Err(ConfigError::Missing(_))));
            jail.create_file("cron.toml", "digest_cron = \"every morning\"")?;
            let message = Config::load(Some(Path::new("cron.toml"))).unwrap_err().to_string();
            assert!(message.contains("digest_cron") && message.contains("every morning"), "{message}");
            Ok(())
        });
    }
}
