//! The one gate every message, button press and document passes: who is asking, and whether they
//! may do what they ask.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::command::Access;
use super::message::Incoming;
use crate::app::App;
use crate::domain::lang::Lang;
use crate::render::texts;

/// Who a group's administrators are, as the messenger knows them (Telegram's getChatMember).
pub trait ChatMembers: Send + Sync + 'static {
    /// Whether `user` administers `chat_id`; an error to ask counts as no.
    fn is_admin(&self, chat_id: i64, user: u64) -> Pin<Box<dyn Future<Output = bool> + Send + '_>>;
}

/// Offline, where no messenger can be asked: the sender administers the group only when the
/// operator says so (`hanchot ask --chat-admin`).
#[derive(Debug, Clone, Copy)]
pub struct Declared {
    pub sender_is_admin: bool,
}

impl ChatMembers for Declared {
    fn is_admin(&self, _chat_id: i64, _user: u64) -> Pin<Box<dyn Future<Output = bool> + Send + '_>> {
        let admin = self.sender_is_admin;
        Box::pin(async move { admin })
    }
}

/// Who decides who a group's administrators are: the messenger, or on the command line the
/// operator, who is in charge of everything.
#[derive(Clone)]
pub enum Authority {
    Members(Arc<dyn ChatMembers>),
    Operator,
}

impl std::fmt::Debug for Authority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Members(_) => "Authority::Members",
            Self::Operator => "Authority::Operator",
        })
    }
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
            Self::Members(_) => app.config.is_admin(incoming.user_id),
        }
    }

    /// Anyone in a private chat; in a group only its administrators (asked of the messenger).
    async fn is_chat_admin(&self, incoming: &Incoming) -> bool {
        if !incoming.chat_kind.is_group() || incoming.as_chat {
            return true;
        }
        match (self, incoming.user_id) {
            (Self::Operator, _) => true,
            (Self::Members(_), None) => false,
            (Self::Members(members), Some(user)) => members.is_admin(incoming.chat_id, user).await,
        }
    }
}
