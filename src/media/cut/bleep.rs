//! Bleeping: the audio inside given spans replaced by a 1 kHz tone, so that
//! a redacted name is not heard in a clip. The spans are in the audio
//! source's own timeline, which is what its buffers' timestamps carry.

use std::sync::Arc;

use anyhow::Result;
use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_audio as gst_audio;

use crate::timecode::Timecode;

/// The tone's frequency and level (about -14 dBFS).
const TONE_HZ: f64 = 1_000.0;
const TONE_LEVEL: f64 = 0.2;

/// A capsfilter that passes 32-bit float audio and bleeps `spans`.
pub(super) fn bleeper(spans: &[(Timecode, Timecode)]) -> Result<gst::Element> {
    let filter = gst::ElementFactory::make("capsfilter")
        .property(
            "caps",
            gst::Caps::builder("audio/x-raw")
                .field("format", "F32LE")
                .field("layout", "interleaved")
                .build(),
        )
        .build()?;
    let spans: Arc<Vec<(u64, u64)>> = Arc::new(
        spans
            .iter()
            .map(|(start, end)| (start.as_millis() * 1_000_000, end.as_millis() * 1_000_000))
            .collect(),
    );
    let pad = filter
        .static_pad("src")
        .expect("a capsfilter has a src pad");
    pad.add_probe(gst::PadProbeType::BUFFER, move |pad, info| {
        if let Some(gst::PadProbeData::Buffer(buffer)) = &mut info.data {
            let audio = pad
                .current_caps()
                .and_then(|caps| gst_audio::AudioInfo::from_caps(&caps).ok());
            if let (Some(audio), Some(pts)) = (audio, buffer.pts()) {
                bleep_buffer(buffer, pts.nseconds(), &audio, &spans);
            }
        }
        gst::PadProbeReturn::Ok
    });
    Ok(filter)
}

fn bleep_buffer(
    buffer: &mut gst::Buffer,
    pts: u64,
    audio: &gst_audio::AudioInfo,
    spans: &[(u64, u64)],
) {
    let (rate, channels) = (u64::from(audio.rate()), audio.channels() as usize);
    let frames = buffer.size() / (4 * channels.max(1));
    let end = pts + frames as u64 * 1_000_000_000 / rate.max(1);
    if !spans.iter().any(|(a, b)| *a < end && *b > pts) {
        return;
    }
    let buffer = buffer.make_mut();
    let Ok(mut map) = buffer.map_writable() else {
        return;
    };
    for (frame, samples) in map.chunks_exact_mut(4 * channels).enumerate() {
        let t = pts + frame as u64 * 1_000_000_000 / rate;
        if !spans.iter().any(|(a, b)| *a <= t && t < *b) {
            continue;
        }
        let seconds = t as f64 / 1e9;
        let tone = (TONE_LEVEL * (2.0 * std::f64::consts::PI * TONE_HZ * seconds).sin()) as f32;
        for sample in samples.chunks_exact_mut(4) {
            sample.copy_from_slice(&tone.to_le_bytes());
        }
    }
}
