//! `confkit build`: every stage of the project in order, each going on past
//! a failed item; the exit code says whether anything failed.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use confkit::pipeline::BuildOptions;

use super::Global;

/// What `confkit build` was asked.
#[derive(Debug, clap::Args)]
pub(crate) struct BuildArgs {
    /// A model name from `confkit model list`, or a ggml file (default: the
    /// project's `speech.model`, else `base-q8_0`)
    #[arg(long)]
    model: Option<String>,
    /// CPU threads for speech recognition (default: the project's
    /// `speech.threads`, else one per core)
    #[arg(long, default_value_t = 0)]
    threads: usize,
    #[command(flatten)]
    signing: super::package::SigningArgs,
    /// Refuse any subtitles no person signed off, as `confkit package --release`
    #[arg(long)]
    release: bool,
    /// Split a package larger than SIZE into volumes, as `confkit package --split`
    #[arg(long, value_name = "SIZE", value_parser = confkit::package::volumes::parse_size)]
    split: Option<u64>,
}

pub(super) fn run(root: &Path, args: &BuildArgs, global: &Global) -> Result<ExitCode> {
    let options = BuildOptions {
        model: args.model.clone(),
        threads: args.threads,
        // A key that cannot be used stops the build before hours of work, not after.
        signing: super::package::signing_key(&args.signing, root)?,
        release: args.release,
        split: args.split,
        ..BuildOptions::new(root)
    };
    super::run_build(&options, global)
}
