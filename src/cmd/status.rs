//! `confkit status`: the project at a glance.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use confkit::project::Toolkit;
use confkit::status::StatusReport;

use super::Global;

pub(super) fn run(root: &Path, global: &Global) -> Result<ExitCode> {
    let (toolkit, diagnostics) = Toolkit::check(root);
    let report = StatusReport::gather(&toolkit, &diagnostics);
    let mut out = std::io::stdout().lock();
    if global.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", report.to_text())?;
    }
    Ok(ExitCode::SUCCESS)
}
