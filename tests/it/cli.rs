//! The real binary, through its command line: what a newcomer tries first.

use crate::support;

use serde_json::Value;
use support::{TODAY, hanchot, stdout};

fn json(output: &std::process::Output) -> Value {
    assert!(output.status.success(), "failed: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_str(&stdout(output)).expect("valid JSON")
}

#[test]
fn deadlines_json_lists_every_seeded_task_with_its_fields() {
    let dir = tempfile::tempdir().unwrap();
    let tasks = json(&hanchot(dir.path(), &["deadlines", "--json", "--all", "--at", TODAY]));
    let tasks = tasks.as_array().expect("an array");
    assert!(tasks.len() >= 20, "only {} tasks", tasks.len());
    for task in tasks {
        for field in ["id", "title", "due", "due_precision", "owner", "status", "directive", "source"] {
            assert!(task.get(field).is_some(), "{field} missing in {task}");
        }
        let due = task["due"].as_str().unwrap();
        assert!(chrono::NaiveDate::parse_from_str(due, "%Y-%m-%d").is_ok(), "{due}");
        assert!(task["source"].as_str().is_some_and(|s| !s.is_empty()), "every seeded task has a source");
    }
}

#[test]
fn open_deadlines_are_overdue_after_the_fact_and_upcoming_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let late = json(&hanchot(dir.path(), &["deadlines", "--json", "--at", TODAY]));
    let late = late.as_array().unwrap();
    // One-off tasks due before today are overdue (days left below zero); the later ones are not.
    for t in late.iter().filter(|t| t["recurrence"].is_null()) {
        let past = t["due"].as_str().unwrap() < TODAY;
        assert_eq!(t["overdue"] == true, past, "{t}");
        assert_eq!(t["days_left"].as_i64().unwrap() < 0, past, "{t}");
    }

    let early = json(&hanchot(dir.path(), &["deadlines", "--json", "--at", "2023-01-01"]));
    let early = early.as_array().unwrap();
    assert!(early.iter().all(|t| t["overdue"] == false), "nothing is overdue in January 2023");
    let first = &early[0];
    assert_eq!(first["days_left"].as_i64().unwrap(), days_between("2023-01-01", first["due"].as_str().unwrap()));
}

fn days_between(from: &str, to: &str) -> i64 {
    let parse = |d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    (parse(to) - parse(from)).num_days()
}

fn first_match(question: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["metric", "--json"];
    args.extend(question);
    let answer = json(&hanchot(dir.path(), &args));
    answer["matches"][0].clone()
}

#[test]
fn metric_questions_with_and_without_tone_marks_and_in_english_agree() {
    let with_marks = first_match(&["tài", "khoản", "VNeID"]);
    let without = first_match(&["tai khoan vneid"]);
    let english = first_match(&["VNeID", "accounts"]);
    assert_eq!(with_marks["key"], without["key"]);
    assert_eq!(with_marks["key"], english["key"]);
    assert!(with_marks["value"].is_number());
}

#[test]
fn metric_questions_pick_the_asked_period() {
    let share_2024 = first_match(&["digital economy share of GDP 2024"]);
    assert_eq!(share_2024["value"].as_f64(), Some(18.3));
    assert_eq!(share_2024["period"], "2024");
    let share_h1_2022 = first_match(&["tỷ trọng kinh tế số 6 tháng đầu năm 2022"]);
    assert_eq!(share_h1_2022["value"].as_f64(), Some(10.41));
    let share_2021 = first_match(&["ty trong kinh te so 2021"]);
    assert_eq!(share_2021["value"].as_f64(), Some(9.6));
    let actual_2025 = first_match(&["digital economy share of GDP 2025"]);
    assert_eq!((actual_2025["value"].as_f64(), actual_2025["kind"].as_str()), (Some(14.02), Some("actual")));
    let target = first_match(&["digital economy share of GDP target 2025"]);
    assert_eq!(target["value"].as_f64(), Some(20.5));
    assert_eq!(target["kind"], "target");
}

#[test]
fn an_unknown_metric_has_no_match_but_suggestions() {
    let dir = tempfile::tempdir().unwrap();
    let answer = json(&hanchot(dir.path(), &["metric", "--json", "vneld"]));
    assert_eq!(answer["matches"].as_array().unwrap().len(), 0);
    assert!(!answer["suggestions"].as_array().unwrap().is_empty());
}

#[test]
fn ask_prints_the_reply_the_bot_would_send() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout(&hanchot(dir.path(), &["ask", "--at", TODAY, "/deadlines"]));
    assert!(out.contains("Hôm nay: 22/11/2026") && out.contains("<b>"), "{out}");
    let out = stdout(&hanchot(dir.path(), &["ask", "/metric tài khoản VNeID"]));
    assert!(out.contains("55,25 triệu"), "{out}");
    let out = stdout(&hanchot(dir.path(), &["ask", "--lang", "en", "/metric digital economy share of GDP"]));
    assert!(out.contains("18.3%"), "{out}");
    let out =
        stdout(&hanchot(dir.path(), &["ask", "--chat-type", "group", "--chat-id", "-5", "/deadlines@someone_else"]));
    assert!(out.trim().is_empty(), "silent for another bot: {out}");
}

#[test]
fn serve_without_a_token_says_so_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let output = hanchot(dir.path(), &["serve"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("TELOXIDE_TOKEN"), "{stderr}");
}

#[test]
fn serve_with_a_bad_api_url_says_so_and_exits_2_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    for url in ["not a url", "localhost:8081", "ftp://example.org"] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_hanchot"))
            .arg("serve")
            .current_dir(dir.path())
            .env("HANCHOT_DATABASE_URL", format!("sqlite://{}", dir.path().join("hanchot.db").display()))
            .env("TELOXIDE_TOKEN", "123:abc")
            .env("TELOXIDE_API_URL", url)
            .env_remove("RUST_LOG")
            .output()
            .expect("hanchot runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{url}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
        assert!(stderr.contains("TELOXIDE_API_URL is not a valid http(s) URL"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn a_misspelt_config_key_or_a_schedule_that_never_fires_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bot.toml"), "digest_crn = \"0 0 8 * * *\"\n").unwrap();
    let output = hanchot(dir.path(), &["--config", "bot.toml", "deadlines"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("`digest_crn`") && stderr.contains("`digest_cron`"), "{stderr}");

    std::fs::write(dir.path().join("bot.toml"), "digest_cron = \"0 0 7 31 2 *\"\n").unwrap();
    let output = hanchot(dir.path(), &["--config", "bot.toml", "deadlines"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("never fires"), "{stderr}");
}

/// `hanchot` in `dir` with `HANCHOT_DATABASE_URL` set to `url`.
fn hanchot_on(dir: &std::path::Path, url: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_hanchot"))
        .args(args)
        .current_dir(dir)
        .env("HANCHOT_DATABASE_URL", url)
        .env_remove("RUST_LOG")
        .output()
        .expect("hanchot runs")
}

#[test]
fn a_database_address_of_another_kind_stops_the_start_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    for (url, words) in [
        ("mysql://bot:s3cret@localhost/hanchot", "cannot use a `mysql` database"),
        ("data/hanchot.db", "names no database"),
    ] {
        let output = hanchot_on(dir.path(), url, &["deadlines"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{url}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
        assert!(stderr.contains("HANCHOT_DATABASE_URL") && stderr.contains(words), "{url}: {stderr}");
        assert!(!stderr.contains("s3cret"), "the password is never shown: {stderr}");
    }
    let output = hanchot(dir.path(), &["migrate-db", "--to", "mysql://bot@localhost/hanchot"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--to") && stderr.contains("postgres://"), "{stderr}");
    std::fs::remove_file(dir.path().join("hanchot.db")).ok();
    let made: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(made.is_empty(), "no file or folder made for a refused address: {made:?}");
}

#[test]
fn a_postgres_that_cannot_be_reached_stops_the_start_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    // A port nobody listens on: bound, then let go.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("postgres://bot:s3cret@127.0.0.1:{port}/hanchot");
    let output = hanchot_on(dir.path(), &url, &["deadlines"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot reach the PostgreSQL database"), "{stderr}");
    assert!(stderr.contains("HANCHOT_DATABASE_URL") && stderr.contains(&port.to_string()), "{stderr}");
    assert!(!stderr.contains("s3cret") && !stderr.contains("panicked"), "{stderr}");
    assert!(!dir.path().join("postgres:").exists(), "the address was not taken for a SQLite path");
}

#[test]
fn a_malformed_at_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let output = hanchot(dir.path(), &["deadlines", "--at", "22/11/2026"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--at"));
}

#[test]
fn the_database_is_created_under_data_on_first_run() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_hanchot"))
        .args(["ask", "/help"])
        .current_dir(dir.path())
        .env_remove("HANCHOT_DATABASE_URL")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(dir.path().join("data/hanchot.db").exists());
}

#[test]
fn import_reads_docx_and_pdf_and_says_what_is_wrong_with_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let documents = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/documents");
    for name in ["ke-hoach-tinh.docx", "ke-hoach-tinh.pdf"] {
        let path = documents.join(name);
        let output = hanchot(dir.path(), &["import", path.to_str().unwrap(), "--published", "2026-01-10", "--json"]);
        assert!(output.status.success(), "{name}: {}", String::from_utf8_lossy(&output.stderr));
        let items: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        assert!(items.as_array().is_some_and(|a| a.len() >= 5), "{name}: {items}");
    }
    for (name, words) in [("scan-no-text.pdf", "no text layer"), ("random.bin", "unknown format")] {
        let path = documents.join(name);
        let output = hanchot(dir.path(), &["import", path.to_str().unwrap(), "--published", "2026-01-10"]);
        assert_eq!(output.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(words), "{name}: {stderr}");
    }
}

#[test]
fn ask_shows_an_attached_chart_as_one_line_and_writes_it_with_out() {
    let dir = tempfile::tempdir().unwrap();
    let shown = hanchot(dir.path(), &["ask", "--at", TODAY, "/report"]);
    assert!(shown.status.success(), "{}", String::from_utf8_lossy(&shown.stderr));
    assert!(!shown.stdout.windows(4).any(|w| w == b"IHDR"), "no PNG bytes on the terminal");
    let text = stdout(&shown);
    let line = text.lines().find(|l| l.starts_with("[📎 ")).unwrap_or_else(|| panic!("no attachment line: {text}"));
    assert!(line.contains(".png") && line.contains(" KB") && line.contains("--out"), "{line}");

    let out = dir.path().join("files");
    let written = hanchot(dir.path(), &["ask", "--at", TODAY, "--out", out.to_str().unwrap(), "/report"]);
    assert!(written.status.success());
    let files: Vec<_> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(std::fs::read(&files[0]).unwrap().starts_with(b"\x89PNG"));
    assert!(stdout(&written).contains("written to"), "{}", stdout(&written));
}

#[test]
fn ask_names_an_option_it_does_not_know_instead_of_asking_it() {
    let dir = tempfile::tempdir().unwrap();
    let output = hanchot(dir.path(), &["ask", "--from", "1001", "/deadlines"]);
    assert!(!output.status.success(), "an unknown option is an error");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--from"), "{stderr}");
    assert!(stdout(&output).is_empty(), "nothing is answered: {}", stdout(&output));
}

#[test]
fn ask_with_a_user_id_is_let_through_the_same_gate_as_on_telegram() {
    let dir = tempfile::tempdir().unwrap();
    let ask = |args: &[&str]| {
        let mut all = vec!["ask", "--at", TODAY, "--lang", "vi"];
        all.extend(args);
        stdout(&hanchot(dir.path(), &all))
    };
    let group = ["--chat-type", "group", "--chat-id", "-100"];
    let refused = ask(&[&group[..], &["--user-id", "5", "/subscribe"]].concat());
    assert!(refused.contains("Chỉ quản trị viên của nhóm"), "a non-admin in a group is refused: {refused}");
    let admitted = ask(&[&group[..], &["--user-id", "5", "--chat-admin", "/subscribe"]].concat());
    assert!(!admitted.contains("Chỉ quản trị viên"), "the group's admin is let through: {admitted}");
    let operator = ask(&[&group[..], &["/unsubscribe"]].concat());
    assert!(!operator.contains("Chỉ quản trị viên"), "without a user id, the operator: {operator}");

    let refused = ask(&["--user-id", "5", "/add 31/12/2026 Bộ Thử nghiệm | Việc"]);
    assert!(refused.contains("chỉ quản trị viên của Hạn Chót"), "not one of the bot's admins: {refused}");
}
