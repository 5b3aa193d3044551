//! `confkit transcribe FILE...`: transcripts and subtitles of media files.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use confkit::media::output::write_atomically;
use confkit::speech::transcribe::{resolve_model, Recogniser, TranscribeOptions, Transcript};
use confkit::subtitles::{write_srt, write_vtt, Cue};

use super::Global;

/// What `confkit transcribe` was asked.
#[derive(Debug, clap::Args)]
pub(crate) struct TranscribeArgs {
    /// Media files to transcribe
    #[arg(required = true)]
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
    /// A model name from `confkit model list`, or a ggml file
    #[arg(long, default_value = "base")]
    model: String,
    /// The audio track to transcribe, from 0
    #[arg(long, default_value_t = 0)]
    audio_track: usize,
    /// CPU threads (default: one per core)
    #[arg(long, default_value_t = 0)]
    threads: usize,
}

pub(super) fn run(args: &TranscribeArgs, global: &Global) -> Result<ExitCode> {
    confkit::interrupt::install();
    let recogniser = Recogniser::load(&resolve_model(&args.model)?)?;
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
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
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
    let cues: Vec<Cue> = transcript
        .segments
        .iter()
        .map(|s| Cue {
            start: s.start,
            end: s.end,
            text: s.text.clone(),
        })
        .collect();
    let base = out.join(format!("{stem}.{languages}"));
    let json = base.with_extension(format!("{languages}.json"));
    let vtt = base.with_extension(format!("{languages}.vtt"));
    let srt = base.with_extension(format!("{languages}.srt"));
    write_atomically(&json, serde_json::to_string_pretty(transcript)?.as_bytes())?;
    write_atomically(&vtt, write_vtt(&cues).as_bytes())?;
    write_atomically(&srt, write_srt(&cues).as_bytes())?;
    Ok(vec![json, vtt, srt])
}
