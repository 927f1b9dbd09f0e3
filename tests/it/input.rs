//! Every text that reaches a title, an owner or a note is cleaned the same way, whatever its path
//! (typed `/add` and `/note`, a .txt file reviewed in Telegram, `hanchot import --yes`); due dates
//! outside 2000–2100 are refused; a long clause or a long typed owner never stops the review.

use crate::support;

use support::fake_bot_api::Sent;
use support::{QUIET, TestBot, WAIT, admins_config, hanchot, joined, stdout};

const ADMIN: i64 = 888;
const AT: &str = "2026-08-25";

/// Characters that must never reach a stored text: control codes, zero-width, direction controls.
fn is_unwanted(c: char) -> bool {
    (c.is_control())
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn assert_clean(text: &str) {
    assert!(!text.chars().any(is_unwanted), "unwanted characters left in {text:?}");
    assert!(!text.contains("  ") && text.trim() == text, "whitespace not collapsed in {text:?}");
}

/// A directive whose one task has NUL, BEL, an escape sequence, zero-width characters and a
/// right-to-left override in it, one of them inside the time phrase.
fn dirty_directive() -> String {
    "Hà Nội, ngày 20/08/2026\n\
     Bộ\u{200b} Công an hoàn thành\u{0} kết nối\u{7} dữ liệu \u{1b}[31mkhẩn\u{1b}[0m \u{202e}dân cư\u{202c} \
     tr\u{200d}ong tháng 9/2026.\n"
        .to_owned()
}

fn press(reply: &Sent, label: &str) -> String {
    reply.buttons.iter().find(|(l, _)| l.contains(label)).map(|(_, d)| d.clone()).expect(label)
}

/// Sends a .txt file and returns the review's messages (header, proposals, closing).
async fn review_file(bot: &TestBot, text: &str, messages: usize) -> Vec<Sent> {
    let before = bot.api.sent().len();
    bot.api.push_document(ADMIN, ADMIN, "chi-thi.txt", text.as_bytes());
    bot.api.wait_for_sent(before + messages, WAIT).await;
    let replies: Vec<Sent> = bot.api.settle(QUIET).await.into_iter().skip(before).collect();
    for reply in &replies {
        assert!(reply.text.encode_utf16().count() <= 4096, "a review message over Telegram's limit");
    }
    replies
}

async fn save(bot: &TestBot, closing: &Sent) -> String {
    let edits = bot.api.edits().len();
    bot.api.push_callback(ADMIN, ADMIN, closing.message_id, &press(closing, "Lưu"));
    bot.wait_for_edits(edits + 1).await;
    bot.api.edits().last().unwrap().text.clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_typed_add_and_note_are_stored_clean_and_on_one_line() {
    let bot = TestBot::start_with(admins_config(&[ADMIN]), AT).await;
    let reply = joined(
        &bot.ask(
            ADMIN,
            ADMIN,
            "vi",
            "/add 15/10/2026 Bộ\u{200b} Công an | Tổng hợp\u{202e} kết quả\nsố hóa\u{2066}  dữ liệu",
        )
        .await,
    );
    assert!(reply.contains("Đã thêm nhiệm vụ"), "{reply}");
    let catalog = bot.app.catalog();
    let task = catalog.tasks.iter().find(|t| t.title_vi.starts_with("Tổng hợp")).expect("added");
    assert_eq!(task.title_vi, "Tổng hợp kết quả số hóa dữ liệu", "one line, nothing invisible");
    assert_eq!(task.owner, "Bộ Công an");

    let id = task.id;
    let reply =
        joined(&bot.ask(ADMIN, ADMIN, "vi", &format!("/note {id} đã họp\u{200b}\ncòn chờ\u{202e} Bộ Tài chính")).await);
    assert!(!reply.is_empty());
    let events = bot.app.task_events(id).await.unwrap();
    let note = events.iter().map(|e| e.note.as_str()).find(|n| n.contains("đã họp")).expect("noted");
    assert_eq!(note, "đã họp còn chờ Bộ Tài chính");
}

#[tokio::test(flavor = "multi_thread")]
async fn due_dates_outside_2000_to_2100_are_refused_when_typed() {
    let bot = TestBot::start_with(admins_config(&[ADMIN]), AT).await;
    let before = bot.app.catalog().tasks.len();
    for due in ["1/1/1900", "31/12/1999", "1/1/2101"] {
        let reply = joined(&bot.ask(ADMIN, ADMIN, "vi", &format!("/add {due} Bộ Công an | Việc ngoài khoảng")).await);
        assert!(reply.contains(&format!("“{due}” không phải là hạn hợp lệ")), "{due}: {reply}");
    }
    assert_eq!(bot.app.catalog().tasks.len(), before, "nothing added");

    // In the review, "Sửa hạn" with 1/1/1900 is refused and the proposal keeps its date.
    let replies =
        bot.ask(ADMIN, ADMIN, "vi", "Hà Nội, ngày 20/08/2026\nBộ Tư pháp rà soát văn bản trước ngày 15/10/2026.").await;
    assert_eq!(replies.len(), 3, "{}", joined(&replies));
    bot.api.push_callback(ADMIN, ADMIN, replies[1].message_id, &press(&replies[1], "Sửa hạn"));
    bot.api.wait_for_sent(bot.api.sent().len() + 1, WAIT).await;
    bot.api.settle(QUIET).await;
    let refused = joined(&bot.ask(ADMIN, ADMIN, "vi", "1/1/1900").await);
    assert!(refused.contains("“1/1/1900” không phải là hạn hợp lệ"), "{refused}");
    let edited = joined(&bot.ask(ADMIN, ADMIN, "vi", "30/11/2026").await);
    assert!(edited.contains("30/11/2026"), "a good date is still taken: {edited}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_imported_file_is_stored_clean_after_review() {
    let bot = TestBot::start_with(admins_config(&[ADMIN]), AT).await;
    let replies = review_file(&bot, &dirty_directive(), 3).await;
    assert!(replies[0].text.contains("Tìm thấy 1 nhiệm vụ"), "{}", replies[0].text);
    assert!(!replies[1].text.chars().any(|c| c != '\n' && is_unwanted(c)), "shown clean: {:?}", replies[1].text);
    let saved = save(&bot, &replies[2]).await;
    assert!(saved.contains("Đã lưu 1 nhiệm vụ mới"), "{saved}");
    let catalog = bot.app.catalog();
    // The imported clause's own words: a seeded task may also "kết nối".
    let task = catalog.tasks.iter().find(|t| t.title_vi.contains("kết nối dữ liệu khẩn")).expect("saved");
    assert_clean(&task.title_vi);
    assert_clean(&task.owner);
    assert!(task.title_vi.contains("kết nối dữ liệu khẩn dân cư trong tháng 9/2026"), "{}", task.title_vi);
    assert_eq!(task.owner, "Bộ Công an");
    assert_eq!(task.due.date.to_string(), "2026-09-30");
}

#[test]
fn the_command_line_import_stores_the_same_clean_text() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("chi-thi.txt"), dirty_directive()).unwrap();
    let output = hanchot(dir.path(), &["import", "chi-thi.txt", "--yes"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(!stdout(&output).chars().any(|c| c == '\u{1b}' || c == '\u{202e}'), "the table printed is clean too");
    let listed: serde_json::Value =
        serde_json::from_str(&stdout(&hanchot(dir.path(), &["deadlines", "--json", "--all"]))).unwrap();
    let task = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["title"].as_str().unwrap().contains("kết nối dữ liệu khẩn"))
        .expect("imported");
    assert_clean(task["title"].as_str().unwrap());
    assert_eq!(task["owner"], "Bộ Công an");
    assert!(task["title"].as_str().unwrap().contains("kết nối dữ liệu khẩn dân cư"), "{task}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_clause_is_shown_shortened_and_saved_whole() {
    let bot = TestBot::start_with(admins_config(&[ADMIN]), AT).await;
    let body = "rà soát, làm sạch dữ liệu dân cư của từng xã, ".repeat(130);
    let text = format!("Hà Nội, ngày 20/08/2026\nBộ Công an hoàn thành {body}trong tháng 9/2026.\n");
    assert!(text.chars().count() > 5_600);
    let replies = review_file(&bot, &text, 3).await;
    assert!(replies[1].text.contains('…'), "the clause is shortened in the message");
    assert!(replies[2].buttons.iter().any(|(l, _)| l.contains("Lưu")), "the review reached its save button");
    save(&bot, &replies[2]).await;
    let catalog = bot.app.catalog();
    let task = catalog.tasks.iter().find(|t| t.title_vi.contains("làm sạch dữ liệu")).expect("saved");
    assert!(task.title_vi.chars().count() > 5_500, "stored whole: {} characters", task.title_vi.chars().count());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_typed_owner_over_200_characters_gets_a_reply_and_changes_nothing() {
    let bot = TestBot::start_with(admins_config(&[ADMIN]), AT).await;
    let replies =
        bot.ask(ADMIN, ADMIN, "vi", "Hà Nội, ngày 20/08/2026\nBộ Tư pháp rà soát văn bản trước ngày 15/10/2026.").await;
    bot.api.push_callback(ADMIN, ADMIN, replies[1].message_id, &press(&replies[1], "Sửa đơn vị"));
    bot.api.wait_for_sent(bot.api.sent().len() + 1, WAIT).await;
    bot.api.settle(QUIET).await;
    let refused = joined(&bot.ask(ADMIN, ADMIN, "vi", &"Ủy ban ".repeat(570)).await);
    assert!(refused.contains("dài quá 200 ký tự"), "{refused}");
    let english = joined(&bot.ask(ADMIN, ADMIN, "en", &"x".repeat(4_000)).await);
    assert!(english.contains("at most 200 characters"), "{english}");
    let edited = joined(&bot.ask(ADMIN, ADMIN, "vi", "Văn phòng Chính phủ").await);
    assert!(edited.contains("Văn phòng Chính phủ"), "a short owner is still taken: {edited}");
}
