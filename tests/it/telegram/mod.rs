//! The real dispatcher against a fake Bot API server on loopback: every command, in a private
//! chat and in a group, including bad input.

mod paced;

use crate::support;

use std::time::Duration;

use support::fake_bot_api::{BOT_USERNAME, Sent};
use support::{QUIET, TODAY, TestBot, WAIT, admins_config, joined};

const USER: i64 = 501;
const GROUP: i64 = -4242;

/// Sends one message as `USER` (or, in a private chat, as the chat itself) and returns the replies.
async fn ask(bot: &TestBot, chat: i64, language: &str, text: &str) -> Vec<Sent> {
    let user = if chat > 0 { chat } else { USER };
    bot.ask(chat, user, language, text).await
}

#[tokio::test(flavor = "multi_thread")]
async fn private_chat_answers_every_command_in_vietnamese() {
    let bot = TestBot::start(TODAY).await;

    let start_reply = joined(&ask(&bot, USER, "vi", "/start").await);
    assert!(start_reply.contains("Hạn Chót") && start_reply.contains("/deadlines"), "{start_reply}");
    let help = joined(&ask(&bot, USER, "vi", "/help").await);
    for command in ["/deadlines", "/metric", "/metrics", "/subscribe", "/unsubscribe", "/lang", "/sources"] {
        assert!(help.contains(command), "help lacks {command}");
    }

    let deadlines = joined(&ask(&bot, USER, "vi", "/deadlines").await);
    assert!(deadlines.contains("Hôm nay: 22/11/2026"), "{deadlines}");
    assert!(deadlines.contains("Quá hạn, chưa hoàn thành"), "{deadlines}");
    assert!(deadlines.contains("quá hạn"), "past deadlines are counted as overdue: {deadlines}");

    let june = joined(&ask(&bot, USER, "vi", "/deadlines 6/2025").await);
    assert!(june.contains("tháng 6/2025 (30/06/2025)"), "{june}");
    assert!(june.contains("ký số"), "the June 2025 digital-signing task is listed: {june}");

    let land = joined(&ask(&bot, USER, "vi", "/deadlines dat dai").await);
    assert!(land.contains("đất đai"), "a search without tone marks finds đất đai: {land}");

    let vneid = joined(&ask(&bot, USER, "vi", "/metric tài khoản VNeID").await);
    assert!(vneid.contains("55,25 triệu"), "{vneid}");
    assert!(vneid.contains("Nguồn") || vneid.contains("—"), "{vneid}");

    let metrics = joined(&ask(&bot, USER, "vi", "/metrics").await);
    assert!(metrics.contains("Kinh tế số"), "{metrics}");

    let subscribed = joined(&ask(&bot, USER, "vi", "/subscribe").await);
    assert!(subscribed.contains("Đã đăng ký"), "{subscribed}");
    let subscription = bot.app.store.subscription(USER).await.unwrap().expect("stored");
    assert!(subscription.active);
    let unsubscribed = joined(&ask(&bot, USER, "vi", "/unsubscribe").await);
    assert!(unsubscribed.contains("Đã hủy đăng ký"), "{unsubscribed}");
    assert!(!bot.app.store.subscription(USER).await.unwrap().expect("kept").active);
}

#[tokio::test(flavor = "multi_thread")]
async fn english_users_and_lang_choice_get_english() {
    let bot = TestBot::start(TODAY).await;
    let reply = joined(&ask(&bot, USER, "en-GB", "/metric digital economy share of GDP 2024").await);
    assert!(reply.contains("18.3% of GDP") || reply.contains("18.3%"), "{reply}");
    assert!(reply.contains("Series"), "other figures form a series: {reply}");

    let reply = joined(&ask(&bot, USER + 1, "vi", "/lang en").await);
    assert_eq!(reply, "Switched to English.");
    let reply = joined(&ask(&bot, USER + 1, "vi", "/deadlines overdue").await);
    assert!(reply.contains("Overdue, not done") && reply.contains("days overdue"), "{reply}");
    let reply = joined(&ask(&bot, USER + 1, "vi", "/lang klingon").await);
    assert!(reply.contains("/lang vi"), "{reply}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_command_menu_is_published_in_both_languages() {
    let bot = TestBot::start(TODAY).await;
    ask(&bot, USER, "vi", "/help").await;
    let calls = bot.api.calls("setMyCommands");
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(calls.iter().any(|c| c["language_code"] == "vi"));
    assert!(calls.iter().any(|c| c.get("language_code").is_none() || c["language_code"].is_null()));
}

#[tokio::test(flavor = "multi_thread")]
async fn groups_get_answers_only_for_this_bot() {
    let bot = TestBot::start(TODAY).await;
    let replies = ask(&bot, GROUP, "vi", &format!("/deadlines@{BOT_USERNAME} quá hạn")).await;
    assert!(!replies.is_empty());
    assert!(replies[0].reply_to.is_some(), "group answers are replies");
    assert!(joined(&replies).contains("Quá hạn"));

    // Meant for another bot, or plain chatter: silence.
    let before = bot.api.sent().len();
    bot.api.push_text(GROUP, USER, "vi", "/deadlines@other_bot");
    bot.api.push_text(GROUP, USER, "vi", "hôm nay họp lúc mấy giờ?");
    bot.api.push_text(GROUP, USER, "vi", "/weather");
    let after = bot.api.settle(Duration::from_millis(1500)).await;
    assert_eq!(after.len(), before, "the bot spoke out of turn: {:?}", &after[before..]);

    let unknown = joined(&ask(&bot, GROUP, "vi", &format!("/weather@{BOT_USERNAME}")).await);
    assert!(unknown.contains("Không có lệnh"), "{unknown}");
    let metric = joined(&ask(&bot, GROUP, "vi", "/metric kinh te so").await);
    assert!(metric.contains("Kinh tế số") || metric.contains("kinh tế số"), "{metric}");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_gets_a_clear_answer_and_changes_nothing() {
    let bot = TestBot::start(TODAY).await;
    let tasks_before = bot.app.catalog().tasks.len();

    let reply = joined(&ask(&bot, USER, "vi", "/deadlines 13/2025").await);
    assert!(reply.contains("không phải là tháng hợp lệ"), "{reply}");
    let reply = joined(&ask(&bot, USER, "en", "/deadlines 6/20255").await);
    assert!(reply.contains("is not a valid month"), "{reply}");

    let reply = joined(&ask(&bot, USER, "vi", "/nope").await);
    assert!(reply.contains("Không có lệnh /nope"), "{reply}");

    let reply = joined(&ask(&bot, USER, "vi", "/metric").await);
    assert!(reply.contains("/metric tài khoản VNeID"), "usage is explained: {reply}");
    let reply = joined(&ask(&bot, USER, "vi", "/metric giá vàng SJC").await);
    assert!(reply.contains("Không tìm thấy số liệu"), "{reply}");

    let huge = format!("/metric {}", "kinh tế số ".repeat(100));
    let reply = joined(&ask(&bot, USER, "vi", &huge).await);
    assert!(reply.contains("quá dài"), "{reply}");

    let reply = joined(&ask(&bot, USER, "vi", "/deadlines \u{0}\u{1}\u{2}").await);
    assert!(reply.contains("không đọc được"), "{reply}");

    let injection = "/deadlines '; DROP TABLE tasks; --";
    let reply = joined(&ask(&bot, USER, "vi", injection).await);
    assert!(reply.contains("Không tìm thấy nhiệm vụ"), "{reply}");
    let reply = joined(&ask(&bot, USER, "vi", "/subscribe Bộ Công an'); DELETE FROM chats; --").await);
    assert!(reply.contains("Đã đăng ký"), "{reply}");
    let stored = bot.app.store.subscription(USER).await.unwrap().expect("stored");
    assert_eq!(stored.filter, "Bộ Công an'); DELETE FROM chats; --", "stored literally");
    bot.app.reload().await.unwrap();
    assert_eq!(bot.app.catalog().tasks.len(), tasks_before, "no task lost");

    let reply = joined(&ask(&bot, USER, "vi", "<b>không phải lệnh</b> & <script>").await);
    assert!(reply.contains("/help"), "free text gets a pointer: {reply}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reply_survives_a_rate_limit_and_a_server_error() {
    use support::fake_bot_api::Scripted;
    let bot = TestBot::start(TODAY).await;
    bot.api.script(USER, [Scripted::RetryAfter(1), Scripted::ServerError]);
    let replies = ask(&bot, USER, "vi", "/help").await;
    assert_eq!(replies.len(), 1, "delivered once after the errors");
    assert!(replies[0].text.contains("/deadlines"));
}

#[tokio::test(flavor = "multi_thread")]
async fn in_groups_only_administrators_change_settings() {
    let bot = TestBot::start(TODAY).await;
    let refused = joined(&ask(&bot, GROUP, "vi", "/subscribe").await);
    assert!(refused.contains("Chỉ quản trị viên"), "{refused}");
    assert!(bot.app.store.subscription(GROUP).await.unwrap().is_none(), "nothing stored");
    let refused = joined(&ask(&bot, GROUP, "vi", "/digest 06:30").await);
    assert!(refused.contains("Chỉ quản trị viên"), "{refused}");

    // Anyone may read.
    let settings = joined(&ask(&bot, GROUP, "vi", "/settings").await);
    assert!(settings.contains("Đăng ký: chưa"), "{settings}");

    bot.api.set_admin(GROUP, USER);
    let saved = joined(&ask(&bot, GROUP, "vi", "/digest 06:30").await);
    assert!(saved.contains("Đã lưu") && saved.contains("06:30 hằng ngày"), "{saved}");
    let subscribed = joined(&ask(&bot, GROUP, "vi", "/subscribe UBND").await);
    assert!(subscribed.contains("UBND"), "{subscribed}");
    assert!(!bot.api.calls("getChatMember").is_empty(), "asked Telegram who the admins are");
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_are_validated_and_shown() {
    let bot = TestBot::start(TODAY).await;
    let cases = [
        ("/digest 25:00", "Giờ gửi bản tin không hợp lệ"),
        ("/digest", "Giờ gửi bản tin không hợp lệ"),
        ("/timezone Mars/Olympus", "Múi giờ không hợp lệ"),
        ("/remind 7,abc", "Số ngày nhắc không hợp lệ"),
        ("/remind 400", "Số ngày nhắc không hợp lệ"),
        ("/mute 999", "Số ngày tạm tắt không hợp lệ"),
    ];
    for (command, answer) in cases {
        let reply = joined(&ask(&bot, USER, "vi", command).await);
        assert!(reply.contains(answer), "{command}: {reply}");
    }
    let defaults = bot.app.store.chat_settings(USER).await.unwrap();
    assert_eq!(defaults, Default::default(), "nothing invalid was stored");

    for command in ["/timezone Asia/Bangkok", "/remind 14, 3, 0", "/mute 3", "/digest empty on"] {
        let reply = joined(&ask(&bot, USER, "vi", command).await);
        assert!(reply.contains("Đã lưu"), "{command}: {reply}");
    }
    let settings = joined(&ask(&bot, USER, "vi", "/settings").await);
    assert!(settings.contains("Asia/Bangkok"), "{settings}");
    assert!(settings.contains("14, 3, 0 ngày"), "{settings}");
    assert!(settings.contains("Tạm tắt thông báo đến"), "{settings}");
    assert!(settings.contains("vẫn gửi bản tin"), "{settings}");
    let english = joined(&ask(&bot, USER + 9, "en", "/remind x").await);
    assert!(english.contains("Those are not reminder days"), "{english}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_group_that_becomes_a_supergroup_keeps_its_subscription() {
    let bot = TestBot::start(TODAY).await;
    bot.api.set_admin(GROUP, USER);
    ask(&bot, GROUP, "vi", "/subscribe").await;
    let supergroup = -1_000_000_004_242;
    bot.api.push_migration(GROUP, supergroup);
    for _ in 0..100 {
        if bot.app.store.subscription(supergroup).await.unwrap().is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let moved = bot.app.store.subscription(supergroup).await.unwrap().expect("moved to the new id");
    assert!(moved.active);
    assert!(bot.app.store.subscription(GROUP).await.unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn only_configured_admins_change_tasks_and_everyone_gets_the_calendar() {
    let admin: i64 = 777;
    let running = TestBot::start_with(admins_config(&[admin]), TODAY).await;

    let tasks_before = running.app.catalog().tasks.len();
    let refused = joined(&ask(&running, USER, "vi", "/add 15/12/2026 Bộ Công an | Việc mới").await);
    assert!(refused.contains("chỉ quản trị viên"), "{refused}");
    let refused = joined(&ask(&running, USER, "en", "/done 1").await);
    assert!(refused.contains("only Hạn Chót's administrators"), "{refused}");
    assert_eq!(running.app.catalog().tasks.len(), tasks_before, "nothing changed");

    running.api.push_text(admin, admin, "vi", "/add 15/12/2026 Bộ Công an | Việc mới từ Telegram");
    running.api.wait_for_sent(running.api.sent().len() + 1, WAIT).await;
    let added = running.api.settle(QUIET).await.last().unwrap().text.clone();
    assert!(added.contains("Đã thêm nhiệm vụ"), "{added}");
    let id: String = added.split('#').nth(1).unwrap().chars().take_while(char::is_ascii_digit).collect();
    running.api.push_text(admin, admin, "vi", &format!("/done {id}"));
    running.api.wait_for_sent(running.api.sent().len() + 1, WAIT).await;
    running.api.settle(QUIET).await;
    let card = joined(&ask(&running, USER, "vi", &format!("/deadline {id}")).await);
    assert!(card.contains("đã hoàn thành") && card.contains(&format!("người dùng {admin}")), "{card}");

    let calendar = ask(&running, USER, "vi", "/ics quá hạn").await;
    let (name, bytes) = calendar[0].document.clone().expect("a document");
    assert_eq!(name, "hanchot-deadlines.ics");
    let content = String::from_utf8_lossy(&bytes).into_owned();
    assert!(content.starts_with("BEGIN:VCALENDAR"), "{}", &content[..content.len().min(300)]);
    assert!(calendar[0].text.contains("Lịch các hạn chót"));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_adds_a_directive_from_telegram_after_reviewing_it() {
    let admin: i64 = 888;
    let running = TestBot::start_with(admins_config(&[admin]), "2026-08-25").await;
    let before = running.app.catalog().tasks.len();

    let directive = "Hà Nội, ngày 20/08/2026\n\
        Bộ Công an hoàn thành kết nối dữ liệu trong tháng 9/2026.\n\
        Bộ Tư pháp rà soát văn bản trước ngày 15/10/2026.\n\
        UBND các tỉnh báo cáo kết quả cuối năm 2026.";
    // A non-admin's text is a question, not an import.
    let reply = joined(&ask(&running, USER, "vi", directive).await);
    assert!(!reply.contains("Tìm thấy"), "{reply}");

    let replies = ask(&running, admin, "vi", directive).await;
    assert!(replies[0].text.contains("Tìm thấy 3 nhiệm vụ"), "{}", replies[0].text);
    assert_eq!(replies.len(), 5, "a header, one message per proposal, and the save button");
    assert_eq!(running.app.catalog().tasks.len(), before, "nothing stored before saving");
    let press = |reply: &Sent, label: &str| -> String {
        reply.buttons.iter().find(|(l, _)| l.contains(label)).map(|(_, d)| d.clone()).expect(label)
    };

    // Drop the second proposal.
    let edits = running.api.edits().len();
    running.api.push_callback(admin, admin, replies[2].message_id, &press(&replies[2], "Bỏ"));
    running.wait_for_edits(edits + 1).await;
    assert!(running.api.edits().last().unwrap().text.contains("🗑 bỏ"));

    // Move the first one's date.
    running.api.push_callback(admin, admin, replies[1].message_id, &press(&replies[1], "Sửa hạn"));
    running.api.wait_for_sent(running.api.sent().len() + 1, WAIT).await;
    running.api.settle(QUIET).await;
    let edited = ask(&running, admin, "vi", "31/10/2026").await;
    assert!(edited[0].text.contains("31/10/2026"), "{}", edited[0].text);

    // A non-admin cannot save; the admin can.
    running.api.push_callback(admin, USER, replies[4].message_id, &press(&replies[4], "Lưu"));
    running.api.settle(QUIET).await;
    assert_eq!(running.app.catalog().tasks.len(), before);
    let edits = running.api.edits().len();
    running.api.push_callback(admin, admin, replies[4].message_id, &press(&replies[4], "Lưu"));
    running.wait_for_edits(edits + 1).await;
    assert!(running.api.edits().last().unwrap().text.contains("Đã lưu 2 nhiệm vụ mới"));
    let catalog = running.app.catalog();
    assert_eq!(catalog.tasks.len(), before + 2);
    assert!(catalog.tasks.iter().any(|t| t.owner == "Bộ Công an" && t.due.date.to_string() == "2026-10-31"));
    assert!(!catalog.tasks.iter().any(|t| t.owner == "Bộ Tư pháp" && t.title_vi.contains("rà soát văn bản")));

    // A .txt file works the same way.
    let before_file = running.api.sent().len();
    running.api.push_document(admin, admin, "chi-thi.txt", directive.as_bytes());
    running.api.wait_for_sent(before_file + 5, WAIT).await;
    let from_file = running.api.settle(QUIET).await;
    assert!(from_file[before_file].text.contains("Tìm thấy 3 nhiệm vụ"), "{}", from_file[before_file].text);

    // The same text again, saved again, adds nothing.
    let again = ask(&running, admin, "vi", directive).await;
    let edits = running.api.edits().len();
    running.api.push_callback(admin, admin, again[4].message_id, &press(&again[4], "Lưu"));
    running.wait_for_edits(edits + 1).await;
    let saved = running.api.edits().last().unwrap().text.clone();
    assert!(saved.contains("Đã lưu 1 nhiệm vụ mới (2 đã có"), "only the one dropped before is new: {saved}");
}

#[tokio::test(flavor = "multi_thread")]
async fn adding_a_task_wakes_delivery_from_the_command_line_path_and_from_telegram() {
    use hanchot::chat::access::Authority;
    use hanchot::chat::handlers::respond;
    use hanchot::chat::message::Incoming;
    use hanchot::serve::Options;
    use hanchot::store::ChatKind;
    use support::{app_with, set_clock};

    let admin: i64 = 999;
    // After the morning's 07:00 slot: the next one is tomorrow, and without a wake-up delivery
    // would sleep for an hour.
    let app = app_with(admins_config(&[admin]), "2026-12-01T08:00").await;
    let bot = TestBot::serve(app, Options { delivery_max_sleep: Duration::from_secs(3600) }).await;
    let subscribed = joined(&ask(&bot, admin, "vi", "/subscribe").await);
    assert!(subscribed.contains("Đã đăng ký"), "{subscribed}");
    let reminder_of = |title: &'static str| {
        move |sent: &[Sent]| {
            sent.iter().any(|s| s.chat_id == admin && s.text.contains("Nhắc hạn") && s.text.contains(title))
        }
    };

    // The command line's path: the same handlers, as the operator. Time moves past the next slot
    // first, which by itself wakes nothing.
    set_clock(&bot.app, "2026-12-02T07:00:05");
    let incoming = Incoming {
        chat_id: 0,
        chat_kind: ChatKind::Private,
        user_id: None,
        user_lang: None,
        as_chat: false,
        text: "/add 2/12/2026 Bộ Công an | Rà soát dữ liệu dân cư hôm nay".into(),
    };
    let added = respond(&bot.app, &incoming, BOT_USERNAME, &Authority::Operator).await;
    assert!(added[0].text().contains("Đã thêm nhiệm vụ"), "{added:?}");
    let sent = bot.api.wait_until(reminder_of("Rà soát dữ liệu dân cư hôm nay"), WAIT).await;
    assert!(reminder_of("Rà soát dữ liệu dân cư hôm nay")(&sent), "no reminder for the task added by the operator");
    // The rest of that slot (its digest) goes out before time moves again: a pass still running
    // when the clock jumps would plan the next slot before the task below exists.
    for _ in 0..200 {
        let counts = bot.app.store.outbox_counts().await.unwrap();
        if counts.pending + counts.sending == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bot.api.settle(support::QUIET).await;

    // Telegram's path: an admin's /add.
    set_clock(&bot.app, "2026-12-03T07:00:05");
    let added = joined(&ask(&bot, admin, "vi", "/add 3/12/2026 Bộ Tư pháp | Công bố danh mục thủ tục hôm nay").await);
    assert!(added.contains("Đã thêm nhiệm vụ"), "{added}");
    let sent = bot.api.wait_until(reminder_of("Công bố danh mục thủ tục hôm nay"), WAIT).await;
    assert!(reminder_of("Công bố danh mục thủ tục hôm nay")(&sent), "no reminder for the task added in Telegram");
}
