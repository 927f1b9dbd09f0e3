//! `/calendar`: the address it gives serves the chat's calendar over HTTP, read back with the
//! icalendar crate's parser; a task's change moves its event's SEQUENCE and LAST-MODIFIED; the
//! ETag answers 304 while nothing changed; a wrong or replaced token gets 404; a group's address
//! is for its administrators.

use crate::support;

use std::collections::HashMap;
use std::time::Duration;

use hanchot::config::Config;
use hanchot::serve::Options;
use support::{TestBot, admins_config, app_with, joined};

const ADMIN: i64 = 901;

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap()
}

/// The bot on a server of its own, with a public address.
async fn bot() -> (TestBot, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let public = format!("http://127.0.0.1:{port}");
    let config = Config { listen: format!("127.0.0.1:{port}"), public_url: public.clone(), ..admins_config(&[ADMIN]) };
    let bot = TestBot::serve(app_with(config, support::TODAY).await, Options::default()).await;
    for _ in 0..200 {
        if client().get(format!("{public}/healthz")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    (bot, public)
}

/// The https-or-http address in a reply, and its webcal form.
fn addresses(reply: &str) -> (String, String) {
    let find = |scheme: &str| {
        let at = reply.find(scheme).unwrap_or_else(|| panic!("no {scheme} address in {reply}"));
        reply[at..].split(|c: char| c.is_whitespace() || c == '<').next().unwrap().to_owned()
    };
    (find("http://"), find("webcal://"))
}

/// One event as the parser reads it.
#[derive(Debug, Clone)]
struct Event {
    summary: String,
    sequence: u32,
    last_modified: String,
    recurring: bool,
}

/// The events of a calendar, by UID (a moved occurrence of a series shares its UID: the first is kept).
fn events(ics: &str) -> HashMap<String, Event> {
    let unfolded = icalendar::parser::unfold(ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("a calendar the parser reads");
    let mut events = HashMap::new();
    for component in calendar.components.iter().filter(|c| c.name == "VEVENT") {
        let value = |name: &str| component.find_prop(name).map(|p| p.val.to_string()).unwrap_or_default();
        events.entry(value("UID")).or_insert(Event {
            summary: value("SUMMARY"),
            sequence: value("SEQUENCE").parse().expect("every event has a SEQUENCE"),
            last_modified: value("LAST-MODIFIED"),
            recurring: component.find_prop("RRULE").is_some(),
        });
    }
    events
}

async fn fetch(url: &str, etag: Option<&str>) -> (u16, Option<String>, String) {
    let mut request = client().get(url);
    if let Some(etag) = etag {
        request = request.header("If-None-Match", etag);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let etag = response.headers().get("etag").map(|v| v.to_str().unwrap().to_owned());
    (status, etag, response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_address_serves_the_chats_calendar_which_follows_a_change_and_a_replaced_token_is_gone() {
    let (bot, public) = bot().await;
    let reply = joined(&bot.ask(ADMIN, ADMIN, "vi", "/calendar").await);
    let (url, webcal) = addresses(&reply);
    assert!(url.starts_with(&format!("{public}/cal/")) && url.ends_with(".ics"), "{url}");
    assert_eq!(webcal, url.replacen("http://", "webcal://", 1));
    let again = joined(&bot.ask(ADMIN, ADMIN, "vi", "/calendar").await);
    assert_eq!(addresses(&again).0, url, "asking again gives the same address");

    let (status, etag, ics) = fetch(&url, None).await;
    assert_eq!(status, 200);
    let before = events(&ics);
    assert!(before.len() >= 5, "the chat's open tasks, as /ics lists them: {}", before.len());
    assert!(before.values().all(|e| e.sequence == 0), "nothing changed yet");
    let etag = etag.expect("an ETag");
    assert_eq!(fetch(&url, Some(&etag)).await.0, 304, "unchanged: not modified");

    // A task's deadline is adjusted: its event, and only its, moves to the next revision.
    let (uid, task) = before.iter().find(|(_, e)| !e.recurring).expect("a one-off task");
    let id: String = task.summary.trim_start_matches('#').chars().take_while(char::is_ascii_digit).collect();
    support::set_clock(&bot.app, "2026-11-23T09:00");
    // Later than every seeded due date (some run to 2035): an extension never moves a deadline earlier.
    let extended = joined(&bot.ask(ADMIN, ADMIN, "vi", &format!("/extend {id} 15/01/2040 Chờ hướng dẫn")).await);
    assert!(extended.contains("15/01/2040") && !extended.contains("chưa điều chỉnh"), "{extended}");
    let (status, _, ics) = fetch(&url, Some(&etag)).await;
    assert_eq!(status, 200, "changed: served again");
    let after = events(&ics);
    assert_eq!(after[uid].sequence, 1, "SEQUENCE moved with the change");
    assert_ne!(after[uid].last_modified, task.last_modified, "LAST-MODIFIED moved too");
    let others_moved = after.iter().filter(|(u, e)| *u != uid && e.sequence != 0).count();
    assert_eq!(others_moved, 0, "the tasks that did not change keep their revision");

    // A wrong token, and a replaced one, open nothing.
    let wrong = format!("{public}/cal/{}.ics", "0".repeat(40));
    assert_eq!(fetch(&wrong, None).await.0, 404);
    assert_eq!(fetch(&format!("{public}/cal/short.ics"), None).await.0, 404);
    let renewed = joined(&bot.ask(ADMIN, ADMIN, "vi", "/calendar new").await);
    let (new_url, _) = addresses(&renewed);
    assert_ne!(new_url, url);
    assert_eq!(fetch(&url, None).await.0, 404, "the replaced address is gone");
    assert_eq!(fetch(&new_url, None).await.0, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_filtered_address_shows_its_tasks_and_in_a_group_only_admins_get_one() {
    let (bot, _) = bot().await;
    let all = addresses(&joined(&bot.ask(ADMIN, ADMIN, "vi", "/calendar").await)).0;
    let filtered = addresses(&joined(&bot.ask(ADMIN, ADMIN, "vi", "/calendar Bộ Công an").await)).0;
    assert_ne!(all, filtered, "one address per filter");
    let all = events(&fetch(&all, None).await.2);
    let filtered = events(&fetch(&filtered, None).await.2);
    assert!(!filtered.is_empty() && filtered.len() < all.len(), "{} of {}", filtered.len(), all.len());
    let malformed = joined(&bot.ask(ADMIN, ADMIN, "vi", "/calendar 13/2025").await);
    assert!(!malformed.contains("/cal/"), "a malformed filter gets no address: {malformed}");

    let group = -4242;
    let refused = joined(&bot.ask(group, 55, "vi", "/calendar").await);
    assert!(!refused.contains("/cal/"), "a member who is not an admin gets none: {refused}");
    bot.api.set_admin(group, 56);
    let given = joined(&bot.ask(group, 56, "vi", "/calendar").await);
    assert!(given.contains("/cal/"), "the group's admin gets it: {given}");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_public_address_the_chat_is_told_to_use_ics() {
    let bot = TestBot::start(support::TODAY).await;
    let reply = joined(&bot.ask(7, 7, "en", "/calendar").await);
    assert!(reply.contains("public_url") && reply.contains("/ics"), "{reply}");
}
