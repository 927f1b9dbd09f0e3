//! What the bot counts, for Prometheus: every metric's name, and one function per event that the
//! code where it happens calls. Recording goes through the `metrics` facade (a no-op until
//! [`install`]); `http` renders it as Prometheus text, adding the gauges read from the database.

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::delivery::SendFailure;

pub const UPDATES_RECEIVED: &str = "hanchot_updates_received_total";
pub const UPDATES_REPEATED: &str = "hanchot_updates_repeated_total";
pub const REPLIES_SENT: &str = "hanchot_replies_sent_total";
pub const SENDS: &str = "hanchot_sends_total";
pub const TELEGRAM_429: &str = "hanchot_telegram_429_total";
pub const TELEGRAM_LATENCY: &str = "hanchot_telegram_request_seconds";
pub const WEBHOOK_ACK: &str = "hanchot_webhook_ack_seconds";
pub const SOURCE_POLLS: &str = "hanchot_source_polls_total";
pub const OUTBOX_PENDING: &str = "hanchot_outbox_pending";
pub const OUTBOX_OLDEST_PENDING: &str = "hanchot_outbox_oldest_pending_seconds";
pub const INBOX_BACKLOG: &str = "hanchot_inbox_backlog";
pub const INBOX_OLDEST: &str = "hanchot_inbox_oldest_unhandled_seconds";

/// Buckets of the latency histograms, in seconds: from a loopback answer to Telegram's slowest.
const LATENCY_BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the Prometheus recorder for this process (once; later calls get the same handle).
pub fn install() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)
                .map(PrometheusBuilder::build_recorder)
                .unwrap_or_else(|_| PrometheusBuilder::new().build_recorder());
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("another metrics recorder is installed; /metrics shows only the database gauges");
            }
            describe();
            handle
        })
        .clone()
}

fn describe() {
    metrics::describe_counter!(UPDATES_RECEIVED, "Updates received from Telegram and kept in the inbox, by kind");
    metrics::describe_counter!(UPDATES_REPEATED, "Updates Telegram sent again (same update_id), ignored");
    metrics::describe_counter!(REPLIES_SENT, "Messages sent in reply to a command or a button");
    metrics::describe_counter!(SENDS, "Messages sent to Telegram, by kind (reply, broadcast) and result");
    metrics::describe_counter!(TELEGRAM_429, "Requests Telegram refused with 429 Too Many Requests");
    metrics::describe_histogram!(TELEGRAM_LATENCY, metrics::Unit::Seconds, "Time Telegram took to answer a send");
    metrics::describe_histogram!(WEBHOOK_ACK, metrics::Unit::Seconds, "Time to acknowledge a webhook update");
    metrics::describe_counter!(SOURCE_POLLS, "Polls of the directive sources, by source and outcome");
    metrics::describe_gauge!(OUTBOX_PENDING, "Digests and reminders waiting in the outbox");
    metrics::describe_gauge!(OUTBOX_OLDEST_PENDING, "Age of the oldest outbox row due and not sent");
    metrics::describe_gauge!(INBOX_BACKLOG, "Updates kept and not yet handled");
    metrics::describe_gauge!(INBOX_OLDEST, "Age of the oldest update not yet handled");
}

/// What a send is, for [`SENDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum SendKind {
    /// An answer to a command or a button.
    Reply,
    /// A digest or a reminder from the outbox.
    Broadcast,
}

/// A send's outcome as a label.
fn result_label<T>(result: &Result<T, SendFailure>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(SendFailure::RetryAfter(_)) => "rate_limited",
        Err(SendFailure::ChatGone(_)) => "chat_gone",
        Err(SendFailure::Migrated(_)) => "migrated",
        Err(SendFailure::Transient(_)) => "transient",
        Err(SendFailure::InDoubt(_)) => "in_doubt",
        Err(SendFailure::Rejected(_)) => "rejected",
    }
}

/// One request to Telegram that sends a message: how long it took and how it ended.
pub fn sent<T>(kind: SendKind, result: &Result<T, SendFailure>, took: Duration) {
    let result_label = result_label(result);
    metrics::counter!(SENDS, "kind" => <&'static str>::from(kind), "result" => result_label).increment(1);
    metrics::histogram!(TELEGRAM_LATENCY).record(took.as_secs_f64());
    if matches!(result, Err(SendFailure::RetryAfter(_))) {
        metrics::counter!(TELEGRAM_429).increment(1);
    }
    if kind == SendKind::Reply && result.is_ok() {
        metrics::counter!(REPLIES_SENT).increment(1);
    }
}

/// An update kept in the inbox (`new`), or one Telegram sent again.
pub fn update_received(kind: &'static str, new: bool) {
    if new {
        metrics::counter!(UPDATES_RECEIVED, "kind" => kind).increment(1);
    } else {
        metrics::counter!(UPDATES_REPEATED).increment(1);
    }
}

/// A webhook request answered, from its arrival to its answer.
pub fn webhook_acknowledged(took: Duration) {
    metrics::histogram!(WEBHOOK_ACK).record(took.as_secs_f64());
}

/// One poll of a directive source and how it ended (`ok`, `unchanged`, `failed`…): for the
/// sources' poller to call.
pub fn source_polled(source: &str, outcome: &'static str) {
    metrics::counter!(SOURCE_POLLS, "source" => source.to_owned(), "outcome" => outcome).increment(1);
}

/// The gauges read from the database at each scrape.
pub fn set_gauge(name: &'static str, value: f64) {
    metrics::gauge!(name).set(value);
}
