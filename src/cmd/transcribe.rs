//! `confkit transcribe FILE...`: transcripts and subtitles of media files.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use confkit::build::transcripts::{build_transcripts, render};
use confkit::media::output::write_atomically;
use confkit::project::{Recording, Toolkit};
use confkit::speech::models::DEFAULT_MODEL;
use confkit::speech::transcribe::{resolve_model, Recogniser, TranscribeOptions, Transcript};

use super::progress::eprint_line;
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
    let root = super::project_root(global)?;
    super::run_stage(&root, |toolkit| {
        project_stage(
            toolkit,
            args.model.as_deref(),
            args.threads,
            global,
            &mut |_| {},
        )
    })
}

/// The transcription stage of the project, with the model from `model`, the
/// project's `speech.model`, or `base`; true when nothing failed.
/// `transcribed` hears of each recording once its transcripts are done.
pub(super) fn project_stage(
    toolkit: &Toolkit,
    model: Option<&str>,
    threads: usize,
    global: &Global,
    transcribed: &mut dyn FnMut(&Recording),
) -> Result<bool> {
    let speech = toolkit.config.as_ref().map(|c| &c.speech);
    let model = match model {
        Some(model) => model.to_string(),
        None => speech.map_or_else(|| DEFAULT_MODEL.to_string(), |s| s.model.to_string()),
    };
    let threads = match threads {
        0 => speech.map_or(0, |s| s.threads as usize),
        n => n,
    };
    let recogniser = Recogniser::load(&resolve_model(&model)?)?;
    let started = std::time::Instant::now();
    let reporter = super::progress::Reporter::new("transcripts", global);
    let report = build_transcripts(
        toolkit,
        &recogniser,
        threads,
        &mut |step| reporter.report(step),
        transcribed,
    );
    drop(reporter);
    for name in &report.corrected {
        eprint_line(&format!(
            "note: transcripts/{name}.* were corrected by hand: kept as they are"
        ));
    }
    for name in &report.conflicts {
        eprint_line(&format!(
            "warning: transcripts/{name}.* were corrected by hand, but the recording changed since: \
             kept as they are; check them against the new recording (move them away to get a new transcript)"
        ));
    }
    for (name, reason) in &report.failed {
        eprint_line(&format!("error: {name}: {reason}"));
    }
    if global.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else if !global.quiet {
        eprint_line(&format!(
            "transcripts: {} made, {} up to date, {} corrected by hand and kept, {} reviewed and kept, {} failed; {:.1} s",
            report.made.len(),
            report.fresh.len(),
            report.corrected.len() + report.conflicts.len(),
            report.reviewed.len(),
            report.failed.len(),
            started.elapsed().as_secs_f64()
        ));
    }
    Ok(report.failed.is_empty())
}
