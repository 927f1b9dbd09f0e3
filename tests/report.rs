//! Counting as the Government Office does: completion dates, adjusted deadlines, the per-owner
//! report, through Telegram and the command line.

mod support;

use chrono::NaiveDate;
use hanchot::domain::digest::reminders;
use support::{TestBot, admins_config, joined, set_clock};

const ADMIN: i64 = 777;
const READER: i64 = 501;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Adds a task as the admin and returns its id.
async fn add(bot: &TestBot, line: &str) -> i64 {
    let added = joined(&bot.ask(ADMIN, ADMIN, "vi", &format!("/add {line}")).await);
    let id: String = added.split('#').nth(1).expect("an id").chars().take_while(char::is_ascii_digit).collect();
    id.parse().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn done_records_the_completion_date_and_judges_on_time_or_late() {
    let bot = TestBot::start_with(admins_config(&[ADMIN]), "2026-12-10").await;
    let early = add(&bot, "15/11/2026 Bộ Thử nghiệm | Việc xong sớm").await;
    let late = add(&bot, "15/11/2026 Bộ Thử nghiệm | Việc xong muộn").await;
    let today = add(&bot, "31/12/2026 Bộ Thử nghiệm | Việc xong hôm nay").await;

    bot.ask(ADMIN, ADMIN, "vi", &format!("/done {early} 10/11/2026 đã gửi báo cáo")).await;
    bot.ask(ADMIN, ADMIN, "vi", &format!("/done {late} 2026-11-20")).await;
    bot.ask(ADMIN, ADMIN, "vi", &format!("/done {today}")).await;
    let future = joined(&bot.ask(ADMIN, ADMIN, "vi", &format!("/done {late} 20/12/2026")).await);
    assert!(future.contains("chưa tới"), "a completion date in the future is refused: {future}");

    let card = joined(&bot.ask(READER, READER, "vi", &format!("/deadline {early}")).await);
    assert!(card.contains("đã hoàn thành đúng hạn (10/11/2026)"), "{card}");
    assert!(card.contains("đã gửi báo cáo"), "the note follows the date: {card}");
    let card = joined(&bot.ask(READER, READER, "en", &format!("/deadline {late}")).await);
    assert!(card.contains("done 5 days late (20 Nov 2026)"), "{card}");
    let card = joined(&bot.ask(READER, READER, "vi", &format!("/deadline {today}")).await);
    assert!(card.contains("đúng hạn (10/12/2026)"), "today by default: {card}");

    let listing = joined(&bot.ask(READER, READER, "vi", "/deadlines Bộ Thử nghiệm").await);
    assert!(listing.contains("trễ hạn 5 ngày"), "{listing}");
}

#[tokio::test(flavor = "multi_thread")]
async fn extend_keeps_the_original_moves_reminders_and_judges_on_time_against_the_new_date() {
    let bot = TestBot::start_with(admins_config(&[ADMIN]), "2026-11-01").await;
    let id = add(&bot, "15/11/2026 Bộ Thử nghiệm | Việc được gia hạn").await;

    let refused = joined(&bot.ask(READER, READER, "vi", &format!("/extend {id} 30/11/2026 xin thêm thời gian")).await);
    assert!(refused.contains("quản trị viên"), "only the bot's admins adjust: {refused}");
    let usage = joined(&bot.ask(ADMIN, ADMIN, "vi", &format!("/extend {id} 30/11/2026")).await);
    assert!(usage.contains("/extend"), "a reason is required: {usage}");

    let done = joined(&bot.ask(ADMIN, ADMIN, "vi", &format!("/extend {id} 30/11/2026 Chờ ý kiến Bộ Tư pháp")).await);
    assert!(done.contains("15/11/2026 → 30/11/2026"), "{done}");

    let task = bot.app.catalog().task(id).cloned().unwrap();
    assert_eq!(task.due.date, d(2026, 11, 15), "the original due date is kept");
    assert_eq!(task.adjusted_due, Some(d(2026, 11, 30)));

    let card = joined(&bot.ask(READER, READER, "vi", &format!("/deadline {id}")).await);
    assert!(card.contains("30/11/2026") && card.contains("hạn ban đầu 15/11/2026"), "{card}");
    assert!(card.contains("điều chỉnh thời hạn đến 30/11/2026"), "the history shows the change: {card}");
    assert!(card.contains("Chờ ý kiến Bộ Tư pháp") && card.contains(&format!("người dùng {ADMIN}")), "{card}");

    // Reminders follow the adjusted date: seven days before it, not before the original.
    let catalog = bot.app.catalog();
    let reminded =
        |day| reminders(&catalog.tasks, "Bộ Thử nghiệm", &[7], day).iter().map(|r| r.listed.due).collect::<Vec<_>>();
    assert_eq!(reminded(d(2026, 11, 8)), vec![], "no reminder for the original date");
    assert_eq!(reminded(d(2026, 11, 23)), vec![d(2026, 11, 30)]);

    // Done after the original date but before the adjusted one: on time.
    set_clock(&bot.app, "2026-11-25");
    bot.ask(ADMIN, ADMIN, "vi", &format!("/done {id} 25/11/2026")).await;
    let card = joined(&bot.ask(READER, READER, "vi", &format!("/deadline {id}")).await);
    assert!(card.contains("đã hoàn thành đúng hạn (25/11/2026)"), "{card}");
}
