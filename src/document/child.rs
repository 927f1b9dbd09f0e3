//! The child process a received file is read in (`hanchot read-document`, hidden): the file's bytes
//! on standard input, `Result<String, DocumentError>` as JSON on standard output. Its limits are
//! set by the kernel before it reads a byte, so a file that makes the reader loop, recurse or
//! allocate without end takes down this process alone, never the bot.

use std::io::{Read, Write};
use std::process::ExitCode;

use rlimit::Resource;

use super::{DocumentError, MAX_BYTES, read};

/// Reads one file from standard input under an address-space limit of `memory_mib` MiB and a CPU
/// limit of `cpu_seconds`, and writes the outcome as JSON. Exit 0 whenever the outcome was
/// written, whatever it says; 1 when the limits or the pipes could not be set up.
pub fn run(name: &str, memory_mib: u64, cpu_seconds: u64) -> ExitCode {
    let memory = memory_mib.saturating_mul(1024 * 1024);
    // The parent kills the child at its time budget; the CPU limit stops a child whose parent died.
    let limits = Resource::AS.set(memory, memory).and_then(|()| Resource::CPU.set(cpu_seconds, cpu_seconds + 1));
    if let Err(error) = limits {
        eprintln!("hanchot read-document: cannot set the limits: {error}");
        return ExitCode::FAILURE;
    }
    let mut bytes = Vec::new();
    if let Err(error) = std::io::stdin().lock().take(MAX_BYTES as u64 + 1).read_to_end(&mut bytes) {
        eprintln!("hanchot read-document: cannot read standard input: {error}");
        return ExitCode::FAILURE;
    }
    let outcome: Result<String, DocumentError> = read(name, &bytes);
    let written = serde_json::to_writer(std::io::stdout().lock(), &outcome).map_err(std::io::Error::from);
    match written.and_then(|()| std::io::stdout().flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("hanchot read-document: cannot write the outcome: {error}");
            ExitCode::FAILURE
        }
    }
}
