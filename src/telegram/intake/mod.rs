//! How updates come in: from the webhook or from polling, each is written to the inbox before
//! Telegram is told it arrived, then handed to the dispatcher, which marks it handled once its
//! chat's replies went. At start (in polling mode: each time this process takes the sending lease
//! and with it the polling), what a crash left unhandled is handed over once more; an update
//! Telegram sends again is recognised by its `update_id` and not handled twice.

mod listener;
mod polling;

use std::sync::Arc;
use std::time::Duration;

use teloxide::dispatching::{DpHandlerDescription, UpdateHandler};
use teloxide::dptree::di::DependencyMap;
use teloxide::dptree::{self, HandlerDescription as _, HandlerSignature};
use teloxide::types::{Update, UpdateKind};
use tokio::sync::{mpsc, watch};

use crate::clock::Clock;
use crate::store::{Store, StoreError};
use crate::telegram::replier::Replier;

pub use listener::Listener;
pub use polling::poll;

/// Handed over this many times without being marked handled, an update is given up at start: it
/// is likely the one that made the process fail.
const MAX_ATTEMPTS: i64 = 2;
/// The most updates of one chat handed to the dispatcher and not yet handled; past it the chat's
/// next updates are dropped (marked handled, logged), so that the dispatcher, which waits when a
/// chat's worker is full ([`crate::serve::WORKER_QUEUE`]), never waits.
pub const MAX_IN_FLIGHT: usize = 200;
/// Handled updates are kept this long (a resent one is still recognised), then deleted.
pub const KEEP_HANDLED: Duration = Duration::from_secs(24 * 3600);

/// Why an update was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    /// Not an update: Telegram never sends this; the request is refused.
    #[error("not a Telegram update: {0}")]
    NotAnUpdate(String),
    /// The inbox could not be written: the update is not acknowledged, Telegram sends it again.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Whether an update was new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accepted {
    New,
    Repeated,
}

/// Each chat's updates handed to the dispatcher and not yet handled.
#[derive(Debug, Clone, Default)]
struct InFlight(Arc<std::sync::Mutex<std::collections::HashMap<i64, usize>>>);

impl InFlight {
    fn lock(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<i64, usize>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Counts one more for `chat_id`, unless it has [`MAX_IN_FLIGHT`] already.
    fn take(&self, chat_id: i64) -> bool {
        let mut chats = self.lock();
        let n = chats.entry(chat_id).or_default();
        if *n >= MAX_IN_FLIGHT {
            return false;
        }
        *n += 1;
        true
    }

    fn done(&self, chat_id: i64) {
        let mut chats = self.lock();
        if let Some(n) = chats.get_mut(&chat_id) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                chats.remove(&chat_id);
            }
        }
    }
}

/// The way in: keeps each update in the inbox, then hands the new ones to the dispatcher.
#[derive(Debug, Clone)]
pub struct Intake {
    store: Store,
    clock: Clock,
    to_dispatcher: mpsc::UnboundedSender<Update>,
    in_flight: InFlight,
    /// The updates this process handed over: a replay leaves them to it (they are being handled
    /// here, not lost), and hands over only what another process, gone, left.
    handed: Handed,
    /// With a webhook, several processes take updates, but only the one holding the sending lease
    /// handles them: the others keep them in the inbox, where [`follow`] finds them. `None`: this
    /// process hands over what it keeps (polling, which runs only while the lease is held).
    lease: Option<watch::Receiver<bool>>,
}

/// The ids of the updates handed over by this process and not yet marked handled.
type Handed = Arc<std::sync::Mutex<std::collections::HashSet<i64>>>;

impl Intake {
    /// The intake, the listener the dispatcher reads from, and what marks updates handled.
    pub fn new(store: Store, clock: Clock) -> (Self, Listener, Handled) {
        let (to_dispatcher, from_intake) = mpsc::unbounded_channel();
        let in_flight = InFlight::default();
        let handed = Handed::default();
        let handled = Handled {
            store: store.clone(),
            clock: clock.clone(),
            in_flight: in_flight.clone(),
            handed: handed.clone(),
        };
        (Self { store, clock, to_dispatcher, in_flight, handed, lease: None }, Listener::new(from_intake), handled)
    }

    /// Hands over what it keeps only while `lease` says this process holds the sending lease; see
    /// [`follow`].
    pub fn handing_while(mut self, lease: watch::Receiver<bool>) -> Self {
        self.lease = Some(lease);
        self
    }

    /// Whether updates kept now go to this process's dispatcher.
    fn handing(&self) -> bool {
        self.lease.as_ref().is_none_or(|lease| *lease.borrow())
    }

    /// Hands an update to the dispatcher, unless its chat already has [`MAX_IN_FLIGHT`] there:
    /// then it is marked handled without being handled, and logged.
    async fn hand_over(&self, update: Update) -> Result<(), StoreError> {
        if let Some(chat) = update.chat().map(|c| c.id.0)
            && !self.in_flight.take(chat)
        {
            tracing::warn!(chat_id = chat, update_id = update.id.0, "too many updates of this chat waiting; dropped");
            return self.store.inbox_handled(i64::from(update.id.0), self.clock.now()).await;
        }
        self.handed.lock().unwrap_or_else(|p| p.into_inner()).insert(i64::from(update.id.0));
        // Closed only when the dispatcher stopped: the row waits in the inbox for the next start.
        let _ = self.to_dispatcher.send(update);
        Ok(())
    }

    /// An update as Telegram sent it (a webhook's body, one of `getUpdates`' results).
    pub async fn accept_json(&self, body: &str) -> Result<Accepted, IntakeError> {
        let update = read_update(body).map_err(IntakeError::NotAnUpdate)?;
        self.keep(update, body).await
    }

    async fn keep(&self, update: Update, body: &str) -> Result<Accepted, IntakeError> {
        let kind = kind(&update);
        let new = self.store.inbox_put(i64::from(update.id.0), kind, body, self.clock.now()).await?;
        crate::metrics::update_received(kind, new);
        if !new {
            return Ok(Accepted::Repeated);
        }
        if self.handing() {
            self.hand_over(update).await?;
        }
        Ok(Accepted::New)
    }

    /// Hands over what the inbox holds unhandled (a crash came between keeping and handling), in
    /// the order Telegram sent it, except what this process handed over itself and is handling;
    /// an update already handed over [`MAX_ATTEMPTS`] times is given up with a warning. Returns
    /// how many were handed over.
    pub async fn replay(&self) -> Result<usize, StoreError> {
        let mut rows = self.store.inbox_unhandled().await?;
        {
            let mut handed = self.handed.lock().unwrap_or_else(|p| p.into_inner());
            // What is no longer unhandled is done with: the set keeps only what is in flight.
            let unhandled: std::collections::HashSet<i64> = rows.iter().map(|row| row.update_id).collect();
            handed.retain(|id| unhandled.contains(id));
            rows.retain(|row| !handed.contains(&row.update_id));
        }
        let mut again = Vec::new();
        for row in rows {
            if row.attempts >= MAX_ATTEMPTS {
                tracing::warn!(update_id = row.update_id, attempts = row.attempts, "an update failed twice; given up");
                self.store.inbox_handled(row.update_id, self.clock.now()).await?;
                continue;
            }
            match read_update(&row.body) {
                Ok(update) => again.push(update),
                Err(error) => {
                    tracing::error!(update_id = row.update_id, %error, "a kept update cannot be read; given up");
                    self.store.inbox_handled(row.update_id, self.clock.now()).await?;
                }
            }
        }
        let ids: Vec<i64> = again.iter().map(|u| i64::from(u.id.0)).collect();
        self.store.inbox_tried(&ids).await?;
        for update in again {
            self.hand_over(update).await?;
        }
        Ok(ids.len())
    }

    /// Deletes the updates handled more than [`KEEP_HANDLED`] ago, now and every hour, until
    /// `stop` turns true.
    pub async fn prune(self, mut stop: tokio::sync::watch::Receiver<bool>) {
        let keep = chrono::Duration::from_std(KEEP_HANDLED).unwrap_or(chrono::Duration::days(1));
        while !*stop.borrow() {
            match self.store.inbox_prune(self.clock.now() - keep).await {
                Ok(0) => {}
                Ok(rows) => tracing::info!(rows, "handled updates older than a day deleted from the inbox"),
                Err(error) => tracing::warn!(%error, "cannot prune the inbox; trying again in an hour"),
            }
            tokio::select! {
                () = tokio::time::sleep(Duration::from_secs(3600)) => {}
                _ = stop.changed() => {}
            }
        }
    }
}

/// How often the process holding the lease looks in the inbox for updates other processes kept.
pub const FOLLOW_EVERY: Duration = Duration::from_millis(250);

/// With a webhook and several processes (behind one address), hands over what the inbox holds
/// unhandled while this process holds the sending lease: at once when it takes it (what a process
/// now gone left), then every [`FOLLOW_EVERY`] (what the others keep), until `stop` turns true.
pub async fn follow(intake: Intake, mut stop: watch::Receiver<bool>, mut lease: watch::Receiver<bool>) {
    let mut took_over = true;
    loop {
        if !*lease.borrow() {
            took_over = true;
            tokio::select! {
                held = lease.wait_for(|held| *held) => if held.is_err() { return },
                _ = stop.wait_for(|stop| *stop) => return,
            }
        }
        match intake.replay().await {
            Ok(0) => {}
            Ok(updates) if took_over => {
                tracing::info!(
                    updates,
                    "updates kept but not handled (by a process now gone, or before a stop) are handled now"
                )
            }
            Ok(updates) => tracing::debug!(updates, "updates another process kept are handled here"),
            Err(error) => tracing::warn!(%error, "cannot read the inbox; trying again"),
        }
        took_over = false;
        tokio::select! {
            () = tokio::time::sleep(FOLLOW_EVERY) => {}
            _ = stop.wait_for(|stop| *stop) => return,
        }
    }
}

/// Reads an update, or says why it cannot be read. teloxide panics on some malformed updates (a
/// `message_reaction` with neither `user` nor `actor_chat`); that panic is caught here and the
/// update is one that cannot be read, like any other.
pub fn read_update(body: &str) -> Result<Update, String> {
    let read = std::panic::catch_unwind(|| serde_json::from_str::<Update>(body));
    match read {
        Ok(Ok(update)) if matches!(update.kind, UpdateKind::Error(_)) => Err("no kind of update the bot knows".into()),
        Ok(Ok(update)) => Ok(update),
        Ok(Err(error)) => Err(error.to_string()),
        Err(_) => Err("the update's fields do not fit together (the reader gave up)".into()),
    }
}

/// What the dispatcher needs to mark an update handled.
#[derive(Debug, Clone)]
pub struct Handled {
    store: Store,
    clock: Clock,
    in_flight: InFlight,
    handed: Handed,
}

impl Handled {
    /// The update left the dispatcher.
    fn release(&self, update: &Update) {
        if let Some(chat) = update.chat() {
            self.in_flight.done(chat.id.0);
        }
    }

    async fn mark(&self, update: &Update) {
        let update_id = i64::from(update.id.0);
        // Not marked, it is handed over again at the next start: a reply may then come twice,
        // which is better than none.
        for wait in [10, 100, 1000] {
            match self.store.inbox_handled(update_id, self.clock.now()).await {
                Ok(()) => {
                    self.handed.lock().unwrap_or_else(|p| p.into_inner()).remove(&update_id);
                    return;
                }
                Err(error) => {
                    tracing::warn!(update_id, %error, "cannot mark an update handled; trying again");
                    tokio::time::sleep(Duration::from_millis(wait)).await;
                }
            }
        }
    }
}

/// `handler`, with every update marked handled in the inbox once its replies went, whatever it
/// answered (an update no branch takes is handled too). Needs [`Handled`] and the [`Replier`] in
/// the dependencies.
pub fn marking<E: Send + Sync + 'static>(handler: UpdateHandler<E>) -> UpdateHandler<E> {
    let mark = dptree::from_fn_with_description(
        DpHandlerDescription::user_defined(),
        |deps: DependencyMap, next| async move {
            let update: Arc<Update> = deps.get();
            let handled: Arc<Handled> = deps.get();
            let replier: Arc<Replier> = deps.get();
            let outcome = next(deps).await;
            handled.release(&update);
            // Handled once its replies went, not when they were queued: a reply lost with the
            // process (kill -9, or shutdown giving it up) is answered again at the next start.
            tokio::spawn(async move {
                let sent = match update.chat() {
                    Some(chat) => replier.flushed(chat.id.0).await,
                    None => true,
                };
                if sent {
                    handled.mark(&update).await;
                }
            });
            outcome
        },
        HandlerSignature::Other {
            obligations: Default::default(),
            guaranteed_outcomes: Default::default(),
            conditional_outcomes: Default::default(),
            continues: true,
        },
    );
    dptree::entry().chain(mark).chain(handler)
}

/// An update's kind, as the metrics and the inbox name it.
pub fn kind(update: &Update) -> &'static str {
    match &update.kind {
        UpdateKind::Message(_) => "message",
        UpdateKind::EditedMessage(_) => "edited_message",
        UpdateKind::ChannelPost(_) => "channel_post",
        UpdateKind::EditedChannelPost(_) => "edited_channel_post",
        UpdateKind::CallbackQuery(_) => "callback_query",
        UpdateKind::InlineQuery(_) => "inline_query",
        UpdateKind::MyChatMember(_) => "my_chat_member",
        UpdateKind::ChatMember(_) => "chat_member",
        UpdateKind::ChatJoinRequest(_) => "chat_join_request",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_teloxide_cannot_read_is_an_error_not_a_panic() {
        let reaction = r#"{"update_id": 7, "message_reaction": {"chat": {"id": 5, "type": "private"},
            "message_id": 1, "date": 1763800000, "old_reaction": [], "new_reaction": []}}"#;
        assert!(read_update(reaction).is_err());
        assert!(read_update(r#"{"update_id": 8, "something_new": {}}"#).is_err());
        assert!(read_update("not json").is_err());
        let message = r#"{"update_id": 9, "message": {"message_id": 1, "date": 1763800000,
            "chat": {"id": 5, "type": "private", "first_name": "An"}, "text": "/help"}}"#;
        assert!(read_update(message).is_ok());
    }
}
