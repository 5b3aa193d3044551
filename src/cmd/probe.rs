//! `confkit probe FILE...`: container, duration and streams of media files.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use confkit::media::probe::probe;

use super::Global;

pub(super) fn run(files: &[PathBuf], global: &Global) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let mut failed = 0;
    let mut reports = Vec::new();
    for file in files {
        match probe(file) {
            Ok(info) if global.json => reports.push(serde_json::to_value(&info)?),
            Ok(info) => write!(out, "{}", info.to_text())?,
            Err(err) => {
                failed += 1;
                eprintln!("error: {err:#}");
                if global.json {
                    reports.push(serde_json::json!({ "path": file, "error": format!("{err:#}") }));
                }
            }
        }
    }
    if global.json {
        serde_json::to_writer_pretty(&mut out, &reports)?;
        writeln!(out)?;
    }
    super::finish(failed == 0)
}
