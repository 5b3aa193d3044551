//! Decoding one audio track of a recording to 16 kHz mono f32, the speech
//! recogniser's input, streamed in chunks so that a four-hour recording never
//! sits whole in memory. Audio-only files (WAV, FLAC, MP3, OGG, M4A) go
//! through symphonia, in-process and without plugins; everything else, and
//! any audio file symphonia cannot read, through GStreamer.

mod gst_path;
mod symphonia_path;

use std::path::Path;

use anyhow::Result;

use crate::timecode::Timecode;

/// The sample rate whisper expects.
pub const SPEECH_RATE: u32 = 16_000;

/// Which decoder reads a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoder {
    /// GStreamer, for any container and codec its plugins read.
    GStreamer,
    /// symphonia, for audio-only files.
    Symphonia,
}

/// Extensions of audio-only files that symphonia decodes.
const AUDIO_ONLY: &[&str] = &["wav", "flac", "mp3", "ogg", "oga", "m4a"];

/// The decoder confkit uses for `path` when not told otherwise.
pub fn decoder_for(path: &Path) -> Decoder {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase);
    match ext {
        Some(ext) if AUDIO_ONLY.contains(&ext.as_str()) => Decoder::Symphonia,
        _ => Decoder::GStreamer,
    }
}

/// Decodes audio track `track` (from 0, in the file's order) of `path` to
/// 16 kHz mono f32, handing each chunk to `on_chunk` as it is decoded.
/// Returns the length of audio decoded.
pub fn decode_speech_audio(
    path: &Path,
    track: usize,
    mut on_chunk: impl FnMut(&[f32]) -> Result<()>,
) -> Result<Timecode> {
    match decoder_for(path) {
        Decoder::Symphonia => match symphonia_path::open(path, track)? {
            Some(reader) => reader.decode(&mut on_chunk),
            // A codec symphonia does not know (Opus in Ogg, say): GStreamer reads it.
            None => gst_path::decode(path, track, &mut on_chunk),
        },
        Decoder::GStreamer => gst_path::decode(path, track, &mut on_chunk),
    }
}

/// Decodes with the given decoder, whatever the file; for comparing them.
pub fn decode_speech_audio_with(
    decoder: Decoder,
    path: &Path,
    track: usize,
    mut on_chunk: impl FnMut(&[f32]) -> Result<()>,
) -> Result<Timecode> {
    match decoder {
        Decoder::GStreamer => gst_path::decode(path, track, &mut on_chunk),
        Decoder::Symphonia => match symphonia_path::open(path, track)? {
            Some(reader) => reader.decode(&mut on_chunk),
            None => anyhow::bail!(
                "`{}`: symphonia does not know this file's codec",
                path.display()
            ),
        },
    }
}
