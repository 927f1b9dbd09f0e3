//! Counting as the Government Office does: completion dates, adjusted deadlines, the per-owner
//! report, through Telegram and the command line.

mod scheduled;

use crate::support;

use calamine::Data;
use hanchot::domain::digest::reminders;
use hanchot::domain::report_schedule::{ReportChange, ReportEvery, ReportSchedule};
use hanchot::store::{ChatKind, DeliveryKey, DeliveryKind};
use support::{TestBot, admins_config, day as d, joined, set_clock};

const ADMIN: i64 = 777;
const READER: i64 = 501;

async fn add(bot: &TestBot, line: &str) -> i64 {
    support::add_task(bot, ADMIN, line).await
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

    let calendar = bot.ask(READER, READER, "vi", "/ics Bộ Thử nghiệm").await;
    let (_, bytes) = calendar[0].document.clone().expect("a calendar");
    let ics = String::from_utf8_lossy(&bytes).replace("\r\n ", "");
    assert!(ics.contains("DTSTART;VALUE=DATE:20261130"), "the event is on the adjusted date: {ics}");
    assert!(ics.contains("Hạn ban đầu: 15/11/2026") && ics.contains("trong hạn"), "{ics}");

    // Done after the original date but before the adjusted one: on time.
    set_clock(&bot.app, "2026-11-25");
    bot.ask(ADMIN, ADMIN, "vi", &format!("/done {id} 25/11/2026")).await;
    let card = joined(&bot.ask(READER, READER, "vi", &format!("/deadline {id}")).await);
    assert!(card.contains("đã hoàn thành đúng hạn (25/11/2026)"), "{card}");
}

#[tokio::test(flavor = "multi_thread")]
async fn report_counts_each_owners_tasks_in_the_four_states_most_overdue_first() {
    let bot = TestBot::start_with(admins_config(&[ADMIN]), "2026-12-10").await;
    let early = add(&bot, "15/11/2026 Bộ Thử nghiệm | Xong sớm").await;
    let late = add(&bot, "15/11/2026 Bộ Thử nghiệm | Xong muộn").await;
    add(&bot, "30/11/2026 Bộ Thử nghiệm | Chưa xong, quá hạn").await;
    add(&bot, "31/12/2026 Bộ Thử nghiệm | Chưa xong, trong hạn").await;
    let other = add(&bot, "30/11/2026 Sở Kiểm thử | Chưa xong, quá hạn").await;
    add(&bot, "30/10/2026 Sở Kiểm thử | Chưa xong, quá hạn lâu").await;
    bot.ask(ADMIN, ADMIN, "vi", &format!("/done {early} 01/11/2026")).await;
    bot.ask(ADMIN, ADMIN, "vi", &format!("/done {late} 20/11/2026")).await;
    bot.ask(ADMIN, ADMIN, "vi", &format!("/extend {other} 31/12/2026 Chờ kinh phí")).await;

    let owner = joined(&bot.ask(READER, READER, "vi", "/report Bộ Thử nghiệm").await);
    assert!(
        owner.contains(
            "<b>Bộ Thử nghiệm</b>: giao 4 · đến hạn 3 · đúng hạn 1 · trễ hạn 1 · trong hạn 1 · quá hạn 1 · tỷ lệ đúng hạn 33,33%"
        ),
        "{owner}"
    );
    assert!(owner.contains("Tổng số nhiệm vụ được giao: 4."), "{owner}");
    assert!(owner.contains("hoàn thành 2 nhiệm vụ (66,67%), trong đó đúng hạn 1, quá hạn 1"), "{owner}");

    let november = joined(&bot.ask(READER, READER, "en", "/report 11/2026").await);
    assert!(!november.contains("Sở Kiểm thử"), "its tasks fall in October and, adjusted, December: {november}");
    assert!(november.contains("assigned 3 · due 3 · on time 1 · late 1 · within term 0 · overdue 1"), "{november}");

    check_workbook(&bot, late).await;

    let with_chart = bot.ask(READER, READER, "vi", "/report").await;
    let (name, png) = with_chart.iter().find_map(|r| r.document.clone()).expect("/report sends a chart");
    assert!(name.ends_with(".png") && png.starts_with(b"\x89PNG"), "{name}");
    bot.ask(READER, READER, "vi", "/metric tài khoản VNeID").await;
    // The chart follows the answer once drawn, which may take longer than the answer's quiet time.
    let charted = |sent: &[support::fake_bot_api::Sent]| {
        sent.iter().any(|r| r.chat_id == READER && r.document.as_ref().is_some_and(|(n, _)| n == "eid-accounts.png"))
    };
    bot.api.wait_until(charted, support::WAIT).await;
    assert!(charted(&bot.api.sent()), "a series is charted");

    let all = joined(&bot.ask(READER, READER, "en", "/report").await);
    assert!(all.contains("1 tasks had their deadline adjusted"), "{all}");
    let sở = all.find("<b>Sở Kiểm thử</b>: assigned 2 · due 1 · on time 0 · late 0 · within term 1 · overdue 1");
    assert!(sở.is_some(), "the adjusted deadline is within its term: {all}");
}

/// Runs the real binary on a database in `dir`, with user 9 as the bot's admin.
fn hanchot_admin(dir: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_hanchot"))
        .args(args)
        .current_dir(dir)
        .env("HANCHOT_DATABASE_URL", format!("sqlite://{}", dir.join("hanchot.db").display()))
        .env("HANCHOT_ADMINS", "[9]")
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("RUST_LOG")
        .output()
        .expect("hanchot runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text))
}

#[test]
fn report_json_counts_the_seeds_and_tasks_done_early_late_and_never() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = hanchot_admin(dir.path(), &["report", "--json", "--at", "2026-11-22"]);
    let seeded = |field: &str| seeds["totals"][field].as_u64().unwrap();
    // The seeds alone: the tasks later reports say were done (on time or late), the rest within term
    // or overdue.
    let (seed_on_time, seed_late) = (seeded("done_on_time"), seeded("done_late"));
    assert!(seed_on_time >= 1 && seed_late >= 1, "{seeds}");
    assert_eq!(seeded("assigned"), seeded("within_term") + seeded("overdue") + seed_on_time + seed_late);

    let mut ids = Vec::new();
    for line in ["15/11/2026 Bộ Thử nghiệm | Sớm", "15/11/2026 Bộ Thử nghiệm | Muộn", "15/11/2026 Bộ Thử nghiệm | Chưa"]
    {
        let added = hanchot_admin(dir.path(), &["add", line]);
        let added = added.as_str().unwrap();
        ids.push(added.split('#').nth(1).unwrap().chars().take_while(char::is_ascii_digit).collect::<String>());
    }
    hanchot_admin(
        dir.path(),
        &["--at", "2026-11-22", "ask", "--user-id", "9", &format!("/done {} 14/11/2026", ids[0])],
    );
    hanchot_admin(
        dir.path(),
        &["--at", "2026-11-22", "ask", "--user-id", "9", &format!("/done {} 16/11/2026", ids[1])],
    );

    let report = hanchot_admin(dir.path(), &["report", "--json", "--at", "2026-11-22"]);
    let owner = report["owners"].as_array().unwrap().iter().find(|o| o["owner"] == "Bộ Thử nghiệm").unwrap();
    assert_eq!(owner["assigned"], 3);
    assert_eq!(owner["due"], 3);
    assert_eq!(owner["done_on_time"], 1);
    assert_eq!(owner["done_late"], 1);
    assert_eq!(owner["within_term"], 0);
    assert_eq!(owner["overdue"], 1);
    let total = |field: &str| report["totals"][field].as_u64().unwrap();
    assert_eq!(total("assigned"), seeded("assigned") + 3);
    assert_eq!(total("overdue"), seeded("overdue") + 1);
    assert_eq!((total("done_on_time"), total("done_late")), (seed_on_time + 1, seed_late + 1));

    let file = dir.path().join("bao-cao.xlsx");
    hanchot_admin(dir.path(), &["--at", "2026-11-22", "export", "--xlsx", file.to_str().unwrap(), "--lang", "en"]);
    let bytes = std::fs::read(&file).unwrap();
    let sheet = sheet(&bytes, "Report by owner");
    let row = sheet.rows().find(|r| r[0] == Data::String("Bộ Thử nghiệm".into())).expect("the owner in the workbook");
    let counts: Vec<String> = row[1..7].iter().map(|c| c.to_string()).collect();
    assert_eq!(counts, ["3", "3", "1", "1", "0", "1"]);
    let totals = sheet.rows().next_back().unwrap();
    assert_eq!(totals[0].to_string(), "Total");
    assert_eq!(totals[1].to_string(), total("assigned").to_string(), "the workbook and the JSON agree");

    let tasks = hanchot_admin(dir.path(), &["deadlines", "--json", "--at", "2026-11-22", "Bộ Thử nghiệm"]);
    let late = tasks
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"].as_i64().map(|id| id.to_string()).as_deref() == Some(ids[1].as_str()))
        .unwrap();
    assert_eq!(late["state"], "done_late");
    assert_eq!(late["completed_on"], "2026-11-16");
    assert_eq!(late["days_late"], 1);
}

/// One sheet of a workbook, read back with a reader crate.
fn sheet(bytes: &[u8], name: &str) -> calamine::Range<calamine::Data> {
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("a readable workbook");
    workbook.worksheet_range(name).expect("the sheet")
}

/// The XML of a worksheet: freezing, filters and widths are not exposed by the reader.
fn sheet_xml(bytes: &[u8], index: usize) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip");
    let mut xml = String::new();
    archive.by_name(&format!("xl/worksheets/sheet{index}.xml")).unwrap().read_to_string(&mut xml).unwrap();
    xml
}

/// `/xlsx` in the state `report_counts…` built: real dates and numbers, the same counts as /report.
async fn check_workbook(bot: &TestBot, late: i64) {
    use calamine::DataType;
    let sent = bot.ask(READER, READER, "vi", "/xlsx Bộ Thử nghiệm").await;
    let (name, bytes) = sent[0].document.clone().expect("a document");
    assert!(name.ends_with(".xlsx"), "{name}");

    let tasks = sheet(&bytes, "Nhiệm vụ");
    let header: Vec<String> = tasks.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(header[0], "Số");
    assert_eq!(header[3], "Đơn vị phối hợp");
    assert_eq!(header[6], "Thời hạn");
    assert_eq!(header[11], "Ngày hoàn thành");
    assert_eq!(tasks.height(), 5, "a header and Bộ Thử nghiệm's four tasks");
    let row = tasks.rows().find(|r| r[0] == Data::Float(late as f64)).expect("the late task, its number a number");
    assert_eq!(row[2].to_string(), "Bộ Thử nghiệm");
    assert!(matches!(row[6], Data::DateTime(_)), "the due date is a date: {:?}", row[6]);
    assert_eq!(row[6].as_date(), Some(d(2026, 11, 15)));
    assert_eq!(row[11].as_date(), Some(d(2026, 11, 20)), "the completion date");
    assert_eq!(row[10], Data::Float(5.0), "days late, a number");
    assert!(row[9].to_string().contains("trễ hạn 5 ngày"), "{:?}", row[9]);

    let report = sheet(&bytes, "Báo cáo theo đơn vị");
    let owner = report.rows().find(|r| r[0] == Data::String("Bộ Thử nghiệm".into())).expect("the owner's row");
    let counts: Vec<f64> = owner[1..7].iter().map(|c| c.as_f64().unwrap()).collect();
    assert_eq!(counts, vec![4.0, 3.0, 1.0, 1.0, 1.0, 1.0], "assigned, due, on time, late, within term, overdue");
    assert!((owner[7].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-9, "the rate is a number: {:?}", owner[7]);
    assert_eq!(report.rows().next_back().unwrap()[0].to_string(), "Tổng cộng");

    for index in [1, 2] {
        let xml = sheet_xml(&bytes, index);
        assert!(xml.contains(r#"ySplit="1""#) && xml.contains(r#"state="frozen""#), "the header is frozen");
        assert!(xml.contains("<autoFilter ref=\"A1:"), "filters are on");
        assert!(xml.contains("<col ") && xml.contains("customWidth=\"1\""), "widths are set");
    }
    let xml = sheet_xml(&bytes, 1);
    let title_width: f64 = xml
        .split("<col ")
        .nth(2)
        .and_then(|c| c.split("width=\"").nth(1))
        .and_then(|w| w.split('"').next())
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        title_width >= "Chưa xong, trong hạn".chars().count() as f64,
        "the task column fits its text: {title_width}"
    );
}

#[test]
fn chart_writes_the_pngs_offline() {
    let dir = tempfile::tempdir().unwrap();
    for args in [["chart", "report", "-o", "report.png"], ["chart", "metric", "-o", "metric.png"]] {
        let mut args = args.to_vec();
        if args[1] == "metric" {
            args.push("tài khoản VNeID");
        }
        hanchot_admin(dir.path(), &args);
        let bytes = std::fs::read(dir.path().join(args[3])).unwrap();
        let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
        assert!(bytes.starts_with(b"\x89PNG"), "{} is a PNG", args[3]);
        assert_eq!((be(16), be(20)), (1000, 600), "{}", args[3]);
    }
}
