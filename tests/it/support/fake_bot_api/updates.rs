//! The updates a test queues for the bot: texts, button presses, documents, raw and migrations.

use serde_json::{Value, json};

use super::{BOT_ID, BOT_USERNAME, FakeBotApi, Scripted};

impl FakeBotApi {
    /// Queues a text message from a user in a chat. `chat_id` < 0 makes it a group
    /// (`supergroup` when below -1_000_000_000_000). Returns the message's id.
    pub fn push_text(&self, chat_id: i64, user_id: i64, language: &str, text: &str) -> i64 {
        let update = self.text_update(chat_id, user_id, language, text);
        let message_id = update["message"]["message_id"].as_i64().unwrap_or_default();
        self.push(update);
        message_id
    }

    /// Queues an update made by one of the `*_update` methods, as it is.
    pub fn push(&self, update: Value) {
        self.lock().updates.push_back(update);
        self.changed.notify_waiters();
    }

    /// A text message from a user in a chat, as an update with the next update id, not queued
    /// (for a webhook to be posted).
    pub fn text_update(&self, chat_id: i64, user_id: i64, language: &str, text: &str) -> Value {
        let chat = if chat_id > 0 {
            json!({"id": chat_id, "type": "private", "first_name": "Người dùng"})
        } else if chat_id < -1_000_000_000_000 {
            json!({"id": chat_id, "type": "supergroup", "title": "Tổ công tác"})
        } else {
            json!({"id": chat_id, "type": "group", "title": "Tổ công tác"})
        };
        let mut inner = self.lock();
        inner.next_update_id += 1;
        inner.next_message_id += 1;
        let message_id = inner.next_message_id;
        let mut message = json!({
            "message_id": message_id,
            "date": 1_763_800_000,
            "chat": chat,
            "from": {"id": user_id, "is_bot": false, "first_name": "An", "language_code": language},
            "text": text,
        });
        if text.starts_with('/') {
            let length = text.split_whitespace().next().unwrap_or_default().encode_utf16().count();
            message["entities"] = json!([{"type": "bot_command", "offset": 0, "length": length}]);
        }
        json!({"update_id": inner.next_update_id, "message": message})
    }

    /// Makes the next sends to `chat_id` fail as scripted, in order.
    pub fn script(&self, chat_id: i64, failures: impl IntoIterator<Item = Scripted>) {
        self.lock().scripted.entry(chat_id).or_default().extend(failures);
    }

    /// Queues a press of an inline button under message `message_id`.
    pub fn push_callback(&self, chat_id: i64, user_id: i64, message_id: i64, data: &str) {
        let mut inner = self.lock();
        inner.next_update_id += 1;
        let update = json!({
            "update_id": inner.next_update_id,
            "callback_query": {
                "id": format!("cb{}", inner.next_update_id),
                "from": {"id": user_id, "is_bot": false, "first_name": "An", "language_code": "vi"},
                "message": {
                    "message_id": message_id,
                    "date": 1_763_800_000,
                    "chat": {"id": chat_id, "type": "private", "first_name": "Người dùng"},
                    "from": {"id": BOT_ID, "is_bot": true, "first_name": "Hạn Chót", "username": BOT_USERNAME},
                    "text": "…",
                },
                "chat_instance": "1",
                "data": data,
            },
        });
        inner.updates.push_back(update);
        drop(inner);
        self.changed.notify_waiters();
    }

    /// Queues an update as given, `update_id` added (for updates the bot cannot read).
    pub fn push_raw(&self, mut update: Value) {
        let mut inner = self.lock();
        inner.next_update_id += 1;
        update["update_id"] = json!(inner.next_update_id);
        inner.updates.push_back(update);
        drop(inner);
        self.changed.notify_waiters();
    }

    /// Queues a document (a file) sent by a user in a private chat.
    pub fn push_document(&self, chat_id: i64, user_id: i64, name: &str, content: &[u8]) {
        let mut inner = self.lock();
        inner.next_update_id += 1;
        inner.next_message_id += 1;
        let file_id = format!("file{}", inner.next_message_id);
        inner.files.insert(file_id.clone(), content.to_vec());
        let message = json!({
            "message_id": inner.next_message_id,
            "date": 1_763_800_000,
            "chat": {"id": chat_id, "type": "private", "first_name": "Người dùng"},
            "from": {"id": user_id, "is_bot": false, "first_name": "An", "language_code": "vi"},
            "document": {"file_id": file_id, "file_unique_id": file_id, "file_name": name, "file_size": content.len()},
        });
        let update = json!({"update_id": inner.next_update_id, "message": message});
        inner.updates.push_back(update);
        drop(inner);
        self.changed.notify_waiters();
    }
}
