//! Scheduled reports: a group's admin turns the monthly or weekly report on, it goes once a
//! period after the digest, and a database from before them migrates.

use super::*;

/// A group, one of its administrators and a member who is not one; a private chat that is
/// subscribed, whose morning digest shows that a slot was planned and sent.
const GROUP: i64 = -1_000_000_005_150;
const GROUP_ADMIN: i64 = 601;
const MEMBER: i64 = 602;
const WATCHER: i64 = 903;

fn is_scheduled_report(text: &str) -> bool {
    text.contains("<b>Báo cáo định kỳ hằng tháng</b>") || text.contains("<b>Monthly report</b>")
}

/// Moves the clock to `when` and waits until the watcher got the digest of that slot, and
/// everything else planned with it had its chance to go out.
async fn slot(bot: &TestBot, when: &str) {
    set_clock(&bot.app, when);
    let before = bot.api.sent_to(WATCHER).len();
    bot.api.wait_until(|_| bot.api.sent_to(WATCHER).len() > before, support::WAIT).await;
    assert!(bot.api.sent_to(WATCHER).len() > before, "the watcher's digest at {when}");
    bot.api.settle(support::QUIET).await;
}

/// Moves the clock to `when` and waits until planning recorded `skipped` rows in all.
async fn skipped_slot(bot: &TestBot, when: &str, skipped: i64) {
    set_clock(&bot.app, when);
    for _ in 0..400 {
        if bot.app.store.outbox_counts().await.unwrap().skipped >= skipped {
            bot.api.settle(support::QUIET).await;
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("nothing skipped at {when}");
}

/// A bot whose delivery looks at the clock often, so that moving it is noticed at once.
async fn scheduling_bot(at: &str) -> TestBot {
    // The tests move the clock months on and read the outbox's record of each month: it is kept.
    let config = hanchot::config::Config { outbox_keep_days: 3650, ..admins_config(&[ADMIN]) };
    let app = support::app_with(config, at).await;
    let options = hanchot::serve::Options { delivery_max_sleep: std::time::Duration::from_millis(100) };
    TestBot::serve(app, options).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_groups_admin_turns_on_the_monthly_report_and_it_goes_once_a_month_counted_that_day() {
    let bot = scheduling_bot("2026-11-22T10:00").await;
    bot.api.set_admin(GROUP, GROUP_ADMIN);
    let on_time = add(&bot, "15/11/2026 Bộ Thử nghiệm | Xong đúng hạn").await;
    add(&bot, "30/11/2026 Bộ Thử nghiệm | Đến hạn cuối tháng").await;
    add(&bot, "31/12/2026 Bộ Thử nghiệm | Hạn cuối năm").await;
    bot.ask(ADMIN, ADMIN, "vi", &format!("/done {on_time} 10/11/2026")).await;
    bot.ask(WATCHER, WATCHER, "vi", "/subscribe").await;

    let refused = joined(&bot.ask(GROUP, MEMBER, "vi", "/report hằng tháng Bộ Thử nghiệm").await);
    assert!(refused.contains("Chỉ quản trị viên"), "a member cannot turn it on: {refused}");
    let read = joined(&bot.ask(GROUP, MEMBER, "vi", "/report Bộ Thử nghiệm").await);
    assert!(read.contains("Tình hình thực hiện nhiệm vụ"), "anyone may read it now: {read}");

    let on = joined(&bot.ask(GROUP, GROUP_ADMIN, "vi", "/report hằng tháng Bộ Thử nghiệm").await);
    assert!(on.contains("Đã bật báo cáo định kỳ hằng tháng cho “Bộ Thử nghiệm”"), "{on}");
    assert!(on.contains("Lần gửi tới: 07:00 01/12/2026") && on.contains("Asia/Ho_Chi_Minh"), "{on}");
    assert!(on.contains("chỉ nhận báo cáo này"), "the group was not subscribed: {on}");
    let settings = joined(&bot.ask(GROUP, MEMBER, "en", "/settings").await);
    assert!(
        settings.contains("Scheduled report: monthly, on the 1st at the digest time for “Bộ Thử nghiệm”"),
        "{settings}"
    );
    assert!(settings.contains("to the scheduled report only"), "{settings}");

    // The last morning of November: a digest for the watcher, nothing for the group.
    slot(&bot, "2026-11-30T07:00:01").await;
    assert!(bot.api.sent_to(GROUP).iter().all(|s| !is_scheduled_report(&s.text)), "not before the month turns");
    let replies_so_far = bot.api.sent_to(GROUP).len();

    // The first morning of December: the report, counted as of 1 December (the task due on
    // 30 November is now overdue), and no digest, which the group did not ask for.
    slot(&bot, "2026-12-01T07:00:01").await;
    let group: Vec<String> = bot.api.sent_to(GROUP).into_iter().skip(replies_so_far).map(|s| s.text).collect();
    assert_eq!(group.len(), 1, "one message, the report: {group:?}");
    let report = &group[0];
    assert!(is_scheduled_report(report) && report.contains("đến ngày 01/12/2026"), "{report}");
    assert!(
        report.contains(
            "<b>Bộ Thử nghiệm</b>: giao 3 · đến hạn 2 · đúng hạn 1 · trễ hạn 0 · trong hạn 1 · quá hạn 1 · tỷ lệ đúng hạn 50,00%"
        ),
        "{report}"
    );
    assert!(!report.contains("Gửi muộn"), "on time: {report}");

    // The rest of the month: nothing more.
    slot(&bot, "2026-12-02T07:00:01").await;
    slot(&bot, "2026-12-15T07:00:01").await;
    assert_eq!(bot.api.sent_to(GROUP).len(), replies_so_far + 1, "sent once in December");

    // Down over the first morning of January for longer than the grace window: skipped, not sent.
    let skipped = bot.app.store.outbox_counts().await.unwrap().skipped;
    skipped_slot(&bot, "2027-01-01T14:00:01", skipped + 2).await;
    assert_eq!(bot.api.sent_to(GROUP).len(), replies_so_far + 1, "too late in January");

    // Down over the first morning of February, within the grace window: sent late, saying so.
    slot(&bot, "2027-02-01T10:00:01").await;
    let late = bot.api.sent_to(GROUP).last().unwrap().text.clone();
    assert!(is_scheduled_report(&late) && late.contains("Gửi muộn"), "{late}");
    assert!(late.contains("đến ngày 01/02/2027") && late.contains("quá hạn 2"), "counted that day: {late}");

    let refused = joined(&bot.ask(GROUP, MEMBER, "vi", "/report tắt").await);
    assert!(refused.contains("Chỉ quản trị viên"), "{refused}");
    let off = joined(&bot.ask(GROUP, GROUP_ADMIN, "vi", "/report tắt").await);
    assert!(off.contains("Đã tắt báo cáo định kỳ") && off.contains("không còn nhận gì"), "{off}");
    assert!(!bot.app.store.subscription(GROUP).await.unwrap().unwrap().active, "the report was all it got");
    let replies_so_far = bot.api.sent_to(GROUP).len();
    slot(&bot, "2027-03-01T07:00:01").await;
    assert_eq!(bot.api.sent_to(GROUP).len(), replies_so_far, "nothing after /report off");
    let settings = joined(&bot.ask(GROUP, MEMBER, "vi", "/settings").await);
    assert!(settings.contains("Báo cáo định kỳ: tắt") && settings.contains("Đăng ký: chưa"), "{settings}");

    let rows = sqlx_rows(&bot, "SELECT key, status FROM outbox WHERE kind = 'report' ORDER BY key").await;
    assert_eq!(
        rows,
        [
            (format!("report:{GROUP}:2026-12"), "sent".to_owned()),
            (format!("report:{GROUP}:2027-01"), "skipped".to_owned()),
            (format!("report:{GROUP}:2027-02"), "sent".to_owned()),
        ],
        "one row per month, each planned once"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_subscribed_chat_gets_the_weekly_report_after_its_monday_digest_until_it_unsubscribes() {
    let bot = scheduling_bot("2026-11-22T10:00").await;
    bot.ask(WATCHER, WATCHER, "vi", "/subscribe").await;
    bot.ask(READER, READER, "en", "/subscribe").await;
    bot.ask(READER, READER, "en", "/lang en").await;
    bot.ask(READER, READER, "en", "/digest 08:30").await;
    let on = joined(&bot.ask(READER, READER, "en", "/report weekly").await);
    // 22 November 2026 is a Sunday: the next Monday is the 23rd, at the chat's own digest time.
    assert!(on.contains("Weekly report on: sent every Monday") && on.contains("Next: 08:30 23 Nov 2026"), "{on}");
    assert!(!on.contains("/subscribe"), "the chat is subscribed already: {on}");

    set_clock(&bot.app, "2026-11-23T08:30:01");
    let sent = bot
        .api
        .wait_until(|_| bot.api.sent_to(READER).iter().any(|s| s.text.contains("<b>Weekly report</b>")), support::WAIT)
        .await;
    let monday: Vec<String> = sent.iter().filter(|s| s.chat_id == READER).map(|s| s.text.clone()).collect();
    let digest =
        monday.iter().position(|t| t.contains("Deadline digest")).unwrap_or_else(|| panic!("the digest: {monday:#?}"));
    let report = monday.iter().position(|t| t.contains("<b>Weekly report</b>")).expect("the report");
    assert!(digest < report, "the digest first, then the report");
    assert!(monday[report].contains("Tasks assigned: "), "{}", monday[report]);

    // What `hanchot plan` prints: next Monday's report is in it.
    let from = hanchot::clock::parse_at("2026-11-23T09:00", bot.app.config.timezone).unwrap();
    let plan = support::preview(&bot.app, from, 24 * 7).await;
    let keys: Vec<String> = plan.iter().filter(|p| p.chat_id == READER).map(|p| p.key.to_string()).collect();
    assert!(keys.contains(&format!("report:{READER}:2026-W49")), "the preview shows next week's: {keys:?}");

    bot.ask(READER, READER, "en", "/unsubscribe").await;
    let settings = joined(&bot.ask(READER, READER, "en", "/settings").await);
    assert!(settings.contains("Scheduled report: off"), "/unsubscribe ends the report too: {settings}");
    bot.ask(READER, READER, "en", "/subscribe").await;
    let settings = joined(&bot.ask(READER, READER, "en", "/settings").await);
    assert!(settings.contains("Scheduled report: off"), "and subscribing again does not bring it back: {settings}");

    // A chat that asked for the report alone and then subscribes gets both.
    bot.ask(WATCHER + 1, WATCHER + 1, "en", "/report monthly").await;
    bot.ask(WATCHER + 1, WATCHER + 1, "en", "/subscribe").await;
    let settings = joined(&bot.ask(WATCHER + 1, WATCHER + 1, "en", "/settings").await);
    assert!(
        settings.contains("Subscribed: yes, every task") && settings.contains("Scheduled report: monthly"),
        "{settings}"
    );
    let off = joined(&bot.ask(WATCHER + 1, WATCHER + 1, "en", "/report off").await);
    assert!(off.contains("Scheduled report off.") && !off.contains("nothing"), "the subscription goes on: {off}");
    assert!(bot.app.store.subscription(WATCHER + 1).await.unwrap().unwrap().active);
}

/// Rows of a query on the bot's database, as pairs of text.
async fn sqlx_rows(bot: &TestBot, sql: &str) -> Vec<(String, String)> {
    support::db::pairs(&bot.app.store, sql).await.into_iter().map(|(a, b)| (a, b.unwrap_or_default())).collect()
}

/// A database from before scheduled reports (migrations up to 0009), with a subscription and
/// messages in its outbox, opened by this version: everything is kept, and reports can be planned.
#[tokio::test(flavor = "multi_thread")]
async fn a_database_from_before_scheduled_reports_migrates_and_keeps_its_chats_and_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("migrations");
    std::fs::create_dir(&old).unwrap();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.as_str() < "0010" {
            std::fs::copy(&path, old.join(&name)).unwrap();
        }
    }
    let config = support::config_in(dir.path());
    {
        let options =
            config.database_url.parse::<sqlx::sqlite::SqliteConnectOptions>().unwrap().create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
        sqlx::migrate::Migrator::new(old.as_path()).await.unwrap().run(&pool).await.unwrap();
        for sql in [
            "INSERT INTO chats (chat_id, kind) VALUES (42, 'private')",
            "INSERT INTO subscriptions (chat_id, filter, planned_through) VALUES (42, 'Bộ Công an', '2026-11-30T03:00:00.000Z')",
            "INSERT INTO outbox (key, chat_id, kind, body, scheduled_at, status, next_attempt_at, message_id)
             VALUES ('digest:42:2026-11-30T07:00:00+07:00', 42, 'digest', 'Bản tin', '2026-11-30T00:00:00.000Z', 'sent',
                     '2026-11-30T00:00:00.000Z', 7)",
            "INSERT INTO outbox (key, chat_id, kind, body, scheduled_at, next_attempt_at)
             VALUES ('remind:42:1:0:2026-11-30', 42, 'reminder', 'Nhắc', '2026-11-30T00:00:00.000Z', '2026-11-30T00:00:00.000Z')",
        ] {
            sqlx::query(sql).execute(&pool).await.unwrap();
        }
        pool.close().await;
    }

    let app = support::app_with(config, "2026-11-30T10:00").await;
    let sub = app.store.subscription(42).await.unwrap().expect("kept");
    assert!(sub.active && sub.filter == "Bộ Công an" && sub.report.is_none() && !sub.report_only, "{sub:?}");
    let counts = app.store.outbox_counts().await.unwrap();
    assert_eq!((counts.sent, counts.pending), (1, 1), "the outbox rows are kept, with their states");

    let monthly = ReportSchedule::new(ReportEvery::Month, String::new()).unwrap();
    let set = app.set_report(42, ChatKind::Private, Some(monthly)).await.unwrap();
    assert_eq!(set.change, ReportChange::On, "the chat was subscribed: the report is added to what it gets");
    let plan = support::preview(&app, app.clock.now(), 48).await;
    let report = plan.iter().find(|p| p.kind == DeliveryKind::Report).expect("a report is planned");
    assert_eq!(report.key, DeliveryKey::Report { chat_id: 42, period: "2026-12".into() });
    assert!(plan.iter().any(|p| p.kind == DeliveryKind::Digest), "and the digests as before");
}

/// Extending a recurring task moves its current occurrence only: that occurrence is listed,
/// reminded and judged against the new date, and the next one keeps the date of the rule.
#[tokio::test(flavor = "multi_thread")]
async fn extend_on_a_monthly_task_moves_the_current_occurrence_and_leaves_the_later_ones() {
    use hanchot::domain::standing::{State, occurrences};
    let bot = TestBot::start_with(admins_config(&[ADMIN]), "2026-11-22").await;
    let id = bot.app.catalog().tasks.iter().find(|t| t.recurrence.is_some()).expect("a seeded monthly task").id;

    let reply = joined(&bot.ask(ADMIN, ADMIN, "vi", &format!("/extend {id} 10/12/2026 Chờ số liệu tháng 11")).await);
    assert!(reply.contains("30/11/2026 → 10/12/2026") && reply.contains("chỉ kỳ này"), "{reply}");
    let card = joined(&bot.ask(READER, READER, "vi", &format!("/deadline {id}")).await);
    assert!(card.contains("10/12/2026") && card.contains("hạn ban đầu") && card.contains("30/11/2026"), "{card}");
    assert!(
        card.contains("điều chỉnh thời hạn đến 10/12/2026 (30/11/2026)"),
        "the history names the occurrence: {card}"
    );

    let catalog = bot.app.catalog();
    let reminded = |day| {
        reminders(&catalog.tasks, "", &[7], day)
            .iter()
            .filter(|r| r.listed.task.id == id)
            .map(|r| r.listed.due)
            .collect::<Vec<_>>()
    };
    assert_eq!(reminded(d(2026, 11, 23)), vec![], "no reminder for the rule's date");
    assert_eq!(reminded(d(2026, 12, 3)), vec![d(2026, 12, 10)], "reminded for the adjusted one");

    // In December, before the new date, the November occurrence is still the one to do.
    set_clock(&bot.app, "2026-12-05");
    let card = joined(&bot.ask(READER, READER, "vi", &format!("/deadline {id}")).await);
    assert!(card.contains("10/12/2026") && card.contains("còn 5 ngày"), "{card}");
    let done = joined(&bot.ask(ADMIN, ADMIN, "vi", &format!("/done {id}")).await);
    assert!(done.contains("kỳ 30/11/2026"), "/done marks the November occurrence: {done}");

    let catalog = bot.app.catalog();
    let task = catalog.task(id).unwrap();
    let counted = occurrences(task, d(2026, 12, 5));
    let november = counted.iter().find(|(due, _)| *due == d(2026, 12, 10)).expect("counted at its adjusted date");
    assert_eq!(november.1.state(), State::DoneOnTime, "done on 5 December, before the adjusted date");
    assert!(!counted.iter().any(|(due, _)| *due == d(2026, 11, 30)), "not at the rule's date");
    let card = joined(&bot.ask(READER, READER, "vi", &format!("/deadline {id}")).await);
    assert!(card.contains("31/12/2026") && !card.contains("hạn ban đầu"), "December keeps its rule's date: {card}");
}
