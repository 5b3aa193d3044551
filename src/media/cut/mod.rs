//! Cutting a clip out of a recording: a frame-accurate range, re-encoded to
//! H.264 (Main, yuv420p) and AAC-LC in an MP4 with its index at the front, so
//! that it plays in browsers, VLC and phones. Optionally with subtitles
//! burned in, or as audio only.

mod branches;
mod burn;

use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::{anyhow, bail, Context, Result};
use gstreamer as gst;
use gstreamer::prelude::*;

pub use burn::{BurnIn, SubtitleLine};

use super::gst::{describe_error, make};
use super::output::PendingOutput;
use super::probe::{probe, MediaInfo};
use crate::project::VideoSettings;
use crate::timecode::Timecode;

/// How a clip is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeSettings {
    /// Picture height; the source's when it is smaller.
    pub height: u32,
    /// x264 constant rate factor, used when `video_kbps` is not set.
    pub crf: u32,
    /// x264 speed preset.
    pub preset: String,
    /// A fixed video bitrate in kbit/s (the low-bandwidth variant).
    pub video_kbps: Option<u32>,
    /// AAC bitrate in kbit/s.
    pub audio_kbps: u32,
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
        }
    }

    /// The low-bandwidth variant, as `confkit.toml` sets it.
    pub fn low(video: &VideoSettings) -> EncodeSettings {
        EncodeSettings {
            height: video.low_height,
            video_kbps: Some(video.low_video_kbps),
            audio_kbps: video.audio_kbps.min(64),
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
    /// Which audio track (from 0); the first when `None`.
    pub audio_track: Option<usize>,
    /// Where to write the clip; nothing is there unless it was written completely.
    pub output: &'a Path,
    /// Encoding settings.
    pub settings: EncodeSettings,
    /// Video or audio only.
    pub kind: Output,
    /// Subtitles to burn into the picture.
    pub burn: Option<BurnIn>,
}

/// Cuts `job.input` into `job.output`.
pub fn cut_clip(job: &ClipJob<'_>) -> Result<()> {
    let info = probe(job.input)?;
    let plan = plan(job, &info)?;
    let pending = PendingOutput::new(job.output)?;
    run_pipeline(job, &info, &plan, pending.temp_path())?;
    pending.commit()
}

/// What the pipeline takes from the input.
struct Plan {
    audio_track: Option<usize>,
    video: bool,
}

fn plan(job: &ClipJob<'_>, info: &MediaInfo) -> Result<Plan> {
    let input = job.input.display();
    if job.end <= job.start {
        bail!("the clip ends ({}) before it starts ({})", job.end, job.start);
    }
    if let Some(duration) = info.duration {
        // A few milliseconds of slack: containers round their durations.
        if job.start >= duration || job.end.as_millis() > duration.as_millis() + 50 {
            bail!("`{input}` lasts {duration}; the clip {}-{} does not fit in it", job.start, job.end);
        }
    }
    let video = match job.kind {
        Output::AudioOnly => false,
        Output::Video if info.video.is_empty() => bail!(
            "`{input}` has no video stream, so a video clip cannot be cut from it; make an audio-only clip instead"
        ),
        Output::Video => true,
    };
    let audio_track = match job.audio_track {
        Some(track) if track >= info.audio.len() => bail!(
            "`{input}` has {} audio track{}; there is no track {track} (tracks count from 0)",
            info.audio.len(),
            if info.audio.len() == 1 { "" } else { "s" }
        ),
        Some(track) => Some(track),
        None if info.audio.is_empty() && job.kind == Output::AudioOnly => {
            bail!("`{input}` has no audio stream, so an audio-only clip cannot be made from it")
        }
        None if info.audio.is_empty() => None,
        None => Some(0),
    };
    Ok(Plan { audio_track, video })
}

fn run_pipeline(job: &ClipJob<'_>, info: &MediaInfo, plan: &Plan, temp: &Path) -> Result<()> {
    let pipeline = gst::Pipeline::new();
    let src = make("filesrc")?;
    src.set_property("location", path_str(job.input)?);
    let parse = make("parsebin")?;
    let mux = make("mp4mux")?;
    mux.set_property("faststart", true);
    let sink = make("filesink")?;
    sink.set_property("location", path_str(temp)?);
    pipeline.add_many([&src, &parse, &mux, &sink])?;
    src.link(&parse)?;
    mux.link(&sink)?;

    let branches = Arc::new(Mutex::new(branches::Branches::new(job, info, plan)?));
    {
        let pipeline_weak = pipeline.downgrade();
        let branches = branches.clone();
        let mux = mux.clone();
        parse.connect_pad_added(move |_, pad| {
            let Some(pipeline) = pipeline_weak.upgrade() else { return };
            match branches.lock().expect("not poisoned").attach(&pipeline, &mux, pad) {
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
        let pipeline_weak = pipeline.downgrade();
        parse.connect_no_more_pads(move |_| {
            if let Some(pipeline) = pipeline_weak.upgrade() {
                let _ = pipeline.post_message(gst::message::Application::new(gst::Structure::new_empty(PADS_READY)));
            }
        });
    }

    let result = drive(job, &pipeline, &branches);
    let _ = pipeline.set_state(gst::State::Null);
    result
}

/// The message that says every stream the clip needs is linked and held.
const PADS_READY: &str = "confkit-pads-ready";

/// Pauses until every stream is linked and held, seeks to the range, lets
/// the data flow and waits for the end.
fn drive(job: &ClipJob<'_>, pipeline: &gst::Pipeline, branches: &Arc<Mutex<branches::Branches>>) -> Result<()> {
    let bus = pipeline.bus().expect("a pipeline has a bus");
    pipeline
        .set_state(gst::State::Paused)
        .map_err(|_| pipeline_failure(job.input, &bus))?;
    wait_for(job.input, &bus, |m| {
        matches!(m.view(), gst::MessageView::Application(a) if a.structure().is_some_and(|s| s.name() == PADS_READY))
    })?;
    branches.lock().expect("not poisoned").check_complete(job.input)?;

    let seek = gst::event::Seek::new(
        1.0,
        gst::SeekFlags::FLUSH | gst::SeekFlags::ACCURATE,
        gst::SeekType::Set,
        gst::ClockTime::from_mseconds(job.start.as_millis()),
        gst::SeekType::Set,
        gst::ClockTime::from_mseconds(job.end.as_millis()),
    );
    let held = branches.lock().expect("not poisoned").held_pad();
    let pad = held.ok_or_else(|| anyhow!("`{}`: no stream to cut", job.input.display()))?;
    if !pad.send_event(seek) {
        bail!("`{}`: GStreamer could not seek to {}", job.input.display(), job.start);
    }
    branches.lock().expect("not poisoned").release();
    pipeline
        .set_state(gst::State::Playing)
        .map_err(|_| pipeline_failure(job.input, &bus))?;
    wait_for(job.input, &bus, |m| matches!(m.view(), gst::MessageView::Eos(_)))
}

/// Waits for a message `wanted` accepts, failing on a pipeline error or Ctrl-C.
fn wait_for(input: &Path, bus: &gst::Bus, wanted: impl Fn(&gst::Message) -> bool) -> Result<()> {
    loop {
        crate::interrupt::check()?;
        let Some(message) = bus.timed_pop(gst::ClockTime::from_mseconds(100)) else { continue };
        if let gst::MessageView::Error(err) = message.view() {
            return Err(describe_error(input, &err));
        }
        if wanted(&message) {
            return Ok(());
        }
    }
}

fn pipeline_failure(input: &Path, bus: &gst::Bus) -> anyhow::Error {
    while let Some(message) = bus.pop() {
        if let gst::MessageView::Error(err) = message.view() {
            return describe_error(input, &err);
        }
    }
    anyhow!("`{}`: GStreamer could not start the pipeline", input.display())
}

fn path_str(path: &Path) -> Result<&str> {
    path.to_str()
        .with_context(|| format!("`{}`: the path is not UTF-8", path.display()))
}
