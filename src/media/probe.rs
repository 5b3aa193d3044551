//! `confkit probe`: what a media file holds (container, duration, video and
//! audio streams with their language tags), so that a user can tell which
//! audio track is the floor and which the interpretation.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{bail, Context, Result};
use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_pbutils as pbutils;
use serde::{Deserialize, Serialize};

use super::gst::{file_source, init, make};
use crate::timecode::Timecode;

/// What a media file holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MediaInfo {
    /// The file probed.
    pub path: PathBuf,
    /// The container format, in words ("Quicktime", "WAV" ...).
    pub container: Option<String>,
    /// How long it lasts.
    pub duration: Option<Timecode>,
    /// Video streams (still images excluded).
    pub video: Vec<VideoStream>,
    /// Audio streams, in the file's order: `index` is what recordings.toml calls a track.
    pub audio: Vec<AudioStream>,
}

/// One video stream.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VideoStream {
    /// The codec, in words.
    pub codec: String,
    /// Picture width in pixels.
    pub width: u32,
    /// Picture height in pixels.
    pub height: u32,
    /// Frames per second, when constant.
    pub frame_rate: Option<f64>,
}

/// One audio stream.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AudioStream {
    /// Position among the audio streams, from 0.
    pub index: usize,
    /// The codec, in words.
    pub codec: String,
    /// Number of channels.
    pub channels: u32,
    /// Sample rate in Hz.
    pub rate: u32,
    /// The language tag, as an ISO 639-1 code where one exists.
    pub language: Option<String>,
    /// GStreamer's id of the stream, used to pick it when decoding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_id: Option<String>,
}

/// Probes `path`; the error says in words what is wrong with the file.
/// Probes `path`; the error says in words what is wrong with the file.
///
/// The file is parsed, not decoded: `filesrc ! parsebin` is paused, each
/// elementary stream ends in a fakesink, and the caps and tags that reach
/// them describe the streams. (GStreamer's Discoverer does the same, but its
/// synchronous mode was seen to hang until its time-out when several
/// pipelines ran in one process.)
pub fn probe(path: &Path) -> Result<MediaInfo> {
    init()?;
    let metadata =
        std::fs::metadata(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    if !metadata.is_file() {
        bail!("`{}` is not a file", path.display());
    }
    if metadata.len() == 0 {
        bail!(
            "`{}` is empty (0 bytes): copy it again from its source",
            path.display()
        );
    }
    // A truncated MP4 can keep the demuxer waiting for data that never
    // comes: the container's header, read first, says so at once.
    if let Err(reason) = super::header::read_header(path) {
        bail!("`{}` cannot be read: {reason}", path.display());
    }
    // Parsing a header takes milliseconds; a pipeline that stalls (seen, rarely,
    // with many pipelines busy in one process) is given up and tried afresh.
    let mut attempts = 0;
    loop {
        attempts += 1;
        match probe_once(path) {
            Err(e) if e.is::<Stalled>() && attempts < 3 => continue,
            Err(e) if e.is::<Stalled>() => bail!(
                "`{}`: reading its header stalled three times",
                path.display()
            ),
            Err(e) => return Err(describe_probe_error(path, &e.to_string())),
            Ok(info) => return Ok(info),
        }
    }
}

/// [`probe`], answered from `cache` when the file has not changed since it
/// was last probed.
pub fn probe_cached(cache: &crate::fs::Cache, path: &Path) -> Result<MediaInfo> {
    let mut info: MediaInfo = cache.fact(path, "probe", || probe(path))?;
    // The path as asked, which may be written another way than the first time.
    info.path = path.to_path_buf();
    Ok(info)
}

/// A probe that made no progress in time.
#[derive(Debug)]
struct Stalled;

impl std::fmt::Display for Stalled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("reading the header stalled")
    }
}

impl std::error::Error for Stalled {}

fn probe_once(path: &Path) -> Result<MediaInfo> {
    let pipeline = gst::Pipeline::new();
    let src = file_source(path)?;
    let parse = make("parsebin")?;
    pipeline.add_many([&src, &parse])?;
    src.link(&parse)?;
    let streams: Arc<Mutex<Vec<gst::Pad>>> = Arc::default();
    {
        let pipeline = pipeline.downgrade();
        let streams = streams.clone();
        parse.connect_pad_added(move |_, pad| {
            let Some(pipeline) = pipeline.upgrade() else {
                return;
            };
            // A queue per stream: without it, the first stream's sink blocks the
            // demuxer before the other streams have shown their caps.
            let (Ok(queue), Ok(sink)) = (
                gst::ElementFactory::make("queue")
                    .property("max-size-buffers", 0u32)
                    .property("max-size-time", 0u64)
                    .property("max-size-bytes", 64u32 << 20)
                    .build(),
                gst::ElementFactory::make("fakesink")
                    .property("sync", false)
                    .build(),
            ) else {
                return;
            };
            let _ = pipeline.add_many([&queue, &sink]);
            let _ = queue.link(&sink);
            let _ = sink.sync_state_with_parent();
            let _ = queue.sync_state_with_parent();
            let sink_pad = sink.static_pad("sink").expect("fakesink has a sink pad");
            if pad
                .link(&queue.static_pad("sink").expect("queue has a sink pad"))
                .is_ok()
            {
                streams.lock().expect("not poisoned").push(sink_pad);
            }
        });
    }
    let info = preroll(&pipeline).map(|()| {
        let duration = pipeline
            .query_duration::<gst::ClockTime>()
            .map(|d| Timecode::from_millis(d.mseconds()));
        let container = container_of(&parse);
        describe_streams(
            path,
            container,
            duration,
            &streams.lock().expect("not poisoned"),
        )
    });
    let _ = pipeline.set_state(gst::State::Null);
    info
}

/// Pauses the pipeline and waits until every stream has prerolled, or an error.
fn preroll(pipeline: &gst::Pipeline) -> Result<()> {
    // A failure to pause is explained by the error message on the bus.
    let _ = pipeline.set_state(gst::State::Paused);
    let bus = pipeline.bus().expect("a pipeline has a bus");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while std::time::Instant::now() < deadline {
        let Some(message) = bus.timed_pop(gst::ClockTime::from_mseconds(100)) else {
            continue;
        };
        match message.view() {
            gst::MessageView::AsyncDone(_) => return Ok(()),
            gst::MessageView::Error(err) => bail!("{}", err.error().message()),
            _ => {}
        }
    }
    Err(Stalled.into())
}

/// The container, as parsebin's type finder recognised it.
fn container_of(parse: &gst::Element) -> Option<String> {
    let bin = parse.downcast_ref::<gst::Bin>()?;
    bin.iterate_elements()
        .into_iter()
        .flatten()
        .find_map(|element| {
            if element.factory()?.name() != "typefind" {
                return None;
            }
            let caps = element.property::<Option<gst::Caps>>("caps")?;
            Some(pbutils::pb_utils_get_codec_description(&caps).to_string())
        })
}

fn describe_streams(
    path: &Path,
    container: Option<String>,
    duration: Option<Timecode>,
    pads: &[gst::Pad],
) -> MediaInfo {
    let mut video = Vec::new();
    let mut audio = Vec::new();
    for pad in pads {
        let Some(caps) = pad.current_caps() else {
            continue;
        };
        let Some(structure) = caps.structure(0) else {
            continue;
        };
        let codec = pbutils::pb_utils_get_codec_description(&caps).to_string();
        let int = |field: &str| structure.get::<i32>(field).ok();
        if structure.name().starts_with("video/") {
            let frame_rate = structure
                .get::<gst::Fraction>("framerate")
                .ok()
                .filter(|r| r.numer() > 0 && r.denom() > 0)
                .map(|r| f64::from(r.numer()) / f64::from(r.denom()));
            video.push(VideoStream {
                codec,
                width: int("width").unwrap_or(0) as u32,
                height: int("height").unwrap_or(0) as u32,
                frame_rate,
            });
        } else if structure.name().starts_with("audio/") {
            audio.push(AudioStream {
                index: audio.len(),
                codec,
                channels: int("channels").unwrap_or(0) as u32,
                rate: int("rate").unwrap_or(0) as u32,
                language: language_of(pad),
                stream_id: pad.stream_id().map(|s| s.to_string()),
            });
        }
    }
    MediaInfo {
        path: path.to_path_buf(),
        container,
        duration,
        video,
        audio,
    }
}

/// The stream's language tag, from the tag events that reached the pad.
fn language_of(pad: &gst::Pad) -> Option<String> {
    let mut language = None;
    pad.sticky_events_foreach(|event| {
        if let gst::EventView::Tag(tag) = event.view() {
            if let Some(code) = tag.tag().get::<gst::tags::LanguageCode>() {
                language = iso_639_1(code.get());
            }
        }
        std::ops::ControlFlow::Continue(gst::EventForeachAction::Keep)
    });
    language
}

fn describe_probe_error(path: &Path, message: &str) -> anyhow::Error {
    let lower = message.to_lowercase();
    let sentence = if lower.contains("could not determine type") {
        "is not a media file GStreamer can read (its type could not be determined)".to_string()
    } else if lower.contains("incomplete") || lower.contains("moov") || lower.contains("truncated")
    {
        format!(
            "looks truncated or damaged ({}): copy it again from its source",
            message.trim_end_matches('.')
        )
    } else if lower.contains("no playable streams") {
        "has no stream GStreamer can play: it may be truncated or damaged".to_string()
    } else if lower.contains("missing") {
        format!("needs a GStreamer plugin that is not installed ({message}); run `scripts/setup`")
    } else {
        format!("cannot be read: {}", message.trim_end_matches('.'))
    };
    anyhow::anyhow!("`{}` {sentence}", path.display())
}

/// `fra` and `fre` -> `fr`; `und` (undetermined) -> none.
pub fn iso_639_1(tag: &str) -> Option<String> {
    let tag = tag.trim().to_lowercase();
    let code = match tag.as_str() {
        "" | "und" | "mul" | "zxx" => return None,
        "fra" | "fre" => "fr",
        "eng" => "en",
        "ara" => "ar",
        "por" => "pt",
        "spa" => "es",
        "ita" => "it",
        "deu" | "ger" => "de",
        "nld" | "dut" => "nl",
        "hau" => "ha",
        other => other,
    };
    Some(code.to_string())
}

impl MediaInfo {
    /// The report for people.
    pub fn to_text(&self) -> String {
        let mut out = format!("{}\n", self.path.display());
        let duration = self
            .duration
            .map_or_else(|| "unknown".to_string(), |d| d.to_string());
        out += &format!(
            "  container: {}, duration {duration}\n",
            self.container.as_deref().unwrap_or("unknown")
        );
        for (i, v) in self.video.iter().enumerate() {
            let rate = v.frame_rate.map_or_else(String::new, |r| {
                format!(", {r:.3} fps").replace(".000 fps", " fps")
            });
            out += &format!("  video {i}: {}, {}x{}{rate}\n", v.codec, v.width, v.height);
        }
        for a in &self.audio {
            let language = a.language.as_deref().map_or_else(
                || "no language tag".to_string(),
                |l| format!("language {l}"),
            );
            let channels = if a.channels == 1 {
                "1 channel".to_string()
            } else {
                format!("{} channels", a.channels)
            };
            out += &format!(
                "  audio {}: {}, {channels}, {} Hz, {language}\n",
                a.index, a.codec, a.rate
            );
        }
        if self.audio.is_empty() {
            out += "  no audio stream: nothing to transcribe, and clips from it are silent\n";
        }
        if self.video.is_empty() {
            out += "  no video stream: an audio-only recording\n";
        }
        out
    }
}
