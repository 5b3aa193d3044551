//! A clip that starts or ends inside a sentence: the trainer's audience
//! hears half a thought. Sentences are read from the words' timings (the
//! model's, or spread over each cue when people wrote the text), and the
//! nearest sentence boundary is suggested.

use super::flags::{Flag, FlagKind};
use crate::subtitles::rules::spread_words;
use crate::subtitles::Cue;
use crate::timecode::Timecode;

/// A word and when it is said, in ms.
#[derive(Debug, Clone)]
pub struct TimedWord {
    /// Start.
    pub start: u64,
    /// End.
    pub end: u64,
    /// The word, with its punctuation.
    pub text: String,
}

/// A silence this long between two words is a boundary.
const LONG_PAUSE_MS: u64 = 1_500;

/// Words are timed to about this much: closer to an edge is on it.
const SLACK_MS: u64 = 150;

/// The words of `cues`, each cue's words spread over it by their length.
pub fn words_of_cues(cues: &[Cue]) -> Vec<TimedWord> {
    spread_words(cues)
        .into_iter()
        .map(|w| TimedWord {
            start: w.start.as_millis(),
            end: w.end.as_millis(),
            text: w.text,
        })
        .collect()
}

/// Where sentences end: after a word that ends with a full stop, and at
/// the first word's start; in ms, in order.
fn boundaries(words: &[TimedWord]) -> Vec<u64> {
    let mut out = Vec::new();
    if let Some(first) = words.first() {
        out.push(first.start.saturating_sub(SLACK_MS));
    }
    for pair in words.windows(2) {
        let full_stop = pair[0]
            .text
            .trim_end_matches(['"', '\u{bb}', ')'])
            .ends_with(['.', '?', '!', '…']);
        // A long silence ends a thought too, whatever the punctuation.
        if full_stop || pair[1].start >= pair[0].end + LONG_PAUSE_MS {
            out.push((pair[0].end + pair[1].start) / 2);
        }
    }
    if let Some(last) = words.last() {
        out.push(last.end + SLACK_MS);
    }
    out
}

/// A flag when `edge` (a clip's start when `start`, else its end) falls
/// inside a sentence of `words`, with the nearest boundary.
pub fn mid_sentence(words: &[TimedWord], clip: &str, edge: Timecode, start: bool) -> Option<Flag> {
    let at = edge.as_millis();
    // The last word begun before the edge, and the first one still said after it.
    let before = words.iter().rfind(|w| w.start + SLACK_MS <= at)?;
    let after = words.iter().find(|w| w.end >= at + SLACK_MS)?;
    let bounds = boundaries(words);
    let (from, to) = (before.end.min(at), after.start.max(at));
    if bounds
        .iter()
        .any(|b| *b + SLACK_MS >= from && *b <= to + SLACK_MS)
    {
        return None;
    }
    let nearest = bounds.iter().min_by_key(|b| b.abs_diff(at))?;
    let delta = *nearest as f64 / 1000.0 - edge.as_secs_f64();
    Some(Flag::new(
        FlagKind::MidSentence,
        format!(
            "clip `{clip}` {} mid-sentence at {edge}; the nearest sentence boundary is {} ({delta:+.1} s)",
            if start { "starts" } else { "ends" },
            Timecode::from_millis(*nearest)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(start: u64, end: u64, text: &str) -> Cue {
        Cue {
            start: Timecode::from_millis(start),
            end: Timecode::from_millis(end),
            text: text.into(),
        }
    }

    #[test]
    fn an_edge_inside_a_sentence_suggests_the_nearest_boundary() {
        let words = words_of_cues(&[
            cue(500, 2_500, "Des modules thématiques seront mis en place."),
            cue(
                3_200,
                9_000,
                "Premier thème : l'échange de bonnes pratiques.",
            ),
        ]);
        let flag = mid_sentence(&words, "themes", Timecode::from_millis(5_000), true).unwrap();
        assert!(
            flag.reason.contains("starts mid-sentence"),
            "{}",
            flag.reason
        );
        assert!(flag.reason.contains("00:00:02.850"), "{}", flag.reason);
        // In the pause between the sentences, and before any word: clean.
        assert_eq!(
            mid_sentence(&words, "themes", Timecode::from_millis(2_850), true),
            None
        );
        assert_eq!(mid_sentence(&words, "themes", Timecode::ZERO, true), None);
        assert_eq!(
            mid_sentence(&words, "themes", Timecode::from_millis(9_500), false),
            None
        );
    }
}
