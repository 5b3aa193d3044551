//! `confkit translate export|import`: XLIFF for human translators.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use confkit::translate::{export, import};

use super::Global;

pub(super) fn run_export(
    root: &Path,
    lang: &str,
    out: Option<&Path>,
    global: &Global,
) -> Result<ExitCode> {
    let toolkit = super::load(root)?;
    let out = out.map_or_else(|| root.join("translations"), Path::to_path_buf);
    let report = export(&toolkit, lang, &out)?;
    for (id, reason) in &report.failed {
        eprintln!("error: {id}: {reason}");
    }
    if global.json {
        let mut stdout = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut stdout, &report)?;
        writeln!(stdout)?;
    } else if !global.quiet {
        for path in &report.written {
            eprintln!("wrote {}", path.display());
        }
        for (id, reason) in &report.skipped {
            eprintln!("{id}: not exported, it {reason}");
        }
        eprintln!(
            "translate export: {} file{} for translators into `{lang}`, {} recording{} need none, {} failed",
            report.written.len(),
            if report.written.len() == 1 { "" } else { "s" },
            report.skipped.len(),
            if report.skipped.len() == 1 { "" } else { "s" },
            report.failed.len()
        );
    }
    super::finish(report.failed.is_empty())
}

pub(super) fn run_import(
    root: &Path,
    files: &[PathBuf],
    replace: bool,
    global: &Global,
) -> Result<ExitCode> {
    let toolkit = super::load(root)?;
    let mut imported = Vec::new();
    let mut failed = 0;
    for file in files {
        match import(&toolkit, file, replace) {
            Ok(done) => {
                if !global.quiet && !global.json {
                    let was = done
                        .replaced
                        .as_deref()
                        .map(|r| format!(", replacing the {r}"))
                        .unwrap_or_default();
                    eprintln!(
                        "{}: {} subtitles into transcripts/{}.vtt and .srt{was}",
                        file.display(),
                        done.cues,
                        done.name
                    );
                }
                imported.push(done);
            }
            Err(e) => {
                failed += 1;
                eprintln!("error: {e:#}");
            }
        }
    }
    if global.json {
        let mut stdout = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut stdout, &imported)?;
        writeln!(stdout)?;
    }
    super::finish(failed == 0)
}
