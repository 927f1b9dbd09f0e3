//! Replies within Telegram's limits: a burst answered in full, a reply ahead of a broadcast, files
//! answered, and a group's identical commands answered once when they wait for its turn.

use super::*;

/// Telegram's limits, as the fake server enforces them and the bot is configured for.
fn limited_config(per_second: u32) -> hanchot::config::Config {
    hanchot::config::Config { max_per_second: per_second, max_per_chat_per_second: 1, ..support::memory_config() }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_burst_of_commands_beyond_the_limit_is_answered_in_full_within_it() {
    let bot = TestBot::start_with(limited_config(20), TODAY).await;
    bot.api.enforce_limits(20, 1.0);
    let users: Vec<i64> = (1..=60).map(|n| 10_000 + n).collect();
    for &user in &users {
        bot.api.push_text(user, user, "vi", "/help");
    }
    let sent = bot.api.wait_for_sent(users.len(), Duration::from_secs(30)).await;
    for user in &users {
        assert_eq!(bot.api.sent_to(*user).len(), 1, "user {user} answered once");
    }
    assert_eq!(sent.len(), users.len());
    assert_eq!(bot.api.too_many_requests(), 0, "no request over the limit");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reply_during_a_broadcast_goes_ahead_of_the_rest_of_it() {
    use support::{app_with, set_clock};
    const CHATS: i64 = 100;
    let app = app_with(limited_config(20), "2026-12-01T06:59:59").await;
    for chat in 1..=CHATS {
        app.subscribe(chat, hanchot::store::ChatKind::Private, "").await.unwrap();
    }
    let bot = TestBot::serve(app, hanchot::serve::Options::default()).await;
    bot.api.enforce_limits(20, 1.0);
    // The 07:00 digest, to every chat: five seconds of sending at 20 a second.
    set_clock(&bot.app, "2026-12-01T07:00:01");
    bot.app.subscribe(1, hanchot::store::ChatKind::Private, "").await.unwrap();
    bot.api.wait_for_sent(10, WAIT).await;
    let asker = 77_777;
    bot.api.push_text(asker, asker, "en", "/help");
    let sent = bot.api.wait_until(|sent| sent.len() as i64 > CHATS, Duration::from_secs(30)).await;
    let reply_at = sent.iter().position(|s| s.chat_id == asker).expect("the reply arrived");
    let after = sent.len() - reply_at - 1;
    assert!(after >= 50, "the reply came behind most of the broadcast: {after} digests after it of {CHATS}");
    assert_eq!(bot.api.too_many_requests(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_sends_a_docx_or_pdf_and_every_other_file_gets_an_answer() {
    let admin: i64 = 4_321;
    let bot = TestBot::start_with(admins_config(&[admin]), "2026-01-10").await;
    let fixture = |name: &str| {
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/documents").join(name)).unwrap()
    };
    let send = |name: &str, bytes: &[u8]| {
        let before = bot.api.sent().len();
        bot.api.push_document(admin, admin, name, bytes);
        before
    };
    for name in ["ke-hoach-tinh.docx", "ke-hoach-tinh.pdf"] {
        let before = send(name, &fixture(name));
        bot.api.wait_for_sent(before + 1, WAIT).await;
        let replies: Vec<Sent> = bot.api.settle(QUIET).await.into_iter().skip(before).collect();
        assert!(replies[0].text.contains("Tìm thấy"), "{name}: {}", replies[0].text);
        assert!(replies.last().unwrap().buttons.iter().any(|(label, _)| label.contains("Lưu")), "{name}");
    }
    for (name, bytes, answer) in [
        ("scan-no-text.pdf", fixture("scan-no-text.pdf"), "ảnh quét"),
        ("ke-hoach-tinh-encrypted.pdf", fixture("ke-hoach-tinh-encrypted.pdf"), "mật khẩu"),
        ("random.bin", fixture("random.bin"), ".txt, .docx hoặc .pdf"),
        ("empty.txt", Vec::new(), "Tệp trống"),
        ("ghi-chu.txt", "Họp giao ban sáng thứ Hai.".as_bytes().to_vec(), "không thấy nhiệm vụ"),
    ] {
        let before = send(name, &bytes);
        bot.api.wait_for_sent(before + 1, WAIT).await;
        let reply = joined(&bot.api.settle(QUIET).await[before..]);
        assert!(reply.contains(answer), "{name}: {reply}");
    }
    // Not one of the bot's admins: told so, nothing read.
    let before = bot.api.sent().len();
    bot.api.push_document(USER, USER, "ke-hoach-tinh.docx", &fixture("ke-hoach-tinh.docx"));
    bot.api.wait_for_sent(before + 1, WAIT).await;
    let reply = joined(&bot.api.settle(QUIET).await[before..]);
    assert!(reply.contains("chỉ quản trị viên"), "{reply}");
}

/// Telegram's limits with a group's 20 messages a minute; the fake server is told to space each
/// chat by 3 s ([`enforce_group_limit`]), so only group chats may be messaged under it.
fn group_limited_config() -> hanchot::config::Config {
    hanchot::config::Config {
        max_per_second: 30,
        max_per_chat_per_second: 1,
        max_per_group_per_minute: 20,
        ..support::memory_config()
    }
}

/// The fake server refuses a second message to a chat within 3 s: a group's 20 a minute.
fn enforce_group_limit(bot: &TestBot) {
    bot.api.enforce_limits(30, 20.0 / 60.0);
}

/// Sends `/help` to the group and waits for the answer: the group's next turn is 3 s away.
async fn spend_the_groups_budget(bot: &TestBot) {
    let replies = ask(bot, GROUP, "vi", "/help").await;
    assert_eq!(replies.len(), 1, "{replies:?}");
}

/// Pushes a command after the others and waits for its answer: a group's answers go in order, so
/// whatever was still owed for the messages before it has been sent by then.
async fn answered_up_to_here(bot: &TestBot) -> Vec<Sent> {
    let last = bot.api.push_text(GROUP, USER, "vi", "/metric tài khoản VNeID");
    let sent = bot.api.wait_until(|sent| sent.iter().any(|s| s.reply_to == Some(last)), Duration::from_secs(60)).await;
    assert!(sent.iter().any(|s| s.reply_to == Some(last)), "the last command was not answered");
    sent
}

#[tokio::test(flavor = "multi_thread")]
async fn identical_group_commands_waiting_for_the_groups_turn_are_answered_once_replying_to_the_latest() {
    let bot = TestBot::start_with(group_limited_config(), TODAY).await;
    enforce_group_limit(&bot);
    spend_the_groups_budget(&bot).await;

    let before = bot.api.sent().len();
    let typed = ["/deadlines 6/2025", &format!("/Deadlines@{BOT_USERNAME} 6/2025"), "/deadlines  6/2025 "];
    let burst: Vec<i64> =
        (0..10).map(|n| bot.api.push_text(GROUP, USER + n as i64, "vi", typed[n % typed.len()])).collect();
    let sent = answered_up_to_here(&bot).await;

    let answers: Vec<&Sent> = sent[before..].iter().filter(|s| burst.contains(&s.reply_to.unwrap_or(0))).collect();
    assert_eq!(answers.len(), 1, "ten identical commands, one answer: {answers:#?}");
    assert_eq!(answers[0].reply_to, burst.last().copied(), "the answer replies to the latest of them");
    assert!(answers[0].text.contains("ký số"), "{}", answers[0].text);
    assert_eq!(bot.api.too_many_requests(), 0, "no request over the group's limit");
}

#[tokio::test(flavor = "multi_thread")]
async fn different_group_commands_and_answers_that_depend_on_who_asks_are_each_answered() {
    const ADMIN: i64 = USER + 50;
    let bot = TestBot::start_with(group_limited_config(), TODAY).await;
    bot.api.set_admin(GROUP, ADMIN);
    enforce_group_limit(&bot);
    spend_the_groups_budget(&bot).await;

    let before = bot.api.sent().len();
    let mut deadlines = Vec::new();
    let mut settings = Vec::new();
    for n in 0..3 {
        deadlines.push(bot.api.push_text(GROUP, USER + n, "vi", "/deadlines 6/2025"));
        settings.push(bot.api.push_text(GROUP, USER + n, "vi", "/settings"));
    }
    // The same words in another language, and a change only an administrator may make, asked by
    // one who is and one who is not: different answers, each to its own asker.
    let settings_en = bot.api.push_text(GROUP, USER + 10, "en", "/settings");
    let refused = bot.api.push_text(GROUP, USER + 11, "vi", "/subscribe");
    let subscribed = bot.api.push_text(GROUP, ADMIN, "vi", "/subscribe");
    let sent = answered_up_to_here(&bot).await;

    let answers_to = |id: i64| -> Vec<&Sent> { sent[before..].iter().filter(|s| s.reply_to == Some(id)).collect() };
    let answered = |ids: &[i64]| -> usize { ids.iter().map(|&id| answers_to(id).len()).sum() };
    assert_eq!(answered(&deadlines), 1, "/deadlines once");
    assert_eq!(answers_to(*deadlines.last().unwrap()).len(), 1, "replying to the latest /deadlines");
    assert_eq!(answered(&settings), 1, "/settings once");
    assert_eq!(answers_to(*settings.last().unwrap()).len(), 1, "replying to the latest /settings");
    let english = joined(&answers_to(settings_en).into_iter().cloned().collect::<Vec<_>>());
    assert!(english.contains("Subscribed"), "the English asker is answered in English: {english}");
    let refusal = joined(&answers_to(refused).into_iter().cloned().collect::<Vec<_>>());
    assert!(refusal.contains("Chỉ quản trị viên"), "{refusal}");
    let done = joined(&answers_to(subscribed).into_iter().cloned().collect::<Vec<_>>());
    assert!(done.contains("Đã đăng ký"), "{done}");
    assert_eq!(bot.api.too_many_requests(), 0, "no request over the group's limit");
}

#[tokio::test(flavor = "multi_thread")]
async fn in_a_private_chat_every_identical_command_is_answered() {
    let bot = TestBot::start_with(limited_config(30), TODAY).await;
    bot.api.enforce_limits(30, 1.0);
    for _ in 0..5 {
        bot.api.push_text(USER, USER, "vi", "/deadlines 6/2025");
    }
    let sent = bot.api.wait_for_sent(5, Duration::from_secs(30)).await;
    let answers: Vec<&Sent> = sent.iter().filter(|s| s.chat_id == USER && s.text.contains("ký số")).collect();
    assert_eq!(answers.len(), 5, "one answer each: {answers:#?}");
    assert_eq!(bot.api.too_many_requests(), 0, "no request over the chat's limit");
}
