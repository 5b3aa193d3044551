//! `confkit new DIR`: a new toolkit project.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use confkit::clock::today;
use confkit::scaffold::create_project;

use super::Global;

pub(super) fn run(dir: &Path, global: &Global) -> Result<ExitCode> {
    let written = create_project(dir, &today())?;
    if global.json {
        let files: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
        println!("{}", serde_json::json!({ "project": dir, "files": files }));
    } else if !global.quiet {
        println!("Created a toolkit project in `{}`:", dir.display());
        for path in &written {
            println!("  {}", path.display());
        }
        println!(
            "Next: set the conference in confkit.toml, put recordings in assets/recordings/, then run `confkit check --project {}`.",
            dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
