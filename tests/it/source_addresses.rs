//! Every task and figure says where it can be read: `source_url` in the JSON outputs, the address on
//! the `/deadline` card (with the report that found a task done), the URL property in `.ics` and a
//! column in `.xlsx`; and the programme as it stands on 2 December 2026.

use std::collections::HashSet;

use crate::support::{hanchot, stdout};

fn json(dir: &std::path::Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&stdout(&hanchot(dir, args))).expect("JSON")
}

fn is_web(value: &serde_json::Value) -> bool {
    value.as_str().is_some_and(|u| u.starts_with("https://") || u.starts_with("http://"))
}

#[test]
fn deadlines_json_lists_the_open_tasks_of_today_each_with_its_address() {
    let dir = tempfile::tempdir().unwrap();
    let tasks = json(dir.path(), &["deadlines", "--json", "--at", "2026-12-02"]);
    let tasks = tasks.as_array().unwrap();
    assert!(tasks.iter().all(|t| is_web(&t["source_url"])), "a task without an address");
    // Issue 19's bar: at least 30 one-off open tasks due from today, from at least 8 documents.
    let later: Vec<_> = tasks
        .iter()
        .filter(|t| t["recurrence"].is_null() && t["status"] == "open" && t["due"].as_str().unwrap() >= "2026-12-02")
        .collect();
    let documents: HashSet<&str> = later.iter().map(|t| t["source_url"].as_str().unwrap()).collect();
    assert!(later.len() >= 30, "{} one-off open tasks due from 2 Dec 2026", later.len());
    assert!(documents.len() >= 8, "from {} documents", documents.len());

    let all = json(dir.path(), &["deadlines", "--json", "--all", "--at", "2026-12-02"]);
    let done: Vec<_> = all.as_array().unwrap().iter().filter(|t| !t["completion_source"].is_null()).collect();
    assert!(done.len() >= 8, "{} tasks known done", done.len());
    for task in done {
        assert_eq!(task["status"], "done", "{task}");
        assert!(task["completed_on"].is_string() && is_web(&task["completion_source"]["url"]), "{task}");
        assert!(matches!(task["state"].as_str(), Some("done_on_time" | "done_late")), "{task}");
    }
}

#[test]
fn metrics_json_lists_every_figure_with_its_observations_and_addresses() {
    let dir = tempfile::tempdir().unwrap();
    let metrics = json(dir.path(), &["metrics", "--json"]);
    let metrics = metrics.as_array().unwrap();
    let mut recent = 0;
    for metric in metrics {
        for field in ["key", "name", "name_en", "unit"] {
            assert!(metric[field].is_string(), "{field} of {metric}");
        }
        let observations = metric["observations"].as_array().unwrap();
        for obs in observations {
            for field in ["period", "kind", "scope", "source"] {
                assert!(obs[field].is_string(), "{field} of {obs}");
            }
            assert!(obs["value"].is_number() && is_web(&obs["source_url"]), "{obs}");
        }
        if observations.iter().any(|o| matches!(&o["period"].as_str().unwrap()[..4], "2025" | "2026")) {
            recent += 1;
        }
    }
    assert!(recent >= 20, "{recent} figures with a 2025 or 2026 value");
}

#[test]
fn metric_answers_vneid_with_a_recent_figure_and_its_address() {
    let dir = tempfile::tempdir().unwrap();
    let answer = json(dir.path(), &["metric", "--json", "--at", "2026-12-02", "tài khoản VNeID"]);
    let best = &answer["matches"][0];
    let period = best["period"].as_str().unwrap();
    assert!(period.starts_with("2025") || period.starts_with("2026"), "{best}");
    let text = stdout(&hanchot(dir.path(), &["ask", "--at", "2026-12-02", "/metric tài khoản VNeID"]));
    assert!(text.contains("https://"), "{text}");
}

#[test]
fn the_card_the_calendar_and_the_workbook_carry_the_address() {
    let dir = tempfile::tempdir().unwrap();
    let all = json(dir.path(), &["deadlines", "--json", "--all", "--at", "2026-12-02"]);
    let ndc = all
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"] == "cd103-2025-tt-du-lieu-quoc-gia-2025-08-19")
        .expect("the National Data Center task")
        .clone();
    let id = ndc["id"].as_i64().unwrap().to_string();
    let card = stdout(&hanchot(dir.path(), &["ask", "--at", "2026-12-02", &format!("/deadline {id}")]));
    assert!(card.contains(ndc["source_url"].as_str().unwrap()), "{card}");
    assert!(card.contains(ndc["completion_source"]["url"].as_str().unwrap()), "{card}");

    let ics = stdout(&hanchot(dir.path(), &["export", "--ics", "--at", "2026-12-02", "Hà Nội"]));
    assert!(ics.lines().any(|l| l.starts_with("URL:https://vneconomy.vn/")), "{ics}");

    let file = dir.path().join("nhiem-vu.xlsx");
    hanchot(dir.path(), &["export", "--at", "2026-12-02", "--xlsx", file.to_str().unwrap(), "--lang", "en"]);
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(std::fs::read(&file).unwrap())).unwrap();
    let tasks = book.worksheet_range("Tasks").unwrap();
    let header: Vec<String> = tasks.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let column = header.iter().position(|h| h == "Source address").expect("the address column");
    let addresses = tasks.rows().skip(1).filter(|r| r[column].to_string().starts_with("https://")).count();
    assert_eq!(addresses, tasks.rows().count() - 1, "every row has its address");
}
