//! Where speech is heard in an audio track: runs of sound between pauses,
//! read from the audio's loudness. An interpreter's sentences pause where
//! the floor's do, a few seconds later; these runs pair them even where the
//! speech model ran two sentences together.

use std::path::Path;

use anyhow::Result;

use super::lag::Sentence;
use crate::media::decode::{decode_speech_audio, SPEECH_RATE};

/// Loudness is measured over frames this long.
const FRAME_MS: u64 = 20;
/// A pause at least this long ends a run.
const PAUSE_MS: u64 = 300;
/// A run shorter than this is a click or a breath, not speech.
const SHORTEST_MS: u64 = 200;
/// A frame quieter than this share of the track's loud level is silence.
const SILENCE_SHARE: f32 = 0.08;

/// The runs of speech of audio track `track` of `path`, in ms on the
/// file's own timeline.
pub fn speech_runs(path: &Path, track: usize) -> Result<Vec<Sentence>> {
    let frame = (SPEECH_RATE as u64 * FRAME_MS / 1000) as usize;
    let mut levels: Vec<f32> = Vec::new();
    let mut pending: Vec<f32> = Vec::with_capacity(frame);
    decode_speech_audio(path, track, |chunk| {
        for &sample in chunk {
            pending.push(sample);
            if pending.len() == frame {
                levels.push(rms(&pending));
                pending.clear();
            }
        }
        Ok(())
    })?;
    Ok(runs(&levels))
}

fn rms(samples: &[f32]) -> f32 {
    (samples.iter().map(|s| s * s).sum::<f32>() / samples.len().max(1) as f32).sqrt()
}

/// Runs of frames louder than silence, from frame levels.
fn runs(levels: &[f32]) -> Vec<Sentence> {
    let mut sorted: Vec<f32> = levels.to_vec();
    sorted.sort_by(f32::total_cmp);
    let loud = sorted
        .get(sorted.len().saturating_sub(1) * 95 / 100)
        .copied()
        .unwrap_or(0.0);
    let threshold = (loud * SILENCE_SHARE).max(1e-4);
    let mut out: Vec<Sentence> = Vec::new();
    for (n, level) in levels.iter().enumerate() {
        if *level < threshold {
            continue;
        }
        let (start, end) = (n as u64 * FRAME_MS, (n as u64 + 1) * FRAME_MS);
        match out.last_mut() {
            Some(run) if start <= run.end + PAUSE_MS => run.end = end,
            _ => out.push(Sentence { start, end }),
        }
    }
    out.retain(|r| r.end - r.start >= SHORTEST_MS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_split_runs_and_clicks_are_dropped() {
        let mut levels = vec![0.0f32; 10]; // 200 ms of silence
        levels.extend([0.5; 50]); // 1 s of speech
        levels.extend([0.0; 10]); // a 200 ms pause: the same run
        levels.extend([0.4; 25]);
        levels.extend([0.0; 40]); // 800 ms: a new run
        levels.extend([0.6; 30]);
        levels.extend([0.0; 20]);
        levels.extend([0.9; 2]); // a click
        assert_eq!(
            runs(&levels),
            vec![
                Sentence {
                    start: 200,
                    end: 1_900
                },
                Sentence {
                    start: 2_700,
                    end: 3_300
                }
            ]
        );
    }
}
