//! The subcommands, one function each.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use super::json::{FigureJson, MetricAnswerJson, MetricListJson, ProposalJson, ReportJson, TaskJson};
use super::{out, usage_error};
use crate::app::App;
use crate::chat::access::{Authority, Declared};
use crate::chat::handlers::respond;
use crate::chat::message::{Incoming, Reply};
use crate::clock::Clock;
use crate::config::Config;
use crate::domain::deadline::{DeadlineFilter, FilterError, Listed, parse_filter, select};
use crate::domain::digest::owed;
use crate::domain::extract::publication_date;
use crate::domain::lang::Lang;
use crate::domain::metric;
use crate::render::{self, html_to_text};
use crate::seeds::SeedSet;
use crate::store::ChatKind;

type Outcome = anyhow::Result<ExitCode>;

/// `serve`: the bot, until Ctrl-C or SIGTERM; `--webhook` receives updates on the webhook.
pub async fn serve(config: Config, clock: Clock, webhook: bool) -> Outcome {
    // Read before the database is opened: a bad token or address is a usage error, not a panic.
    let bot = match crate::serve::bot_from_env() {
        Ok(bot) => bot,
        Err(error) => return Ok(usage_error(&error.to_string())),
    };
    let receive = match webhook {
        true => crate::service::Receive::Webhook,
        false => crate::service::Receive::from_config(&config),
    };
    if receive == crate::service::Receive::Webhook
        && let Err(error) = crate::service::check_webhook(&config)
    {
        return Ok(usage_error(&error.to_string()));
    }
    let app = App::start(config, clock).await.context("cannot start")?;
    let options = crate::serve::Options::default();
    crate::serve::serve_in(app, bot, options, receive, crate::serve::shutdown_signal()).await?;
    Ok(ExitCode::SUCCESS)
}

/// `healthcheck`: 0 when the running bot's `/healthz` answers, 1 (and why) when not.
pub async fn healthcheck(config: &Config) -> Outcome {
    match super::health::healthcheck(&config.listen).await {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(error) => {
            eprintln!("hanchot: unhealthy: {error:#}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Answers a message as the operator, through the same handlers as Telegram.
async fn as_operator(app: &App, incoming: &Incoming) -> Vec<Reply> {
    respond(app, incoming, &app.config.bot_username, &Authority::Operator).await
}

/// A message typed at the command line, as the handlers read it.
pub fn typed(chat_id: i64, chat_kind: ChatKind, lang: Option<Lang>, user_id: Option<u64>, text: String) -> Incoming {
    Incoming { chat_id, chat_kind, user_id, user_lang: lang.map(|l| l.code().to_owned()), as_chat: false, text }
}

/// Who `ask` answers as: the operator, who may do anything; or, given a user id, that user, let
/// through the same gate as on Telegram (the bot's admins from the config; a group's only when
/// `chat_admin` says so, as Telegram cannot be asked offline).
pub fn asker(incoming: &Incoming, chat_admin: bool) -> Authority {
    match incoming.user_id {
        None => Authority::Operator,
        Some(_) => Authority::Members(std::sync::Arc::new(Declared { sender_is_admin: chat_admin })),
    }
}

/// `ask`: the replies as Telegram would get them (HTML), buttons in brackets, each attached file
/// as one line; with `out`, the files are written there.
pub async fn ask(app: &App, incoming: &Incoming, authority: &Authority, out: Option<&Path>) -> Outcome {
    let replies = respond(app, incoming, &app.config.bot_username, authority).await;
    let mut printed = Vec::new();
    for reply in replies {
        let reply = match reply {
            Reply::Chart(chart) => match chart.draw() {
                Some(drawn) => drawn,
                None => continue,
            },
            other => other,
        };
        printed.push(match reply {
            Reply::Html(text) => text,
            Reply::Keyboard { html, buttons } => {
                let labels: Vec<String> = buttons.iter().flatten().map(|b| format!("[{}]", b.label)).collect();
                format!("{html}\n{}", labels.join(" "))
            }
            Reply::Document { name, bytes, caption } => attachment(&name, &bytes, &caption, out)?,
            Reply::Chart(_) => continue,
        });
    }
    out!("{}", printed.join("\n\n———\n\n"));
    Ok(ExitCode::SUCCESS)
}

/// One line for an attached file: its name and size, and where it was written or how to write it.
fn attachment(name: &str, bytes: &[u8], caption: &str, out: Option<&Path>) -> anyhow::Result<String> {
    // The name comes from the bot, but a file name never leaves the folder it is written to.
    let name = Path::new(name).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "file".into());
    let size = format!("{:.1} KB", bytes.len() as f64 / 1024.0);
    let line = match out {
        Some(dir) => {
            let path = dir.join(&name);
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
            std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
            format!("[📎 {name}, {size}, written to {}]", path.display())
        }
        None => format!("[📎 {name}, {size}: add --out DIR to write it]"),
    };
    Ok(if caption.is_empty() { line } else { format!("{caption}\n{line}") })
}

/// `add`: as `/add`, by the operator.
pub async fn add(app: &App, text: &str) -> Outcome {
    for reply in as_operator(app, &typed(0, ChatKind::Private, None, None, format!("/add {text}"))).await {
        out!("{}", html_to_text(reply.text()));
    }
    Ok(ExitCode::SUCCESS)
}

/// A filter as `/deadlines` takes it, or the usage error.
fn filter(text: &str) -> Result<DeadlineFilter, ExitCode> {
    parse_filter(text)
        .map_err(|FilterError::MalformedPeriod(arg)| usage_error(&format!("{arg:?} is not a month: use 6/2025")))
}

/// `deadlines`: as text or JSON.
pub fn deadlines(app: &App, json: bool, all: bool, lang: Lang, filter_text: &str) -> Outcome {
    let filter = if all {
        DeadlineFilter::All
    } else {
        match filter(filter_text) {
            Ok(filter) => filter,
            Err(code) => return Ok(code),
        }
    };
    let today = app.today();
    let catalog = app.catalog();
    let sections = select(&catalog.tasks, &filter, today);
    if json {
        let items: Vec<TaskJson> = sections.iter().flat_map(|s| &s.items).map(TaskJson::from).collect();
        out!("{}", serde_json::to_string_pretty(&items)?);
    } else {
        out!("{}", html_to_text(&render::deadlines(&sections, &filter, today, lang)));
    }
    Ok(ExitCode::SUCCESS)
}

/// `metric`: as text or JSON.
pub fn metric(app: &App, json: bool, lang: Lang, question: &str) -> Outcome {
    let catalog = app.catalog();
    let answer = metric::search(&catalog.metrics, &catalog.metric_index, question);
    if json {
        out!("{}", serde_json::to_string_pretty(&MetricAnswerJson::new(&answer, question))?);
    } else {
        let answer = render::metric_answer(&answer, question, lang);
        out!("{}", html_to_text(&answer.html));
        for button in answer.buttons.iter().flatten() {
            out!("[{}]", button.label);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `metrics [--json]`: every figure with all its observations (text: the latest of each, as
/// `/metrics` shows them).
pub fn metrics(app: &App, json: bool, lang: Lang) -> Outcome {
    let catalog = app.catalog();
    if json {
        let all: Vec<MetricListJson> = catalog.metrics.iter().map(MetricListJson::from).collect();
        out!("{}", serde_json::to_string_pretty(&all)?);
    } else {
        out!("{}", html_to_text(&render::metrics_list(&catalog, lang)));
    }
    Ok(ExitCode::SUCCESS)
}

/// `seed [DIR]`.
pub async fn seed(app: &App, dir: Option<&Path>) -> Outcome {
    let seeds = match dir {
        Some(dir) => SeedSet::from_dir(dir).with_context(|| format!("cannot read seeds from {}", dir.display()))?,
        None => SeedSet::builtin()?,
    };
    let report = app.seed(&seeds).await?;
    out!(
        "seeds applied: {} inserted, {} updated, {} unchanged, {} removed",
        report.inserted,
        report.updated,
        report.unchanged,
        report.removed
    );
    Ok(ExitCode::SUCCESS)
}

/// `import FILE`: proposals for review, stored only with --yes.
pub async fn import(
    app: &App,
    file: &Path,
    published: Option<chrono::NaiveDate>,
    json: bool,
    with_figures: bool,
    yes: bool,
) -> Outcome {
    let size = std::fs::metadata(file).with_context(|| format!("cannot read {}", file.display()))?.len();
    if size > crate::document::MAX_BYTES as u64 {
        let max = crate::document::MAX_BYTES;
        return Ok(usage_error(&format!(
            "{} is larger than {max} bytes: import the directive's text alone",
            file.display()
        )));
    }
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // .txt (UTF-8, UTF-16, Windows-1258), .docx and .pdf with a text layer, as in Telegram.
    let reader = crate::document::Isolation::new(app.config.document_reader.as_deref());
    let text = match reader.read(&name, &bytes).await {
        Ok(text) => text,
        Err(error) => return Ok(usage_error(&format!("{}: {error}", file.display()))),
    };
    let Some(published) = published.or_else(|| publication_date(&text)) else {
        return Ok(usage_error(
            "the text shows no publication date: give --published YYYY-MM-DD (\"năm nay\" depends on it)",
        ));
    };
    let proposals = crate::domain::extract::proposals_in(&text, published);
    let catalog = app.catalog();
    let figures = crate::domain::figures::figures_in(&text, published, &catalog.metrics, &catalog.metric_index);
    if json && with_figures {
        let items: Vec<FigureJson> = figures.iter().map(|f| FigureJson::new(f, &name)).collect();
        out!("{}", serde_json::to_string_pretty(&items)?);
    } else if json {
        let items: Vec<ProposalJson> = proposals.iter().map(|p| ProposalJson::new(p, &name)).collect();
        out!("{}", serde_json::to_string_pretty(&items)?);
    } else {
        out!("{} dated tasks found in {name} (published {published}):", proposals.len());
        for (i, p) in proposals.iter().enumerate() {
            let recurrence = p.recurrence.map(|r| format!(" ({})", r.as_str())).unwrap_or_default();
            let owner = if p.owner.is_empty() { "—" } else { &p.owner };
            let sentence: String = p.sentence.chars().take(110).collect();
            out!("{:>3}. {} {:<7}{recurrence} | {owner} | {sentence}", i + 1, p.due.date, p.due.precision.as_str());
        }
        out!("{} figures found for figures the bot knows:", figures.len());
        for (i, f) in figures.iter().enumerate() {
            let context: String = f.context.chars().take(90).collect();
            out!("{:>3}. {} = {} ({}, {}) | {context}", i + 1, f.metric, f.value, f.period, f.kind.as_str());
        }
    }
    if yes {
        let saved = app
            .save_proposals(&proposals, None)
            .await
            .context("nothing stored (the import is one transaction: every task or none)")?;
        eprintln!(
            "hanchot: stored {} new tasks ({} were already there, {} refused)",
            saved.added, saved.known, saved.refused
        );
        let added = app.store.add_imported_figures(&name, published, &figures).await?;
        app.reload().await?;
        eprintln!("hanchot: stored {added} new figures");
    } else if !json {
        out!("Nothing stored: run again with --yes to store these tasks.");
    }
    Ok(ExitCode::SUCCESS)
}

/// `export --ics [-o FILE] [filter]`.
pub fn export_ics(app: &App, output: Option<&Path>, lang: Lang, filter_text: &str) -> Outcome {
    let filter = match filter(filter_text) {
        Ok(filter) => filter,
        Err(code) => return Ok(code),
    };
    let catalog = app.catalog();
    let tasks: Vec<Listed> = select(&catalog.tasks, &filter, app.today()).into_iter().flat_map(|s| s.items).collect();
    let calendar = render::ics::calendar(&tasks, &app.config.remind_days, app.clock.now(), lang);
    match output.filter(|p| p.as_os_str() != "-") {
        Some(path) => {
            std::fs::write(path, calendar).with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("hanchot: wrote {} tasks to {}", tasks.len(), path.display());
        }
        None => out!("{calendar}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// `digest --chat-id N`: the digest that chat is owed now, with its filter, language and time zone.
pub async fn digest(app: &App, chat_id: i64) -> Outcome {
    let chat = app.chat_view(chat_id).await?;
    if chat.report_only {
        out!("(no digest would be sent: this chat gets the scheduled report only)");
        return Ok(ExitCode::SUCCESS);
    }
    let filter = chat.subscription.unwrap_or_default();
    let lang = chat.lang.unwrap_or(app.config.default_lang);
    let today = app.clock.today(chat.settings.timezone.unwrap_or(app.config.timezone));
    let catalog = app.catalog();
    match owed(&catalog.tasks, &filter, today, &chat.settings) {
        Some(content) => out!("{}", render::digest(&content, &filter, false, lang)),
        None => out!("(no digest would be sent: nothing is due or overdue for this chat)"),
    }
    Ok(ExitCode::SUCCESS)
}

/// `plan`: what would be sent in the next hours; nothing stored or sent.
pub async fn plan(app: &App, hours: u32, json: bool) -> Outcome {
    let ctx = crate::delivery::plan_context(&app.config);
    let planned = crate::delivery::preview(&app.store, &app.catalog(), &ctx, app.clock.now(), hours).await?;
    if json {
        out!("{}", serde_json::to_string_pretty(&planned)?);
    } else if planned.is_empty() {
        out!("nothing would be sent in the next {hours} hours");
    } else {
        for p in &planned {
            let when = p.scheduled_at.with_timezone(&app.config.timezone).format("%Y-%m-%d %H:%M:%S %:z");
            let first_line = html_to_text(p.body.lines().next().unwrap_or_default());
            let note = p.skipped.map(|s| format!(" (skipped: {s})")).unwrap_or_default();
            out!("{when}  chat {:>14}  {:<8}  {}{note}  {first_line}", p.chat_id, p.kind.as_str(), p.key);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `report`: the per-owner counts, as text or JSON; filters as /report takes them.
pub fn report(app: &App, json: bool, lang: Lang, filter_text: &str) -> Outcome {
    let filter = match filter(filter_text) {
        Ok(filter) => filter,
        Err(code) => return Ok(code),
    };
    let catalog = app.catalog();
    let counted = crate::domain::report::report(&catalog.tasks, &filter, app.today());
    if json {
        out!("{}", serde_json::to_string_pretty(&ReportJson::new(&counted, filter_text))?);
    } else {
        out!("{}", html_to_text(&render::report::report(&counted, filter_text, lang)));
    }
    Ok(ExitCode::SUCCESS)
}

/// `export --xlsx FILE`: the tasks and the per-owner report as a workbook.
pub fn export_xlsx(app: &App, file: &Path, lang: Lang, filter_text: &str) -> Outcome {
    let filter = match filter(filter_text) {
        Ok(filter) => filter,
        Err(code) => return Ok(code),
    };
    let (bytes, n) = crate::chat::report::workbook_bytes(app, &filter, lang)?;
    std::fs::write(file, bytes).with_context(|| format!("cannot write {}", file.display()))?;
    eprintln!("{n} tasks written to {}", file.display());
    Ok(ExitCode::SUCCESS)
}

/// `chart metric|report`: the PNG /metric or /report would send.
pub fn chart(app: &App, what: super::ChartKind, file: &Path, lang: Lang, words: &str) -> Outcome {
    let catalog = app.catalog();
    let bytes = match what {
        super::ChartKind::Metric => {
            let answer = metric::search(&catalog.metrics, &catalog.metric_index, words);
            let Some(best) = answer.matches.first() else {
                return Ok(usage_error(&format!("no figure matches {words:?}")));
            };
            match render::chart::metric_chart(best.metric, lang)? {
                Some(bytes) => bytes,
                None => return Ok(usage_error(&format!("{} has no series to draw", best.metric.key))),
            }
        }
        super::ChartKind::Report => {
            let filter = match filter(words) {
                Ok(filter) => filter,
                Err(code) => return Ok(code),
            };
            render::chart::report_chart(&crate::domain::report::report(&catalog.tasks, &filter, app.today()), lang)?
        }
    };
    std::fs::write(file, bytes).with_context(|| format!("cannot write {}", file.display()))?;
    Ok(ExitCode::SUCCESS)
}
