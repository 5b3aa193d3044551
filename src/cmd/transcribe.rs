//! `confkit transcribe FILE...`: transcripts and subtitles of media files.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use confkit::build::transcripts::render;
use confkit::fs::write_atomically;
use confkit::pipeline::{BuildOptions, Stages};
use confkit::speech::models::DEFAULT_MODEL;
use confkit::speech::transcribe::{resolve_model, Recogniser, TranscribeOptions, Transcript};

use super::Global;

/// What `confkit transcribe` was asked.
#[derive(Debug, clap::Args)]
pub(crate) struct TranscribeArgs {
    /// Media files to transcribe (default: every recording of the project,
    /// into transcripts/, keeping any file people corrected)
    files: Vec<PathBuf>,
    /// The spoken language: `auto` detects it for each 30-second chunk
    #[arg(long, default_value = "auto")]
    lang: String,
    /// Translate into English (whisper's translate task) instead of transcribing
    #[arg(long)]
    translate: bool,
    /// Where to write STEM.LANG.json, .vtt and .srt
    #[arg(long, default_value = ".")]
    out: PathBuf,
    /// A model name from `confkit model list`, or a ggml file (default:
    /// the project's `speech.model`, else `base-q8_0`)
    #[arg(long)]
    model: Option<String>,
    /// The audio track to transcribe, from 0
    #[arg(long, default_value_t = 0)]
    audio_track: usize,
    /// CPU threads (default: one per core)
    #[arg(long, default_value_t = 0)]
    threads: usize,
}

pub(super) fn run(args: &TranscribeArgs, global: &Global) -> Result<ExitCode> {
    confkit::interrupt::install();
    if args.files.is_empty() {
        return run_project(args, global);
    }
    let recogniser = Recogniser::load(&resolve_model(
        args.model.as_deref().unwrap_or(DEFAULT_MODEL),
    )?)?;
    let options = TranscribeOptions {
        language: (args.lang != "auto").then(|| args.lang.clone()),
        allowed_languages: Vec::new(),
        translate: args.translate,
        prompt: None,
        threads: args.threads,
        track: args.audio_track,
    };
    let mut failed = 0;
    for file in &args.files {
        let started = std::time::Instant::now();
        let result = recogniser
            .transcribe(file, &options, &mut |_| {})
            .and_then(|transcript| write_outputs(&transcript, file, &args.out, args.translate));
        match result {
            Ok(written) if !global.quiet => {
                eprintln!(
                    "{}: {:.1} s",
                    file.display(),
                    started.elapsed().as_secs_f64()
                );
                for path in written {
                    eprintln!("  wrote {}", path.display());
                }
            }
            Ok(_) => {}
            Err(e) => {
                failed += 1;
                eprintln!("error: {e:#}");
            }
        }
    }
    super::finish(failed == 0)
}

/// Writes `STEM.LANG.json`, `.vtt` and `.srt`; LANG joins the languages heard
/// (`fr-en` for a session that switches), `en` for a translation.
fn write_outputs(
    transcript: &Transcript,
    media: &Path,
    out: &Path,
    translate: bool,
) -> Result<Vec<PathBuf>> {
    let stem = media
        .file_stem()
        .and_then(|s| s.to_str())
        .context("the file has no name")?;
    let languages = if translate {
        "en".to_string()
    } else {
        transcript.languages().join("-")
    };
    let languages = if languages.is_empty() {
        "none".to_string()
    } else {
        languages
    };
    let mut written = Vec::new();
    for (ext, bytes) in ["json", "vtt", "srt"].iter().zip(render(transcript)?) {
        let path = out.join(format!("{stem}.{languages}.{ext}"));
        write_atomically(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// Every recording of the project into `transcripts/`.
fn run_project(args: &TranscribeArgs, global: &Global) -> Result<ExitCode> {
    let options = BuildOptions {
        stages: Stages::TRANSCRIPTS,
        model: args.model.clone(),
        threads: args.threads,
        ..BuildOptions::new(super::project_root(global)?)
    };
    super::run_build(&options, global)
}
