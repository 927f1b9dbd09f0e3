//! Reading a received .docx or .pdf in a child process, off the async runtime: one hostile file
//! (a drawing that draws itself, a page tree that loops, a stream that inflates to gigabytes) costs
//! its own process and its own time, never the bot's stack, memory or threads.
//!
//! The child is this binary again (`hanchot read-document`, see `child.rs`), or the program the
//! configuration names; it gets the file on standard input and answers in JSON.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::process::Command;
use tokio::sync::Semaphore;

use super::{DocumentError, Format, MAX_BYTES, format_of, read};

/// How long a reader may take before it is killed and the user told the file could not be read.
pub const TIME_BUDGET: Duration = Duration::from_secs(20);
/// The reader's address space: a 10 MB file whose streams inflate to their caps fits, and a bomb
/// that gets past them fails its allocation in the child.
pub const MEMORY_MIB: u64 = 2048;

/// At most this many readers at once: each may take `MEMORY_MIB`, and the machine has a few cores.
static READERS: Semaphore = Semaphore::const_new(4);

/// How received files are read: which program, within which budget.
#[derive(Debug, Clone)]
pub struct Isolation {
    program: PathBuf,
    time: Duration,
}

impl Isolation {
    /// Readers run `program`, or this binary when none is given.
    pub fn new(program: Option<&Path>) -> Self {
        let program =
            program.map(Path::to_path_buf).or_else(|| std::env::current_exe().ok()).unwrap_or_else(|| "hanchot".into());
        Self { program, time: TIME_BUDGET }
    }

    /// The same with another time budget (tests of the budget itself).
    pub fn with_time(self, time: Duration) -> Self {
        Self { time, ..self }
    }

    /// The file's text, as `document::read` gives it, read in a child process for a .docx or a .pdf;
    /// a plain text is decoded here (linear, and no parser to trap).
    pub async fn read(&self, file_name: &str, bytes: &[u8]) -> Result<String, DocumentError> {
        if bytes.len() > MAX_BYTES {
            return Err(DocumentError::TooLarge { size: bytes.len(), max: MAX_BYTES });
        }
        if bytes.is_empty() || format_of(file_name, bytes)? == Format::Text {
            return read(file_name, bytes);
        }
        // The budget counts the wait for a turn: the user hears back within it, whatever else is read.
        let read = async {
            let _turn = READERS.acquire().await.map_err(|e| DocumentError::ReaderFailed(e.to_string()))?;
            self.in_child(file_name, bytes).await
        };
        match tokio::time::timeout(self.time, read).await {
            Ok(outcome) => outcome,
            // The child is killed as its handle is dropped.
            Err(_) => Err(DocumentError::TooSlow),
        }
    }

    async fn in_child(&self, file_name: &str, bytes: &[u8]) -> Result<String, DocumentError> {
        let mut child = Command::new(&self.program)
            .args(["read-document", "--name", file_name])
            .arg("--memory-mib")
            .arg(MEMORY_MIB.to_string())
            .arg("--cpu-seconds")
            .arg(self.time.as_secs().max(1).to_string())
            // The reader needs no secret.
            .env_remove("TELOXIDE_TOKEN")
            .env_remove("HANCHOT_WEBHOOK_SECRET")
            .env("RUST_LOG", "error")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                tracing::error!(program = %self.program.display(), error = %e, "cannot start the document reader");
                DocumentError::ReaderFailed(format!("cannot start the reader: {e}"))
            })?;
        if let Some(mut stdin) = child.stdin.take() {
            // A reader that stops early closes the pipe: what it says then is in its exit.
            let _ = stdin.write_all(bytes).await;
        }
        let output = child.wait_with_output().await.map_err(|e| DocumentError::ReaderFailed(e.to_string()))?;
        if output.status.success() {
            return serde_json::from_slice(&output.stdout)
                .map_err(|e| DocumentError::ReaderFailed(format!("the reader's answer is not JSON: {e}")))?;
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(why_it_stopped(output.status, &stderr))
    }
}

/// What a reader's exit says: out of memory, out of stack, out of CPU time, or another crash.
fn why_it_stopped(status: std::process::ExitStatus, stderr: &str) -> DocumentError {
    use std::os::unix::process::ExitStatusExt;
    let last = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or_default().trim();
    if stderr.contains("memory allocation of") || stderr.contains("capacity overflow") {
        return DocumentError::TooMuchMemory(last.to_owned());
    }
    if stderr.contains("overflowed its stack") {
        return DocumentError::TooDeep;
    }
    match status.signal() {
        Some(24) => DocumentError::TooSlow, // SIGXCPU: the CPU limit
        Some(signal) => DocumentError::ReaderFailed(format!("signal {signal}: {last}")),
        None => DocumentError::ReaderFailed(format!("{status}: {last}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_readers_exit_names_its_cause() {
        use std::os::unix::process::ExitStatusExt;
        let aborted = std::process::ExitStatus::from_raw(6);
        assert_eq!(
            why_it_stopped(aborted, "memory allocation of 4294967296 bytes failed\n"),
            DocumentError::TooMuchMemory("memory allocation of 4294967296 bytes failed".into())
        );
        assert_eq!(
            why_it_stopped(aborted, "thread 'main' has overflowed its stack\nfatal runtime error"),
            DocumentError::TooDeep
        );
        assert_eq!(why_it_stopped(std::process::ExitStatus::from_raw(24), ""), DocumentError::TooSlow);
        assert!(matches!(why_it_stopped(aborted, "boom"), DocumentError::ReaderFailed(r) if r.contains("boom")));
    }
}
