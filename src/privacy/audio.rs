//! Where a redacted name is said: time spans in one audio version, found in
//! its transcript's word timings, and in its subtitles for text that people
//! corrected (the whole subtitle then, when no word timing covers it).

use std::path::Path;

use super::redact::Redactor;
use crate::speech::transcribe::Transcript;
use crate::subtitles::read_cues;
use crate::timecode::Timecode;

/// Silence around the words themselves: word timings are approximate.
const MARGIN_MS: u64 = 200;

/// A span of time to bleep, in the audio's own timeline.
pub type Span = (Timecode, Timecode);

/// The spans of `transcripts/<name>.json` and `.vtt` where a redacted name
/// or pattern is said; `None` when neither file exists (nothing is known).
pub fn spoken_spans(redactor: &Redactor, transcripts: &Path, name: &str) -> Option<Vec<Span>> {
    let json = transcripts.join(format!("{name}.json"));
    let vtt = transcripts.join(format!("{name}.vtt"));
    let transcript: Option<Transcript> = std::fs::read_to_string(&json)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok());
    let cues = read_cues(&vtt).ok();
    if transcript.is_none() && cues.is_none() {
        return None;
    }
    let mut spans = transcript
        .map(|t| word_spans(redactor, &t))
        .unwrap_or_default();
    for cue in cues.unwrap_or_default() {
        if redactor.find(&cue.text).is_empty() {
            continue;
        }
        let covered = spans
            .iter()
            .any(|(start, end)| *start < cue.end && *end > cue.start);
        if !covered {
            spans.push(widen(cue.start, cue.end));
        }
    }
    Some(merge(spans))
}

/// The spans of the words that make up each finding, segment by segment.
fn word_spans(redactor: &Redactor, transcript: &Transcript) -> Vec<Span> {
    let mut spans = Vec::new();
    for segment in &transcript.segments {
        // The words joined by spaces, with where each one sits in the text.
        let mut text = String::new();
        let mut at = Vec::new();
        for word in &segment.words {
            if !text.is_empty() {
                text.push(' ');
            }
            at.push(text.len()..text.len() + word.text.len());
            text.push_str(&word.text);
        }
        for finding in redactor.find(&text) {
            let words: Vec<usize> = at
                .iter()
                .enumerate()
                .filter(|(_, r)| r.start < finding.range.end && r.end > finding.range.start)
                .map(|(i, _)| i)
                .collect();
            if let (Some(&first), Some(&last)) = (words.first(), words.last()) {
                spans.push(widen(segment.words[first].start, segment.words[last].end));
            }
        }
        // A name the model misspelt is bleeped too: better a word too many.
        let plain: Vec<&str> = segment.words.iter().map(|w| w.text.as_str()).collect();
        for (first, last, _) in redactor.near_misses(&plain) {
            spans.push(widen(
                segment.words[first].start,
                segment.words[last - 1].end,
            ));
        }
        // A name split oddly into tokens is still in the segment's text.
        if redactor.find(&segment.text).len() > redactor.find(&text).len() {
            spans.push((segment.start, segment.end));
        }
    }
    spans
}

/// `start` to `end` with the margin either side.
fn widen(start: Timecode, end: Timecode) -> Span {
    (
        Timecode::from_millis(start.as_millis().saturating_sub(MARGIN_MS)),
        Timecode::from_millis(end.as_millis() + MARGIN_MS),
    )
}

/// Sorted, overlapping spans joined.
pub fn merge(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort();
    let mut merged: Vec<Span> = Vec::new();
    for (start, end) in spans {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::{Located, RedactedName, RedactionsFile};
    use crate::speech::transcribe::{ModelRef, Segment, SourceRef, Word};

    #[test]
    fn the_words_of_a_name_give_its_span() {
        let redactor = Redactor::new(&RedactionsFile {
            names: vec![RedactedName {
                text: Located::new("Amina Bello".into(), 0..0),
                reason: None,
            }],
            ..RedactionsFile::default()
        })
        .unwrap();
        let ms = Timecode::from_millis;
        let words = ["La", "victime,", "Amina", "Bello,", "témoigne."];
        let segment = Segment {
            start: ms(1_000),
            end: ms(6_000),
            language: "fr".into(),
            language_probability: 1.0,
            text: words.join(" "),
            words: words
                .iter()
                .enumerate()
                .map(|(i, w)| Word {
                    start: ms(1_000 + i as u64 * 1_000),
                    end: ms(1_900 + i as u64 * 1_000),
                    text: (*w).into(),
                    probability: 1.0,
                })
                .collect(),
        };
        let transcript = Transcript {
            source: SourceRef {
                path: "x".into(),
                sha256: String::new(),
                track: 0,
            },
            model: ModelRef {
                path: "m".into(),
                sha256: String::new(),
            },
            task: "transcribe".into(),
            segments: vec![segment],
        };
        assert_eq!(
            merge(word_spans(&redactor, &transcript)),
            [(ms(2_800), ms(5_100))]
        );
    }
}
