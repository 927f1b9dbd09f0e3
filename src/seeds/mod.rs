//! Reading seed files (`seeds/`, see its README): the facts the bot starts with, each with its source.
//!
//! The built-in seeds are compiled into the binary so `hanchot` runs from any folder.

mod file;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::domain::period::Period;

pub use file::{CompletionSeed, DirectiveSeed, MetricSeed, ObservationSeed, SeedFile, SourceSeed, TaskSeed, TopicSeed};

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/seeds");

/// The search lexicon lives beside the seeds but is not one (see `domain::metric::Lexicon`).
const LEXICON_FILE: &str = "lexicon.toml";

fn is_seed_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "toml") && path.file_name().is_none_or(|n| n != LEXICON_FILE)
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{file}: {source}")]
    Parse { file: String, source: toml::de::Error },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
    #[error("no seed files (*.toml) in {0}")]
    Empty(PathBuf),
}

/// A set of seed files, checked for what a single file can check; references across files (a task's
/// directive, an observation's metric) are resolved against the database when applied.
#[derive(Debug, Clone, Default)]
pub struct SeedSet {
    pub files: Vec<SeedFile>,
}

impl SeedSet {
    /// The seeds compiled into the binary.
    pub fn builtin() -> Result<Self, SeedError> {
        let mut entries = Vec::new();
        collect_builtin(&BUILTIN, &mut entries);
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        Self::parse(entries)
    }

    /// Every `*.toml` file under `dir`.
    pub fn from_dir(dir: &Path) -> Result<Self, SeedError> {
        let mut entries = Vec::new();
        collect_dir(dir, dir, &mut entries)?;
        if entries.is_empty() {
            return Err(SeedError::Empty(dir.to_owned()));
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        Self::parse(entries)
    }

    pub(crate) fn parse(entries: Vec<(String, String)>) -> Result<Self, SeedError> {
        let mut files = Vec::with_capacity(entries.len());
        for (name, text) in entries {
            let mut file: SeedFile =
                toml::from_str(&text).map_err(|source| SeedError::Parse { file: name.clone(), source })?;
            file.name = name;
            validate(&file)?;
            files.push(file);
        }
        let set = Self { files };
        set.check_unique_keys()?;
        Ok(set)
    }

    fn check_unique_keys(&self) -> Result<(), SeedError> {
        let mut seen: HashSet<(&str, &str)> = HashSet::new();
        for file in &self.files {
            let keys = file
                .source
                .iter()
                .map(|s| ("source", s.key.as_str()))
                .chain(file.directives.iter().map(|d| ("directive", d.key.as_str())))
                .chain(file.tasks.iter().map(|t| ("task", t.key.as_str())))
                .chain(file.topics.iter().map(|t| ("topic", t.key.as_str())))
                .chain(file.metrics.iter().map(|m| ("metric", m.key.as_str())));
            for (kind, key) in keys {
                if !seen.insert((kind, key)) {
                    return Err(invalid(file, format!("{kind} key {key:?} is defined twice")));
                }
            }
        }
        Ok(())
    }

    pub fn tasks(&self) -> impl Iterator<Item = (&SeedFile, &TaskSeed)> {
        self.files.iter().flat_map(|f| f.tasks.iter().map(move |t| (f, t)))
    }
}

fn invalid(file: &SeedFile, message: String) -> SeedError {
    SeedError::Invalid { file: file.name.clone(), message }
}

/// Checks what one file can check on its own.
fn validate(file: &SeedFile) -> Result<(), SeedError> {
    if file.source.is_none() && (!file.observations.is_empty() || !file.tasks.is_empty()) {
        return Err(invalid(file, "tasks and observations need a [source]".into()));
    }
    for task in &file.tasks {
        if task.key.trim().is_empty() || task.title_vi.trim().is_empty() {
            return Err(invalid(file, "every task needs a key and a title_vi".into()));
        }
        if task.completed_on.is_some() != task.completion_source.is_some() {
            return Err(invalid(file, format!("task {}: completed_on and completion_source go together", task.key)));
        }
        if let Some(report) = &task.completion_source
            && !is_web_address(&report.url)
        {
            return Err(invalid(file, format!("task {}: completion_source.url is not an http(s) address", task.key)));
        }
        if !task.owner.trim().is_empty() && !task.owners.is_empty() {
            return Err(invalid(file, format!("task {}: give `owner` or `owners`, not both", task.key)));
        }
        // Partners go in `partners`: an owner "Bộ Công an, phối hợp các bộ" would be its own row.
        if task.owner_list().iter().any(|o| {
            let f = crate::domain::fold::fold(o);
            f.contains("phoi hop") || f.contains("(chu tri)")
        }) {
            return Err(invalid(file, format!("task {}: partners belong in `partners`, not the owner", task.key)));
        }
    }
    if let Some(source) = &file.source
        && !source.url.is_empty()
        && !is_web_address(&source.url)
    {
        return Err(invalid(file, format!("source url {:?} is not an http(s) address", source.url)));
    }
    for obs in &file.observations {
        obs.period.parse::<Period>().map_err(|e| invalid(file, format!("observation of {}: {e}", obs.metric)))?;
        if let Some(base) = &obs.base {
            base.parse::<Period>().map_err(|e| invalid(file, format!("base of {}: {e}", obs.metric)))?;
        }
        let value = match obs.value {
            Some(value) => value,
            None if !obs.text_vi.trim().is_empty() => 0.0,
            None => {
                return Err(invalid(
                    file,
                    format!("observation of {} needs a value or an event's text_vi", obs.metric),
                ));
            }
        };
        if !value.is_finite() {
            return Err(invalid(file, format!("observation of {} has no finite value", obs.metric)));
        }
        if obs.upper.is_some_and(|u| !u.is_finite() || u <= value) {
            return Err(invalid(
                file,
                format!("observation of {}: a range's upper end must be above value", obs.metric),
            ));
        }
    }
    Ok(())
}

/// An absolute http or https address with a host.
pub fn is_web_address(text: &str) -> bool {
    url::Url::parse(text).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
}

fn collect_builtin(dir: &Dir<'static>, out: &mut Vec<(String, String)>) {
    for file in dir.files() {
        if is_seed_file(file.path()) {
            let text = file.contents_utf8().unwrap_or_default().to_owned();
            out.push((file.path().display().to_string(), text));
        }
    }
    for sub in dir.dirs() {
        collect_builtin(sub, out);
    }
}

fn collect_dir(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> Result<(), SeedError> {
    let io = |source| SeedError::Io { path: dir.to_owned(), source };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            collect_dir(root, &path, out)?;
        } else if is_seed_file(&path) {
            let text = std::fs::read_to_string(&path).map_err(|source| SeedError::Io { path: path.clone(), source })?;
            let name = path.strip_prefix(root).unwrap_or(&path).display().to_string();
            out.push((name, text));
        }
    }
    Ok(())
}
