//! Who administers a group, asked of Telegram (getChatMember) for the chat's access gate.

use std::future::Future;
use std::pin::Pin;

use teloxide::Bot;
use teloxide::prelude::Requester;
use teloxide::types::{ChatId, UserId};

use crate::chat::access::ChatMembers;

impl ChatMembers for Bot {
    fn is_admin(&self, chat_id: i64, user: u64) -> Pin<Box<dyn Future<Output = bool> + Send + '_>> {
        Box::pin(async move {
            match self.get_chat_member(ChatId(chat_id), UserId(user)).await {
                Ok(member) => member.is_privileged(),
                Err(error) => {
                    tracing::warn!(chat_id, %error, "getChatMember failed; refusing the change");
                    false
                }
            }
        })
    }
}
