//! `confkit build`: every stage of the project in order, each going on past
//! a failed item; the exit code says whether anything failed.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use confkit::diagnostic::{Diagnostics, Item};
use confkit::project::Toolkit;

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
}

pub(super) fn run(root: &Path, args: &BuildArgs, global: &Global) -> Result<ExitCode> {
    confkit::interrupt::install();
    // A key that cannot be used stops the build before hours of work, not after.
    let signing = super::package::signing_key(&args.signing, root)?;
    let (toolkit, diagnostics) = Toolkit::check(root);
    if !diagnostics.is_ok() && !diagnostics.blocks_build() {
        // Errors that keep single items out: say which, and build the rest.
        let mut errors = Diagnostics::default();
        errors.extend_errors(&diagnostics);
        errors.write_human(&mut anstream::stderr().lock())?;
        eprintln!(
            "going on without {}; the rest is built",
            describe_skipped(&toolkit)
        );
    }
    if diagnostics.blocks_build() {
        diagnostics.write_human(&mut anstream::stderr().lock())?;
        anyhow::bail!(
            "the project has {} error{}: fix them (`confkit check` lists them) and build again",
            diagnostics.error_count(),
            if diagnostics.error_count() == 1 {
                ""
            } else {
                "s"
            }
        );
    }
    let mut ok = diagnostics.is_ok();
    // A recording's clips are cut as soon as its transcripts are done (they
    // say where to bleep), while the next recording is transcribed. A
    // missing model stops the transcripts, not the clips.
    let (transcribed, done) = std::sync::mpsc::channel::<String>();
    let (transcripts, clips) = std::thread::scope(|scope| {
        let clips = scope.spawn(|| super::clips::stage_as_transcribed(&toolkit, done, global));
        let transcripts = super::transcribe::project_stage(
            &toolkit,
            args.model.as_deref(),
            args.threads,
            global,
            &mut |recording| {
                // Fails only if the clips stage panicked, which is raised below.
                let _ = transcribed.send(recording.id.to_string());
            },
        );
        drop(transcribed);
        let clips = clips
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (transcripts, clips)
    });
    match transcripts {
        Ok(stage_ok) => ok &= stage_ok,
        Err(e) => {
            eprintln!("error: transcripts: {e:#}");
            ok = false;
        }
    }
    ok &= clips?;
    if !confkit::interrupt::requested() {
        ok &= super::package::stage(&toolkit, signing.as_ref(), args.release, global)?;
    }
    if !global.quiet && !global.json {
        let warnings = Toolkit::check(root).1.warning_count();
        if warnings > 0 {
            eprintln!("{warnings} warnings: `confkit check` lists them (subtitle rules, missing languages, terminology)");
        }
    }
    super::finish(ok)
}

/// "recording `x` and clip `y`": what errors keep out of this build.
fn describe_skipped(toolkit: &Toolkit) -> String {
    let names: Vec<String> = toolkit
        .skipped
        .keys()
        .map(|item| match item {
            Item::Recording(id) => format!("recording `{id}` and its clips"),
            Item::Clip(id) => format!("clip `{id}`"),
        })
        .collect();
    match names.as_slice() {
        [] => "nothing".into(),
        [one] => one.clone(),
        [first @ .., last] => format!("{} and {last}", first.join(", ")),
    }
}
