//! Subscriptions as planning reads them, and a chat's scheduled report (`/report monthly`), which
//! is planned through its subscription.

use chrono::{DateTime, Utc};

use super::chats::{ChatKind, SettingsRow};
use super::codec::{self, Corrupt, timestamp};
use super::dialect::on_db;
use super::{Result, Store};
use crate::domain::lang::Lang;
use crate::domain::report_schedule::{ReportChange, ReportSchedule};
use crate::domain::settings::ChatSettings;

/// An active subscription, with what planning its messages needs.
#[derive(Debug, Clone)]
pub struct PlanningSubscription {
    pub chat_id: i64,
    pub kind: ChatKind,
    pub filter: String,
    pub lang: Option<Lang>,
    pub settings: ChatSettings,
    /// Slots up to here are planned.
    pub planned_through: Option<DateTime<Utc>>,
    /// The report the chat gets on a schedule, if it asked for one.
    pub report: Option<ReportSchedule>,
    /// The chat asked for the report alone: no digest, no reminders.
    pub report_only: bool,
}

#[derive(sqlx::FromRow)]
struct PlanningRow {
    chat_id: i64,
    kind: String,
    filter: String,
    lang: Option<String>,
    planned_through: Option<codec::At>,
    #[sqlx(flatten)]
    report: ReportRow,
    #[sqlx(flatten)]
    settings: SettingsRow,
}

#[derive(sqlx::FromRow)]
struct ReportRow {
    report_every: Option<String>,
    report_filter: String,
    report_only: bool,
}

impl ReportRow {
    fn schedule(&self) -> Result<Option<ReportSchedule>, Corrupt> {
        let every = self.report_every.as_deref().map(|e| codec::parse_enum("report schedule", e)).transpose()?;
        Ok(every.and_then(|every| match ReportSchedule::new(every, self.report_filter.clone()) {
            Ok(schedule) => Some(schedule),
            // It read when it was set; one that no longer does sends no report rather than one on every task.
            Err(error) => {
                tracing::error!(filter = %self.report_filter, ?error, "a stored report filter does not read: no report");
                None
            }
        }))
    }
}

/// A chat's subscription to digests and reminders, and its scheduled report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub chat_id: i64,
    /// Owner or keyword the chat follows; empty for every task.
    pub filter: String,
    pub active: bool,
    pub report: Option<ReportSchedule>,
    /// Subscribed for the scheduled report alone: no digest, no reminders.
    pub report_only: bool,
}

impl Store {
    /// Turns a chat's scheduled report on (`Some`) or off (`None`). A chat without an active
    /// subscription is subscribed for the report alone; turning that off ends the subscription.
    #[tracing::instrument(skip_all, err)]
    pub async fn set_report(
        &self,
        chat_id: i64,
        kind: ChatKind,
        report: Option<&ReportSchedule>,
        now: DateTime<Utc>,
    ) -> Result<ReportChange> {
        let _ring = self.ring_when_done();
        let current = self.subscription(chat_id).await?.filter(|s| s.active);
        let Some(report) = report else {
            return Ok(match current {
                Some(sub) if sub.report.is_some() && sub.report_only => {
                    self.deactivate(chat_id, None, now).await?;
                    ReportChange::OffAlone
                }
                Some(sub) if sub.report.is_some() => {
                    on_db!(self.db(), |db| sqlx::query(
                        "UPDATE subscriptions SET report_every = NULL, report_filter = '', updated_at = $1
                         WHERE chat_id = $2",
                    )
                    .bind(timestamp(now))
                    .bind(chat_id)
                    .execute(db)
                    .await?
                    .rows_affected());
                    ReportChange::Off
                }
                _ => ReportChange::WasOff,
            });
        };
        let every = codec::text(report.every);
        if current.is_some() {
            on_db!(self.db(), |db| sqlx::query(
                "UPDATE subscriptions SET report_every = $1, report_filter = $2, updated_at = $3 WHERE chat_id = $4",
            )
            .bind(every)
            .bind(&report.filter)
            .bind(timestamp(now))
            .bind(chat_id)
            .execute(db)
            .await?
            .rows_affected());
            return Ok(ReportChange::On);
        }
        // Not subscribed: subscribed for the report alone, from now on (nothing before is owed).
        self.subscribe(chat_id, kind, "", now).await?;
        on_db!(self.db(), |db| sqlx::query(
            "UPDATE subscriptions SET report_every = $1, report_filter = $2, report_only = TRUE, updated_at = $3
             WHERE chat_id = $4",
        )
        .bind(every)
        .bind(&report.filter)
        .bind(timestamp(now))
        .bind(chat_id)
        .execute(db)
        .await?
        .rows_affected());
        Ok(ReportChange::OnAlone)
    }

    /// Up to `limit` active subscriptions whose slot has come by `now` (or not yet scheduled), with
    /// chat ids above `after`, in chat id order: planning reads them a page at a time.
    pub async fn due_subscriptions(
        &self,
        now: DateTime<Utc>,
        after: i64,
        limit: i64,
    ) -> Result<Vec<PlanningSubscription>> {
        self.planning_rows(
            // The chats from the same id too: else PostgreSQL's merge join reads them from the
            // first at every page (28 ms a page of 1,000 at 100,000 chats, 1 ms with it).
            "AND (s.next_slot_at IS NULL OR s.next_slot_at <= $1) AND s.chat_id > $2 AND c.chat_id > $2
             ORDER BY s.chat_id LIMIT $3",
            Some((now, after, limit)),
        )
        .await
    }

    /// Every active subscription.
    pub async fn active_subscriptions(&self) -> Result<Vec<PlanningSubscription>> {
        self.planning_rows("ORDER BY s.chat_id", None).await
    }

    async fn planning_rows(
        &self,
        condition: &str,
        page: Option<(DateTime<Utc>, i64, i64)>,
    ) -> Result<Vec<PlanningSubscription>> {
        // SQLite walks the chat ids in order (the primary key) rather than take every due row
        // from the `subscriptions_due` index and sort them again for each page.
        let active = format!("{} = TRUE", self.dialect().unindexed("s.active"));
        let sql = format!(
            "SELECT s.chat_id, c.kind, s.filter, c.lang, s.planned_through, s.report_every, s.report_filter,
                    s.report_only, c.digest_time, c.digest_off, c.timezone, c.remind_days, c.muted_until,
                    c.empty_digest
             FROM subscriptions s JOIN chats c ON c.chat_id = s.chat_id
             WHERE {active} {condition}"
        );
        let rows: Vec<PlanningRow> = on_db!(self.db(), |db| {
            let mut query = sqlx::query_as(&sql);
            if let Some((now, after, limit)) = page {
                query = query.bind(timestamp(now)).bind(after).bind(limit);
            }
            query.fetch_all(db).await?
        });
        rows.into_iter()
            .map(|row| {
                Ok(PlanningSubscription {
                    chat_id: row.chat_id,
                    kind: codec::parse_enum("chat kind", &row.kind)?,
                    filter: row.filter,
                    lang: row.lang.as_deref().map(|l| codec::parse_enum("chat language", l)).transpose()?,
                    planned_through: row.planned_through.map(codec::At::get),
                    report: row.report.schedule()?,
                    report_only: row.report.report_only,
                    settings: row.settings.into_settings()?,
                })
            })
            .collect()
    }

    pub async fn subscription(&self, chat_id: i64) -> Result<Option<Subscription>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            chat_id: i64,
            filter: String,
            active: bool,
            #[sqlx(flatten)]
            report: ReportRow,
        }
        let row: Option<Row> = on_db!(self.db(), |db| sqlx::query_as(
            "SELECT chat_id, filter, active, report_every, report_filter, report_only FROM subscriptions
             WHERE chat_id = $1",
        )
        .bind(chat_id)
        .fetch_optional(db)
        .await?);
        row.map(|row| {
            Ok(Subscription {
                chat_id: row.chat_id,
                filter: row.filter,
                active: row.active,
                report: row.report.schedule()?,
                report_only: row.report.report_only,
            })
        })
        .transpose()
    }
}
