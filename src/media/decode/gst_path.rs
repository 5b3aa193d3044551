//! Decoding with GStreamer: any container and codec it reads. Only the
//! chosen audio stream is decoded; video and other tracks are parsed and
//! dropped, so that a long video costs little more than its audio.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use anyhow::{anyhow, bail, Result};
use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_app as gst_app;
use gstreamer_audio as gst_audio;

use super::SPEECH_RATE;
use crate::media::gst::{describe_error, discard_pad, file_source, make, stream_id_suffix};
use crate::media::probe::probe;
use crate::timecode::Timecode;

pub(super) fn decode(
    path: &Path,
    track: usize,
    on_chunk: &mut dyn FnMut(&[f32]) -> Result<()>,
) -> Result<Timecode> {
    let info = probe(path)?;
    if info.audio.is_empty() {
        bail!(
            "`{}` has no audio stream: there is nothing to transcribe",
            path.display()
        );
    }
    let Some(stream) = info.audio.get(track) else {
        bail!(
            "`{}` has {} audio track{}; there is no track {track} (tracks count from 0)",
            path.display(),
            info.audio.len(),
            if info.audio.len() == 1 { "" } else { "s" }
        );
    };
    let wanted_suffix = stream
        .stream_id
        .as_deref()
        .and_then(stream_id_suffix)
        .map(str::to_string);

    let pipeline = gst::Pipeline::new();
    let src = file_source(path)?;
    let parse = make("parsebin")?;
    let decode = make("decodebin")?;
    let convert = make("audioconvert")?;
    let resample = make("audioresample")?;
    let sink = gst_app::AppSink::builder()
        .caps(
            &gst_audio::AudioCapsBuilder::new_interleaved()
                .format(gst_audio::AUDIO_FORMAT_F32)
                .rate(SPEECH_RATE as i32)
                .channels(1)
                .build(),
        )
        .max_buffers(16)
        .drop(false)
        .sync(false)
        .build();
    pipeline.add_many([
        &src,
        &parse,
        &decode,
        &convert,
        &resample,
        sink.upcast_ref(),
    ])?;
    src.link(&parse)?;
    gst::Element::link_many([&convert, &resample, sink.upcast_ref()])?;

    // parsebin exposes one pad per elementary stream: the chosen audio goes
    // to decodebin, everything else to a fakesink without being decoded.
    let linked = Arc::new(AtomicBool::new(false));
    let audio_seen = Arc::new(AtomicUsize::new(0));
    {
        let pipeline = pipeline.downgrade();
        let decode = decode.clone();
        let linked = linked.clone();
        parse.connect_pad_added(move |_, pad| {
            let Some(pipeline) = pipeline.upgrade() else {
                return;
            };
            let is_audio = pad
                .current_caps()
                .or_else(|| Some(pad.query_caps(None)))
                .and_then(|caps| caps.structure(0).map(|s| s.name().starts_with("audio/")))
                .unwrap_or(false);
            let chosen = is_audio && {
                let n = audio_seen.fetch_add(1, Ordering::SeqCst);
                match (&wanted_suffix, pad.stream_id()) {
                    (Some(wanted), Some(id)) => stream_id_suffix(&id) == Some(wanted.as_str()),
                    _ => n == track,
                }
            };
            if chosen && !linked.swap(true, Ordering::SeqCst) {
                let _ = pad.link(&decode.static_pad("sink").expect("decodebin has a sink pad"));
            } else {
                discard_pad(&pipeline, pad);
            }
        });
    }
    {
        let convert = convert.clone();
        decode.connect_pad_added(move |_, pad| {
            let sink = convert
                .static_pad("sink")
                .expect("audioconvert has a sink pad");
            if !sink.is_linked() {
                let _ = pad.link(&sink);
            }
        });
    }

    let result = pull_chunks(path, &pipeline, &sink, &linked, track, on_chunk);
    let _ = pipeline.set_state(gst::State::Null);
    result
}

fn pull_chunks(
    path: &Path,
    pipeline: &gst::Pipeline,
    sink: &gst_app::AppSink,
    linked: &AtomicBool,
    track: usize,
    on_chunk: &mut dyn FnMut(&[f32]) -> Result<()>,
) -> Result<Timecode> {
    pipeline
        .set_state(gst::State::Playing)
        .map_err(|_| anyhow!("`{}`: GStreamer could not start decoding", path.display()))?;
    let bus = pipeline.bus().expect("a pipeline has a bus");
    let mut samples: u64 = 0;
    loop {
        while let Some(message) = bus.pop() {
            if let gst::MessageView::Error(err) = message.view() {
                return Err(describe_error(path, err));
            }
        }
        match sink.try_pull_sample(gst::ClockTime::from_mseconds(200)) {
            Some(sample) => {
                let buffer = sample
                    .buffer()
                    .ok_or_else(|| anyhow!("`{}`: a decoded sample had no data", path.display()))?;
                let map = buffer.map_readable()?;
                let floats: Vec<f32> = map
                    .as_slice()
                    .chunks_exact(4)
                    .map(|b| f32::from_ne_bytes(b.try_into().expect("4 bytes")))
                    .collect();
                samples += floats.len() as u64;
                on_chunk(&floats)?;
            }
            None if sink.is_eos() => break,
            None => {
                let (_, state, _) = pipeline.state(gst::ClockTime::ZERO);
                if state == gst::State::Playing && !linked.load(Ordering::SeqCst) {
                    bail!(
                        "`{}`: audio track {track} was not found while decoding",
                        path.display()
                    );
                }
            }
        }
    }
    Ok(Timecode::from_millis(
        samples * 1000 / u64::from(SPEECH_RATE),
    ))
}
