//! What the configuration refuses: keys it does not know (with the nearest one it does), a digest
//! schedule that never fires, a database it cannot use, and numbers outside what the bot can honour.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use figment::value::Value;

use super::{Config, ConfigError};
use crate::domain::schedule::next_slot;
use crate::domain::settings::{MAX_LEAD_DAYS, MAX_REMINDERS};

/// The prefix of the environment variables that set configuration keys.
pub const ENV_PREFIX: &str = "HANCHOT_";

/// Variables under [`ENV_PREFIX`] that belong to the benchmark and the tests (the PostgreSQL server
/// they use), not to the configuration.
const NOT_CONFIG_PREFIXES: &[&str] = &["BENCH_", "TEST_"];

/// A schedule whose next slot is further away than this is taken for one that never fires.
const HORIZON_YEARS: i64 = 10;

/// Telegram's overall limit for a bot that does not pay for broadcasts.
pub const FREE_PER_SECOND: u32 = 30;

/// Bounds of the numeric keys, inclusive: below them nothing is sent; above them Telegram refuses.
const MAX_PER_SECOND: (u32, u32) = (1, FREE_PER_SECOND);
/// With paid broadcasts, Telegram lets a bot send up to 1,000 messages a second.
const MAX_PER_SECOND_PAID: (u32, u32) = (1, 1000);
const MAX_PER_CHAT_PER_SECOND: (u32, u32) = (1, 100);
const MAX_PER_GROUP_PER_MINUTE: (u32, u32) = (1, 6000);
/// A week: a message older than that is news no more.
const GRACE_HOURS: (u32, u32) = (0, 168);
/// At least two days, so a row is never pruned while a slot within the grace window could plan it again.
const OUTBOX_KEEP_DAYS: (u32, u32) = (2, 3650);
/// From a second (tests) to a day: a source checked less often is not watched.
const SOURCE_POLL_SECONDS: (u32, u32) = (1, 86_400);

/// Where a key came from, for a message that says where to look.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    File(&'a std::path::Path),
    Environment,
}

/// The names of every configuration key, from the struct itself so the list never drifts.
fn known_keys() -> BTreeSet<String> {
    match Value::serialize(Config::default()) {
        Ok(Value::Dict(_, dict)) => dict.into_keys().collect(),
        _ => unreachable!("Config serializes to a dictionary"),
    }
}

/// The known key nearest to `unknown` by edit distance.
fn nearest<'a>(unknown: &str, known: &'a BTreeSet<String>) -> &'a str {
    known
        .iter()
        .map(|k| (strsim::normalized_damerau_levenshtein(unknown, k), k))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k.as_str())
        .unwrap_or_default()
}

/// Refuses the first of `keys` (lower case, as read) that is not a configuration key.
pub fn refuse_unknown<'k>(keys: impl IntoIterator<Item = &'k str>, source: Source<'_>) -> Result<(), ConfigError> {
    let known = known_keys();
    for key in keys {
        if source_ignores(key, source) || known.contains(key) {
            continue;
        }
        let suggestion = nearest(key, &known);
        let message = match source {
            Source::File(path) => {
                format!("unknown key `{key}` in {}; did you mean `{suggestion}`?", path.display())
            }
            Source::Environment => format!(
                "unknown environment variable {ENV_PREFIX}{}; did you mean {ENV_PREFIX}{}?",
                key.to_uppercase(),
                suggestion.to_uppercase()
            ),
        };
        return Err(ConfigError::Value(message));
    }
    Ok(())
}

fn source_ignores(key: &str, source: Source<'_>) -> bool {
    matches!(source, Source::Environment) && NOT_CONFIG_PREFIXES.iter().any(|p| key.to_uppercase().starts_with(p))
}

fn bounded(key: &str, value: u32, (low, high): (u32, u32)) -> Result<(), ConfigError> {
    if (low..=high).contains(&value) {
        Ok(())
    } else {
        Err(ConfigError::Value(format!("{key} = {value} is out of range: it must be from {low} to {high}")))
    }
}

/// The checks that need no clock (the cron's syntax was checked as it was read): reminder days, numbers.
pub fn values(config: &Config) -> Result<(), ConfigError> {
    config.database_url.parse::<super::DatabaseUrl>().map_err(|e| ConfigError::Value(e.to_string()))?;
    let days = &config.remind_days;
    if days.len() > MAX_REMINDERS || days.iter().any(|d| *d > MAX_LEAD_DAYS) {
        return Err(ConfigError::Value(format!(
            "remind_days = {days:?}: at most {MAX_REMINDERS} numbers, each from 0 to {MAX_LEAD_DAYS} (as /remind takes them)"
        )));
    }
    if config.paid_broadcast {
        bounded("max_per_second", config.max_per_second, MAX_PER_SECOND_PAID)?;
    } else if config.max_per_second > FREE_PER_SECOND {
        return Err(ConfigError::Value(format!(
            "max_per_second = {} is above Telegram's free limit of {FREE_PER_SECOND} a second: lower it, or set \
             paid_broadcast = true (digests and reminders then cost Telegram Stars; see the README)",
            config.max_per_second
        )));
    } else {
        bounded("max_per_second", config.max_per_second, MAX_PER_SECOND)?;
    }
    bounded("max_per_chat_per_second", config.max_per_chat_per_second, MAX_PER_CHAT_PER_SECOND)?;
    bounded("max_per_group_per_minute", config.max_per_group_per_minute, MAX_PER_GROUP_PER_MINUTE)?;
    bounded("grace_hours", config.grace_hours, GRACE_HOURS)?;
    bounded("outbox_keep_days", config.outbox_keep_days, OUTBOX_KEEP_DAYS)?;
    bounded("source_poll_seconds", config.source_poll_seconds, SOURCE_POLL_SECONDS)
}

/// Refuses a digest schedule with no slot in the [`HORIZON_YEARS`] after `now` (`0 0 7 31 2 *`,
/// a year already past): the bot would run and never send a digest.
pub fn fires(config: &Config, now: DateTime<Utc>) -> Result<(), ConfigError> {
    match next_slot(config.digest_cron.slots(), config.timezone, now) {
        Some(next) if next <= now + Duration::days(365 * HORIZON_YEARS) => Ok(()),
        _ => Err(ConfigError::Value(format!(
            "digest_cron = \"{}\" never fires (no time in the next {HORIZON_YEARS} years): no digest would ever go out",
            config.digest_cron
        ))),
    }
}

#[cfg(test)]
#[allow(clippy::result_large_err)] // figment::Jail's closures return figment::Error.
mod tests {
    use std::path::Path;

    use chrono::TimeZone;

    use super::*;

    fn refusal(file: &str, text: &str) -> String {
        let mut message = String::new();
        figment::Jail::expect_with(|jail| {
            jail.create_file(file, text)?;
            message = Config::load(Some(Path::new(file))).expect_err("refused").to_string();
            Ok(())
        });
        message
    }

    #[test]
    fn an_unknown_key_in_the_file_is_named_with_the_nearest_one() {
        let message = refusal("bot.toml", "digest_crn = \"0 0 8 * * *\"");
        assert!(message.contains("`digest_crn`") && message.contains("did you mean `digest_cron`"), "{message}");
        assert!(message.contains("bot.toml"), "{message}");
        let message = refusal("bot.toml", "tmezone = \"Asia/Bangkok\"");
        assert!(message.contains("`tmezone`") && message.contains("`timezone`"), "{message}");
    }

    #[test]
    fn an_unknown_environment_variable_is_named_with_the_nearest_one() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("HANCHOT_TMEZONE", "Asia/Bangkok");
            let message = Config::load(None).expect_err("refused").to_string();
            assert!(
                message.contains("HANCHOT_TMEZONE") && message.contains("did you mean HANCHOT_TIMEZONE"),
                "{message}"
            );
            Ok(())
        });
        figment::Jail::expect_with(|jail| {
            jail.set_env("HANCHOT_BENCH_RUNS", "10");
            jail.set_env("HANCHOT_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres");
            jail.set_env("HANCHOT_GRACE_HOURS", "12");
            assert_eq!(
                Config::load(None).expect("the benchmark's and tests' variables are not config").grace_hours,
                12
            );
            Ok(())
        });
    }

    #[test]
    fn reminder_days_are_limited_as_remind_limits_them() {
        let message = refusal("bot.toml", "remind_days = [100000]");
        assert!(message.contains("remind_days") && message.contains("0 to 365"), "{message}");
        let eleven: Vec<String> = (0..11).map(|d| d.to_string()).collect();
        let message = refusal("bot.toml", &format!("remind_days = [{}]", eleven.join(", ")));
        assert!(message.contains("at most 10"), "{message}");
    }

    #[test]
    fn every_number_is_bounded() {
        for (key, bad, range) in [
            ("max_per_second", 0, "from 1 to 30"),
            ("max_per_chat_per_second", 0, "from 1 to 100"),
            ("max_per_group_per_minute", 100_000, "from 1 to 6000"),
            ("grace_hours", 1000, "from 0 to 168"),
            ("outbox_keep_days", 1, "from 2 to 3650"),
            ("source_poll_seconds", 0, "from 1 to 86400"),
        ] {
            let message = refusal("bot.toml", &format!("{key} = {bad}"));
            assert!(message.contains(&format!("{key} = {bad}")) && message.contains(range), "{message}");
        }
    }

    #[test]
    fn more_than_the_free_limit_needs_paid_broadcasts_and_at_most_1000() {
        let message = refusal("bot.toml", "max_per_second = 300");
        assert!(message.contains("max_per_second = 300") && message.contains("paid_broadcast = true"), "{message}");
        let message = refusal("bot.toml", "paid_broadcast = true\nmax_per_second = 1001");
        assert!(message.contains("max_per_second = 1001") && message.contains("from 1 to 1000"), "{message}");
        figment::Jail::expect_with(|jail| {
            jail.create_file("paid.toml", "paid_broadcast = true\nmax_per_second = 1000")?;
            let config = Config::load(Some(Path::new("paid.toml"))).expect("1000/s with paid broadcasts");
            assert!(config.paid_broadcast && config.max_per_second == 1000);
            Ok(())
        });
    }

    #[test]
    fn a_schedule_that_never_fires_is_refused() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap();
        for cron in ["0 0 7 31 2 *", "0 0 7 * * * 2020"] {
            let config = Config { digest_cron: cron.parse().unwrap(), ..Config::default() };
            let message = config.check_schedule_fires(now).expect_err(cron).to_string();
            assert!(message.contains("digest_cron") && message.contains("never fires"), "{message}");
        }
        for cron in ["0 0 7 * * *", "0 0 7 29 2 *", "0 0 7 * * * 2030"] {
            let config = Config { digest_cron: cron.parse().unwrap(), ..Config::default() };
            assert!(config.check_schedule_fires(now).is_ok(), "{cron}");
        }
    }
}
