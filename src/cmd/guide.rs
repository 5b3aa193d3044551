//! `confkit guide status`: the fact sheets' state, chapter by chapter.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use confkit::guide::status::{guide_status, write_table};

use super::Global;

pub(super) fn status(root: &Path, global: &Global) -> Result<ExitCode> {
    let toolkit = super::load(root)?;
    let rows = guide_status(&toolkit);
    let mut stdout = std::io::stdout().lock();
    if global.json {
        serde_json::to_writer_pretty(&mut stdout, &rows)?;
        writeln!(stdout)?;
    } else {
        let mut table = String::new();
        write_table(&rows, &mut table);
        write!(stdout, "{table}")?;
    }
    Ok(ExitCode::SUCCESS)
}
