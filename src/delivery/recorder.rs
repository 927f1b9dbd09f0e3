//! Claims and "sent" marks written in batches: every chat's task asks, one writer runs what has
//! been asked since its last round as one transaction of claims and one of marks.
//!
//! At 1,000 messages a second, two write transactions per message (claim, then mark sent) are
//! more than SQLite's single writer keeps up with beside the rest of the bot. A request still waits
//! for its own write to be committed, so the promises are unchanged: a row is sent only after its
//! claim is committed, and counted sent only after its mark is. The batch only shares the commit.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, oneshot};

use super::outage::Outage;
use crate::store::{SentMark, Store, StoreError};

/// The most requests one round takes: a round's transaction stays short, and the rest wait for
/// the next round (a few milliseconds).
const MAX_ROUND: usize = 512;
/// How long a round waits after its first request for others to ask: a claim waits this much
/// longer before its send, and the SQLite writes a second fall from two a message to about a
/// hundred at 1,000 messages a second (4 ms, 8 ms and 16 ms compared in BENCHMARKS.md).
const GATHER: std::time::Duration = std::time::Duration::from_millis(16);

/// Where a request's answer goes.
type Answer<T> = oneshot::Sender<Result<T, StoreError>>;

enum Request {
    Claim { id: i64, now: DateTime<Utc>, reply: Answer<bool> },
    Sent { mark: SentMark, reply: Answer<()> },
}

/// The handle chat tasks write through. Cheap to clone; the writer stops when every handle is gone.
#[derive(Clone)]
pub struct Recorder {
    requests: mpsc::UnboundedSender<Request>,
}

impl Recorder {
    /// Starts the writer for `worker`'s claims. Needs a Tokio runtime.
    /// A batch written ends an outage.
    pub fn start(store: Store, worker: String, outage: Outage) -> Self {
        let (requests, queue) = mpsc::unbounded_channel();
        tokio::spawn(write_rounds(store, worker, queue, outage));
        Self { requests }
    }

    /// Claims row `id` for this sender; false when another sender (another process) has it.
    pub async fn claim(&self, id: i64, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.ask(Request::Claim { id, now, reply })?;
        answer.await.map_err(|_| stopped())?
    }

    /// Records a row as sent.
    pub async fn sent(&self, mark: SentMark) -> Result<(), StoreError> {
        let (reply, answer) = oneshot::channel();
        self.ask(Request::Sent { mark, reply })?;
        answer.await.map_err(|_| stopped())?
    }

    fn ask(&self, request: Request) -> Result<(), StoreError> {
        self.requests.send(request).map_err(|_| stopped())
    }
}

/// The writer is gone: only when the runtime is shutting down.
fn stopped() -> StoreError {
    StoreError::Batch("the delivery writer has stopped".into())
}

/// Runs rounds until every handle is dropped: takes what has been asked, writes the claims in one
/// statement and the marks in one transaction, and answers each request.
async fn write_rounds(store: Store, worker: String, mut queue: mpsc::UnboundedReceiver<Request>, outage: Outage) {
    let mut round = Vec::with_capacity(MAX_ROUND);
    while queue.recv_many(&mut round, MAX_ROUND).await > 0 {
        if round.len() < MAX_ROUND {
            // The pacer hands out a slot a millisecond at 1,000 a second: a round written at
            // once would hold one or two requests. The others asking in the next moments share it.
            tokio::time::sleep(GATHER).await;
            while round.len() < MAX_ROUND {
                match queue.try_recv() {
                    Ok(request) => round.push(request),
                    Err(_) => break,
                }
            }
        }
        let (mut claims, mut marks) = (Vec::new(), Vec::new());
        for request in round.drain(..) {
            match request {
                Request::Claim { id, now, reply } => claims.push((id, now, reply)),
                Request::Sent { mark, reply } => marks.push((mark, reply)),
            }
        }
        if write_claims(&store, &worker, claims).await & write_marks(&store, marks).await {
            outage.over();
        }
    }
}

async fn write_claims(store: &Store, worker: &str, claims: Vec<(i64, DateTime<Utc>, Answer<bool>)>) -> bool {
    let Some(now) = claims.iter().map(|(_, now, _)| *now).max() else { return true };
    let ids: Vec<i64> = claims.iter().map(|(id, ..)| *id).collect();
    match store.claim_many(&ids, worker, now).await {
        Ok(claimed) => {
            let claimed: HashSet<i64> = claimed.into_iter().collect();
            for (id, _, reply) in claims {
                let _ = reply.send(Ok(claimed.contains(&id)));
            }
            true
        }
        Err(error) => {
            answer_all(claims.into_iter().map(|(.., reply)| reply), &error);
            false
        }
    }
}

async fn write_marks(store: &Store, marks: Vec<(SentMark, Answer<()>)>) -> bool {
    if marks.is_empty() {
        return true;
    }
    let batch: Vec<SentMark> = marks.iter().map(|(mark, _)| *mark).collect();
    match store.mark_sent_many(&batch).await {
        Ok(()) => {
            for (_, reply) in marks {
                let _ = reply.send(Ok(()));
            }
            true
        }
        Err(error) => {
            answer_all(marks.into_iter().map(|(_, reply)| reply), &error);
            false
        }
    }
}

/// Tells every request of a failed batch: each sender handles it as its own database error.
fn answer_all<T>(replies: impl Iterator<Item = Answer<T>>, error: &StoreError) {
    for reply in replies {
        let _ = reply.send(Err(StoreError::Batch(error.to_string())));
    }
}
