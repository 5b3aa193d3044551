//! `confkit clips`: cut every clip of the project into its variants.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use confkit::build::{clips::build_clips, BUILD_DIR};
use confkit::project::Toolkit;

use super::Global;

pub(super) fn run(root: &Path, global: &Global) -> Result<ExitCode> {
    super::run_stage(root, |toolkit| stage(toolkit, global))
}

/// The clips stage of the project; true when nothing failed.
pub(super) fn stage(toolkit: &Toolkit, global: &Global) -> Result<bool> {
    let out = toolkit.root.join(BUILD_DIR);
    let started = std::time::Instant::now();
    let reporter = super::progress::Reporter::new("clips", global);
    let report = build_clips(
        toolkit,
        &out.join("clips"),
        &out.join("modules"),
        &mut |step| reporter.report(step),
    );
    for name in &report.unchecked {
        eprintln!("warning: transcripts/{name} does not exist yet, so its audio was not checked for redacted names; run `confkit build`");
    }
    for (what, reason) in &report.failed {
        eprintln!("error: {what}: {reason}");
    }
    if global.json {
        let mut stdout = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut stdout, &report)?;
        writeln!(stdout)?;
    } else if !global.quiet {
        eprintln!(
            "clips: {} cut, {} up to date, {} failed; {} module title cards made; {:.1} s; in {}",
            report.made.len(),
            report.fresh.len(),
            report.failed.len(),
            report.title_cards,
            started.elapsed().as_secs_f64(),
            out.display()
        );
    }
    Ok(report.failed.is_empty())
}
