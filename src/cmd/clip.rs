//! `confkit clip FILE --start T --end T --out OUT.mp4`: one clip, cut by hand.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use confkit::media::cut::{cut_clip, BurnIn, ClipJob, EncodeSettings, Output, SeparateAudio};
use confkit::media::frames::write_poster;
use confkit::project::{find_root, Config, PROJECT_FILE};
use confkit::timecode::Timecode;

use super::Global;

/// What `confkit clip` was asked.
#[derive(Debug, clap::Args)]
pub(crate) struct ClipArgs {
    /// The recording to cut from
    file: PathBuf,
    /// Where the clip starts (HH:MM:SS.mmm, MM:SS or seconds)
    #[arg(long)]
    start: Timecode,
    /// Where the clip ends
    #[arg(long)]
    end: Timecode,
    /// The file to write (.mp4, or .m4a with --audio-only)
    #[arg(long, short)]
    out: PathBuf,
    /// The audio track to keep, from 0 (default: the first)
    #[arg(long, value_name = "N")]
    audio_track: Option<usize>,
    /// Take the audio from this file (interpretation recorded apart)
    #[arg(long, value_name = "FILE")]
    audio_file: Option<PathBuf>,
    /// Where --audio-file starts on the recording's timeline
    #[arg(long, value_name = "T", default_value = "0", requires = "audio_file")]
    audio_offset: Timecode,
    /// Also write a poster image (JPEG, 640 pixels wide) of the clip
    #[arg(long, value_name = "FILE.jpg", conflicts_with = "audio_only")]
    poster: Option<PathBuf>,
    /// Subtitle files to burn in, upper language first (e.g. fr.vtt,en.vtt), timed from the clip's start
    #[arg(long, value_delimiter = ',', value_name = "FILES")]
    burn: Vec<PathBuf>,
    /// The low-bandwidth variant (confkit.toml's low_height and low_video_kbps)
    #[arg(long, conflicts_with = "audio_only")]
    low: bool,
    /// Audio only (AAC in M4A), for radio and messaging
    #[arg(long)]
    audio_only: bool,
    /// Replace the audio between two times with a tone (a redacted name),
    /// e.g. `00:00:29.5-00:00:31`; times on the audio's own timeline; repeatable
    #[arg(long, value_name = "START-END", value_parser = parse_span)]
    bleep: Vec<(Timecode, Timecode)>,
}

pub(super) fn run(args: &ClipArgs, global: &Global) -> Result<ExitCode> {
    confkit::interrupt::install();
    let video = project_video_settings(global)?;
    let settings = if args.low {
        EncodeSettings::low(&video)
    } else {
        EncodeSettings::full(&video)
    };
    let burn = if args.burn.is_empty() {
        None
    } else {
        let paths: Vec<&Path> = args.burn.iter().map(PathBuf::as_path).collect();
        Some(BurnIn::from_files(&paths)?)
    };
    cut_clip(&ClipJob {
        input: &args.file,
        start: args.start,
        end: args.end,
        audio_track: args.audio_track,
        audio_file: args.audio_file.as_deref().map(|path| SeparateAudio {
            path,
            offset: args.audio_offset,
        }),
        output: &args.out,
        settings,
        kind: if args.audio_only {
            Output::AudioOnly
        } else {
            Output::Video
        },
        burn,
        bleep: args.bleep.clone(),
    })?;
    if !global.quiet {
        eprintln!(
            "wrote {} ({} to {})",
            args.out.display(),
            args.start,
            args.end
        );
    }
    if let Some(poster) = &args.poster {
        write_poster(&args.out, 640, poster)?;
        if !global.quiet {
            eprintln!("wrote {}", poster.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The `[video]` settings of the project around, or the defaults outside one.
fn project_video_settings(global: &Global) -> Result<confkit::project::VideoSettings> {
    let root = match &global.project {
        Some(dir) => Some(dir.clone()),
        None => std::env::current_dir()
            .ok()
            .and_then(|here| find_root(&here)),
    };
    let Some(root) = root else {
        return Ok(Default::default());
    };
    let path = root.join(PROJECT_FILE);
    let text = std::fs::read_to_string(&path)?;
    let config: Config = toml::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{}: {}; run `confkit check`",
            path.display(),
            e.message().trim()
        )
    })?;
    Ok(config.video)
}

/// `START-END`, two times.
fn parse_span(text: &str) -> Result<(Timecode, Timecode), String> {
    let (start, end) = text
        .split_once('-')
        .ok_or_else(|| format!("`{text}` is not START-END (e.g. 00:00:29.5-00:00:31)"))?;
    let start: Timecode = start.parse().map_err(|e| format!("{e}"))?;
    let end: Timecode = end.parse().map_err(|e| format!("{e}"))?;
    if end <= start {
        return Err(format!("`{text}` ends before it starts"));
    }
    Ok((start, end))
}
