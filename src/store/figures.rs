//! Storing the figures a reviewer approved from an imported text: one source row for the text,
//! one observation per figure, the same figure never twice.

use chrono::NaiveDate;

use super::codec;
use super::dialect::on_tx;
use super::{Result, Store, StoreError};
use crate::domain::figures::FigureProposal;

impl Store {
    /// Stores `figures` read from the text `name` (published on `published`), under a source of
    /// its own. Returns how many were new.
    pub async fn add_imported_figures(
        &self,
        name: &str,
        published: NaiveDate,
        figures: &[FigureProposal],
    ) -> Result<usize> {
        let mut tx = self.write().await?;
        let key = format!("import:{published}:{name}");
        on_tx!(&mut tx, |c| sqlx::query(
            "INSERT INTO sources (key, title, publisher, published, seed_file) VALUES ($1, $2, '', $3, '')
             ON CONFLICT(key) DO NOTHING",
        )
        .bind(&key)
        .bind(name)
        .bind(codec::date(published))
        .execute(c)
        .await?
        .rows_affected());
        let source_id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar("SELECT id FROM sources WHERE key = $1")
            .bind(&key)
            .fetch_one(c)
            .await?);
        let mut added = 0;
        for figure in figures {
            let metric_id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar("SELECT id FROM metrics WHERE key = $1")
                .bind(&figure.metric)
                .fetch_optional(c)
                .await?)
            .ok_or_else(|| StoreError::Seed(format!("unknown metric {:?}", figure.metric)))?;
            let period = figure.period.to_string();
            let known: i64 = on_tx!(&mut tx, |c| {
                sqlx::query_scalar(
                "SELECT COUNT(*) FROM observations WHERE metric_id = $1 AND source_id = $2 AND value = $3 AND period = $4",
            )
            .bind(metric_id)
            .bind(source_id)
            .bind(figure.value)
            .bind(&period)
            .fetch_one(c)
            .await?
            });
            if known > 0 {
                continue;
            }
            on_tx!(&mut tx, |c| sqlx::query(
                "INSERT INTO observations (metric_id, value, out_of, period, kind, qualifier, scope, source_id)
                 VALUES ($1, $2, $3, $4, $5, $6, '', $7)",
            )
            .bind(metric_id)
            .bind(figure.value)
            .bind(figure.out_of)
            .bind(&period)
            .bind(codec::text(figure.kind))
            .bind(figure.qualifier.map(codec::text))
            .bind(source_id)
            .execute(c)
            .await?
            .rows_affected());
            added += 1;
        }
        tx.commit().await?;
        Ok(added)
    }
}
