//! An update the bot cannot read is logged and skipped, never a crash: the next one is answered.

use crate::support;

use serde_json::json;
use support::{TestBot, joined};

const USER: i64 = 501;

#[tokio::test(flavor = "multi_thread")]
async fn a_reaction_with_neither_user_nor_actor_chat_is_skipped_and_the_bot_goes_on() {
    let bot = TestBot::start("2026-12-02").await;
    bot.api.push_raw(json!({
        "message_reaction": {
            "chat": {"id": USER, "type": "private", "first_name": "An"},
            "message_id": 1,
            "date": 1_763_800_000,
            "old_reaction": [],
            "new_reaction": [{"type": "emoji", "emoji": "👍"}],
        }
    }));
    bot.api.push_raw(json!({"no_kind_known": {"x": 1}}));
    let replies = bot.ask(USER, USER, "vi", "/help").await;
    assert!(!joined(&replies).is_empty(), "the update after them is answered");
    let again = bot.ask(USER, USER, "vi", "/help").await;
    assert!(!joined(&again).is_empty(), "and the one after that");
}
