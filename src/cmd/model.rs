//! `confkit model import|list|quantize`: the speech models confkit knows.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use confkit::speech::models::{import_model, list_models, models_dir, quantize_model};

use super::Global;

pub(super) fn import(sources: &[PathBuf], name: Option<&str>, global: &Global) -> Result<ExitCode> {
    let dir = models_dir();
    let record = import_model(sources, &dir, name)?;
    if global.json {
        println!("{}", serde_json::to_string_pretty(&record)?);
    } else if !global.quiet {
        println!(
            "imported `{}`: {} ({:.1} MB, sha256 {})",
            record.name,
            record.path.display(),
            record.size as f64 / 1e6,
            record.sha256
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn quantize(name: &str, global: &Global) -> Result<ExitCode> {
    let record = quantize_model(&models_dir(), name)?;
    if global.json {
        println!("{}", serde_json::to_string_pretty(&record)?);
    } else if !global.quiet {
        println!(
            "quantised `{name}` into `{}`: {} ({:.1} MB, sha256 {})",
            record.name,
            record.path.display(),
            record.size as f64 / 1e6,
            record.sha256
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn list(global: &Global) -> Result<ExitCode> {
    let dir = models_dir();
    let records = list_models(&dir)?;
    let mut out = std::io::stdout().lock();
    if global.json {
        serde_json::to_writer_pretty(&mut out, &records)?;
        writeln!(out)?;
    } else if records.is_empty() {
        writeln!(
            out,
            "no model in {}; `make demo` or `scripts/fetch-model` imports the base model",
            dir.display()
        )?;
    } else {
        writeln!(out, "models in {}:", dir.display())?;
        for r in &records {
            writeln!(
                out,
                "  {:<10} {:>7.1} MB  sha256 {}  from {}",
                r.name,
                r.size as f64 / 1e6,
                r.sha256,
                r.source
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
