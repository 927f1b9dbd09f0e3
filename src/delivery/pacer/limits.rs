//! Telegram's limits as the pacer spaces sends by them: the global slot, the free share of a paid
//! broadcast, the most let out in a second, and the space between two messages to one chat.

use std::time::Duration;

use crate::config::FREE_PER_SECOND;

/// Telegram's limits, from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub per_second: u32,
    pub per_chat_per_second: u32,
    pub per_group_per_minute: u32,
    /// Broadcasts are paid for (`allow_paid_broadcast`): they may use all of `per_second`, while
    /// replies, which are not paid for, keep within Telegram's free limit.
    pub paid_broadcast: bool,
}

/// The time between two global slots: one second over one short of `per_second`, and 1% slower;
/// at high rates at least 4% slower, as requests reach Telegram up to some tens of milliseconds
/// later than their slot on a busy machine, and at 1,000 a second 1% is only 10 ms of that (2.5%
/// still drew 9 × 429 in 100,000 sends, see BENCHMARKS.md).
fn interval_for(per_second: u32) -> Duration {
    let one_short = Duration::from_secs(1).mul_f64(1.01) / per_second.saturating_sub(1).max(1);
    let jitter_room = Duration::from_secs(1).mul_f64(1.04) / per_second.max(1);
    one_short.max(jitter_room)
}

/// How far below a chat's limit the bot paces itself: requests do not arrive exactly as spaced
/// (the network and a busy machine shift them by tens of milliseconds), and one that arrives early
/// is a 429. See BENCHMARKS.md for the pace reached.
const PACING_MARGIN: f64 = 1.03;

impl Limits {
    /// Slots are planned one short of the limit each second (and 1% slower): a slot handed out
    /// late by a busy machine is not made up for by the next, but it can land in the next second's
    /// window, which then must have room for it.
    pub(super) fn global_interval(&self) -> Duration {
        interval_for(self.per_second)
    }

    /// With paid broadcasts, replies are spaced to stay within the free limit on their own.
    pub(super) fn free_interval(&self) -> Option<Duration> {
        (self.paid_broadcast && self.per_second > FREE_PER_SECOND).then(|| interval_for(FREE_PER_SECOND))
    }

    /// What unpaid messages may use: all of it, unless broadcasts are paid for.
    pub(super) fn free_limit(&self) -> u32 {
        if self.paid_broadcast { self.per_second.min(FREE_PER_SECOND) } else { self.per_second }
    }

    /// The most requests let out in any second for a limit: one short, and 3% under, so that
    /// requests held up together (a write that waited for a checkpoint, a busy machine) and let
    /// out at once still leave room for some 30 ms of unevenness on the way to Telegram.
    pub(super) fn wire_cap(&self, limit: u32) -> usize {
        let limit = limit.max(2) as usize;
        (limit - 1).min(limit * 97 / 100).max(1)
    }

    /// How many slots may be handed out back to back to catch up after a late wake-up: a slot is
    /// never earlier than its planned time, so catching up up to 1% of a second late keeps any
    /// second's window within the limit (at 30/s, one slot: no catching up; at 1,000/s, ten, as
    /// the timer's 1 ms resolution makes most wake-ups later than one 1 ms interval).
    pub(super) fn catch_up(&self) -> u32 {
        (self.per_second / 100).max(1)
    }

    /// The least time between two messages to one chat. Group and channel ids are negative.
    pub fn chat_interval(&self, chat_id: i64) -> Duration {
        let interval = if chat_id < 0 {
            Duration::from_secs(60) / self.per_group_per_minute.max(1)
        } else {
            Duration::from_secs(1) / self.per_chat_per_second.max(1)
        };
        interval.mul_f64(PACING_MARGIN)
    }
}
