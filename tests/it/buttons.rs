//! Every button press gets an answer: a forged review button, an outdated one, data of no known
//! kind, a press by someone the gate refuses; and a typed value after a forged button is answered.

use std::time::Duration;

use crate::support;

use support::fake_bot_api::Sent;
use support::{TestBot, WAIT, admins_config, joined};

const ADMIN: i64 = 888;
const STRANGER: i64 = 404;
const AT: &str = "2026-12-02";

fn press(reply: &Sent, label: &str) -> String {
    reply.buttons.iter().find(|(l, _)| l.contains(label)).map(|(_, d)| d.clone()).expect(label)
}

/// Presses a button and returns the notice its press was answered with.
async fn answered(bot: &TestBot, user: i64, message_id: i64, data: &str) -> String {
    let answers = bot.api.calls("answerCallbackQuery").len();
    bot.api.push_callback(user, user, message_id, data);
    let deadline = tokio::time::Instant::now() + WAIT;
    while bot.api.calls("answerCallbackQuery").len() == answers {
        assert!(tokio::time::Instant::now() < deadline, "the press of {data:?} was never answered");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let answer = bot.api.calls("answerCallbackQuery").pop().unwrap();
    answer["text"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forged_review_button_is_answered_and_so_is_the_date_typed_after_it() {
    let bot = TestBot::start_with(admins_config(&[ADMIN]), AT).await;
    let replies =
        bot.ask(ADMIN, ADMIN, "vi", "Hà Nội, ngày 20/11/2026\nBộ Tư pháp rà soát văn bản trước ngày 15/12/2026.").await;
    assert_eq!(replies.len(), 3, "{}", joined(&replies));
    let real = press(&replies[1], "Sửa hạn");
    // The same draft, a proposal it does not hold.
    let forged = real.replacen(":1:due", ":9:due", 1);
    assert_ne!(forged, real, "{real}");

    let notice = answered(&bot, ADMIN, replies[1].message_id, &forged).await;
    assert!(notice.contains("không còn khớp với bản nháp"), "{notice}");
    let typed = joined(&bot.ask(ADMIN, ADMIN, "vi", "30/12/2026").await);
    assert!(!typed.is_empty(), "the typed date is answered");
    assert!(!typed.contains("#9"), "no proposal 9 was edited: {typed}");

    // The real button still works, and the date typed after it edits proposal 1.
    answered(&bot, ADMIN, replies[1].message_id, &real).await;
    let edited = joined(&bot.ask(ADMIN, ADMIN, "vi", "30/12/2026").await);
    assert!(edited.contains("30/12/2026"), "{edited}");
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_outdated_and_refused_presses_each_get_a_notice() {
    let bot = TestBot::start_with(admins_config(&[ADMIN]), AT).await;
    let replies =
        bot.ask(ADMIN, ADMIN, "vi", "Hà Nội, ngày 20/11/2026\nBộ Tư pháp rà soát văn bản trước ngày 15/12/2026.").await;
    let closing = &replies[2];
    let save = press(closing, "Lưu");

    let notice = answered(&bot, STRANGER, closing.message_id, "v1:old-format").await;
    assert!(notice.contains("Nút này đã cũ hoặc không hợp lệ"), "{notice}");
    let notice = answered(&bot, STRANGER, closing.message_id, &save).await;
    assert!(notice.contains("quản trị viên"), "a stranger may not save: {notice}");
    let notice = answered(&bot, ADMIN, closing.message_id, "imp:99999:save").await;
    assert!(notice.contains("Bản nháp này đã đóng"), "{notice}");
    let notice = answered(&bot, ADMIN, closing.message_id, &"m:".repeat(40)).await;
    assert!(notice.contains("Nút này đã cũ"), "{notice}");
}
