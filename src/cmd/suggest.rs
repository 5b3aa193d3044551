//! `confkit suggest [CLIP...]`: chapters and modules each clip could be
//! paired with, with the reasons; nothing is changed.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use confkit::pairing::suggest::suggest;

use super::Global;

pub(super) fn run(root: &Path, clips: &[String], global: &Global) -> Result<ExitCode> {
    let toolkit = super::load(root)?;
    for id in clips {
        if toolkit.clip(id).is_none() {
            anyhow::bail!("assets/clips.toml has no clip `{id}`");
        }
    }
    let suggestions = suggest(&toolkit, clips);
    let mut out = std::io::stdout().lock();
    if global.json {
        serde_json::to_writer_pretty(&mut out, &suggestions)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut current = "";
    for s in &suggestions {
        if s.clip != current {
            writeln!(out, "{}", s.clip)?;
            current = &s.clip;
        }
        writeln!(
            out,
            "  {} {:<32} {:>5.1}  {}",
            s.kind,
            s.id,
            s.score,
            s.reasons.join("; ")
        )?;
    }
    if suggestions.is_empty() {
        writeln!(
            out,
            "no suggestions: the clips' transcripts say nothing that points elsewhere"
        )?;
    } else if !global.quiet {
        writeln!(
            out,
            "\nNothing was changed: add the ones you accept to `chapters` or `modules` of the clip in assets/clips.toml."
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
