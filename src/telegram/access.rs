//! The one gate every message, button press and document passes: who is asking, and whether they
//! may do what they ask.

use teloxide::Bot;
use teloxide::prelude::Requester;
use teloxide::types::{ChatId, UserId};

use super::command::Access;
use super::reply::Incoming;
use crate::app::App;
use crate::domain::lang::Lang;
use crate::render::texts;

/// Who decides who a group's administrators are: Telegram, or on the command line the operator,
/// who is in charge of everything.
#[derive(Debug, Clone)]
pub enum Authority {
    Telegram(Bot),
    Operator,
}

/// Why the gate said no.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not one of the bot's administrators.
    NotBotAdmin,
    /// Not an administrator of this group.
    NotChatAdmin,
}

impl Refusal {
    /// What to tell the sender (HTML).
    pub fn text(self, lang: Lang) -> &'static str {
        let t = texts(lang);
        match self {
            Self::NotBotAdmin => t.not_admin,
            Self::NotChatAdmin => t.admins_only,
        }
    }
}

impl Authority {
    /// Whether the sender may do something that needs `access`.
    pub async fn admit(&self, app: &App, incoming: &Incoming, access: Access) -> Result<(), Refusal> {
        match access {
            Access::Anyone => Ok(()),
            Access::BotAdmins if self.is_bot_admin(app, incoming) => Ok(()),
            Access::BotAdmins => Err(Refusal::NotBotAdmin),
            Access::ChatAdmins if self.is_chat_admin(incoming).await => Ok(()),
            Access::ChatAdmins => Err(Refusal::NotChatAdmin),
        }
    }

    /// The admins listed in the config, or the operator at the command line.
    pub fn is_bot_admin(&self, app: &App, incoming: &Incoming) -> bool {
        match self {
            Self::Operator => true,
            Self::Telegram(_) => app.config.is_admin(incoming.user_id),
        }
    }

    /// Anyone in a private chat; in a group only its administrators (asked of Telegram with
    /// getChatMember).
    async fn is_chat_admin(&self, incoming: &Incoming) -> bool {
        if !incoming.chat_kind.is_group() || incoming.as_chat {
            return true;
        }
        match (self, incoming.user_id) {
            (Self::Operator, _) => true,
            (Self::Telegram(_), None) => false,
            (Self::Telegram(bot), Some(user)) => {
                match bot.get_chat_member(ChatId(incoming.chat_id), UserId(user)).await {
                    Ok(member) => member.is_privileged(),
                    Err(error) => {
                        tracing::warn!(chat_id = incoming.chat_id, %error, "getChatMember failed; refusing the change");
                        false
                    }
                }
            }
        }
    }
}
