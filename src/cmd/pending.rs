//! Subcommands whose stage is not built yet say so plainly, and what works today.

use std::process::ExitCode;

use anyhow::Result;

/// Which part of confkit brings a command.
pub(super) enum Arrives {
    Speech,
    Packages,
    Everything,
}

pub(super) fn run(command: &str, arrives: Arrives) -> Result<ExitCode> {
    let with = match arrives {
        Arrives::Speech => "speech recognition (whisper.cpp)",
        Arrives::Packages => "the offline packages",
        Arrives::Everything => "the media engine, speech recognition and the packages",
    };
    eprintln!(
        "confkit {command}: not available in this version; it comes with {with}.\n\
         What works today: `confkit check`, `status`, `new`, `probe`, `clip`, `clips` and `model`."
    );
    Ok(ExitCode::from(2))
}
