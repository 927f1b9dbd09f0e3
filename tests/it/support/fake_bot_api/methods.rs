//! The Bot API methods the fake server answers, as Telegram does: getUpdates (409 when cut off by
//! another), sendMessage within the limits and scripted failures, documents, edits, members.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::*;

fn ok(result: Value) -> Response {
    axum::Json(json!({"ok": true, "result": result})).into_response()
}

fn error(status: u16, description: &str, parameters: Option<Value>) -> Response {
    let mut body = json!({"ok": false, "error_code": status, "description": description});
    if let Some(parameters) = parameters {
        body["parameters"] = parameters;
    }
    let status = axum::http::StatusCode::from_u16(status).expect("valid status");
    (status, axum::Json(body)).into_response()
}

/// Reads a request's parameters: teloxide sends JSON for every method without files.
fn parameters(body: &Bytes) -> Value {
    serde_json::from_slice(body).unwrap_or(Value::Null)
}

pub(super) async fn handle(
    State(server): State<FakeBotApi>,
    Path((bot, method)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    if bot != format!("bot{TOKEN}") {
        return error(401, "Unauthorized", None);
    }
    let params = parameters(&body);
    {
        let mut inner = server.lock();
        if !inner.forget_texts {
            inner.calls.push((method.clone(), params.clone()));
        }
    }
    match method.to_ascii_lowercase().as_str() {
        "getme" => ok(json!({
            "id": BOT_ID, "is_bot": true, "first_name": "Hạn Chót", "username": BOT_USERNAME,
            "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
            "can_connect_to_business": false, "has_main_web_app": false,
        })),
        "getupdates" if server.lock().webhook.is_some() => error(
            409,
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
            None,
        ),
        "getupdates" => get_updates(&server, &params).await,
        "getwebhookinfo" => {
            let url = server.lock().webhook.as_ref().map(|(url, _)| url.clone()).unwrap_or_default();
            ok(json!({"url": url, "has_custom_certificate": false, "pending_update_count": 0}))
        }
        "setwebhook" => {
            // teloxide sends setWebhook as a form (it may carry a certificate).
            let field = |name| multipart_field(&body, name).map(|v| String::from_utf8_lossy(&v).trim().to_owned());
            let Some(url) = field("url").filter(|u| !u.is_empty()) else {
                return error(400, "Bad Request: bad webhook: an HTTPS URL must be provided for webhook", None);
            };
            server.lock().webhook = Some((url, field("secret_token")));
            ok(json!(true))
        }
        "deletewebhook" => {
            server.lock().webhook = None;
            ok(json!(true))
        }
        "sendmessage" => {
            if !wait_while_held(&server).await {
                return error(500, "Internal Server Error", None);
            }
            let delay = server.lock().delay;
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            let (response, answer_after) = send_message(&server, &params);
            tokio::time::sleep(answer_after).await;
            response
        }
        "getchatmember" => get_chat_member(&server, &params),
        "senddocument" => send_document(&server, &body),
        "editmessagetext" => edit_message(&server, &params),
        "getfile" => {
            let id = params.get("file_id").and_then(Value::as_str).unwrap_or_default().to_owned();
            let size = server.lock().files.get(&id).map(Vec::len);
            match size {
                Some(size) => ok(
                    json!({"file_id": id, "file_unique_id": id, "file_size": size, "file_path": format!("documents/{id}")}),
                ),
                None => error(400, "Bad Request: invalid file_id", None),
            }
        }
        _ => ok(json!(true)),
    }
}

/// Waits while sends are held; false when they were released to be dropped.
async fn wait_while_held(server: &FakeBotApi) -> bool {
    let dropped = server.lock().dropped;
    loop {
        let notified = server.changed.notified();
        {
            let inner = server.lock();
            if inner.dropped != dropped {
                return false;
            }
            if !inner.holding {
                return true;
            }
        }
        let _ = tokio::time::timeout(Duration::from_millis(50), notified).await;
    }
}

async fn get_updates(server: &FakeBotApi, params: &Value) -> Response {
    let poll = {
        let mut inner = server.lock();
        inner.first_get_updates.get_or_insert_with(tokio::time::Instant::now);
        inner.polls += 1;
        inner.polls
    };
    server.changed.notify_waiters();
    let offset = params.get("offset").and_then(Value::as_i64).unwrap_or(0);
    let wait = params.get("timeout").and_then(Value::as_u64).unwrap_or(0).min(1);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(wait);
    loop {
        let notified = server.changed.notified();
        {
            let mut inner = server.lock();
            if inner.polls != poll {
                // As Telegram: a getUpdates that arrives while another waits ends the one waiting.
                inner.conflicts += 1;
                return error(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                    None,
                );
            }
            inner.updates.retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
            if !inner.updates.is_empty() {
                return ok(Value::Array(inner.updates.iter().cloned().collect()));
            }
        }
        if tokio::time::Instant::now() >= deadline {
            return ok(json!([]));
        }
        let _ = tokio::time::timeout_at(deadline, notified).await;
    }
}

/// The value of a multipart form field (enough for teloxide's sendDocument).
fn multipart_field(body: &[u8], name: &str) -> Option<Vec<u8>> {
    let marker = format!("name=\"{name}\"");
    let text = body;
    let at = text.windows(marker.len()).position(|w| w == marker.as_bytes())?;
    let rest = &text[at..];
    let start = rest.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let end = rest[start..].windows(4).position(|w| w == b"\r\n--")?;
    Some(rest[start..start + end].to_vec())
}

fn multipart_filename(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let at = text.find("filename=\"")? + "filename=\"".len();
    Some(text[at..].split('"').next()?.to_owned())
}

fn send_document(server: &FakeBotApi, body: &Bytes) -> Response {
    let chat_id: Option<i64> =
        multipart_field(body, "chat_id").and_then(|v| String::from_utf8(v).ok()).and_then(|v| v.trim().parse().ok());
    let Some(chat_id) = chat_id else { return error(400, "Bad Request: chat_id is empty", None) };
    let caption =
        multipart_field(body, "caption").map(|v| String::from_utf8_lossy(&v).into_owned()).unwrap_or_default();
    // teloxide sends `document=attach://<part>` and the file in that part.
    let mut file = multipart_field(body, "document").unwrap_or_default();
    if let Some(part) = String::from_utf8_lossy(&file).strip_prefix("attach://").map(str::to_owned) {
        file = multipart_field(body, &part).unwrap_or_default();
    }
    let name = multipart_filename(body).unwrap_or_default();
    let mut inner = server.lock();
    inner.next_message_id += 1;
    let message_id = inner.next_message_id;
    inner.sent.push(Sent {
        chat_id,
        text: caption.clone(),
        parse_mode: Some("HTML".into()),
        reply_to: None,
        message_id,
        at: tokio::time::Instant::now(),
        document: Some((name.clone(), file)),
        paid: false,
        buttons: Vec::new(),
    });
    drop(inner);
    server.changed.notify_waiters();
    ok(json!({
        "message_id": message_id,
        "date": 1_763_800_000,
        "chat": {"id": chat_id, "type": "private", "first_name": "Người dùng"},
        "caption": caption,
        "document": {"file_id": "f1", "file_unique_id": "u1", "file_name": name, "file_size": 1},
    }))
}

pub(super) async fn download(State(server): State<FakeBotApi>, Path((_, path)): Path<(String, String)>) -> Response {
    let id = path.trim_start_matches("documents/").to_owned();
    match server.lock().files.get(&id) {
        Some(bytes) => bytes.clone().into_response(),
        None => (axum::http::StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

fn edit_message(server: &FakeBotApi, params: &Value) -> Response {
    let chat_id = params.get("chat_id").and_then(Value::as_i64).unwrap_or_default();
    let message_id = params.get("message_id").and_then(Value::as_i64).unwrap_or_default();
    let text = params.get("text").and_then(Value::as_str).unwrap_or_default().to_owned();
    server.lock().edits.push(Edit { chat_id, message_id, text: text.clone() });
    server.changed.notify_waiters();
    ok(json!({
        "message_id": message_id,
        "date": 1_763_800_000,
        "chat": {"id": chat_id, "type": "private", "first_name": "Người dùng"},
        "from": {"id": BOT_ID, "is_bot": true, "first_name": "Hạn Chót", "username": BOT_USERNAME},
        "text": text,
    }))
}

fn get_chat_member(server: &FakeBotApi, params: &Value) -> Response {
    let chat_id = params.get("chat_id").and_then(Value::as_i64).unwrap_or_default();
    let user_id = params.get("user_id").and_then(Value::as_i64).unwrap_or_default();
    let user = json!({"id": user_id, "is_bot": false, "first_name": "An"});
    if server.lock().admins.contains(&(chat_id, user_id)) {
        ok(json!({"status": "creator", "user": user, "is_anonymous": false}))
    } else {
        ok(json!({"status": "member", "user": user}))
    }
}

/// Answers a sendMessage, and says how long to hold the answer back.
fn send_message(server: &FakeBotApi, params: &Value) -> (Response, Duration) {
    let Some(chat_id) = params.get("chat_id").and_then(Value::as_i64) else {
        return (error(400, "Bad Request: chat_id is empty", None), Duration::ZERO);
    };
    let text = params.get("text").and_then(Value::as_str).unwrap_or_default().to_owned();
    if text.is_empty() {
        return (error(400, "Bad Request: message text is empty", None), Duration::ZERO);
    }
    if text.encode_utf16().count() > 4096 {
        return (error(400, "Bad Request: message is too long", None), Duration::ZERO);
    }
    let mut inner = server.lock();
    if let Some((per_second, per_chat)) = inner.limits {
        let now = tokio::time::Instant::now();
        let paid = params.get("allow_paid_broadcast").and_then(Value::as_bool).unwrap_or(false);
        let state = &mut *inner;
        for window in [&mut state.recent, &mut state.recent_free] {
            while window.front().is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1)) {
                window.pop_front();
            }
        }
        let chat_gap = Duration::from_secs_f64(1.0 / per_chat);
        let chat_too_soon = inner.last_per_chat.get(&chat_id).is_some_and(|t| now.duration_since(*t) < chat_gap);
        let over = match inner.paid_limit {
            None => inner.recent.len() >= per_second,
            Some(paid_limit) => inner.recent.len() >= paid_limit || (!paid && inner.recent_free.len() >= per_second),
        };
        if over || chat_too_soon {
            inner.too_many += 1;
            drop(inner);
            return (error(429, "Too Many Requests: retry after 1", Some(json!({"retry_after": 1}))), Duration::ZERO);
        }
        inner.recent.push_back(now);
        if !paid {
            inner.recent_free.push_back(now);
        }
        inner.last_per_chat.insert(chat_id, now);
    }
    let mut answer_after = Duration::ZERO;
    match inner.scripted.get_mut(&chat_id).and_then(VecDeque::pop_front) {
        Some(Scripted::SlowAnswer(after)) => answer_after = after,
        Some(failure) => {
            drop(inner);
            return (scripted_error(failure), Duration::ZERO);
        }
        None => {}
    }
    inner.next_message_id += 1;
    let message_id = inner.next_message_id;
    let reply_to = params.pointer("/reply_parameters/message_id").and_then(Value::as_i64);
    let kept_text = if inner.forget_texts { String::new() } else { text.clone() };
    inner.sent.push(Sent {
        chat_id,
        text: kept_text,
        parse_mode: params.get("parse_mode").and_then(Value::as_str).map(str::to_owned),
        reply_to,
        paid: params.get("allow_paid_broadcast").and_then(Value::as_bool).unwrap_or(false),
        message_id,
        at: tokio::time::Instant::now(),
        document: None,
        buttons: params
            .pointer("/reply_markup/inline_keyboard")
            .and_then(Value::as_array)
            .map(|rows| {
                rows.iter()
                    .filter_map(Value::as_array)
                    .flatten()
                    .map(|b| {
                        (
                            b["text"].as_str().unwrap_or_default().to_owned(),
                            b["callback_data"].as_str().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
    });
    drop(inner);
    server.changed.notify_waiters();
    let chat = if chat_id > 0 {
        json!({"id": chat_id, "type": "private", "first_name": "Người dùng"})
    } else {
        json!({"id": chat_id, "type": "group", "title": "Tổ công tác"})
    };
    (
        ok(json!({
            "message_id": message_id,
            "date": 1_763_800_000,
            "chat": chat,
            "from": {"id": BOT_ID, "is_bot": true, "first_name": "Hạn Chót", "username": BOT_USERNAME},
            "text": text,
        })),
        answer_after,
    )
}

fn scripted_error(failure: Scripted) -> Response {
    match failure {
        Scripted::RetryAfter(seconds) => {
            error(429, &format!("Too Many Requests: retry after {seconds}"), Some(json!({"retry_after": seconds})))
        }
        Scripted::Forbidden(description) => error(403, description, None),
        Scripted::BadRequest(description) => error(400, description, None),
        Scripted::Migrate(to) => error(
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            Some(json!({"migrate_to_chat_id": to})),
        ),
        Scripted::ServerError => error(500, "Internal Server Error", None),
        Scripted::SlowAnswer(_) => unreachable!("a slow answer is an answer"),
    }
}
