//! `hanchot sources`: add, list, turn on and off, remove and poll the watched sources.

use clap::Subcommand;
use serde::Serialize;
use std::process::ExitCode;

use super::{out, usage_error};
use crate::app::{App, NotAdded};
use crate::sources::{Poll, Watcher};
use crate::store::{SourceKind, WatchedSource};

type Outcome = anyhow::Result<ExitCode>;

#[derive(Debug, Subcommand)]
pub enum SourcesCommand {
    /// Watch a feed or a listing page (active at once).
    Add {
        url: String,
        #[arg(long)]
        name: Option<String>,
        /// rss, atom or html (a listing page); guessed from the address when not given.
        #[arg(long, value_parser = parse_kind)]
        kind: Option<SourceKind>,
        /// For a listing page: a regular expression the items' addresses match.
        #[arg(long, value_name = "REGEX")]
        links: Option<String>,
    },
    /// Every source with its health.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Turn a source on: it is checked at the next poll.
    On { id: i64 },
    /// Turn a source off.
    Off { id: i64 },
    /// Stop watching a source (tasks saved from it stay).
    Remove { id: i64 },
    /// Poll every active source now; print each one's outcome and the tasks proposed. They go to
    /// the admins for review when `serve` runs.
    Poll {
        #[arg(long)]
        json: bool,
    },
}

fn parse_kind(text: &str) -> Result<SourceKind, String> {
    text.parse().map_err(|_| format!("{text:?}: rss, atom or html"))
}

pub async fn run(app: &App, command: SourcesCommand) -> Outcome {
    match command {
        SourcesCommand::Add { url, name, kind, links } => add(app, &url, name.as_deref(), kind, links.as_deref()).await,
        SourcesCommand::List { json } => list(app, json).await,
        SourcesCommand::On { id } => set_active(app, id, true).await,
        SourcesCommand::Off { id } => set_active(app, id, false).await,
        SourcesCommand::Remove { id } => remove(app, id).await,
        SourcesCommand::Poll { json } => poll(app, json).await,
    }
}

async fn add(app: &App, url: &str, name: Option<&str>, kind: Option<SourceKind>, links: Option<&str>) -> Outcome {
    if let Some(pattern) = links
        && let Err(error) = regex::Regex::new(pattern)
    {
        return Ok(usage_error(&format!("--links {pattern:?} is not a regular expression: {error}")));
    }
    match app.add_source(url, name, kind, links).await? {
        Ok(id) => out!("source {id} added: {url}"),
        Err(NotAdded::Known(id)) => out!("already watched as source {id}: {url}"),
        Err(NotAdded::BadAddress(why)) => return Ok(usage_error(&format!("{url:?} is not an http(s) address: {why}"))),
    }
    Ok(ExitCode::SUCCESS)
}

/// A source, as `sources list --json` prints it.
#[derive(Debug, Serialize)]
struct SourceJson<'a> {
    id: i64,
    url: &'a str,
    name: &'a str,
    kind: SourceKind,
    active: bool,
    last_status: Option<crate::store::CheckStatus>,
    last_error: Option<&'a str>,
    consecutive_errors: u32,
    next_check_at: Option<String>,
    last_ok_at: Option<String>,
    items_seen: u32,
}

impl<'a> From<&'a WatchedSource> for SourceJson<'a> {
    fn from(s: &'a WatchedSource) -> Self {
        let at =
            |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        Self {
            id: s.id,
            url: &s.url,
            name: &s.name,
            kind: s.kind,
            active: s.active,
            last_status: s.last_status,
            last_error: s.last_error.as_deref(),
            consecutive_errors: s.consecutive_errors,
            next_check_at: at(s.next_check_at),
            last_ok_at: at(s.last_ok_at),
            items_seen: s.items_seen,
        }
    }
}

async fn list(app: &App, json: bool) -> Outcome {
    let sources = app.sources().await?;
    if json {
        let shown: Vec<SourceJson> = sources.iter().map(SourceJson::from).collect();
        out!("{}", serde_json::to_string_pretty(&shown)?);
        return Ok(ExitCode::SUCCESS);
    }
    for s in &sources {
        let state = if s.active { "on " } else { "off" };
        let status = s.last_status.map(|st| st.to_string()).unwrap_or_else(|| "never checked".into());
        let error =
            s.last_error.as_deref().map(|e| format!(" ({} in a row: {e})", s.consecutive_errors)).unwrap_or_default();
        let note = if s.note.is_empty() { String::new() } else { format!(" [{}]", s.note) };
        out!(
            "{:>3} {state} {:<5} {} — {}: {status}{error}, {} items seen{note}",
            s.id,
            s.kind.to_string(),
            s.url,
            s.name,
            s.items_seen
        );
    }
    Ok(ExitCode::SUCCESS)
}

async fn set_active(app: &App, id: i64, active: bool) -> Outcome {
    if !app.set_source_active(id, active).await? {
        return Ok(usage_error(&format!("no source {id}: see `hanchot sources list`")));
    }
    out!("source {id} is {}", if active { "on" } else { "off" });
    Ok(ExitCode::SUCCESS)
}

async fn remove(app: &App, id: i64) -> Outcome {
    if !app.remove_source(id).await? {
        return Ok(usage_error(&format!("no source {id}: see `hanchot sources list`")));
    }
    out!("source {id} removed");
    Ok(ExitCode::SUCCESS)
}

/// What `sources poll --json` prints.
#[derive(Debug, Serialize)]
struct PollJson<'a> {
    sources: Vec<OutcomeJson<'a>>,
    proposals: Vec<ProposalJson<'a>>,
}

#[derive(Debug, Serialize)]
struct OutcomeJson<'a> {
    url: &'a str,
    status: crate::store::CheckStatus,
    new_items: u32,
    error: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct ProposalJson<'a> {
    source_url: &'a str,
    item_url: &'a str,
    item_title: &'a str,
    published: String,
    due: String,
    due_precision: &'static str,
    owner: &'a str,
    title: &'a str,
    directive: Option<&'a str>,
}

fn poll_json(poll: &Poll) -> PollJson<'_> {
    PollJson {
        sources: poll
            .sources
            .iter()
            .map(|s| OutcomeJson { url: &s.url, status: s.status, new_items: s.new_items, error: s.error.as_deref() })
            .collect(),
        proposals: poll
            .proposed
            .iter()
            .flat_map(|item| {
                item.proposals.iter().map(move |p| ProposalJson {
                    source_url: &item.source_url,
                    item_url: &item.item_url,
                    item_title: &item.item_title,
                    published: item.published.format("%Y-%m-%d").to_string(),
                    due: p.due.date.format("%Y-%m-%d").to_string(),
                    due_precision: p.due.precision.as_str(),
                    owner: &p.owner,
                    title: &p.sentence,
                    directive: item.document.as_deref(),
                })
            })
            .collect(),
    }
}

async fn poll(app: &App, json: bool) -> Outcome {
    let watcher = Watcher::for_config(app.store.clone(), &app.config, Vec::new())?;
    let poll = watcher.poll(app.clock.now(), true).await?;
    if json {
        out!("{}", serde_json::to_string_pretty(&poll_json(&poll))?);
        return Ok(ExitCode::SUCCESS);
    }
    for s in &poll.sources {
        let error = s.error.as_deref().map(|e| format!(": {e}")).unwrap_or_default();
        out!("{} {} — {} new items{error}", s.status, s.url, s.new_items);
    }
    for item in &poll.proposed {
        out!("\n{} ({}) {}", item.item_title, item.published, item.item_url);
        for p in &item.proposals {
            let owner = if p.owner.is_empty() { "—" } else { &p.owner };
            out!(
                "  {} {:<7} | {owner} | {}",
                p.due.date,
                p.due.precision.as_str(),
                p.sentence.chars().take(110).collect::<String>()
            );
        }
    }
    if !poll.proposed.is_empty() {
        out!("\nNothing stored: `hanchot serve` sends these to the admins for review.");
    }
    Ok(ExitCode::SUCCESS)
}
