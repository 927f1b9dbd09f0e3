//! The command line: `serve` runs the bot; `ask`, `deadlines`, `metric` and `seed` try it without a
//! token. `ask` goes through the same handlers as Telegram.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use serde_json::{Value, json};

use crate::app::App;
use crate::clock::{Clock, parse_at};
use crate::config::Config;
use crate::domain::deadline::{DeadlineFilter, FilterError, Listed, parse_filter, select};
use crate::domain::lang::Lang;
use crate::domain::metric::{self, Metric, Observation};
use crate::seeds::SeedSet;
use crate::store::ChatKind;
use crate::telegram::handlers::{Authority, Incoming, Reply, respond};
use crate::telegram::render;

/// Hạn Chót: deadlines and figures of Vietnam's digital transformation, on Telegram.
#[derive(Debug, Parser)]
#[command(name = "hanchot", version, about)]
pub struct Cli {
    /// Configuration file (default: config/default.toml if it exists, else built-in defaults).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Pretend it is this moment: YYYY-MM-DD (local midnight) or YYYY-MM-DDTHH:MM (local time).
    #[arg(long, global = true, value_name = "WHEN")]
    pub at: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the bot (long polling). Needs TELOXIDE_TOKEN; TELOXIDE_API_URL points it at another Bot API server.
    Serve,
    /// Print the reply the bot would send to TEXT in a chat.
    Ask {
        /// The chat the message comes from.
        #[arg(long, default_value_t = 1, allow_negative_numbers = true)]
        chat_id: i64,
        /// The kind of chat.
        #[arg(long, value_enum, default_value_t = ChatType::Private)]
        chat_type: ChatType,
        /// The sender's Telegram language (a chat's /lang choice still wins, as on Telegram).
        #[arg(long)]
        lang: Option<Lang>,
        /// The sender's Telegram user id (admins are listed in the config).
        #[arg(long)]
        user_id: Option<u64>,
        /// The message, e.g. "/deadlines quá hạn".
        #[arg(required = true, num_args = 1.., trailing_var_arg = true, allow_hyphen_values = true)]
        text: Vec<String>,
    },
    /// List deadlines: open ones (upcoming and overdue), or all with --all, or those matching FILTER.
    Deadlines {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Every task, whatever its status.
        #[arg(long)]
        all: bool,
        /// Language of the text output.
        #[arg(long, default_value = "vi")]
        lang: Lang,
        /// As /deadlines takes: overdue, upcoming, 6/2025, 2025, an owner or keywords.
        filter: Vec<String>,
    },
    /// Answer a question about a figure, e.g. `hanchot metric tài khoản VNeID`.
    Metric {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Language of the text output.
        #[arg(long, default_value = "vi")]
        lang: Lang,
        #[arg(required = true, num_args = 1..)]
        question: Vec<String>,
    },
    /// Apply the built-in seeds, or also the seed files (*.toml) under DIR.
    Seed { dir: Option<PathBuf> },
    /// Find the dated tasks in a Vietnamese directive or news text and show them for review;
    /// --yes stores them (importing the same text twice adds nothing twice).
    Import {
        file: PathBuf,
        /// When the text was published ("năm nay" is that year); read from the text if it shows one.
        #[arg(long, value_name = "YYYY-MM-DD")]
        published: Option<chrono::NaiveDate>,
        /// Print the proposals as JSON, in the shape of `deadlines --json` plus `recurrence`.
        #[arg(long)]
        json: bool,
        /// Store the proposals.
        #[arg(long)]
        yes: bool,
    },
    /// Add a task by hand, as /add takes it: "15/10/2026 Bộ Công an | Báo cáo …".
    Add {
        #[arg(required = true, num_args = 1.., trailing_var_arg = true, allow_hyphen_values = true)]
        text: Vec<String>,
    },
    /// Write the deadlines as an iCalendar file (stdout without FILE); filters as /deadlines takes them.
    Export {
        /// iCalendar format (the only one).
        #[arg(long, required = true)]
        ics: bool,
        /// Where to write; "-" or nothing for stdout.
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[arg(long, default_value = "vi")]
        lang: Lang,
        filter: Vec<String>,
    },
    /// Print the morning digest a chat would get now (with --at: then).
    Digest {
        #[arg(long, default_value_t = 1, allow_negative_numbers = true)]
        chat_id: i64,
    },
    /// List what would be sent in the next hours: a dry run, nothing is stored or sent.
    Plan {
        #[arg(long, default_value_t = 24)]
        hours: u32,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ChatType {
    Private,
    Group,
    Supergroup,
}

impl From<ChatType> for ChatKind {
    fn from(t: ChatType) -> Self {
        match t {
            ChatType::Private => ChatKind::Private,
            ChatType::Group => ChatKind::Group,
            ChatType::Supergroup => ChatKind::Supergroup,
        }
    }
}

/// Prints a line on stdout; a closed pipe (`hanchot ask … | head`) is not an error worth a panic.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// Exit code for usage errors: a missing token, a bad `--at`, a bad config.
pub const EXIT_USAGE: u8 = 2;

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = match Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(error) => return Ok(usage_error(&error.to_string())),
    };
    let clock = match &cli.at {
        Some(at) => match parse_at(at, config.timezone) {
            Ok(at) => Clock::fixed(at),
            Err(error) => return Ok(usage_error(&format!("--at: {error}"))),
        },
        None => Clock::system(),
    };
    if matches!(cli.command, Command::Serve) && !has_token() {
        return Ok(usage_error("TELOXIDE_TOKEN is not set: export the bot token from @BotFather (see README)"));
    }
    let app = App::start(config, clock).await.context("cannot start")?;
    match cli.command {
        Command::Serve => {
            let bot = teloxide::Bot::from_env();
            crate::telegram::bot::serve(app, bot, crate::telegram::bot::shutdown_signal()).await?;
        }
        Command::Ask { chat_id, chat_type, lang, user_id, text } => {
            let incoming = Incoming {
                chat_id,
                chat_kind: chat_type.into(),
                user_id,
                user_lang: lang.map(|l| l.code().to_owned()),
                as_chat: false,
                text: text.join(" "),
            };
            let username = app.config.bot_username.clone();
            let replies = respond(&app, &incoming, &username, &Authority::Operator).await;
            let printed: Vec<String> = replies
                .iter()
                .map(|reply| match reply {
                    Reply::Html(text) => text.clone(),
                    Reply::Keyboard { html, buttons } => {
                        let labels: Vec<String> = buttons.iter().flatten().map(|b| format!("[{}]", b.label)).collect();
                        format!("{html}\n{}", labels.join(" "))
                    }
                    Reply::Document { name, bytes, caption } => {
                        format!("{caption}\n[{name}]\n{}", String::from_utf8_lossy(bytes))
                    }
                })
                .collect();
            out!("{}", printed.join("\n\n———\n\n"));
        }
        Command::Deadlines { json, all, lang, filter } => {
            let filter = if all { Ok(DeadlineFilter::All) } else { parse_filter(&filter.join(" ")) };
            let filter = match filter {
                Ok(filter) => filter,
                Err(FilterError::MalformedPeriod(arg)) => {
                    return Ok(usage_error(&format!("{arg:?} is not a month: use 6/2025")));
                }
            };
            let today = app.clock.today(app.config.timezone);
            let catalog = app.catalog();
            let sections = select(&catalog.tasks, &filter, today);
            if json {
                let items: Vec<Value> = sections.iter().flat_map(|s| &s.items).map(task_json).collect();
                out!("{}", serde_json::to_string_pretty(&items)?);
            } else {
                out!("{}", html_to_text(&render::deadlines(&sections, &filter, today, lang)));
            }
        }
        Command::Metric { json, lang, question } => {
            let question = question.join(" ");
            let catalog = app.catalog();
            let answer = metric::search(&catalog.metrics, &catalog.metric_index, &question);
            if json {
                let matches: Vec<Value> =
                    answer.matches.iter().map(|m| metric_json(m.metric, &m.lead.observations, m.score)).collect();
                let suggestions: Vec<&str> = answer.suggestions.iter().map(|m| m.key.as_str()).collect();
                let out = json!({
                    "query": question,
                    "period": answer.period.map(|p| p.to_string()),
                    "matches": matches,
                    "suggestions": suggestions,
                });
                out!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                out!("{}", html_to_text(&render::metric_answer(&answer, &question, lang)));
            }
        }
        Command::Seed { dir } => {
            let report = match dir {
                Some(dir) => {
                    let seeds =
                        SeedSet::from_dir(&dir).with_context(|| format!("cannot read seeds from {}", dir.display()))?;
                    app.seed(&seeds).await?
                }
                None => app.seed(&SeedSet::builtin()?).await?,
            };
            out!(
                "seeds applied: {} inserted, {} updated, {} unchanged, {} removed",
                report.inserted,
                report.updated,
                report.unchanged,
                report.removed
            );
        }
        Command::Digest { chat_id } => print_digest(&app, chat_id).await?,
        Command::Import { file, published, json, yes } => return import(&app, &file, published, json, yes).await,
        Command::Add { text } => {
            let incoming = Incoming {
                chat_id: 0,
                chat_kind: ChatKind::Private,
                user_id: None,
                user_lang: None,
                as_chat: false,
                text: format!("/add {}", text.join(" ")),
            };
            let username = app.config.bot_username.clone();
            for reply in respond(&app, &incoming, &username, &Authority::Operator).await {
                out!("{}", html_to_text(reply.text()));
            }
        }
        Command::Export { ics: _, output, lang, filter } => {
            let filter = match parse_filter(&filter.join(" ")) {
                Ok(filter) => filter,
                Err(FilterError::MalformedPeriod(arg)) => {
                    return Ok(usage_error(&format!("{arg:?} is not a month: use 6/2025")));
                }
            };
            let today = app.clock.today(app.config.timezone);
            let catalog = app.catalog();
            let tasks: Vec<Listed> = select(&catalog.tasks, &filter, today).into_iter().flat_map(|s| s.items).collect();
            let calendar = crate::ics::calendar(&tasks, &app.config.remind_days, app.clock.now(), lang);
            match output.filter(|p| p.as_os_str() != "-") {
                Some(path) => {
                    std::fs::write(&path, calendar).with_context(|| format!("cannot write {}", path.display()))?;
                    eprintln!("hanchot: wrote {} tasks to {}", tasks.len(), path.display());
                }
                None => out!("{calendar}"),
            }
        }
        Command::Plan { hours, json } => {
            let planned = crate::delivery::preview(&app, app.clock.now(), hours).await?;
            if json {
                out!("{}", serde_json::to_string_pretty(&planned)?);
            } else if planned.is_empty() {
                out!("nothing would be sent in the next {hours} hours");
            } else {
                for p in &planned {
                    let when = p.scheduled_at.with_timezone(&app.config.timezone).format("%Y-%m-%d %H:%M:%S %:z");
                    let first_line = html_to_text(p.body.lines().next().unwrap_or_default());
                    let note = p.skipped.as_deref().map(|s| format!(" (skipped: {s})")).unwrap_or_default();
                    out!("{when}  chat {:>14}  {:<8}  {}{note}  {first_line}", p.chat_id, p.kind.as_str(), p.key);
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The largest text `import` reads.
const MAX_IMPORT_BYTES: u64 = 2 * 1024 * 1024;

/// `hanchot import`: proposals for review, stored only with --yes.
async fn import(
    app: &App,
    file: &std::path::Path,
    published: Option<chrono::NaiveDate>,
    json: bool,
    yes: bool,
) -> anyhow::Result<ExitCode> {
    let size = std::fs::metadata(file).with_context(|| format!("cannot read {}", file.display()))?.len();
    if size > MAX_IMPORT_BYTES {
        return Ok(usage_error(&format!("{} is larger than {MAX_IMPORT_BYTES} bytes", file.display())));
    }
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let Ok(text) = String::from_utf8(bytes) else {
        return Ok(usage_error(&format!("{} is not UTF-8 text", file.display())));
    };
    let Some(published) = published.or_else(|| crate::domain::extract::publication_date(&text)) else {
        return Ok(usage_error(
            "the text shows no publication date: give --published YYYY-MM-DD (\"năm nay\" depends on it)",
        ));
    };
    let proposals = crate::domain::extract::extract(&text, published);
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if json {
        let items: Vec<Value> = proposals
            .iter()
            .map(|p| {
                json!({
                    "id": Value::Null,
                    "title": p.sentence,
                    "due": p.due.date.format("%Y-%m-%d").to_string(),
                    "due_precision": p.due.precision.as_str(),
                    "due_phrase": p.due_phrase,
                    "owner": p.owner,
                    "status": "open",
                    "directive": Value::Null,
                    "source": name,
                    "recurrence": p.recurrence.map(|r| r.as_str()),
                })
            })
            .collect();
        out!("{}", serde_json::to_string_pretty(&items)?);
    } else {
        out!("{} dated tasks found in {name} (published {published}):", proposals.len());
        for (i, p) in proposals.iter().enumerate() {
            let recurrence = p.recurrence.map(|r| format!(" ({})", r.as_str())).unwrap_or_default();
            let owner = if p.owner.is_empty() { "—" } else { &p.owner };
            let sentence: String = p.sentence.chars().take(110).collect();
            out!("{:>3}. {} {:<7}{recurrence} | {owner} | {sentence}", i + 1, p.due.date, p.due.precision.as_str());
        }
    }
    if yes {
        let mut added = 0;
        for p in &proposals {
            let task = crate::store::NewTask::imported(p);
            let actor = crate::store::Actor { user_id: None, at: app.clock.now() };
            added += usize::from(
                app.store.add_task(&task, actor, crate::domain::task::EventKind::Imported).await?.is_some(),
            );
        }
        app.reload().await?;
        eprintln!("hanchot: stored {added} new tasks ({} were already there)", proposals.len() - added);
    } else if !json {
        out!("Nothing stored: run again with --yes to store these tasks.");
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the digest a chat would get now, with its filter, language and time zone.
async fn print_digest(app: &App, chat_id: i64) -> anyhow::Result<()> {
    let settings = app.store.chat_settings(chat_id).await?;
    let subscription = app.store.subscription(chat_id).await?;
    let filter = subscription.map(|s| s.filter).unwrap_or_default();
    let lang = app.store.chat_lang(chat_id).await?.unwrap_or(app.config.default_lang);
    let tz = settings.timezone.unwrap_or(app.config.timezone);
    let today = app.clock.today(tz);
    let catalog = app.catalog();
    let content = crate::domain::digest::digest(&catalog.tasks, &filter, today);
    if content.is_empty() && !settings.empty_digest {
        out!("(no digest would be sent: nothing is due or overdue for this chat)");
    } else {
        out!("{}", render::digest(&content, &filter, false, lang));
    }
    Ok(())
}

fn has_token() -> bool {
    std::env::var("TELOXIDE_TOKEN").is_ok_and(|t| !t.trim().is_empty())
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("hanchot: {message}");
    ExitCode::from(EXIT_USAGE)
}

/// A task as `hanchot deadlines --json` prints it.
fn task_json(listed: &Listed) -> Value {
    let task = listed.task;
    json!({
        "id": task.id,
        "key": task.key,
        "title": task.title_vi,
        "title_en": task.title_en,
        "due": listed.due.format("%Y-%m-%d").to_string(),
        "due_precision": task.due.precision.as_str(),
        "due_phrase": task.due_phrase,
        "days_left": listed.days_left,
        "overdue": listed.is_overdue(),
        "owner": task.owner,
        "owner_en": task.owner_en,
        "deliverable": task.deliverable,
        "accountable": task.accountable,
        "status": task.status.as_str(),
        "recurrence": task.recurrence.map(|r| r.as_str()),
        "directive": task.directive.as_ref().map(|d| d.code.clone().filter(|c| !c.is_empty()).unwrap_or_else(|| d.name_vi.clone())),
        "directive_name": task.directive.as_ref().map(|d| d.name_vi.clone()),
        "source": task.source.as_ref().map(|s| s.citation(Lang::Vi)),
        "source_title": task.source.as_ref().map(|s| s.title.clone()),
        "source_file": task.source.as_ref().map(|s| s.seed_file.clone()),
        "source_published": task.source.as_ref().map(|s| s.published.format("%Y-%m-%d").to_string()),
    })
}

fn observation_json(obs: &Observation, metric: &Metric) -> Value {
    json!({
        "value": obs.value,
        "out_of": obs.out_of,
        "unit": metric.unit_vi,
        "unit_en": metric.unit_en,
        "period": obs.period.to_string(),
        "kind": obs.kind.as_str(),
        "qualifier": obs.qualifier.map(|q| q.as_str()),
        "scope": obs.scope.as_stored(),
        "source": obs.source.citation(Lang::Vi),
        "source_file": obs.source.seed_file,
    })
}

/// A metric as `hanchot metric --json` prints it: the figure for the asked period (or the latest),
/// and every observation.
fn metric_json(metric: &Metric, headline: &[&Observation], score: f64) -> Value {
    let lead = headline.first();
    json!({
        "key": metric.key,
        "name": metric.name_vi,
        "name_en": metric.name_en,
        "topic": metric.topic,
        "score": (score * 1000.0).round() / 1000.0,
        "value": lead.map(|o| o.value),
        "out_of": lead.and_then(|o| o.out_of),
        "unit": metric.unit_vi,
        "unit_en": metric.unit_en,
        "period": lead.map(|o| o.period.to_string()),
        "kind": lead.map(|o| o.kind.as_str()),
        "qualifier": lead.and_then(|o| o.qualifier.map(|q| q.as_str())),
        "source": lead.map(|o| o.source.citation(Lang::Vi)),
        "also": headline.iter().skip(1).map(|o| observation_json(o, metric)).collect::<Vec<_>>(),
        "observations": metric.observations.iter().map(|o| observation_json(o, metric)).collect::<Vec<_>>(),
    })
}

/// The HTML of a reply as terminal text: tags dropped, entities decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(ch),
            _ => {}
        }
    }
    out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}
