//! Where a redacted name is said, in every audio version of a recording:
//! the floor and each interpretation. Spans come from each version's
//! transcript (word timings, and whole subtitles for text that people
//! corrected), from the spans listed by hand, and from the other versions:
//! what is found in one language is bleeped in the others at the same
//! sentence, so that no language ships a name that another one hides.
//! A version whose transcript is missing or damaged gives no answer, and
//! the clip is not cut: redaction fails closed.

use std::path::Path;

use super::redact::Redactor;
use crate::speech::transcribe::Transcript;
use crate::subtitles::read_cues;
use crate::timecode::Timecode;

/// Silence around the words themselves: word timings are approximate.
const MARGIN_MS: u64 = 200;

/// How far behind the floor an interpreter speaks: 2 to 4 s, and a little
/// more to be safe.
const INTERPRETER_LAG_MS: u64 = 4_500;

/// How far ahead of the floor an interpreter may be, by word timings' error.
const INTERPRETER_LEAD_MS: u64 = 700;

/// A sentence longer than this is a whole chunk of speech, not the
/// sentence that carries a name: only the window around the name is taken.
const SENTENCE_MS: u64 = 8_000;

/// A span of time to bleep, in the audio's own timeline.
pub type Span = (Timecode, Timecode);

/// One audio version of a recording, as redaction sees it.
#[derive(Debug, Clone)]
pub struct Version<'a> {
    /// Its transcripts' name in `transcripts/`: `<recording>.<label>`.
    pub name: String,
    /// Where its audio starts on the recording's timeline.
    pub offset: Timecode,
    /// True for the floor; false for an interpretation.
    pub floor: bool,
    /// The SHA-256 of the media this version's audio is in now: a
    /// transcript made from other media says nothing of this one.
    pub media_sha256: Option<String>,
    /// The spans listed by hand, on the recording's timeline.
    pub manual: &'a [Span],
}

/// What one version's transcript says: its sentences, and where it says a
/// redacted name or pattern, with which.
struct Heard {
    sentences: Vec<Span>,
    found: Vec<(Span, String)>,
}

/// A span to bleep and the name or pattern said there.
type Found = (Span, String);

/// Where to bleep each of `versions`, in each one's own timeline; an error
/// names the transcript that is missing or cannot be read.
pub fn bleep_spans(
    redactor: &Redactor,
    transcripts: &Path,
    versions: &[Version<'_>],
) -> Result<Vec<Vec<Span>>, String> {
    let manual = versions.iter().any(|v| !v.manual.is_empty());
    if redactor.is_empty() && !manual {
        return Ok(vec![Vec::new(); versions.len()]);
    }
    let mut heard = Vec::with_capacity(versions.len());
    for version in versions {
        heard.push(hear(redactor, transcripts, version)?);
    }
    let mut spans: Vec<Vec<Span>> = heard
        .iter()
        .map(|h| h.found.iter().map(|(span, _)| *span).collect())
        .collect();
    // What one version says is bleeped in the others at the same sentence.
    for (from, heard_from) in heard.iter().enumerate() {
        for ((start, end), rule) in &heard_from.found {
            let (start, end) = (*start, *end);
            let (start, end) = (
                shift(start, versions[from].offset, Timecode::from_millis(0)),
                shift(end, versions[from].offset, Timecode::from_millis(0)),
            );
            for (to, other) in heard.iter().enumerate() {
                if to == from {
                    continue;
                }
                // The same words come later in an interpretation than on the floor.
                let (before, after) = match (versions[from].floor, versions[to].floor) {
                    (true, false) => (INTERPRETER_LEAD_MS, INTERPRETER_LAG_MS),
                    (false, true) => (INTERPRETER_LAG_MS, INTERPRETER_LEAD_MS),
                    _ => (INTERPRETER_LAG_MS, INTERPRETER_LAG_MS),
                };
                let offset = versions[to].offset;
                let window = (
                    Timecode::from_millis(
                        shift(start, Timecode::from_millis(0), offset)
                            .as_millis()
                            .saturating_sub(before),
                    ),
                    Timecode::from_millis(
                        shift(end, Timecode::from_millis(0), offset).as_millis() + after,
                    ),
                );
                spans[to].extend(carried(other, window, rule));
            }
        }
    }
    // The spans listed by hand, in every version.
    for (version, spans) in versions.iter().zip(&mut spans) {
        for manual in versions.iter().flat_map(|v| v.manual) {
            spans.push((
                shift(manual.0, Timecode::from_millis(0), version.offset),
                shift(manual.1, Timecode::from_millis(0), version.offset),
            ));
        }
    }
    Ok(spans.into_iter().map(merge).collect())
}

/// `time` on a timeline starting at `from`, moved to one starting at `to`.
fn shift(time: Timecode, from: Timecode, to: Timecode) -> Timecode {
    Timecode::from_millis((time.as_millis() + from.as_millis()).saturating_sub(to.as_millis()))
}

/// What a version must bleep for `rule`, which another version says inside
/// `window`: nothing when it says the same name there itself, else the
/// window and each of its sentences (a sentence, not a whole chunk of
/// speech) at least half inside it.
fn carried(other: &Heard, window: Span, rule: &str) -> Vec<Span> {
    let heard_there = other
        .found
        .iter()
        .any(|((start, end), r)| r == rule && *start < window.1 && *end > window.0);
    if heard_there {
        return Vec::new();
    }
    let mostly_inside = |(start, end): &Span| {
        let length = start.until(*end).as_millis();
        let inside = window
            .1
            .min(*end)
            .as_millis()
            .saturating_sub(window.0.max(*start).as_millis());
        length <= SENTENCE_MS && inside * 2 >= length
    };
    let mut spans = vec![window];
    spans.extend(other.sentences.iter().copied().filter(mostly_inside));
    spans
}

/// The sentences and spans of `transcripts/<name>.json` and its subtitles.
fn hear(redactor: &Redactor, transcripts: &Path, version: &Version<'_>) -> Result<Heard, String> {
    let name = version.name.as_str();
    let json = transcripts.join(format!("{name}.json"));
    let subtitles = crate::layout::subtitles_in(transcripts, name);
    let transcript: Option<Transcript> = if json.is_file() {
        let text = std::fs::read_to_string(&json)
            .map_err(|e| format!("`transcripts/{name}.json` cannot be read: {e}"))?;
        Some(serde_json::from_str(&text).map_err(|e| {
            format!("`transcripts/{name}.json` is damaged ({e}): transcribe it again or restore it")
        })?)
    } else {
        None
    };
    let cues = match &subtitles {
        Some(path) => Some(read_cues(path).map_err(|e| format!("{e:#}"))?),
        None => None,
    };
    if let (Some(t), Some(now)) = (&transcript, &version.media_sha256) {
        if !t.source.sha256.is_empty() && t.source.sha256 != *now {
            return Err(format!(
                "`transcripts/{name}.json` was made from other media than `{}` is now (the recording changed since): transcribe it again, or check a corrected transcript against the new recording",
                t.source.path.display()
            ));
        }
    }
    if transcript.is_none() && cues.is_none() {
        return Err(format!(
            "`transcripts/{name}` has no transcript, so whether it says a redacted name is not known: run `confkit transcribe`"
        ));
    }
    let mut found = transcript
        .as_ref()
        .map(|t| word_spans(redactor, t))
        .unwrap_or_default();
    let mut sentences: Vec<Span> = transcript
        .as_ref()
        .map(|t| t.segments.iter().map(|s| (s.start, s.end)).collect())
        .unwrap_or_default();
    if let Some(cues) = cues {
        // Subtitles are read as one text, so that a name split over two is found.
        let mut joined = String::new();
        let mut at = Vec::with_capacity(cues.len());
        for cue in &cues {
            if !joined.is_empty() {
                joined.push('\n');
            }
            at.push(joined.len()..joined.len() + cue.text.len());
            joined.push_str(&cue.text);
        }
        for finding in redactor.find_in_speech(&joined) {
            for (cue, range) in cues.iter().zip(&at) {
                if range.start >= finding.range.end || range.end <= finding.range.start {
                    continue;
                }
                let covered = found
                    .iter()
                    .any(|((start, end), _)| *start < cue.end && *end > cue.start);
                if !covered {
                    found.push((widen(cue.start, cue.end), finding.rule.clone()));
                }
            }
        }
        if sentences.is_empty() {
            sentences = cues.iter().map(|c| (c.start, c.end)).collect();
        }
    }
    Ok(Heard { sentences, found })
}

/// The spans of the words that make up each finding, segment by segment.
fn word_spans(redactor: &Redactor, transcript: &Transcript) -> Vec<Found> {
    let mut spans = Vec::new();
    for segment in &transcript.segments {
        let before = spans.len();
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
                spans.push((
                    widen(segment.words[first].start, segment.words[last].end),
                    finding.rule,
                ));
            }
        }
        // A name the model misspelt is bleeped too: better a word too many.
        let plain: Vec<&str> = segment.words.iter().map(|w| w.text.as_str()).collect();
        for (first, last, rule) in redactor.find_spoken(&plain) {
            if last == 0 {
                continue;
            }
            spans.push((
                widen(segment.words[first].start, segment.words[last - 1].end),
                rule,
            ));
        }
        // A name split oddly into words is still in the segment's text.
        if spans.len() == before {
            for finding in redactor.find_in_speech(&segment.text) {
                spans.push((widen(segment.start, segment.end), finding.rule));
            }
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
            merge(
                word_spans(&redactor, &transcript)
                    .into_iter()
                    .map(|(span, _)| span)
                    .collect()
            ),
            [(ms(2_800), ms(5_100))]
        );
    }
}
