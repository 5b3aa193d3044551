//! Interpreters speak 2 to 4 s behind the floor. Subtitles made from an
//! interpretation are shown under the floor speaker's face, so they are
//! moved onto the floor's timeline: each sentence of the interpretation is
//! paired with the floor sentence it follows, and starts when that one
//! starts.
//!
//! The lag is estimated from the two transcripts' sentence starts (the
//! most common distance from a floor start to an interpretation start),
//! then each interpretation sentence is anchored to the floor sentence
//! nearest to that distance. `lag` in `assets/recordings.toml` replaces
//! the estimate with a fixed shift. The transcript files keep the
//! interpreter's own timeline, the one its audio and bleeps are on; the
//! shift is applied where the subtitles are shown.

use std::path::Path;

use anyhow::Result;

use super::activity::speech_runs;
use crate::layout::{subtitles_in, transcript_name, Layout};
use crate::project::{audio_versions, AudioVersion, Recording, Toolkit};
use crate::speech::transcribe::Transcript;
use crate::subtitles::rules::spread_words;
use crate::subtitles::Cue;
use crate::texts::records::Records;
use crate::timecode::Timecode;

/// The longest lag looked for.
const MAX_LAG_MS: i64 = 8_000;
/// The shortest: an interpreter cannot say what was not said yet.
const MIN_LAG_MS: i64 = 300;
/// A pause this long starts a sentence.
const PAUSE_MS: u64 = 400;
/// How far a sentence's own lag may stray from the estimate and still be
/// paired.
const PAIR_TOLERANCE_MS: i64 = 1_200;
/// Fewer paired sentences than this and the estimate is not trusted.
const MIN_PAIRS: usize = 2;

pub use crate::texts::placement::{Placement, Sentence, GAP_MS};

/// The sentences of timed words `(start, end, text)` in ms: a sentence
/// starts after a pause or after a full stop.
pub fn sentences(words: &[(u64, u64, &str)]) -> Vec<Sentence> {
    let mut out: Vec<Sentence> = Vec::new();
    let mut previous: Option<(u64, bool)> = None;
    for &(start, end, text) in words {
        let begins = previous.is_none_or(|(last_end, stop)| stop || start >= last_end + PAUSE_MS);
        match out.last_mut() {
            Some(sentence) if !begins => sentence.end = sentence.end.max(end),
            _ => out.push(Sentence { start, end }),
        }
        let stop = text.trim_end().ends_with(['.', '?', '!', '…']);
        previous = Some((end, stop));
    }
    out
}

/// The sentences of a transcript's words, moved by `offset`.
pub fn transcript_sentences(transcript: &Transcript, offset: Timecode) -> Vec<Sentence> {
    let words: Vec<(u64, u64, &str)> = transcript
        .segments
        .iter()
        .flat_map(|s| &s.words)
        .map(|w| {
            (
                w.start.as_millis() + offset.as_millis(),
                w.end.as_millis() + offset.as_millis(),
                w.text.as_str(),
            )
        })
        .collect();
    sentences(&words)
}

/// The sentences of subtitles (people's text, with no word timings): a cue
/// is timed word by word in proportion to the words' lengths.
pub fn cue_sentences(cues: &[Cue], offset: Timecode) -> Vec<Sentence> {
    let words: Vec<(u64, u64, String)> = spread_words(cues)
        .into_iter()
        .map(|w| {
            (
                w.start.as_millis() + offset.as_millis(),
                w.end.as_millis() + offset.as_millis(),
                w.text,
            )
        })
        .collect();
    let borrowed: Vec<(u64, u64, &str)> =
        words.iter().map(|(s, e, w)| (*s, *e, w.as_str())).collect();
    sentences(&borrowed)
}

/// The placement of an interpretation whose sentences are `interpretation`,
/// behind a floor whose sentences are `floor` (both on the recording's
/// timeline). `None` when too few sentences pair up to tell.
pub fn estimate(floor: &[Sentence], interpretation: &[Sentence]) -> Option<Placement> {
    // The most common distance from a floor start to a later interpretation start.
    let mut best = (0usize, 0i64);
    for lag in (MIN_LAG_MS..=MAX_LAG_MS).step_by(50) {
        let votes = interpretation
            .iter()
            .filter(|i| {
                floor
                    .iter()
                    .any(|f| ((i.start as i64 - f.start as i64) - lag).abs() <= 250)
            })
            .count();
        if votes > best.0 {
            best = (votes, lag);
        }
    }
    let (votes, lag) = best;
    if votes < MIN_PAIRS {
        return None;
    }
    // Each interpretation sentence to the floor sentence nearest to that lag, in order.
    let mut pairs: Vec<(Sentence, Sentence)> = Vec::new();
    for i in interpretation {
        let after = pairs.last().map(|(_, f)| f.start);
        let paired = floor
            .iter()
            .filter(|f| after.is_none_or(|last| f.start > last))
            .map(|f| (*f, i.start as i64 - f.start as i64))
            .filter(|(_, d)| *d >= 0 && (d - lag).abs() <= PAIR_TOLERANCE_MS)
            .min_by_key(|(_, d)| (d - lag).abs());
        if let Some((f, _)) = paired {
            pairs.push((*i, f));
        }
    }
    if pairs.len() < MIN_PAIRS {
        return None;
    }
    let mut shifts: Vec<i64> = pairs
        .iter()
        .map(|(i, f)| i.start as i64 - f.start as i64)
        .collect();
    shifts.sort_unstable();
    Some(Placement {
        lag_ms: shifts[shifts.len() / 2],
        fixed: false,
        pairs,
    })
}

/// The placement of `version` of `recording` in the project at `root`:
/// none for the floor; the lag set in `assets/recordings.toml`; the one
/// worked out from the audio when the transcripts were made (kept in the
/// transcript's record); else one estimated from the transcripts' text.
/// `None` when it cannot be told.
pub fn placement_of(
    root: &Path,
    recording: &Recording,
    version: &AudioVersion,
) -> Option<Placement> {
    if version.floor {
        return Some(Placement::none());
    }
    if let Some(lag) = recording.lag_of(&version.label) {
        return Some(Placement::fixed(lag.as_millis() as i64));
    }
    let name = transcript_name(recording.id.as_str(), &version.label);
    let record = Records::new(root).read(&name);
    if let (Some(lag_ms), Some(pairs)) = (record.lag_ms, record.pairs) {
        return Some(Placement {
            lag_ms,
            fixed: false,
            pairs,
        });
    }
    text_placement(&Layout::new(root).transcripts(), recording, version)
}

/// The placement worked out from where speech is heard on the floor and
/// in the interpretation; `None` when too few sentences pair up.
pub fn audio_placement(
    toolkit: &Toolkit,
    recording: &Recording,
    version: &AudioVersion,
) -> Result<Option<Placement>> {
    let floor_track = audio_versions(toolkit, recording)
        .first()
        .and_then(|v| v.track)
        .unwrap_or(0);
    let floor = speech_runs(&toolkit.path(&recording.file), floor_track)?;
    let (path, track, offset) = match &version.file {
        Some((path, offset)) => (path.clone(), 0, *offset),
        None => (
            toolkit.path(&recording.file),
            version.track.unwrap_or(0),
            Timecode::ZERO,
        ),
    };
    let interpretation: Vec<Sentence> = speech_runs(&path, track)?
        .into_iter()
        .map(|s| Sentence {
            start: s.start + offset.as_millis(),
            end: s.end + offset.as_millis(),
        })
        .collect();
    Ok(estimate(&floor, &interpretation).map(|p| to_file_timeline(p, offset)))
}

/// Pairs found on the recording's timeline, for times on the file's own.
fn to_file_timeline(placement: Placement, offset: Timecode) -> Placement {
    let back = |s: Sentence| Sentence {
        start: s.start.saturating_sub(offset.as_millis()),
        end: s.end.saturating_sub(offset.as_millis()),
    };
    Placement {
        pairs: placement
            .pairs
            .into_iter()
            .map(|(i, f)| (back(i), f))
            .collect(),
        lag_ms: placement.lag_ms - offset.as_millis() as i64,
        ..placement
    }
}

/// The placement estimated from the sentences of the transcripts in
/// `transcripts` (the model's word timings, else the subtitles).
pub fn text_placement(
    transcripts: &Path,
    recording: &Recording,
    version: &AudioVersion,
) -> Option<Placement> {
    let offset = version.file.as_ref().map_or(Timecode::ZERO, |(_, o)| *o);
    let heard = |label: &str, offset: Timecode| -> Option<Vec<Sentence>> {
        let name = transcript_name(recording.id.as_str(), label);
        let json = transcripts.join(format!("{name}.json"));
        if let Some(transcript) = std::fs::read_to_string(json)
            .ok()
            .and_then(|text| serde_json::from_str::<Transcript>(&text).ok())
        {
            return Some(transcript_sentences(&transcript, offset));
        }
        let cues =
            subtitles_in(transcripts, &name).and_then(|p| crate::subtitles::read_cues(&p).ok())?;
        Some(cue_sentences(&cues, offset))
    };
    let floor = heard(&recording.languages.join("-"), Timecode::ZERO)?;
    let interpretation = heard(&version.label, offset)?;
    Some(to_file_timeline(estimate(&floor, &interpretation)?, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(start: u64, end: u64) -> Sentence {
        Sentence { start, end }
    }

    /// Floor sentences and an interpreter who follows each one 2.5-3.4 s
    /// later and takes a little longer to say it.
    fn lagged() -> (Vec<Sentence>, Vec<Sentence>) {
        let floor = [500, 3_230, 11_500, 18_068, 26_101, 33_221, 37_404];
        let ends = [2_530, 10_800, 17_368, 25_401, 32_521, 36_704, 41_052];
        let lags = [3_400, 3_032, 3_200, 2_600, 2_500, 3_100, 3_400];
        let floor: Vec<Sentence> = floor
            .iter()
            .zip(ends)
            .map(|(s, e)| sentence(*s, e))
            .collect();
        let interpretation = floor
            .iter()
            .zip(lags)
            .map(|(f, lag)| sentence(f.start + lag, f.end + lag + 300))
            .collect();
        (floor, interpretation)
    }

    #[test]
    fn each_sentence_is_placed_under_its_floor_sentence() {
        let (floor, interpretation) = lagged();
        let placement = estimate(&floor, &interpretation).unwrap();
        assert!((2_500..=3_400).contains(&placement.lag_ms), "{placement:?}");
        for (f, i) in floor.iter().zip(&interpretation) {
            let place = |t: u64| placement.place(Timecode::from_millis(t)).as_millis();
            assert_eq!(place(i.start), f.start);
            // Later in the sentence, at its own pace.
            assert_eq!(place(i.start + 1_000), f.start + 1_000);
        }
    }

    #[test]
    fn sentences_come_from_pauses_and_full_stops() {
        let words = [
            (500, 900, "Des"),
            (950, 2_500, "modules."),
            (2_600, 3_000, "Premier"),
            (3_100, 3_500, "thème"),
            (4_200, 4_600, "suite"),
        ];
        assert_eq!(
            sentences(&words),
            vec![
                sentence(500, 2_500),
                sentence(2_600, 3_500),
                sentence(4_200, 4_600)
            ]
        );
    }

    #[test]
    fn subtitles_give_sentences_when_there_are_no_word_timings() {
        let cue = |start: u64, end: u64, text: &str| Cue {
            start: Timecode::from_millis(start),
            end: Timecode::from_millis(end),
            text: text.into(),
        };
        let found = cue_sentences(
            &[
                cue(500, 2_500, "Des modules\nthématiques."),
                cue(3_200, 6_000, "Premier thème :"),
                cue(6_100, 9_000, "l'échange."),
            ],
            Timecode::ZERO,
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[1].start, 3_200);
    }

    #[test]
    fn too_little_to_tell_is_no_estimate() {
        assert_eq!(
            estimate(&[sentence(500, 2_000)], &[sentence(3_500, 5_000)]),
            None
        );
        assert_eq!(
            estimate(&[sentence(500, 2_000), sentence(9_000, 9_500)], &[]),
            None
        );
    }

    #[test]
    fn placed_cues_do_not_run_into_each_other() {
        let (floor, interpretation) = lagged();
        let placement = estimate(&floor, &interpretation).unwrap();
        let cues: Vec<Cue> = interpretation
            .iter()
            .map(|i| Cue {
                start: Timecode::from_millis(i.start),
                end: Timecode::from_millis(i.end),
                text: "x".into(),
            })
            .collect();
        let placed = placement.place_cues(&cues);
        for pair in placed.windows(2) {
            assert!(
                pair[0].end.as_millis() + GAP_MS <= pair[1].start.as_millis(),
                "{pair:?}"
            );
        }
        assert_eq!(placed[3].start.as_millis(), floor[3].start);
    }
}
