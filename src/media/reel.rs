//! A module reel: one MP4 that plays a title card, then the module's clips
//! and the cards of its questions, exercises and pauses, one after the
//! other, for trainers who play from a TV, a phone or VLC. Every part is
//! decoded and brought to one picture size, frame rate and audio format,
//! joined with `concat`, and encoded once: H.264 Main and AAC-LC in a
//! faststart MP4, written under a temporary name.

use std::path::Path;

use anyhow::{bail, Context, Result};
use gstreamer as gst;
use gstreamer::prelude::*;

use super::cut::{aac, x264, EncodeSettings};
use super::gst::{describe_error, init, make};
use super::mux::mp4_muxer;
use crate::fs::PendingOutput;

const FPS: i32 = 25;
const RATE: i32 = 48_000;

/// One part of a reel.
#[derive(Debug, Clone, Copy)]
pub enum ReelPart<'a> {
    /// A picture (a JPEG) shown for so many seconds, in silence.
    Still(&'a Path, u32),
    /// An MP4, whole.
    Clip(&'a Path),
}

/// Joins `parts`, in order, into `output`, at `settings.height` lines (16:9).
pub fn make_reel(parts: &[ReelPart<'_>], output: &Path, settings: &EncodeSettings) -> Result<()> {
    init()?;
    let height = (settings.height.max(2) / 2 * 2) as i32;
    let width = (height * 16 / 9) / 2 * 2;
    let pending = PendingOutput::new(output)?;
    let pipeline = gst::Pipeline::new();
    let video_concat = make("concat")?;
    let audio_concat = make("concat")?;
    let mux = mp4_muxer()?;
    let sink = make("filesink")?;
    sink.set_property(
        "location",
        pending
            .temp_path()
            .to_str()
            .context("a UTF-8 temporary path")?,
    );
    let video_encoder = x264(settings)?;
    let video_caps = make("capsfilter")?;
    video_caps.set_property(
        "caps",
        gst::Caps::builder("video/x-h264")
            .field("profile", "main")
            .build(),
    );
    let audio_encoder = aac(settings.audio_kbps)?;
    let (video_queue, audio_queue) = (make("queue")?, make("queue")?);
    // concat hands each part on with its own timestamps and a shifted
    // segment; encoders want one timeline: make it the running time.
    let one_timeline = || -> Result<gst::Element> {
        let identity = make("identity")?;
        identity.set_property("single-segment", true);
        Ok(identity)
    };
    let (video_timeline, audio_timeline) = (one_timeline()?, one_timeline()?);
    pipeline.add_many([
        &video_concat,
        &audio_concat,
        &mux,
        &sink,
        &video_encoder,
        &video_caps,
        &audio_encoder,
        &video_queue,
        &audio_queue,
        &video_timeline,
        &audio_timeline,
    ])?;
    gst::Element::link_many([
        &video_concat,
        &video_timeline,
        &video_encoder,
        &video_caps,
        &video_queue,
        &mux,
    ])?;
    gst::Element::link_many([
        &audio_concat,
        &audio_timeline,
        &audio_encoder,
        &audio_queue,
        &mux,
    ])?;
    mux.link(&sink)?;

    for part in parts {
        match *part {
            ReelPart::Still(picture, seconds) => add_still(
                &pipeline,
                picture,
                seconds,
                &video_concat,
                &audio_concat,
                (width, height),
            )?,
            ReelPart::Clip(clip) => add_clip(
                &pipeline,
                clip,
                &video_concat,
                &audio_concat,
                (width, height),
            )?,
        }
    }

    let result = run(&pipeline, output);
    let _ = pipeline.set_state(gst::State::Null);
    result?;
    pending.commit()
}

/// A still picture with silence, as the next input of the concats.
fn add_still(
    pipeline: &gst::Pipeline,
    picture: &Path,
    seconds: u32,
    video_concat: &gst::Element,
    audio_concat: &gst::Element,
    (width, height): (i32, i32),
) -> Result<()> {
    let frames = (seconds.max(1) as i32) * FPS;
    let still = [file(picture)?, make("jpegdec")?, {
        let freeze = make("imagefreeze")?;
        freeze.set_property("num-buffers", frames);
        freeze
    }];
    let silence = {
        let source = make("audiotestsrc")?;
        source.set_property_from_str("wave", "silence");
        source.set_property("samplesperbuffer", RATE / FPS);
        source.set_property("num-buffers", frames);
        source
    };
    pipeline.add_many(&still)?;
    gst::Element::link_many(&still)?;
    let video_in = normalise_video(pipeline, width, height)?;
    still[2].link(&video_in)?;
    video_in
        .static_pad("src")
        .expect("a src pad")
        .link(&request(video_concat)?)?;
    pipeline.add(&silence)?;
    let audio_in = normalise_audio(pipeline)?;
    silence.link(&audio_in)?;
    audio_in
        .static_pad("src")
        .expect("a src pad")
        .link(&request(audio_concat)?)?;
    Ok(())
}

/// An MP4, decoded; its streams join the chains made for them, as the next
/// input of the concats.
fn add_clip(
    pipeline: &gst::Pipeline,
    part: &Path,
    video_concat: &gst::Element,
    audio_concat: &gst::Element,
    (width, height): (i32, i32),
) -> Result<()> {
    let decode = make("uridecodebin")?;
    let absolute =
        std::fs::canonicalize(part).with_context(|| format!("cannot read `{}`", part.display()))?;
    let uri = gst::glib::filename_to_uri(&absolute, None)
        .with_context(|| format!("`{}` has no file URI", part.display()))?;
    decode.set_property("uri", uri.as_str());
    pipeline.add(&decode)?;
    let video_in = normalise_video(pipeline, width, height)?;
    video_in
        .static_pad("src")
        .expect("a src pad")
        .link(&request(video_concat)?)?;
    let audio_in = normalise_audio(pipeline)?;
    audio_in
        .static_pad("src")
        .expect("a src pad")
        .link(&request(audio_concat)?)?;
    let (video_sink, audio_sink) = (video_in.clone(), audio_in.clone());
    decode.connect_pad_added(move |_, pad| {
        let caps = pad.current_caps().or_else(|| Some(pad.query_caps(None)));
        let name = caps
            .as_ref()
            .and_then(|c| c.structure(0))
            .map(|s| s.name().to_string())
            .unwrap_or_default();
        let target = if name.starts_with("video/") {
            &video_sink
        } else if name.starts_with("audio/") {
            &audio_sink
        } else {
            return;
        };
        if let Some(sink) = target.static_pad("sink") {
            if !sink.is_linked() {
                let _ = pad.link(&sink);
            }
        }
    });
    Ok(())
}

fn file(path: &Path) -> Result<gst::Element> {
    let source = make("filesrc")?;
    source.set_property("location", path.to_str().context("a UTF-8 path")?);
    Ok(source)
}

fn request(concat: &gst::Element) -> Result<gst::Pad> {
    concat
        .request_pad_simple("sink_%u")
        .context("concat gives no more inputs")
}

/// `videoconvert ! videoscale ! videorate ! I420 WxH 25 fps`, in a bin
/// with one sink and one src pad.
fn normalise_video(pipeline: &gst::Pipeline, width: i32, height: i32) -> Result<gst::Element> {
    let caps = make("capsfilter")?;
    caps.set_property(
        "caps",
        gst::Caps::builder("video/x-raw")
            .field("format", "I420")
            .field("colorimetry", crate::media::COLORIMETRY)
            .field("width", width)
            .field("height", height)
            .field("framerate", gst::Fraction::new(FPS, 1))
            .field("pixel-aspect-ratio", gst::Fraction::new(1, 1))
            .build(),
    );
    let scale = make("videoscale")?;
    scale.set_property("add-borders", true);
    chain(
        pipeline,
        [make("videoconvert")?, scale, make("videorate")?, caps],
    )
}

/// `audioconvert ! audioresample ! 48 kHz stereo`, in a bin.
fn normalise_audio(pipeline: &gst::Pipeline) -> Result<gst::Element> {
    let caps = make("capsfilter")?;
    caps.set_property(
        "caps",
        gst::Caps::builder("audio/x-raw")
            .field("format", "F32LE")
            .field("layout", "interleaved")
            .field("rate", RATE)
            .field("channels", 2)
            .build(),
    );
    chain(
        pipeline,
        [make("audioconvert")?, make("audioresample")?, caps],
    )
}

/// Links `elements` inside a bin with ghost `sink` and `src` pads.
fn chain<const N: usize>(
    pipeline: &gst::Pipeline,
    elements: [gst::Element; N],
) -> Result<gst::Element> {
    let bin = gst::Bin::new();
    bin.add_many(&elements)?;
    gst::Element::link_many(&elements)?;
    let sink = elements[0].static_pad("sink").expect("a sink pad");
    let src = elements[N - 1].static_pad("src").expect("a src pad");
    bin.add_pad(&gst::GhostPad::with_target(&sink)?)?;
    bin.add_pad(&gst::GhostPad::with_target(&src)?)?;
    pipeline.add(&bin)?;
    Ok(bin.upcast())
}

fn run(pipeline: &gst::Pipeline, output: &Path) -> Result<()> {
    let bus = pipeline.bus().expect("a pipeline has a bus");
    if pipeline.set_state(gst::State::Playing).is_err() {
        while let Some(message) = bus.pop() {
            if let gst::MessageView::Error(err) = message.view() {
                return Err(describe_error(output, err));
            }
        }
        bail!("`{}`: the reel's pipeline did not start", output.display());
    }
    // A reel of a module's clips takes minutes at most; a stall is reported, not waited out.
    let started = std::time::Instant::now();
    loop {
        crate::interrupt::check()?;
        if started.elapsed() > std::time::Duration::from_secs(1800) {
            bail!("`{}`: the reel stopped progressing", output.display());
        }
        let Some(message) = bus.timed_pop(gst::ClockTime::from_mseconds(100)) else {
            continue;
        };
        match message.view() {
            gst::MessageView::Eos(_) => return Ok(()),
            gst::MessageView::Error(err) => return Err(describe_error(output, err)),
            _ => {}
        }
    }
}
