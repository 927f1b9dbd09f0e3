//! One row on the wire: its parts sent in its chat's turns, and each of Telegram's answers handled
//! (a 429 waited or put back, a migration followed, a chat gone, a 5xx retried), then the row
//! recorded, retried while the database fails.

use super::*;

impl<T: Transport> Sender<T> {
    /// Sends every part of a row not yet sent, handling Telegram's errors. The row is claimed when
    /// its first turn comes; every later attempt renews the claim.
    pub(super) async fn send_row(
        &self,
        row: OutboxRow,
        parts: &[String],
        chat_id: &mut i64,
        stop: &watch::Receiver<bool>,
    ) -> Result<Outcome, StoreError> {
        let mut part = usize::try_from(row.parts_sent).unwrap_or(0);
        let mut attempts = u32::try_from(row.attempts).unwrap_or(0);
        let (id, key) = (row.id, row.key.clone());
        let mut unclaimed = Some(row);
        let mut migrated = false;
        let mut last_message_id = 0;
        while part < parts.len() {
            if !self.wait_for_turn(*chat_id, stop).await {
                if unclaimed.is_none() {
                    // Not sent yet: back to the outbox for the next process, parts already sent kept.
                    self.store.reschedule(id, self.clock.now(), None, false).await?;
                }
                return Ok(Outcome::Released);
            }
            // Claimed only now that its turn has come: a crash leaves in doubt only what is on the wire.
            match unclaimed.take() {
                Some(_) if self.claims_need_lease && !*self.lease_held.borrow() => {
                    // The lease went elsewhere meanwhile: the row is the new holder's to send.
                    return Ok(Outcome::Released);
                }
                Some(row) => {
                    if !self.recorder.claim(row.id, self.clock.now()).await? {
                        // Another sender (another process) has it.
                        return Ok(Outcome::Released);
                    }
                }
                None => self.store.renew_claim(id, self.clock.now()).await?,
            }
            self.pacer.leave(*chat_id, Priority::Broadcast).await;
            match self.transport.send(*chat_id, &parts[part]).await {
                Ok(message_id) => {
                    last_message_id = message_id;
                    part += 1;
                    if part < parts.len() {
                        self.store.record_part_sent(id, part as i64).await?;
                    }
                }
                Err(SendFailure::RetryAfter(wait)) if attempts + 1 >= MAX_RATE_LIMITED => {
                    let why = format!("rate limited {} times (last: retry after {}s)", attempts + 1, wait.as_secs());
                    tracing::warn!(chat_id = *chat_id, %key, %why, "not delivered");
                    self.pacer.hold(*chat_id, wait);
                    self.store.mark_failed(id, &why).await?;
                    return Ok(Outcome::Failed);
                }
                Err(SendFailure::RetryAfter(wait)) if wait <= MAX_INLINE_WAIT => {
                    attempts += 1;
                    tracing::info!(chat_id = *chat_id, %key, wait_s = wait.as_secs(), attempts, "429: waiting");
                    self.pacer.hold(*chat_id, wait);
                }
                Err(SendFailure::RetryAfter(wait)) => {
                    let at = self.clock.now() + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1));
                    self.pacer.hold(*chat_id, wait);
                    self.store.reschedule(id, at, Some("rate limited"), true).await?;
                    return Ok(Outcome::Rescheduled);
                }
                Err(SendFailure::Migrated(new_id)) if !migrated => {
                    tracing::info!(from = *chat_id, to = new_id, "group migrated to a supergroup; following it");
                    if self.store.migrate_chat(*chat_id, new_id, self.clock.now()).await? == Migration::Merged {
                        // The supergroup gets its own copy; migrate_chat skipped this one.
                        return Ok(Outcome::Released);
                    }
                    *chat_id = new_id;
                    migrated = true;
                }
                Err(SendFailure::ChatGone(why)) => {
                    tracing::info!(chat_id = *chat_id, %why, "chat gone; deactivating its subscription");
                    self.store.mark_failed(id, &why).await?;
                    self.store.deactivate(*chat_id, Some(&why), self.clock.now()).await?;
                    return Ok(Outcome::ChatGone);
                }
                Err(SendFailure::Transient(why)) if attempts + 1 < MAX_ATTEMPTS => {
                    attempts += 1;
                    let backoff = Duration::from_millis(250 * 2u64.pow(attempts));
                    tracing::warn!(chat_id = *chat_id, %key, %why, attempts, "transient error; retrying");
                    self.pacer.hold(*chat_id, backoff);
                }
                Err(failure) => {
                    tracing::warn!(chat_id = *chat_id, %key, %failure, "not delivered");
                    self.store.mark_failed(id, &failure.to_string()).await?;
                    return Ok(Outcome::Failed);
                }
            }
        }
        // Sent: this must be recorded even if the database is failing right now, or the row would
        // later be taken for one a crash interrupted.
        let mark = SentMark { id, message_id: last_message_id, chat_id: *chat_id, at: self.clock.now() };
        self.persist("mark a message sent", || self.recorder.sent(mark)).await?;
        Ok(Outcome::Sent)
    }

    /// Retries a write that must not be lost while the database fails, for a while.
    async fn persist<F, Fut>(&self, what: &str, mut write: F) -> Result<(), StoreError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<(), StoreError>>,
    {
        let started = tokio::time::Instant::now();
        let mut wait = Duration::from_millis(100);
        loop {
            match write().await {
                Ok(()) => return Ok(()),
                Err(error) if started.elapsed() < STORE_RETRY_FOR => {
                    self.outage.failed(what, &error);
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(Duration::from_secs(5));
                }
                Err(error) => return Err(error),
            }
        }
    }
}
