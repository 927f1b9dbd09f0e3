//! A chat's settings, and reading the arguments of the commands that change them.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use chrono_tz::Tz;

use super::fold::fold;
use super::schedule::{DigestTime, Slots};

/// Everything a chat can set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatSettings {
    pub digest: DigestTime,
    /// `None`: the configured time zone.
    pub timezone: Option<Tz>,
    /// Days before each due date to send a reminder, largest first; `None`: the configured days.
    pub remind_days: Option<Vec<u32>>,
    pub muted_until: Option<DateTime<Utc>>,
    /// Send a digest even when nothing is due or overdue.
    pub empty_digest: bool,
}

impl Default for ChatSettings {
    fn default() -> Self {
        Self { digest: DigestTime::Default, timezone: None, remind_days: None, muted_until: None, empty_digest: false }
    }
}

impl ChatSettings {
    /// The schedule and time zone the chat's messages follow: its own digest time, else (also
    /// when it turned its digest off, for reminders and reports) the configured `default`.
    pub fn schedule<'a>(&self, default: Slots<'a>, default_tz: Tz) -> (Slots<'a>, Tz) {
        let tz = self.timezone.unwrap_or(default_tz);
        let slots = match self.digest {
            DigestTime::At(time) => Slots::Daily(time),
            DigestTime::Default | DigestTime::Off => default,
        };
        (slots, tz)
    }

    pub fn is_muted(&self, at: DateTime<Utc>) -> bool {
        self.muted_until.is_some_and(|until| at < until)
    }
}

/// Why a setting was refused; the handler turns it into a sentence naming what is allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingError {
    DigestTime,
    Timezone,
    RemindDays,
    MuteDays,
}

/// The most reminders a chat may ask for per task, and the furthest ahead.
pub const MAX_REMINDERS: usize = 10;
pub const MAX_LEAD_DAYS: u32 = 365;
pub const MAX_MUTE_DAYS: i64 = 365;

/// What `/digest` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DigestChange {
    Time(DigestTime),
    Empty(bool),
}

/// `/digest 07:30`, `/digest off`, `/digest default`, `/digest empty on|off`.
pub fn parse_digest(arg: &str) -> Result<DigestChange, SettingError> {
    let folded = fold(arg.trim());
    let words: Vec<&str> = folded.split_whitespace().collect();
    match words.as_slice() {
        ["off"] | ["tat"] | ["khong"] => Ok(DigestChange::Time(DigestTime::Off)),
        ["default"] | ["mac", "dinh"] | ["on"] | ["bat"] => Ok(DigestChange::Time(DigestTime::Default)),
        ["empty", toggle] | ["trong", toggle] => match *toggle {
            "on" | "bat" | "co" => Ok(DigestChange::Empty(true)),
            "off" | "tat" | "khong" => Ok(DigestChange::Empty(false)),
            _ => Err(SettingError::DigestTime),
        },
        [time] => {
            let normalized = time.replace(['h', '.'], ":");
            let normalized = if normalized.ends_with(':') { format!("{normalized}00") } else { normalized };
            NaiveTime::parse_from_str(&normalized, "%H:%M")
                .map(|t| DigestChange::Time(DigestTime::At(t)))
                .map_err(|_| SettingError::DigestTime)
        }
        _ => Err(SettingError::DigestTime),
    }
}

/// `/timezone Asia/Ho_Chi_Minh` (any IANA name, case as written or not).
pub fn parse_timezone(arg: &str) -> Result<Tz, SettingError> {
    let name = arg.trim();
    name.parse::<Tz>()
        .or_else(|_| chrono_tz::TZ_VARIANTS.iter().find(|tz| tz.name().eq_ignore_ascii_case(name)).copied().ok_or(()))
        .map_err(|_| SettingError::Timezone)
}

/// `/remind 30,7,1,0`: distinct lead days, largest first.
pub fn parse_remind_days(arg: &str) -> Result<Vec<u32>, SettingError> {
    let mut days: Vec<u32> = arg
        .split([',', ' ', ';'])
        .filter(|p| !p.trim().is_empty())
        .map(|p| p.trim().parse::<u32>().map_err(|_| SettingError::RemindDays))
        .collect::<Result<_, _>>()?;
    days.sort_unstable_by(|a, b| b.cmp(a));
    days.dedup();
    if days.is_empty() || days.len() > MAX_REMINDERS || days[0] > MAX_LEAD_DAYS {
        return Err(SettingError::RemindDays);
    }
    Ok(days)
}

/// `/mute 3` (days; `0` or `off` unmutes): the moment notifications resume, or `None`.
pub fn parse_mute(arg: &str, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, SettingError> {
    let folded = fold(arg.trim());
    if matches!(folded.as_str(), "0" | "off" | "tat" | "huy") {
        return Ok(None);
    }
    let days: i64 = folded.parse().map_err(|_| SettingError::MuteDays)?;
    if !(1..=MAX_MUTE_DAYS).contains(&days) {
        return Err(SettingError::MuteDays);
    }
    Ok(Some(now + Duration::days(days)))
}

/// "30,7,1,0" as stored.
pub fn format_days(days: &[u32]) -> String {
    days.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_times_and_switches() {
        let at = |h, m| Ok(DigestChange::Time(DigestTime::At(NaiveTime::from_hms_opt(h, m, 0).unwrap())));
        assert_eq!(parse_digest("07:30"), at(7, 30));
        assert_eq!(parse_digest("7:05"), at(7, 5));
        assert_eq!(parse_digest("7h30"), at(7, 30));
        assert_eq!(parse_digest("7h"), at(7, 0));
        assert_eq!(parse_digest("tắt"), Ok(DigestChange::Time(DigestTime::Off)));
        assert_eq!(parse_digest("mặc định"), Ok(DigestChange::Time(DigestTime::Default)));
        assert_eq!(parse_digest("empty on"), Ok(DigestChange::Empty(true)));
        for bad in ["", "25:00", "7:61", "sáng mai", "empty maybe"] {
            assert_eq!(parse_digest(bad), Err(SettingError::DigestTime), "{bad}");
        }
    }

    #[test]
    fn time_zones_are_iana_names() {
        assert_eq!(parse_timezone("Asia/Bangkok"), Ok(chrono_tz::Asia::Bangkok));
        assert_eq!(parse_timezone("asia/ho_chi_minh"), Ok(chrono_tz::Asia::Ho_Chi_Minh));
        assert_eq!(parse_timezone("Hanoi"), Err(SettingError::Timezone));
        assert_eq!(parse_timezone("'; DROP TABLE chats; --"), Err(SettingError::Timezone));
    }

    #[test]
    fn reminder_days_are_checked_and_ordered() {
        assert_eq!(parse_remind_days("30,7,1,0"), Ok(vec![30, 7, 1, 0]));
        assert_eq!(parse_remind_days("1, 7 7 30"), Ok(vec![30, 7, 1]));
        for bad in ["", "-1", "a,b", "400", "1,2,3,4,5,6,7,8,9,10,11"] {
            assert_eq!(parse_remind_days(bad), Err(SettingError::RemindDays), "{bad}");
        }
    }

    #[test]
    fn muting_counts_days_from_now() {
        let now = DateTime::parse_from_rfc3339("2025-06-02T00:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(parse_mute("3", now), Ok(Some(now + Duration::days(3))));
        assert_eq!(parse_mute("off", now), Ok(None));
        assert_eq!(parse_mute("0", now), Ok(None));
        for bad in ["-2", "999", "mai"] {
            assert_eq!(parse_mute(bad, now), Err(SettingError::MuteDays), "{bad}");
        }
        let settings = ChatSettings { muted_until: Some(now + Duration::days(1)), ..ChatSettings::default() };
        assert!(settings.is_muted(now) && !settings.is_muted(now + Duration::days(2)));
    }
}
