//! Watched sources: the feeds and pages the bot polls, their health, the items seen in them (each
//! read once), and the tasks a new item proposes until they are sent to the admins for review.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

mod items;

use super::codec::{self, timestamp};
use super::dialect::{on_db, on_tx};
use super::{Result, Store, StoreError};
use crate::domain::extract::Proposal;

/// What a source is read as.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum SourceKind {
    Rss,
    Atom,
    /// A listing page: its links matching the source's pattern are the items.
    Html,
}

/// How the last check of a source went.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum CheckStatus {
    Ok,
    NotModified,
    Error,
}

/// What became of an item seen for the first time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum ItemStatus {
    /// Its tasks wait for (or went to) the admins.
    Proposed,
    /// Read, and it holds no dated task.
    NoTasks,
    /// The same document came already from another address.
    Duplicate,
    /// Its page could not be read; its feed's summary was read instead.
    Unreadable,
}

/// A watched source as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchedSource {
    pub id: i64,
    pub url: String,
    pub kind: SourceKind,
    pub name: String,
    pub active: bool,
    pub link_pattern: Option<String>,
    pub note: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub next_check_at: Option<DateTime<Utc>>,
    pub consecutive_errors: u32,
    pub last_status: Option<CheckStatus>,
    pub last_error: Option<String>,
    pub last_checked_at: Option<DateTime<Utc>>,
    pub last_ok_at: Option<DateTime<Utc>>,
    pub last_item_at: Option<DateTime<Utc>>,
    pub items_seen: u32,
    pub max_items: u32,
    pub created_at: DateTime<Utc>,
}

/// A new source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSource {
    pub url: String,
    pub kind: SourceKind,
    pub name: String,
    pub link_pattern: Option<String>,
}

/// What one check of a source found, to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub status: CheckStatus,
    pub error: Option<String>,
    /// The validators to send next time (kept as they were on an error or a 304).
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub next_check_at: DateTime<Utc>,
    pub consecutive_errors: u32,
    /// Items listed this time (on 200).
    pub items_listed: Option<u32>,
    pub new_items: u32,
}

/// An item seen for the first time, to record with what it proposes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem<'a> {
    pub key: &'a str,
    pub url: &'a str,
    pub title: &'a str,
    pub published: Option<NaiveDate>,
    pub document_key: Option<&'a str>,
    pub status: ItemStatus,
    pub error: Option<&'a str>,
    pub proposals: &'a [Proposal],
}

/// An item whose proposals are still to be sent to the admins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingItem {
    pub id: i64,
    pub source_url: String,
    pub source_name: String,
    pub url: String,
    pub title: String,
    pub published: Option<NaiveDate>,
    pub proposals: Vec<Proposal>,
}

/// Where a task saved from a watched item came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemOrigin {
    pub url: String,
    pub title: String,
    pub publisher: String,
    pub published: NaiveDate,
}

#[derive(sqlx::FromRow)]
struct SourceRow {
    id: i64,
    url: String,
    kind: String,
    name: String,
    active: bool,
    link_pattern: Option<String>,
    note: String,
    etag: Option<String>,
    last_modified: Option<String>,
    next_check_at: Option<codec::At>,
    consecutive_errors: i64,
    last_status: Option<String>,
    last_error: Option<String>,
    last_checked_at: Option<codec::At>,
    last_ok_at: Option<codec::At>,
    last_item_at: Option<codec::At>,
    items_seen: i64,
    max_items: i64,
    created_at: codec::At,
}

impl TryFrom<SourceRow> for WatchedSource {
    type Error = StoreError;
    fn try_from(r: SourceRow) -> Result<Self> {
        Ok(Self {
            id: r.id,
            url: r.url,
            kind: codec::parse_enum("source kind", &r.kind)?,
            name: r.name,
            active: r.active,
            link_pattern: r.link_pattern,
            note: r.note,
            etag: r.etag,
            last_modified: r.last_modified,
            next_check_at: r.next_check_at.map(codec::At::get),
            consecutive_errors: u32::try_from(r.consecutive_errors).unwrap_or(0),
            last_status: r.last_status.as_deref().map(|s| codec::parse_enum("check status", s)).transpose()?,
            last_error: r.last_error,
            last_checked_at: r.last_checked_at.map(codec::At::get),
            last_ok_at: r.last_ok_at.map(codec::At::get),
            last_item_at: r.last_item_at.map(codec::At::get),
            items_seen: u32::try_from(r.items_seen).unwrap_or(0),
            max_items: u32::try_from(r.max_items).unwrap_or(0),
            created_at: r.created_at.get(),
        })
    }
}

const SOURCE_COLUMNS: &str = "id, url, kind, name, active, link_pattern, note, etag, last_modified, next_check_at,
    consecutive_errors, last_status, last_error, last_checked_at, last_ok_at, last_item_at, items_seen, max_items,
    created_at";

impl Store {
    /// Adds a source, active; `Err(id)` when its address is watched already.
    #[tracing::instrument(skip_all, err)]
    pub async fn add_watched(&self, source: &NewSource, now: DateTime<Utc>) -> Result<std::result::Result<i64, i64>> {
        let id: Option<i64> = on_db!(self.db(), |db| sqlx::query_scalar(
            "INSERT INTO watched_sources (url, kind, name, link_pattern, created_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT(url) DO NOTHING RETURNING id",
        )
        .bind(&source.url)
        .bind(codec::text(source.kind))
        .bind(&source.name)
        .bind(&source.link_pattern)
        .bind(timestamp(now))
        .fetch_optional(db)
        .await?);
        match id {
            Some(id) => Ok(Ok(id)),
            None => {
                let known: i64 =
                    on_db!(self.db(), |db| sqlx::query_scalar("SELECT id FROM watched_sources WHERE url = $1")
                        .bind(&source.url)
                        .fetch_one(db)
                        .await?);
                Ok(Err(known))
            }
        }
    }

    /// Every watched source, by id.
    pub async fn watched_sources(&self) -> Result<Vec<WatchedSource>> {
        let rows: Vec<SourceRow> = on_db!(self.db(), |db| sqlx::query_as(&format!(
            "SELECT {SOURCE_COLUMNS} FROM watched_sources ORDER BY id"
        ))
        .fetch_all(db)
        .await?);
        rows.into_iter().map(WatchedSource::try_from).collect()
    }

    /// Active sources whose next check has come (all active ones with `force`).
    pub async fn sources_to_check(&self, now: DateTime<Utc>, force: bool) -> Result<Vec<WatchedSource>> {
        let rows: Vec<SourceRow> = on_db!(self.db(), |db| sqlx::query_as(&format!(
            "SELECT {SOURCE_COLUMNS} FROM watched_sources
             WHERE active AND ($1 OR next_check_at IS NULL OR next_check_at <= $2) ORDER BY id"
        ))
        .bind(force)
        .bind(timestamp(now))
        .fetch_all(db)
        .await?);
        rows.into_iter().map(WatchedSource::try_from).collect()
    }

    /// Turns a source on or off; false when there is no such source. Turned on, it is checked at
    /// the next poll.
    pub async fn set_watched_active(&self, id: i64, active: bool) -> Result<bool> {
        let done = on_db!(self.db(), |db| sqlx::query(
            "UPDATE watched_sources SET active = $1, next_check_at = CASE WHEN $2 THEN NULL ELSE next_check_at END
             WHERE id = $3",
        )
        .bind(active)
        .bind(active)
        .bind(id)
        .execute(db)
        .await?
        .rows_affected());
        Ok(done == 1)
    }

    /// Removes a source and what was seen in it; the tasks already saved from it stay.
    pub async fn remove_watched(&self, id: i64) -> Result<bool> {
        let mut tx = self.write().await?;
        on_tx!(&mut tx, |c| sqlx::query(
            "UPDATE import_drafts SET source_item_id = NULL
             WHERE source_item_id IN (SELECT id FROM watched_items WHERE source_id = $1)",
        )
        .bind(id)
        .execute(c)
        .await?
        .rows_affected());
        let done = on_tx!(&mut tx, |c| sqlx::query("DELETE FROM watched_sources WHERE id = $1")
            .bind(id)
            .execute(c)
            .await?
            .rows_affected());
        tx.commit().await?;
        Ok(done == 1)
    }

    /// Records one check's outcome.
    pub async fn record_check(&self, id: i64, check: &Check, now: DateTime<Utc>) -> Result<()> {
        let ok = check.status != CheckStatus::Error;
        on_db!(self.db(), |db| {
            sqlx::query(
            "UPDATE watched_sources SET last_status = $1, last_error = $2, etag = $3, last_modified = $4, next_check_at = $5,
                 consecutive_errors = $6, last_checked_at = $7,
                 last_ok_at = CASE WHEN $8 THEN $9 ELSE last_ok_at END,
                 last_item_at = CASE WHEN $10 > 0 THEN $11 ELSE last_item_at END,
                 items_seen = items_seen + $12,
                 max_items = CASE WHEN COALESCE($13, 0) > max_items THEN COALESCE($13, 0) ELSE max_items END
             WHERE id = $14",
        )
        .bind(codec::text(check.status))
        .bind(&check.error)
        .bind(&check.etag)
        .bind(&check.last_modified)
        .bind(timestamp(check.next_check_at))
        .bind(i64::from(check.consecutive_errors))
        .bind(timestamp(now))
        .bind(ok)
        .bind(timestamp(now))
        .bind(i64::from(check.new_items))
        .bind(timestamp(now))
        .bind(i64::from(check.new_items))
        .bind(check.items_listed.map(i64::from))
        .bind(id)
        .execute(db)
        .await?.rows_affected()
        });
        Ok(())
    }

    /// Active sources that failed, or brought no new item, for `days`: the admins hear of them.
    pub async fn unwell_sources(&self, now: DateTime<Utc>, days: i64) -> Result<Vec<WatchedSource>> {
        let since = now - Duration::days(days);
        Ok(self
            .watched_sources()
            .await?
            .into_iter()
            .filter(|s| s.active && s.created_at <= since)
            .filter(|s| s.last_ok_at.is_none_or(|t| t <= since) || s.last_item_at.is_none_or(|t| t <= since))
            .collect())
    }

    /// Claims the day's note about unwell sources: true once a day.
    pub async fn claim_health_note(&self, day: NaiveDate) -> Result<bool> {
        let done = on_db!(self.db(), |db| sqlx::query(
            "INSERT INTO watched_health_notes (day) VALUES ($1) ON CONFLICT(day) DO NOTHING"
        )
        .bind(codec::date(day))
        .execute(db)
        .await?
        .rows_affected());
        Ok(done == 1)
    }
}
