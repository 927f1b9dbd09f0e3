//! Deciding what is owed: for a subscription, the digest, reminders and scheduled report of each
//! slot since it was last planned. Pure: it takes the tasks and `now`, and returns rows for the outbox.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::domain::digest::{owed, reminders};
use crate::domain::lang::Lang;
use crate::domain::report::report as count;
use crate::domain::report_schedule::{ReportEvery, is_report_slot};
use crate::domain::schedule::{Cron, DigestTime, Slots, next_slot, slots_between};
use crate::domain::task::Task;
use crate::render;
use crate::store::{DeliveryKey, DeliveryKind, Planned, PlanningSubscription, SkipReason};

/// The most slots one planning pass looks at per chat; a longer outage continues on the next pass.
pub const MAX_SLOTS_PER_PASS: usize = 64;
/// A message sent more than this after its slot is marked late.
pub const LATE_AFTER: Duration = Duration::minutes(2);

/// What planning needs besides the subscription: the configured defaults.
#[derive(Debug, Clone)]
pub struct PlanContext {
    pub schedule: Cron,
    pub timezone: Tz,
    pub remind_days: Vec<u32>,
    pub grace: Duration,
    pub default_lang: Lang,
}

/// What makes two chats' digests the same text: filter, language, local date, late, and whether
/// the digest is on and wanted when empty.
type DigestKey = (String, Lang, NaiveDate, bool, (bool, bool));

/// Digests and reminders already rendered during one planning pass: thousands of chats with the
/// same filter and language get the same text, which is rendered once.
#[derive(Debug, Default)]
pub struct RenderCache {
    /// The digest, or `None` when none is owed.
    digests: HashMap<DigestKey, Option<String>>,
    /// (filter, language, local date, lead days) → the reminders owed.
    reminders: HashMap<(String, Lang, NaiveDate, Vec<u32>), Vec<RenderedReminder>>,
    /// (filter, language, local date, late, how often) → the scheduled report.
    reports: HashMap<(String, Lang, NaiveDate, bool, ReportEvery), String>,
}

/// A reminder owed, rendered: the task, the lead time, the occurrence's due date, the text.
#[derive(Debug, Clone)]
struct RenderedReminder {
    task_id: i64,
    lead: u32,
    due: NaiveDate,
    body: String,
}

/// The outcome of planning one subscription.
#[derive(Debug, Clone)]
pub struct PlanOutcome {
    pub planned: Vec<Planned>,
    /// Slots up to here are planned.
    pub planned_through: DateTime<Utc>,
    pub next_slot: Option<DateTime<Utc>>,
}

/// The schedule and time zone a chat's messages follow. Reminders go out at the digest time, or
/// on the common schedule when the chat turned its digest off.
pub fn chat_schedule<'a>(sub: &PlanningSubscription, ctx: &'a PlanContext) -> (Slots<'a>, Tz) {
    sub.settings.schedule(ctx.schedule.slots(), ctx.timezone)
}

/// Plans every slot of `sub` after its `planned_through` and up to `now`. A slot older than the
/// grace window (the bot was down) is recorded as skipped; a slot while muted likewise.
pub fn plan_subscription(
    sub: &PlanningSubscription,
    tasks: &[Task],
    now: DateTime<Utc>,
    ctx: &PlanContext,
    cache: &mut RenderCache,
) -> PlanOutcome {
    let (schedule, tz) = chat_schedule(sub, ctx);
    let from = sub.planned_through.unwrap_or(now);
    let slots = slots_between(schedule, tz, from, now, MAX_SLOTS_PER_PASS);
    let mut planned = Vec::new();
    for &slot in &slots {
        let age = now - slot;
        let skipped = if age > ctx.grace {
            Some(SkipReason::Missed)
        } else if sub.settings.is_muted(slot) {
            Some(SkipReason::Muted)
        } else {
            None
        };
        let late = skipped.is_none() && age > LATE_AFTER;
        planned.extend(plan_slot(sub, tasks, slot, (schedule, tz), ctx, late, skipped, cache));
    }
    let planned_through =
        if slots.len() == MAX_SLOTS_PER_PASS { *slots.last().expect("not empty") } else { now.max(from) };
    PlanOutcome { planned, planned_through, next_slot: next_slot(schedule, tz, planned_through) }
}

/// The messages owed to a chat at one slot: its digest (unless off, or empty and not wanted), a
/// reminder for each task whose due date is one of the chat's lead days away, and its scheduled
/// report when the slot is the first of the month (or week). A chat that asked for the report alone
/// gets only that.
#[allow(clippy::too_many_arguments)] // one slot of one chat: each argument is a different fact about it
pub fn plan_slot(
    sub: &PlanningSubscription,
    tasks: &[Task],
    slot: DateTime<Utc>,
    (schedule, tz): (Slots<'_>, Tz),
    ctx: &PlanContext,
    late: bool,
    skipped: Option<SkipReason>,
    cache: &mut RenderCache,
) -> Vec<Planned> {
    let lang = sub.lang.unwrap_or(ctx.default_lang);
    let local = slot.with_timezone(&tz);
    let today = local.date_naive();
    let row = |key: DeliveryKey, kind, body: String| Planned {
        key,
        chat_id: sub.chat_id,
        kind,
        // A skipped row keeps no body: it is a record, not a message.
        body: if skipped.is_some() { String::new() } else { body },
        scheduled_at: slot,
        late,
        skipped,
    };
    let mut out = Vec::new();
    if !sub.report_only {
        digest_and_reminders(sub, tasks, local, lang, ctx, late, cache, &mut |key, kind, body| {
            out.push(row(key, kind, body))
        });
    }
    // After the day's digest: the month's (or week's) report, counted as of the day it is sent.
    if let Some(report) = sub.report.as_ref().filter(|r| is_report_slot(schedule, tz, slot, r.every)) {
        let body = cache.reports.entry((report.filter.clone(), lang, today, late, report.every)).or_insert_with(|| {
            render::report::scheduled(&count(tasks, &report.tasks, today), &report.filter, report.every, late, lang)
        });
        // One per chat and period: a slot planned twice, or a schedule changed mid-month, adds none.
        let key = DeliveryKey::Report { chat_id: sub.chat_id, period: report.every.period_key(today) };
        out.push(row(key, DeliveryKind::Report, body.clone()));
    }
    out
}

/// The digest and reminders of one slot, each handed to `push` as (key, kind, body).
#[allow(clippy::too_many_arguments)] // the slot's facts, as `plan_slot` received them
fn digest_and_reminders(
    sub: &PlanningSubscription,
    tasks: &[Task],
    local: DateTime<Tz>,
    lang: Lang,
    ctx: &PlanContext,
    late: bool,
    cache: &mut RenderCache,
    push: &mut impl FnMut(DeliveryKey, DeliveryKind, String),
) {
    let today = local.date_naive();
    // Chats with the same filter, language, day and wishes get the same text: rendered once.
    let wants = (sub.settings.digest != DigestTime::Off, sub.settings.empty_digest);
    let body = cache.digests.entry((sub.filter.clone(), lang, today, late, wants)).or_insert_with(|| {
        owed(tasks, &sub.filter, today, &sub.settings).map(|content| render::digest(&content, &sub.filter, late, lang))
    });
    if let Some(body) = body {
        let key = DeliveryKey::Digest { chat_id: sub.chat_id, slot: local.fixed_offset() };
        push(key, DeliveryKind::Digest, body.clone());
    }
    let leads = sub.settings.remind_days.clone().unwrap_or_else(|| ctx.remind_days.clone());
    let owed =
        cache.reminders.entry((sub.filter.clone(), lang, today, leads)).or_insert_with_key(|(filter, _, _, leads)| {
            reminders(tasks, filter, leads, today)
                .iter()
                .map(|r| RenderedReminder {
                    task_id: r.listed.task.id,
                    lead: r.lead,
                    due: r.listed.due,
                    body: render::reminder(r, lang),
                })
                .collect()
        });
    for RenderedReminder { task_id, lead, due, body } in owed.iter() {
        // The due date is in the key: a task whose date moves is reminded again for the new date.
        let key = DeliveryKey::Reminder { chat_id: sub.chat_id, task_id: *task_id, lead: *lead, due: *due };
        push(key, DeliveryKind::Reminder, body.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::due::{Due, DuePrecision};
    use crate::domain::report_schedule::ReportSchedule;
    use crate::domain::settings::ChatSettings;
    use crate::domain::task::Status;
    use crate::store::ChatKind;
    use chrono::TimeZone;

    fn utc(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, m, d, h, min, 0).unwrap()
    }

    fn ctx() -> PlanContext {
        PlanContext {
            schedule: "0 0 7 * * *".parse().unwrap(),
            timezone: chrono_tz::Asia::Ho_Chi_Minh,
            remind_days: vec![30, 7, 1, 0],
            grace: Duration::hours(6),
            default_lang: Lang::Vi,
        }
    }

    fn report_only(planned_through: DateTime<Utc>) -> PlanningSubscription {
        PlanningSubscription {
            chat_id: -5,
            kind: ChatKind::Group,
            filter: String::new(),
            lang: None,
            settings: ChatSettings::default(),
            planned_through: Some(planned_through),
            report: Some(ReportSchedule::new(ReportEvery::Month, String::new()).unwrap()),
            report_only: true,
        }
    }

    fn planned(sub: &PlanningSubscription, now: DateTime<Utc>) -> Vec<(String, Option<SkipReason>)> {
        let due = Due { date: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(), precision: DuePrecision::Day };
        let tasks = vec![Task::sample(1, "Việc", "Bộ Công an", due, Status::Open)];
        let outcome = plan_subscription(sub, &tasks, now, &ctx(), &mut RenderCache::default());
        outcome.planned.into_iter().map(|p| (p.key.to_string(), p.skipped)).collect()
    }

    #[test]
    fn a_monthly_report_is_planned_at_the_first_slot_of_the_month_only() {
        // 07:00 in Vietnam is 00:00 UTC: the 1 December slot owes the report, the days around it nothing.
        assert_eq!(planned(&report_only(utc(11, 29, 1, 0)), utc(11, 30, 0, 1)), vec![]);
        assert_eq!(
            planned(&report_only(utc(11, 30, 1, 0)), utc(12, 1, 0, 1)),
            vec![("report:-5:2026-12".into(), None)]
        );
        assert_eq!(planned(&report_only(utc(12, 1, 0, 1)), utc(12, 2, 0, 1)), vec![]);
        let late = planned(&report_only(utc(11, 30, 1, 0)), utc(12, 1, 7, 0));
        assert_eq!(late[0].1, Some(SkipReason::Missed));
    }

    #[test]
    fn a_subscribed_chat_gets_its_digest_and_reminders_then_the_report() {
        let mut sub = report_only(utc(11, 30, 1, 0));
        sub.report_only = false;
        let keys: Vec<String> = planned(&sub, utc(12, 1, 0, 1)).into_iter().map(|(key, _)| key).collect();
        assert!(keys[0].starts_with("digest:-5:2026-12-01"), "{keys:?}");
        assert_eq!(keys.last().map(String::as_str), Some("report:-5:2026-12"), "{keys:?}");
    }
}
