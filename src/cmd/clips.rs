//! `confkit clips`: cut every clip of the project into its variants.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use confkit::build::{clips::ClipCutter, BUILD_DIR};
use confkit::project::Toolkit;

use super::progress::eprint_line;
use super::Global;

pub(super) fn run(root: &Path, global: &Global) -> Result<ExitCode> {
    super::run_stage(root, |toolkit| stage(toolkit, global))
}

/// The clips stage of the project; true when nothing failed.
pub(super) fn stage(toolkit: &Toolkit, global: &Global) -> Result<bool> {
    stage_as_transcribed(toolkit, std::iter::empty(), global)
}

/// The clips stage, cutting the clips of each recording named by
/// `transcribed` as it comes (its transcripts say where to bleep), then
/// the rest; true when nothing failed.
pub(super) fn stage_as_transcribed(
    toolkit: &Toolkit,
    transcribed: impl IntoIterator<Item = String>,
    global: &Global,
) -> Result<bool> {
    let out = toolkit.root.join(BUILD_DIR);
    let clips_out = out.join("clips");
    let started = std::time::Instant::now();
    let reporter = super::progress::Reporter::new("clips", global);
    let mut cutter = ClipCutter::new(toolkit, &clips_out);
    for recording in transcribed {
        cutter.cut_recording(&recording, &mut |step| reporter.report(step));
    }
    cutter.cut_rest(&mut |step| reporter.report(step));
    let report = cutter.finish(&out.join("modules"));
    drop(reporter);
    for (what, reason) in &report.failed {
        eprint_line(&format!("error: {what}: {reason}"));
    }
    if global.json {
        let mut stdout = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut stdout, &report)?;
        writeln!(stdout)?;
    } else if !global.quiet {
        eprint_line(&format!(
            "clips: {} cut, {} up to date, {} failed; {} module title cards made; {:.1} s; in {}",
            report.made.len(),
            report.fresh.len(),
            report.failed.len(),
            report.title_cards,
            started.elapsed().as_secs_f64(),
            out.display()
        ));
    }
    Ok(report.failed.is_empty())
}
