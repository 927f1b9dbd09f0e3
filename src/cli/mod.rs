//! The command line: `serve` runs the bot; `ask`, `deadlines`, `metric`, `import`, `digest` and
//! the others try it without a token. `ask` goes through the same handlers as Telegram.
//!
//! This file holds the clap types and [`run`], one line per subcommand; the subcommands are in
//! `commands.rs`, their JSON shapes in `json.rs`.

mod commands;
mod health;
mod json;
mod migrate_db;
mod sources;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::app::App;
use crate::clock::{Clock, parse_at};
use crate::config::Config;
use crate::domain::lang::Lang;
use crate::store::ChatKind;

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
    /// Run the bot (long polling, or a webhook). Needs TELOXIDE_TOKEN; TELOXIDE_API_URL points it at
    /// another Bot API server.
    Serve {
        /// Receive updates on a webhook (webhook_url, else {public_url}/telegram) instead of polling.
        #[arg(long)]
        webhook: bool,
    },
    /// Ask the running bot's /healthz (on `listen`): exit 0 when it answers, for container health checks.
    Healthcheck,
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
        /// The sender's Telegram user id: answered as that user would be, through the same access
        /// check as on Telegram (admins are listed in the config). Without it, as the operator.
        #[arg(long)]
        user_id: Option<u64>,
        /// With --user-id in a group: the sender administers the group (Telegram is not asked offline).
        #[arg(long, requires = "user_id")]
        chat_admin: bool,
        /// Write the files the answer attaches (a chart, a workbook, a calendar) into this folder.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The message, e.g. "/deadlines quá hạn".
        #[arg(required = true, num_args = 1.., trailing_var_arg = true)]
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
    /// List every figure with all its observations (period, value, kind, scope, source, address).
    Metrics {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        #[arg(long, default_value = "vi")]
        lang: Lang,
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
        /// With --json: print the figures the text states (for figures the bot knows) instead.
        #[arg(long)]
        figures: bool,
        /// Store the proposals.
        #[arg(long)]
        yes: bool,
    },
    /// Add a task by hand, as /add takes it: "15/10/2026 Bộ Công an | Báo cáo …".
    Add {
        #[arg(required = true, num_args = 1.., trailing_var_arg = true, allow_hyphen_values = true)]
        text: Vec<String>,
    },
    /// Write the deadlines as an iCalendar file (stdout without FILE), or the tasks and the report
    /// as an Excel workbook (--xlsx FILE); filters as /deadlines takes them.
    Export {
        /// iCalendar format.
        #[arg(long, required_unless_present = "xlsx", conflicts_with = "xlsx")]
        ics: bool,
        /// Write an Excel workbook to FILE: the tasks (all without a filter) and the report by owner.
        #[arg(long, value_name = "FILE")]
        xlsx: Option<PathBuf>,
        /// Where to write; "-" or nothing for stdout.
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[arg(long, default_value = "vi")]
        lang: Lang,
        filter: Vec<String>,
    },
    /// The per-owner report (done on time, done late, within term, overdue), as /report gives it.
    Report {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        #[arg(long, default_value = "vi")]
        lang: Lang,
        /// As /report takes: an owner, a directive, a month, quarter or year.
        filter: Vec<String>,
    },
    /// Draw a chart as PNG: a figure's series (`chart metric <question>`) or the report by owner
    /// (`chart report [filter]`), as /metric and /report send them.
    Chart {
        #[arg(value_enum)]
        what: ChartKind,
        /// Where to write the PNG.
        #[arg(long, short, value_name = "FILE")]
        output: PathBuf,
        #[arg(long, default_value = "vi")]
        lang: Lang,
        /// The question (metric) or the filter (report).
        words: Vec<String>,
    },
    /// Print the morning digest a chat would get now (with --at: then).
    Digest {
        #[arg(long, default_value_t = 1, allow_negative_numbers = true)]
        chat_id: i64,
    },
    /// The watched sources: feeds and pages whose new items' tasks are proposed for review.
    Sources {
        #[command(subcommand)]
        command: sources::SourcesCommand,
    },
    /// Copy this SQLite database into an empty PostgreSQL database and check the counts; a target
    /// that holds any row is refused. Stop the bot first.
    MigrateDb {
        /// The target: postgres://user@host/db.
        #[arg(long)]
        to: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List what would be sent in the next hours: a dry run, nothing is stored or sent.
    Plan {
        #[arg(long, default_value_t = 24)]
        hours: u32,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Read one received file from standard input and write its text as JSON: the child process
    /// `serve` and `import` read .docx and .pdf files in (src/document/child.rs).
    #[command(hide = true)]
    ReadDocument {
        #[arg(long)]
        name: String,
        #[arg(long, default_value_t = crate::document::isolation::MEMORY_MIB)]
        memory_mib: u64,
        #[arg(long, default_value_t = 20)]
        cpu_seconds: u64,
    },
}

/// Which chart `hanchot chart` draws.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ChartKind {
    Metric,
    Report,
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
pub(crate) use out;

/// Exit code for usage errors: a missing token, a bad `--at`, a bad config.
pub const EXIT_USAGE: u8 = 2;

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Command::ReadDocument { name, memory_mib, cpu_seconds } = &cli.command {
        // A reader child: no configuration, no database, nothing but the file.
        return Ok(crate::document::child::run(name, *memory_mib, *cpu_seconds));
    }
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
    if let Err(error) = config.check_schedule_fires(clock.now()) {
        return Ok(usage_error(&error.to_string()));
    }
    let start = || App::start(config.clone(), clock.clone());
    match cli.command {
        Command::Serve { webhook } => commands::serve(config, clock, webhook).await,
        Command::Healthcheck => commands::healthcheck(&config).await,
        Command::Ask { chat_id, chat_type, lang, user_id, chat_admin, out, text } => {
            let incoming = commands::typed(chat_id, chat_type.into(), lang, user_id, text.join(" "));
            let authority = commands::asker(&incoming, chat_admin);
            commands::ask(&start().await?, &incoming, &authority, out.as_deref()).await
        }
        Command::Deadlines { json, all, lang, filter } => {
            commands::deadlines(&start().await?, json, all, lang, &filter.join(" "))
        }
        Command::Metric { json, lang, question } => commands::metric(&start().await?, json, lang, &question.join(" ")),
        Command::Metrics { json, lang } => commands::metrics(&start().await?, json, lang),
        Command::Seed { dir } => commands::seed(&start().await?, dir.as_deref()).await,
        Command::Import { file, published, json, figures, yes } => {
            commands::import(&start().await?, &file, published, json, figures, yes).await
        }
        Command::Add { text } => commands::add(&start().await?, &text.join(" ")).await,
        Command::Export { xlsx: Some(file), lang, filter, .. } => {
            commands::export_xlsx(&start().await?, &file, lang, &filter.join(" "))
        }
        Command::Export { output, lang, filter, .. } => {
            commands::export_ics(&start().await?, output.as_deref(), lang, &filter.join(" "))
        }
        Command::Report { json, lang, filter } => commands::report(&start().await?, json, lang, &filter.join(" ")),
        Command::Chart { what, output, lang, words } => {
            commands::chart(&start().await?, what, &output, lang, &words.join(" "))
        }
        Command::Digest { chat_id } => commands::digest(&start().await?, chat_id).await,
        Command::Plan { hours, json } => commands::plan(&start().await?, hours, json).await,
        Command::Sources { command } => sources::run(&start().await?, command).await,
        Command::ReadDocument { .. } => unreachable!("a reader child returns before the configuration is read"),
        Command::MigrateDb { to, json } => migrate_db::run(&config, &to, json).await,
    }
}

/// Says what was wrong on stderr; the exit code for usage errors.
fn usage_error(message: &str) -> ExitCode {
    eprintln!("hanchot: {message}");
    ExitCode::from(EXIT_USAGE)
}
