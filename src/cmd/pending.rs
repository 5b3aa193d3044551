//! Subcommands whose stage is not built yet say so plainly, and what works today.

use std::process::ExitCode;

use anyhow::Result;

pub(super) fn run(command: &str) -> Result<ExitCode> {
    eprintln!(
        "confkit {command}: not available in this version; it comes with the offline packages.\n\
         What works today: `confkit build` (transcripts and clips), `check`, `status`, `new`, \
         `probe`, `clip`, `clips`, `transcribe`, `translate` and `model`."
    );
    Ok(ExitCode::from(2))
}
