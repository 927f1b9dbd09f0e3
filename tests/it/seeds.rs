//! Seeding: idempotent, edits update their row, users' changes survive, and the built-in seeds hold
//! the dated tasks of the five articles with the due dates the glossary gives.

use crate::support;

use std::collections::HashMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use hanchot::domain::due::{DuePrecision, parse_due_phrase};
use hanchot::seeds::SeedSet;
use support::db::{execute, number};
use support::{app_at, hanchot, stdout};

fn fixture() -> SeedSet {
    SeedSet::from_dir(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/extra-seeds")))
        .expect("fixture parses")
}

#[tokio::test]
async fn seeding_twice_changes_nothing() {
    let app = app_at("2026-11-22").await;
    let again = app.seed(&SeedSet::builtin().unwrap()).await.unwrap();
    assert!(!again.changed(), "{again:?}");
    assert!(again.unchanged > 0);
    let first = app.seed(&fixture()).await.unwrap();
    assert_eq!(first.inserted, 6, "source, directive, task, topic, metric, figure: {first:?}");
    let second = app.seed(&fixture()).await.unwrap();
    assert!(!second.changed(), "{second:?}");
}

#[tokio::test]
async fn an_edited_seed_updates_its_row_but_not_what_users_changed() {
    let app = app_at("2026-11-22").await;
    app.seed(&fixture()).await.unwrap();
    let task_id = number(&app.store, "SELECT id FROM tasks WHERE seed_key = 'test-ct99-bao-cao'").await;
    // A user marks it done.
    execute(&app.store, &format!("UPDATE tasks SET status = 'done' WHERE id = {task_id}")).await;

    let mut edited = fixture();
    edited.files[0].tasks[0].owner = "Bộ Thử nghiệm và Phát triển".into();
    edited.files[0].observations[0].value = Some(13.0);
    let report = app.seed(&edited).await.unwrap();
    assert_eq!((report.updated, report.inserted, report.removed), (1, 1, 1), "{report:?}");

    let catalog = app.catalog();
    let task = catalog.task(task_id).expect("same row");
    assert_eq!(task.owner, "Bộ Thử nghiệm và Phát triển");
    assert_eq!(task.status.as_str(), "done", "seeding never resets a status");
    let widgets = catalog.metrics.iter().find(|m| m.key == "test-widgets").unwrap();
    assert_eq!(widgets.observations.iter().map(|o| o.value).collect::<Vec<_>>(), vec![13.0]);

    // A user's own edit of a seeded field wins over later seeds.
    execute(&app.store, &format!("UPDATE tasks SET owner = 'Tổ công tác', user_edited = TRUE WHERE id = {task_id}"))
        .await;
    edited.files[0].tasks[0].owner = "Bộ khác".into();
    app.seed(&edited).await.unwrap();
    app.reload().await.unwrap();
    assert_eq!(app.catalog().task(task_id).unwrap().owner, "Tổ công tác");
}

#[tokio::test]
async fn a_broken_seed_changes_nothing() {
    let app = app_at("2026-11-22").await;
    let mut broken = fixture();
    broken.files[0].tasks[0].directive = "no-such-directive".into();
    assert!(app.seed(&broken).await.is_err());
    let count = number(&app.store, "SELECT COUNT(*) FROM sources WHERE key = 'test-2026-10-01-example'").await;
    assert_eq!(count, 0, "the transaction was rolled back");
}

#[test]
fn seed_command_loads_a_folder_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/extra-seeds");
    let first = stdout(&hanchot(dir.path(), &["seed", fixtures]));
    assert!(first.contains("6 inserted"), "{first}");
    let second = stdout(&hanchot(dir.path(), &["seed", fixtures]));
    assert!(second.contains("0 inserted, 0 updated") && second.contains("0 removed"), "{second}");
    let listed = stdout(&hanchot(dir.path(), &["deadlines", "--at", "2026-11-22", "Bộ Thử nghiệm"]));
    assert!(listed.contains("Báo cáo kết quả số hóa"), "{listed}");
    let missing = hanchot(dir.path(), &["seed", "/nonexistent/seeds"]);
    assert!(!missing.status.success());
}

#[test]
fn every_due_phrase_reads_as_its_due_date() {
    let seeds = SeedSet::builtin().unwrap();
    for (file, task) in seeds.tasks() {
        let published = file.source.as_ref().expect("tasks have a source").published;
        let (due, _) = parse_due_phrase(&task.due_phrase, published)
            .unwrap_or_else(|| panic!("{}: {:?} is not a time phrase", task.key, task.due_phrase));
        assert_eq!((due.date, due.precision), (task.due, task.precision), "{}: {:?}", task.key, task.due_phrase);
    }
}

/// The dated tasks of each article, read from the articles by hand (see shared/seed-articles).
fn expected() -> Vec<(&'static str, &'static str, DuePrecision)> {
    use DuePrecision::*;
    vec![
        // 000: 10th session of the National Committee on DT, 6 Feb 2025.
        ("000_d4585ced43a8a699.txt", "2025-06-30", Month), // leaders direct online and sign digitally
        ("000_d4585ced43a8a699.txt", "2025-12-31", Year),  // all officials online and signing digitally
        ("000_d4585ced43a8a699.txt", "2025-12-31", Year),  // 80% end-to-end online services etc.
        // 001: national conference reviewing H1 2023.
        ("001_609d65334a77b282.txt", "2023-08-31", Month), // documents under the amended e-transactions law
        ("001_609d65334a77b282.txt", "2023-07-31", Month), // decree on the national database list
        ("001_609d65334a77b282.txt", "2023-09-30", Month), // e-Government architecture framework 3.0
        ("001_609d65334a77b282.txt", "2023-12-31", Year),  // 20 million VNeID users
        ("001_609d65334a77b282.txt", "2023-12-31", Year),  // civil-servant database in operation
        ("001_609d65334a77b282.txt", "2024-12-31", Year),  // National Data Center in operation
        // 003: Directive 07/CT-TTg, March 2025.
        ("003_0b8ad9ea3d0b01a5.txt", "2025-07-31", Month), // zero-fee online procedures
        ("003_0b8ad9ea3d0b01a5.txt", "2025-06-30", Month), // "tháng 6 năm nay": decentralisation, islands
        ("003_0b8ad9ea3d0b01a5.txt", "2025-03-31", Month), // civil-status records digitised
        ("003_0b8ad9ea3d0b01a5.txt", "2025-06-30", Month), // land records digitised
        ("003_0b8ad9ea3d0b01a5.txt", "2025-06-30", Month), // 484 districts' land data synchronised
        ("003_0b8ad9ea3d0b01a5.txt", "2025-03-31", Month), // 2025 plan sent to the working group
        ("003_0b8ad9ea3d0b01a5.txt", "2025-07-01", Day),   // decrees under the Data Law in force
        ("003_0b8ad9ea3d0b01a5.txt", "2025-07-01", Day),   // organisations' e-ID: all firms online
        ("003_0b8ad9ea3d0b01a5.txt", "2025-06-30", Month), // satisfaction index via VNeID
        ("003_0b8ad9ea3d0b01a5.txt", "2025-08-31", Month), // National Data Center in operation
        ("003_0b8ad9ea3d0b01a5.txt", "2025-12-31", Year),  // ministries roll out Project 06 in 2025
        // 004: the 10th session, as reported from Sơn La.
        ("004_2c3f82f65fc5b8b5.txt", "2025-12-31", Year), // digital economy 20.5% of GDP
    ]
}

#[test]
fn the_seeds_hold_every_dated_task_of_the_articles() {
    let seeds = SeedSet::builtin().unwrap();
    let mut held: HashMap<(String, NaiveDate, DuePrecision), usize> = HashMap::new();
    for (file, task) in seeds.tasks().filter(|(_, t)| t.recurrence.is_none()) {
        let source = file.source.as_ref().unwrap().file.clone();
        *held.entry((source, task.due, task.precision)).or_default() += 1;
    }
    let mut wanted: HashMap<(String, NaiveDate, DuePrecision), usize> = HashMap::new();
    for (file, due, precision) in expected() {
        *wanted.entry((file.to_owned(), due.parse().unwrap(), precision)).or_default() += 1;
    }
    for (key, count) in wanted {
        let have = held.get(&key).copied().unwrap_or(0);
        assert!(have >= count, "{key:?}: the seeds hold {have} such tasks, the article has {count}");
    }
    let monthly = seeds.tasks().filter(|(_, t)| t.recurrence.is_some()).count();
    assert!(monthly >= 1, "Directive 07's monthly update is a recurring task");
    // The first articles' tasks fall in 2022–2025 ("năm nay" read as the year of publication).
    for (file, task) in seeds.tasks().filter(|(f, _)| f.source.as_ref().is_some_and(|s| !s.file.is_empty())) {
        let year = chrono::Datelike::year(&task.due);
        assert!((2022..=2025).contains(&year), "{}: {} falls outside 2022–2025", file.name, task.key);
    }
}

#[test]
fn every_figure_and_task_names_an_existing_article() {
    let seeds = SeedSet::builtin().unwrap();
    let articles = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seed-articles"));
    for file in &seeds.files {
        if let Some(source) = file.source.as_ref().filter(|s| !s.file.is_empty()) {
            assert!(source.file.starts_with("00"), "{}: {}", file.name, source.file);
            if articles.exists() {
                assert!(articles.join(&source.file).exists(), "{} names a missing article", file.name);
            }
        }
    }
}

#[tokio::test]
async fn any_edit_of_a_seeded_field_outside_seeding_marks_the_task_as_the_users() {
    let app = app_at("2026-11-22").await;
    app.seed(&fixture()).await.unwrap();
    let task_id = number(&app.store, "SELECT id FROM tasks WHERE seed_key = 'test-ct99-bao-cao'").await;
    let now = hanchot::store::timestamp_text(app.clock.now());
    let at_now = format!("SELECT COUNT(*) FROM tasks WHERE id = {task_id} AND created_at = '{now}'");
    assert_eq!(number(&app.store, &at_now).await, 1, "seeding writes the app's time");

    // An edit of the owner, by whatever path, without saying it is a user's.
    execute(&app.store, &format!("UPDATE tasks SET owner = 'Tổ công tác' WHERE id = {task_id}")).await;
    let mut edited = fixture();
    edited.files[0].tasks[0].owner = "Bộ khác".into();
    edited.files[0].tasks[0].title_vi = "Tiêu đề khác".into();
    let report = app.seed(&edited).await.unwrap();
    assert_eq!(report.updated, 0, "{report:?}");
    app.reload().await.unwrap();
    let task = app.catalog().task(task_id).cloned().unwrap();
    assert_eq!(task.owner, "Tổ công tác");
    assert_ne!(task.title_vi, "Tiêu đề khác", "the seed leaves the whole row to the user");
}

#[test]
fn the_built_in_seeds_pass_the_review() {
    let problems = hanchot::seed_audit::audit(&SeedSet::builtin().unwrap());
    let listed: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(listed.is_empty(), "{}", listed.join("\n"));
}

/// The programme as it stands on 2 December 2026 (issue 19): the figures are the seeds' own, so that
/// a seed dropped, or a task moved to the past, fails here.
#[test]
fn the_seeds_know_the_programme_as_it_stands() {
    let seeds = SeedSet::builtin().unwrap();
    let today: NaiveDate = "2026-12-02".parse().unwrap();
    let mut later_files = std::collections::HashSet::new();
    let mut later_directives = std::collections::HashSet::new();
    let mut later = 0;
    let open_later =
        |t: &&hanchot::seeds::TaskSeed| t.recurrence.is_none() && t.completed_on.is_none() && t.due >= today;
    for (file, task) in seeds.tasks().filter(|(_, t)| open_later(t)) {
        later += 1;
        later_files.insert(file.name.clone());
        later_directives.insert(task.directive.clone());
        let url = file.source.as_ref().map(|s| s.url.as_str()).unwrap_or("");
        assert!(url.starts_with("http://") || url.starts_with("https://"), "{}: no address", task.key);
    }
    // Issue 19's bar is 30 one-off open tasks from 8 documents; the seeds hold more, and keep them.
    assert!(later >= 40, "only {later} one-off open tasks due on or after {today}");
    assert!(later_files.len() >= 16, "from {} source files", later_files.len());
    assert!(later_directives.len() >= 9, "from {} directives", later_directives.len());
    let directives: std::collections::HashSet<_> =
        seeds.files.iter().flat_map(|f| &f.directives).map(|d| &d.key).collect();
    assert!(directives.len() >= 20, "{} directives", directives.len());
    let done: Vec<_> = seeds.tasks().filter(|(_, t)| t.completed_on.is_some()).collect();
    assert!(done.len() >= 12, "only {} tasks known done (issue 19 asks for 8)", done.len());
    for (_, task) in &done {
        let report = task.completion_source.as_ref().unwrap_or_else(|| panic!("{}: done without a report", task.key));
        assert!(report.url.starts_with("https://") || report.url.starts_with("http://"), "{}", task.key);
    }
    let sources = seeds.files.iter().filter(|f| f.source.as_ref().is_some_and(|s| s.published.year() >= 2025)).count();
    assert!(sources >= 35, "{sources} sources of 2025–2026");
}

#[tokio::test]
async fn a_seeded_completion_marks_the_task_done_but_never_overrides_a_user() {
    let app = app_at("2026-12-02").await;
    let catalog = app.catalog();
    let ndc = catalog.tasks.iter().find(|t| t.key.as_deref() == Some("ct07-tt-du-lieu-quoc-gia-2025-08")).unwrap();
    assert_eq!(ndc.status.as_str(), "done");
    assert_eq!(ndc.completed_on, Some("2025-08-18".parse().unwrap()));
    let report = ndc.completion_source.as_ref().expect("the report it comes from");
    assert!(report.url.starts_with("https://"), "{report:?}");
    let id = ndc.id;
    drop(catalog);

    // A user reopens it: the seeds, applied again, leave it open.
    execute(&app.store, &format!("UPDATE tasks SET status = 'open', completed_on = NULL WHERE id = {id}")).await;
    let reopened = format!(
        "INSERT INTO task_events (task_id, at, user_id, kind, note) VALUES ({id}, '2026-12-02T01:00:00.000Z', 9, 'reopened', '')"
    );
    execute(&app.store, &reopened).await;
    app.seed(&SeedSet::builtin().unwrap()).await.unwrap();
    app.reload().await.unwrap();
    assert_eq!(app.catalog().task(id).unwrap().status.as_str(), "open", "the user's reopening stands");
}

#[tokio::test]
async fn no_alias_contradicts_the_figure_it_names() {
    // "chỉ tiêu chưa đạt" on the targets met answered "how many were not met" with the number met
    // (issue 21): an alias negates only when one of its metric's names does, and never names two
    // metrics.
    use hanchot::domain::fold::words;
    use hanchot::domain::metric::Lexicon;
    let negated = |text: &str| Lexicon::builtin().negates(text);
    let catalog = app_at(support::TODAY).await.catalog();
    let mut named: HashMap<Vec<String>, &str> = HashMap::new();
    let mut contradictions = Vec::new();
    for metric in &catalog.metrics {
        let names = [negated(&metric.name_vi), negated(&metric.name_en)];
        for alias in &metric.aliases {
            if !names.contains(&negated(alias)) {
                contradictions.push(format!("{}: {alias:?} negates what its names do not, or the reverse", metric.key));
            }
            if let Some(other) = named.insert(words(alias), &metric.key).filter(|o| *o != metric.key) {
                contradictions.push(format!("{alias:?} names both {other} and {}", metric.key));
            }
        }
    }
    assert!(contradictions.is_empty(), "{}", contradictions.join("\n"));
    // The test reads the negations it must: the bad alias of issue 21 would fail it.
    assert!(negated("chỉ tiêu chưa đạt") && !negated("chỉ tiêu đã đạt") && !negated("khám chữa bệnh"));
    assert!(!negated("Việt Nam đã có 5G chưa"), "a closing 'chưa' asks yes or no");
}
