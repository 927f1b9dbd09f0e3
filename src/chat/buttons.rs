//! A pressed button, whatever carries it: its data read as one [`Callback`], the presser let
//! through the gate or told why not, and an answer for every press: a button of an older version,
//! a forged one, or one whose review has moved on gets a notice too, never silence.

use super::access::Authority;
use super::command::Access;
use super::message::{ButtonOutcome, Incoming};
use super::{handlers, review};
use crate::app::App;
use crate::domain::callback::Callback;
use crate::domain::lang::Lang;
use crate::render::{html_to_text, texts};

/// A notice alone.
pub fn notice(text: &str) -> ButtonOutcome {
    ButtonOutcome { notice: text.to_owned(), ..Default::default() }
}

/// Answers a press of the button that sent `data` in `incoming`'s chat.
pub async fn pressed(app: &App, incoming: &Incoming, data: &str, authority: &Authority, lang: Lang) -> ButtonOutcome {
    let callback = Callback::read(data);
    let access = match &callback {
        // Anyone may tap a figure; an unknown button is only answered.
        Callback::Metric(_) | Callback::Unknown(_) => Access::Anyone,
        Callback::Review(_) => Access::BotAdmins,
    };
    if let Err(refusal) = authority.admit(app, incoming, access).await {
        return notice(&html_to_text(refusal.text(lang)));
    }
    match callback {
        Callback::Metric(button) => handlers::picked_figure(app, &button, lang),
        Callback::Review(button) => {
            match review::on_button(app, incoming.chat_id, incoming.user_id, button, lang).await {
                Ok(outcome) => outcome,
                Err(error) => {
                    tracing::error!(chat_id = incoming.chat_id, %error, "a review button failed");
                    notice(&html_to_text(texts(lang).internal_error))
                }
            }
        }
        Callback::Unknown(data) => {
            tracing::info!(chat_id = incoming.chat_id, data, "a button of no known kind was pressed; answered");
            notice(texts(lang).button_unknown)
        }
    }
}
