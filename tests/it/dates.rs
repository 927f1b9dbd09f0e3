//! Dates checked as dates: a day that does not exist, a completion before the task was given or
//! still to come, and an adjustment to a deadline already past or before the original are each
//! refused with the reason, and nothing is stored.

use crate::support;

use hanchot::domain::task::Status;
use support::{TestBot, add_task, admins_config, day as d, joined};

const ADMIN: i64 = 777;
const TODAY: &str = "2026-12-02";

async fn add(bot: &TestBot, line: &str) -> i64 {
    add_task(bot, ADMIN, line).await
}

async fn say(bot: &TestBot, lang: &str, text: &str) -> String {
    joined(&bot.ask(ADMIN, ADMIN, lang, text).await)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_day_that_does_not_exist_is_named_and_nothing_is_marked() {
    let bot = TestBot::start_with(admins_config(&[ADMIN]), TODAY).await;
    let id = add(&bot, "31/12/2026 Bộ Thử nghiệm | Việc chưa xong").await;

    let refused = say(&bot, "vi", &format!("/done {id} 2026-02-30 xong")).await;
    assert!(refused.contains("“2026-02-30” không phải là một ngày có thật"), "{refused}");
    let refused = say(&bot, "en", &format!("/done {id} 31/04/2026")).await;
    assert!(refused.contains("“31/04/2026” is not a day of the calendar"), "{refused}");
    let task = bot.app.catalog().task(id).cloned().unwrap();
    assert_eq!((task.status, task.completed_on), (Status::Open, None), "nothing was marked");
    let events = bot.app.task_events(id).await.unwrap();
    assert_eq!(events.len(), 1, "only the addition is in the history: {events:?}");

    let refused = say(&bot, "vi", &format!("/extend {id} 2027-02-29 chờ kinh phí")).await;
    assert!(refused.contains("“2027-02-29” không phải là một ngày có thật"), "{refused}");

    // A note that merely starts with a number is still a note.
    let done = say(&bot, "vi", &format!("/done {id} 2026 báo cáo đã nộp")).await;
    assert!(done.contains(&format!("#{id}")), "{done}");
    let task = bot.app.catalog().task(id).cloned().unwrap();
    assert_eq!((task.status, task.completed_on), (Status::Done, Some(d(2026, 12, 2))));
}

#[tokio::test(flavor = "multi_thread")]
async fn work_finished_before_the_directive_was_signed_or_not_yet_is_refused() {
    let bot = TestBot::start_with(admins_config(&[ADMIN]), TODAY).await;
    // A seeded one-off task still open, whose directive (or its source) gives the day it was set.
    let catalog = bot.app.catalog();
    let task = catalog
        .tasks
        .iter()
        .find(|t| t.status == Status::Open && t.recurrence.is_none() && t.assigned_on().is_some())
        .expect("a seeded open task with a directive's date");
    let (id, assigned) = (task.id, task.assigned_on().unwrap());
    let label = assigned.format("%d/%m/%Y").to_string();
    let day_before = assigned.pred_opt().unwrap().format("%d/%m/%Y").to_string();

    let refused = say(&bot, "vi", &format!("/done {id} {day_before} đã xong")).await;
    assert!(
        refused.contains(&format!("Ngày hoàn thành {day_before} trước ngày giao nhiệm vụ #{id} ({label})")),
        "{refused}"
    );
    let refused = say(&bot, "vi", &format!("/done {id} 03/12/2026")).await;
    assert!(refused.contains("chưa tới"), "tomorrow is refused: {refused}");
    let task = bot.app.catalog().task(id).cloned().unwrap();
    assert_eq!((task.status, task.completed_on), (Status::Open, None), "nothing was marked");

    say(&bot, "vi", &format!("/done {id} {label}")).await;
    let task = bot.app.catalog().task(id).cloned().unwrap();
    assert_eq!((task.status, task.completed_on), (Status::Done, Some(assigned)), "the day it was set is allowed");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_adjustment_to_a_past_day_or_before_the_original_is_refused_with_the_reason() {
    let bot = TestBot::start_with(admins_config(&[ADMIN]), TODAY).await;
    let overdue = add(&bot, "15/11/2026 Bộ Thử nghiệm | Việc quá hạn").await;
    let ahead = add(&bot, "31/03/2027 Bộ Thử nghiệm | Việc còn hạn").await;

    let refused = say(&bot, "vi", &format!("/extend {overdue} 30/11/2026 xin thêm thời gian")).await;
    assert!(refused.contains("Hạn mới 30/11/2026 đã qua (hôm nay là 02/12/2026)"), "{refused}");
    let refused = say(&bot, "en", &format!("/extend {ahead} 2027-01-31 sooner")).await;
    assert!(refused.contains("31 Jan 2027 is before") && refused.contains("31 Mar 2027"), "{refused}");
    for id in [overdue, ahead] {
        let task = bot.app.catalog().task(id).cloned().unwrap();
        assert_eq!(task.adjusted_due, None, "nothing was adjusted on #{id}");
    }

    let done = say(&bot, "vi", &format!("/extend {overdue} 2026-12-31 Chờ kinh phí")).await;
    assert!(done.contains("15/11/2026 → 31/12/2026"), "a day from today on is an adjustment: {done}");
    assert_eq!(bot.app.catalog().task(overdue).unwrap().adjusted_due, Some(d(2026, 12, 31)));
}
