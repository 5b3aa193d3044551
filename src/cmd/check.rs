//! `confkit check`: every problem in the project, at once.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use confkit::project::Toolkit;

use super::Global;

pub(super) fn run(root: &Path, global: &Global) -> Result<ExitCode> {
    let (_, diagnostics) = Toolkit::check(root);
    if global.json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &diagnostics.to_json())?;
        writeln!(out)?;
    } else {
        let mut err = anstream::stderr().lock();
        diagnostics.write_human(&mut err)?;
        if !global.quiet {
            let (errors, warnings) = (diagnostics.error_count(), diagnostics.warning_count());
            let summary = match (errors, warnings) {
                (0, 0) => format!("{}: no problems found", root.display()),
                _ => format!(
                    "{}: {errors} error{}, {warnings} warning{}",
                    root.display(),
                    plural(errors),
                    plural(warnings)
                ),
            };
            writeln!(err, "{summary}")?;
        }
    }
    super::finish(diagnostics.is_ok())
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
