//! `confkit clips`: cut every clip of the project into its variants.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use confkit::pipeline::{BuildOptions, Stages};

use super::Global;

pub(super) fn run(root: &Path, global: &Global) -> Result<ExitCode> {
    let options = BuildOptions {
        stages: Stages::CLIPS,
        ..BuildOptions::new(root)
    };
    super::run_build(&options, global)
}
