//! Decoding audio-only files with symphonia, then downmixing to mono and
//! resampling to 16 kHz with rubato, chunk by chunk.

use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use rubato::{FftFixedIn, Resampler};
use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{Decoder, DecoderOptions, CODEC_TYPE_NULL};
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::{FormatOptions, FormatReader};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use super::SPEECH_RATE;
use crate::timecode::Timecode;

/// An opened file with the chosen track's decoder ready.
pub(super) struct SymphoniaReader {
    path: PathBuf,
    format: Box<dyn FormatReader>,
    decoder: Box<dyn Decoder>,
    track_id: u32,
}

/// Opens `path` and track `track` among its audio tracks; `None` when
/// symphonia does not know the codec.
pub(super) fn open(path: &Path, track: usize) -> Result<Option<SymphoniaReader>> {
    let file = File::open(path).with_context(|| format!("cannot open `{}`", path.display()))?;
    if file.metadata().map(|m| m.len()).unwrap_or(0) == 0 {
        bail!(
            "`{}` is empty (0 bytes): copy it again from its source",
            path.display()
        );
    }
    let source = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        hint.with_extension(ext);
    }
    let probed = match symphonia::default::get_probe().format(
        &hint,
        source,
        &FormatOptions::default(),
        &MetadataOptions::default(),
    ) {
        Ok(probed) => probed,
        Err(SymphoniaError::Unsupported(_)) => return Ok(None),
        Err(e) => bail!("`{}` cannot be read: {}", path.display(), describe(&e)),
    };
    let format = probed.format;
    let audio: Vec<_> = format
        .tracks()
        .iter()
        .filter(|t| t.codec_params.codec != CODEC_TYPE_NULL)
        .collect();
    if audio.is_empty() {
        bail!(
            "`{}` has no audio stream: there is nothing to transcribe",
            path.display()
        );
    }
    let Some(chosen) = audio.get(track) else {
        bail!(
            "`{}` has {} audio track{}; there is no track {track} (tracks count from 0)",
            path.display(),
            audio.len(),
            if audio.len() == 1 { "" } else { "s" }
        );
    };
    let track_id = chosen.id;
    let decoder = match symphonia::default::get_codecs()
        .make(&chosen.codec_params, &DecoderOptions::default())
    {
        Ok(decoder) => decoder,
        Err(SymphoniaError::Unsupported(_)) => return Ok(None),
        Err(e) => bail!(
            "`{}`: cannot decode its audio: {}",
            path.display(),
            describe(&e)
        ),
    };
    Ok(Some(SymphoniaReader {
        path: path.to_path_buf(),
        format,
        decoder,
        track_id,
    }))
}

impl SymphoniaReader {
    pub(super) fn decode(
        mut self,
        on_chunk: &mut dyn FnMut(&[f32]) -> Result<()>,
    ) -> Result<Timecode> {
        let mut resampler: Option<ToSpeechRate> = None;
        let mut samples: Option<SampleBuffer<f32>> = None;
        loop {
            let packet = match self.format.next_packet() {
                Ok(packet) => packet,
                Err(SymphoniaError::IoError(e))
                    if e.kind() == std::io::ErrorKind::UnexpectedEof =>
                {
                    break
                }
                Err(e) => bail!("`{}` cannot be read: {}", self.path.display(), describe(&e)),
            };
            if packet.track_id() != self.track_id {
                continue;
            }
            let decoded = match self.decoder.decode(&packet) {
                Ok(decoded) => decoded,
                // One damaged frame is skipped, as players do.
                Err(SymphoniaError::DecodeError(_)) => continue,
                Err(e) => bail!(
                    "`{}`: decoding failed: {}",
                    self.path.display(),
                    describe(&e)
                ),
            };
            let spec = *decoded.spec();
            let channels = spec.channels.count().max(1);
            let buffer = match &mut samples {
                Some(buffer) if buffer.capacity() >= decoded.capacity() * channels => buffer,
                slot => slot.insert(SampleBuffer::new(decoded.capacity() as u64, spec)),
            };
            buffer.copy_interleaved_ref(decoded);
            let mono: Vec<f32> = buffer
                .samples()
                .chunks_exact(channels)
                .map(|frame| frame.iter().sum::<f32>() / channels as f32)
                .collect();
            let resampler = match &mut resampler {
                Some(r) => r,
                slot => slot.insert(ToSpeechRate::new(spec.rate)?),
            };
            resampler.push(&mono, on_chunk)?;
        }
        match resampler {
            Some(resampler) => resampler.finish(on_chunk),
            None => Err(anyhow!(
                "`{}`: no audio could be decoded",
                self.path.display()
            )),
        }
    }
}

fn describe(e: &SymphoniaError) -> String {
    match e {
        SymphoniaError::IoError(e) => format!("read error ({e}); the file may be truncated"),
        SymphoniaError::DecodeError(what) => format!("damaged data ({what})"),
        SymphoniaError::SeekError(_) => "seek failed".into(),
        SymphoniaError::Unsupported(what) => format!("unsupported {what}"),
        SymphoniaError::LimitError(what) => format!("too large ({what})"),
        SymphoniaError::ResetRequired => "the stream changed format mid-way".into(),
    }
}

/// Mono audio at any rate in, 16 kHz out, with the resampler's delay removed
/// so that output sample `n` is input time `n / 16000`.
struct ToSpeechRate {
    rate_in: u32,
    resampler: Option<FftFixedIn<f32>>,
    pending: Vec<f32>,
    to_skip: usize,
    frames_in: u64,
    frames_out: u64,
}

const CHUNK: usize = 4096;

impl ToSpeechRate {
    fn new(rate_in: u32) -> Result<ToSpeechRate> {
        let resampler = if rate_in == SPEECH_RATE {
            None
        } else {
            Some(
                FftFixedIn::new(rate_in as usize, SPEECH_RATE as usize, CHUNK, 2, 1)
                    .map_err(|e| anyhow!("cannot resample from {rate_in} Hz: {e}"))?,
            )
        };
        let to_skip = resampler.as_ref().map_or(0, |r| r.output_delay());
        Ok(ToSpeechRate {
            rate_in,
            resampler,
            pending: Vec::new(),
            to_skip,
            frames_in: 0,
            frames_out: 0,
        })
    }

    fn push(&mut self, mono: &[f32], on_chunk: &mut dyn FnMut(&[f32]) -> Result<()>) -> Result<()> {
        self.frames_in += mono.len() as u64;
        let Some(resampler) = &mut self.resampler else {
            self.frames_out += mono.len() as u64;
            return on_chunk(mono);
        };
        self.pending.extend_from_slice(mono);
        let mut start = 0;
        while self.pending.len() - start >= resampler.input_frames_next() {
            let needed = resampler.input_frames_next();
            let out = resampler.process(&[&self.pending[start..start + needed]], None)?;
            start += needed;
            emit(
                &out[0],
                &mut self.to_skip,
                &mut self.frames_out,
                u64::MAX,
                on_chunk,
            )?;
        }
        self.pending.drain(..start);
        Ok(())
    }

    fn finish(mut self, on_chunk: &mut dyn FnMut(&[f32]) -> Result<()>) -> Result<Timecode> {
        let expected = self.frames_in * u64::from(SPEECH_RATE) / u64::from(self.rate_in);
        if let Some(resampler) = &mut self.resampler {
            let rest = std::mem::take(&mut self.pending);
            let out = resampler.process_partial(Some(&[rest.as_slice()]), None)?;
            emit(
                &out[0],
                &mut self.to_skip,
                &mut self.frames_out,
                expected,
                on_chunk,
            )?;
            // Flush the resampler's delay line until every input sample has come out.
            let mut flushes = 0;
            while self.frames_out < expected && flushes < 16 {
                let out = resampler.process_partial::<&[f32]>(None, None)?;
                emit(
                    &out[0],
                    &mut self.to_skip,
                    &mut self.frames_out,
                    expected,
                    on_chunk,
                )?;
                flushes += 1;
            }
        }
        Ok(Timecode::from_millis(
            self.frames_out * 1000 / u64::from(SPEECH_RATE),
        ))
    }
}

/// Hands on `out` less the delay still to skip, and no more than `limit` frames in all.
fn emit(
    out: &[f32],
    to_skip: &mut usize,
    frames_out: &mut u64,
    limit: u64,
    on_chunk: &mut dyn FnMut(&[f32]) -> Result<()>,
) -> Result<()> {
    let skip = (*to_skip).min(out.len());
    *to_skip -= skip;
    let room = limit.saturating_sub(*frames_out) as usize;
    let out = &out[skip..][..(out.len() - skip).min(room)];
    if out.is_empty() {
        return Ok(());
    }
    *frames_out += out.len() as u64;
    on_chunk(out)
}
