//! The dispatcher's source of updates: what the intake handed over, until the dispatcher is told
//! to stop. The same in both modes, so per-chat order and concurrency are the dispatcher's, as
//! with polling.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use teloxide::stop::{StopFlag, StopToken, mk_stop_token};
use teloxide::types::Update;
use teloxide::update_listeners::{AsUpdateStream, UpdateListener};
use tokio::sync::mpsc;
use tokio_stream::Stream;

/// Reads the updates the intake kept, in the order it kept them.
pub struct Listener {
    from_intake: mpsc::UnboundedReceiver<Update>,
    token: StopToken,
    flag: StopFlag,
}

impl Listener {
    pub(super) fn new(from_intake: mpsc::UnboundedReceiver<Update>) -> Self {
        let (token, flag) = mk_stop_token();
        Self { from_intake, token, flag }
    }
}

/// The stream of one dispatch: it ends when the listener is stopped (what is left stays in the
/// inbox, unhandled, for the next start).
pub struct Updates<'a> {
    from_intake: &'a mut mpsc::UnboundedReceiver<Update>,
    flag: StopFlag,
}

impl Stream for Updates<'_> {
    type Item = Result<Update, Infallible>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.flag.is_stopped() || Pin::new(&mut this.flag).poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        this.from_intake.poll_recv(cx).map(|update| update.map(Ok))
    }
}

impl<'a> AsUpdateStream<'a> for Listener {
    type StreamErr = Infallible;
    type Stream = Updates<'a>;

    fn as_stream(&'a mut self) -> Self::Stream {
        Updates { from_intake: &mut self.from_intake, flag: self.flag.clone() }
    }
}

impl UpdateListener for Listener {
    type Err = Infallible;

    fn stop_token(&mut self) -> StopToken {
        self.token.clone()
    }
}
