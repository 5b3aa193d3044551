//! Where an interpretation goes on the floor's timeline: the interpreter
//! speaks seconds behind the speaker, so each of their sentences is moved
//! to start with the floor sentence it translates. Estimated by the build
//! (`build::lag`), kept in the transcript's record, applied wherever the
//! interpretation's subtitles are shown.

use serde::{Deserialize, Serialize};

use crate::subtitles::Cue;
use crate::timecode::Timecode;

/// The gap kept between two placed subtitles (two frames and a little).
pub const GAP_MS: u64 = 80;
/// How far the model's time for a sentence's first word may be from where
/// its speech is heard.
const SNAP_MS: u64 = 1_200;
/// How late the start of speech may be heard.
const ONSET_SLACK_MS: u64 = 250;

/// A sentence said, in ms on the recording's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// When its first word starts.
    pub start: u64,
    /// When its last word ends.
    pub end: u64,
}

/// How an interpretation's times move onto the floor's timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// The lag, in milliseconds: the estimate, or the one set by hand.
    pub lag_ms: i64,
    /// Set in `assets/recordings.toml` rather than estimated.
    pub fixed: bool,
    /// Each interpretation sentence and the floor sentence it translates.
    pub pairs: Vec<(Sentence, Sentence)>,
}

impl Placement {
    /// No shift at all.
    pub fn none() -> Placement {
        Placement::fixed(0)
    }

    /// A fixed shift of `lag_ms`.
    pub fn fixed(lag_ms: i64) -> Placement {
        Placement {
            lag_ms,
            fixed: true,
            pairs: Vec::new(),
        }
    }

    /// `time` on the interpreter's timeline, moved onto the floor's: a
    /// paired sentence starts when its floor sentence starts and keeps its
    /// own pace, never reaching the next paired floor sentence.
    pub fn place(&self, time: Timecode) -> Timecode {
        let t = time.as_millis();
        let shifted = |t: u64, shift: i64| (t as i64 - shift).max(0) as u64;
        // Where speech starts is heard a little late: a word just before a
        // sentence's start belongs to it.
        let Some(k) = self
            .pairs
            .iter()
            .rposition(|(i, _)| i.start <= t + ONSET_SLACK_MS)
        else {
            return Timecode::from_millis(shifted(t, self.lag_ms));
        };
        let (i, f) = self.pairs[k];
        let placed = shifted(t, i.start as i64 - f.start as i64);
        let limit = self
            .pairs
            .get(k + 1)
            .map_or(u64::MAX, |(_, next)| next.start.saturating_sub(1));
        Timecode::from_millis(placed.min(limit))
    }

    /// Each cue moved onto the floor's timeline, in the same order. A cue
    /// that starts a sentence starts with the floor sentence paired with
    /// the speech it is nearest to: the model's word timings can be a
    /// second off, where the speech itself is heard.
    pub fn place_each(&self, cues: &[Cue]) -> Vec<Cue> {
        cues.iter()
            .enumerate()
            .map(|(n, c)| {
                let starts_sentence = n == 0
                    || cues[n - 1]
                        .text
                        .trim_end()
                        .ends_with(['.', '?', '!', '…', ':']);
                let t = c.start.as_millis();
                let snapped = self
                    .pairs
                    .iter()
                    .filter(|(i, _)| i.start.abs_diff(t) <= SNAP_MS)
                    .min_by_key(|(i, _)| i.start.abs_diff(t))
                    .map(|(_, f)| Timecode::from_millis(f.start));
                let start = match snapped {
                    Some(start) if starts_sentence => start,
                    _ => self.place(c.start),
                };
                let end = self.place(c.end).max(start + Timecode::from_millis(1));
                Cue {
                    start,
                    end,
                    text: c.text.clone(),
                }
            })
            .collect()
    }

    /// Cues on the interpreter's timeline, moved onto the floor's; a cue
    /// that would run into the next is ended before it.
    pub fn place_cues(&self, cues: &[Cue]) -> Vec<Cue> {
        let mut placed = self.place_each(cues);
        placed.sort_by_key(|c| c.start);
        for i in 1..placed.len() {
            let next = placed[i].start.as_millis();
            let cue = &mut placed[i - 1];
            if cue.end.as_millis() + GAP_MS > next {
                let end = next.saturating_sub(GAP_MS).max(cue.start.as_millis() + 1);
                cue.end = Timecode::from_millis(end);
            }
        }
        placed
    }
}
