//! Cutting a clip out of a recording: a frame-accurate range, re-encoded to
//! H.264 (Main, yuv420p) and AAC-LC in an MP4 with its index at the front, so
//! that it plays in browsers, VLC and phones. Optionally with subtitles
//! burned in, or as audio only.

mod bleep;
mod branches;
mod burn;

use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::{anyhow, bail, Context, Result};
use gstreamer as gst;
use gstreamer::prelude::*;

pub(crate) use branches::{aac, x264};
pub use burn::{BurnIn, SubtitleLine};

use super::gst::{describe_error, file_source, make};
use super::mux::mp4_muxer;
use super::probe::MediaInfo;
use crate::fs::PendingOutput;
use crate::project::VideoSettings;
use crate::timecode::Timecode;

/// How a clip is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeSettings {
    /// Picture height; the source's when it is smaller.
    pub height: u32,
    /// x264 constant rate factor.
    pub crf: u32,
    /// x264 speed preset.
    pub preset: String,
    /// A ceiling on the video bitrate in kbit/s (the low-bandwidth variant),
    /// on top of the rate factor.
    pub video_kbps: Option<u32>,
    /// AAC bitrate in kbit/s.
    pub audio_kbps: u32,
    /// One channel of sound rather than up to two.
    pub mono: bool,
}

impl EncodeSettings {
    /// The full variant, as `confkit.toml` sets it.
    pub fn full(video: &VideoSettings) -> EncodeSettings {
        EncodeSettings {
            height: video.height,
            crf: video.crf,
            preset: video.preset.clone(),
            video_kbps: None,
            audio_kbps: video.audio_kbps,
            mono: false,
        }
    }

    /// The low-bandwidth variant, as `confkit.toml` sets it.
    pub fn low(video: &VideoSettings) -> EncodeSettings {
        EncodeSettings {
            height: video.low_height,
            video_kbps: Some(video.low_video_kbps),
            // Speech in one channel of AAC-LC, which every browser and
            // phone plays: a conference microphone is mono anyway.
            audio_kbps: video.low_audio_kbps,
            mono: true,
            ..EncodeSettings::full(video)
        }
    }
}

impl Default for EncodeSettings {
    fn default() -> EncodeSettings {
        EncodeSettings::full(&VideoSettings::default())
    }
}

/// What to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// H.264 + AAC in MP4.
    Video,
    /// AAC in M4A, for radio and messaging.
    AudioOnly,
}

/// One clip to cut.
#[derive(Debug, Clone)]
pub struct ClipJob<'a> {
    /// The recording.
    pub input: &'a Path,
    /// Start in the recording.
    pub start: Timecode,
    /// End in the recording.
    pub end: Timecode,
    /// Which audio track (from 0) of the audio's file; the first when `None`.
    pub audio_track: Option<usize>,
    /// Take the audio from another file (interpretation recorded apart).
    pub audio_file: Option<SeparateAudio<'a>>,
    /// Where to write the clip; nothing is there unless it was written completely.
    pub output: &'a Path,
    /// Encoding settings.
    pub settings: EncodeSettings,
    /// Video or audio only.
    pub kind: Output,
    /// Subtitles to burn into the picture.
    pub burn: Option<BurnIn>,
    /// Spans of the audio to replace with a tone (redacted names), in the
    /// audio's own timeline: the recording's, or the separate file's.
    pub bleep: Vec<(Timecode, Timecode)>,
}

/// Audio recorded in its own file, and where that file starts on the
/// recording's timeline.
#[derive(Debug, Clone, Copy)]
pub struct SeparateAudio<'a> {
    /// The audio file.
    pub path: &'a Path,
    /// Where it starts on the recording's timeline.
    pub offset: Timecode,
}

/// Cuts `job.input` into `job.output`.
pub fn cut_clip(job: &ClipJob<'_>) -> Result<()> {
    cut_clip_with(job, &crate::fs::Cache::in_memory())
}

/// Cuts `job.input` into `job.output`, its inputs probed through `cache`.
pub fn cut_clip_with(job: &ClipJob<'_>, cache: &crate::fs::Cache) -> Result<()> {
    // The probes may come from the cache, so nothing else has started GStreamer.
    super::gst::init()?;
    let info = super::probe::probe_cached(cache, job.input)?;
    let audio_info = match &job.audio_file {
        Some(audio) => Some(super::probe::probe_cached(cache, audio.path)?),
        None => None,
    };
    let plan = plan(job, &info, audio_info.as_ref())?;
    let pending = PendingOutput::new(job.output)?;
    run_pipeline(job, &info, audio_info.as_ref(), &plan, pending.temp_path())?;
    pending.commit()
}

/// What the pipeline takes from the input.
struct Plan {
    audio_track: Option<usize>,
    video: bool,
}

fn plan(job: &ClipJob<'_>, info: &MediaInfo, audio_info: Option<&MediaInfo>) -> Result<Plan> {
    let video_input = job.input.display();
    if let (Some(audio), Some(audio_info)) = (&job.audio_file, audio_info) {
        let end =
            Timecode::from_millis(job.end.as_millis().saturating_sub(audio.offset.as_millis()));
        if job.start < audio.offset
            || audio_info
                .duration
                .is_some_and(|d| end.as_millis() > d.as_millis() + 50)
        {
            bail!(
                "`{}` (from {} on the recording's timeline) does not cover the clip {}-{}",
                audio.path.display(),
                audio.offset,
                job.start,
                job.end
            );
        }
    }
    let (input, audio_streams) = match (&job.audio_file, audio_info) {
        (Some(audio), Some(audio_info)) => (audio.path.display(), &audio_info.audio),
        _ => (job.input.display(), &info.audio),
    };
    if job.end <= job.start {
        bail!(
            "the clip ends ({}) before it starts ({})",
            job.end,
            job.start
        );
    }
    if let Some(duration) = info.duration {
        // A few milliseconds of slack: containers round their durations.
        if job.start >= duration || job.end.as_millis() > duration.as_millis() + 50 {
            bail!(
                "`{video_input}` lasts {duration}; the clip {}-{} does not fit in it",
                job.start,
                job.end
            );
        }
    }
    let video = match job.kind {
        Output::AudioOnly => false,
        Output::Video if info.video.is_empty() => bail!(
            "`{video_input}` has no video stream, so a video clip cannot be cut from it; make an audio-only clip instead"
        ),
        Output::Video => true,
    };
    let audio_track = match job.audio_track {
        Some(track) if track >= audio_streams.len() => bail!(
            "`{input}` has {} audio track{}; there is no track {track} (tracks count from 0)",
            audio_streams.len(),
            if audio_streams.len() == 1 { "" } else { "s" }
        ),
        Some(track) => Some(track),
        None if audio_streams.is_empty() && job.kind == Output::AudioOnly => {
            bail!("`{input}` has no audio stream, so an audio-only clip cannot be made from it")
        }
        None if audio_streams.is_empty() => None,
        None => Some(0),
    };
    Ok(Plan { audio_track, video })
}

fn run_pipeline(
    job: &ClipJob<'_>,
    info: &MediaInfo,
    audio_info: Option<&MediaInfo>,
    plan: &Plan,
    temp: &Path,
) -> Result<()> {
    let pipeline = gst::Pipeline::new();
    let mux = mp4_muxer()?;
    let sink = make("filesink")?;
    sink.set_property("location", path_str(temp)?);
    pipeline.add_many([&mux, &sink])?;
    mux.link(&sink)?;

    let branches = Arc::new(Mutex::new(branches::Branches::new(
        job, info, audio_info, plan,
    )?));
    add_source(&pipeline, &mux, &branches, job.input, Source::Recording)?;
    if let Some(audio) = &job.audio_file {
        add_source(&pipeline, &mux, &branches, audio.path, Source::AudioFile)?;
    }
    let result = drive(job, &pipeline, &branches);
    let _ = pipeline.set_state(gst::State::Null);
    result
}

/// Which file a stream comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// The recording itself.
    Recording,
    /// The separate audio file.
    AudioFile,
}

/// `filesrc ! parsebin`, whose streams are attached to their branches as they appear.
fn add_source(
    pipeline: &gst::Pipeline,
    mux: &gst::Element,
    branches: &Arc<Mutex<branches::Branches>>,
    path: &Path,
    source: Source,
) -> Result<()> {
    let src = file_source(path)?;
    let parse = make("parsebin")?;
    pipeline.add_many([&src, &parse])?;
    src.link(&parse)?;
    let pipeline_weak = pipeline.downgrade();
    let branches = branches.clone();
    let mux = mux.clone();
    parse.connect_pad_added(move |_, pad| {
        let Some(pipeline) = pipeline_weak.upgrade() else {
            return;
        };
        match branches
            .lock()
            .expect("not poisoned")
            .attach(&pipeline, &mux, pad, source)
        {
            // parsebin may never say "no more pads" while data is held:
            // go on as soon as the streams the clip needs are there.
            Ok(true) => {
                let ready = gst::Structure::new_empty(PADS_READY);
                let _ = pipeline.post_message(gst::message::Application::new(ready));
            }
            Ok(false) => {}
            Err(e) => gst::element_error!(pipeline, gst::CoreError::Negotiation, ("{e:#}")),
        }
    });
    Ok(())
}

/// The message that says every stream the clip needs is linked and held.
const PADS_READY: &str = "confkit-pads-ready";

/// Pauses until every stream is linked and held, seeks each file to the
/// range, lets the data flow and waits for the end.
fn drive(
    job: &ClipJob<'_>,
    pipeline: &gst::Pipeline,
    branches: &Arc<Mutex<branches::Branches>>,
) -> Result<()> {
    let bus = pipeline.bus().expect("a pipeline has a bus");
    pipeline
        .set_state(gst::State::Paused)
        .map_err(|_| pipeline_failure(job.input, &bus))?;
    let ready = wait_for(
        job.input,
        &bus,
        Some(std::time::Duration::from_secs(30)),
        |m| matches!(m.view(), gst::MessageView::Application(a) if a.structure().is_some_and(|s| s.name() == PADS_READY)),
    );
    branches
        .lock()
        .expect("not poisoned")
        .check_complete(job.input)?;
    ready?;

    let seek_pads = branches.lock().expect("not poisoned").seek_pads();
    for (pad, source) in seek_pads {
        let shift = match (source, &job.audio_file) {
            (Source::AudioFile, Some(audio)) => audio.offset.as_millis(),
            _ => 0,
        };
        let seek = gst::event::Seek::new(
            1.0,
            gst::SeekFlags::FLUSH | gst::SeekFlags::ACCURATE,
            gst::SeekType::Set,
            gst::ClockTime::from_mseconds(job.start.as_millis() - shift),
            gst::SeekType::Set,
            gst::ClockTime::from_mseconds(job.end.as_millis() - shift),
        );
        if !pad.send_event(seek) {
            bail!(
                "`{}`: GStreamer could not seek to {}",
                job.input.display(),
                job.start
            );
        }
    }
    branches.lock().expect("not poisoned").release();
    pipeline
        .set_state(gst::State::Playing)
        .map_err(|_| pipeline_failure(job.input, &bus))?;
    wait_for(job.input, &bus, None, |m| {
        matches!(m.view(), gst::MessageView::Eos(_))
    })
}

/// Waits for a message `wanted` accepts, failing on a pipeline error,
/// Ctrl-C, or after `limit`.
fn wait_for(
    input: &Path,
    bus: &gst::Bus,
    limit: Option<std::time::Duration>,
    wanted: impl Fn(&gst::Message) -> bool,
) -> Result<()> {
    let started = std::time::Instant::now();
    loop {
        crate::interrupt::check()?;
        if limit.is_some_and(|limit| started.elapsed() > limit) {
            bail!(
                "`{}`: GStreamer did not find the streams to cut",
                input.display()
            );
        }
        let Some(message) = bus.timed_pop(gst::ClockTime::from_mseconds(100)) else {
            continue;
        };
        if let gst::MessageView::Error(err) = message.view() {
            return Err(describe_error(input, err));
        }
        if wanted(&message) {
            return Ok(());
        }
    }
}

fn pipeline_failure(input: &Path, bus: &gst::Bus) -> anyhow::Error {
    while let Some(message) = bus.pop() {
        if let gst::MessageView::Error(err) = message.view() {
            return describe_error(input, err);
        }
    }
    anyhow!(
        "`{}`: GStreamer could not start the pipeline",
        input.display()
    )
}

fn path_str(path: &Path) -> Result<&str> {
    path.to_str()
        .with_context(|| format!("`{}`: the path is not UTF-8", path.display()))
}
