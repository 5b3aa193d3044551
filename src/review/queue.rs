//! The review of one recording: every cue of its text in every language,
//! on the floor's timeline, with the flags that say it needs a person, and
//! the queue of all recordings' flagged cues, worst first.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::agreement::disagreements;
use super::edges::{mid_sentence, words_of_cues, TimedWord};
use super::flags::{self, Flag, FlagKind};
use crate::build::clips::recording_bleeps;
use crate::build::lag::{placement_of, Placement};
use crate::privacy::audio::Span;
use crate::privacy::redact::Redactor;
use crate::project::audio_versions;
use crate::project::{Recording, Term, Toolkit};
use crate::speech::transcribe::{Transcript, Word};
use crate::subtitles::rules::{check_cues, CueRules};
use crate::subtitles::{is_srt, parse_cues_with_lines, read_subtitle_text, Cue};
use crate::texts::reviews::{recording_reviews, ReviewBook, ReviewState, TextReview};
use crate::texts::sources::TextSource;
use crate::timecode::Timecode;

/// One cue, as a reviewer sees it.
#[derive(Debug, Clone, Serialize)]
pub struct CueReview {
    /// The recording id.
    pub recording: String,
    /// The language of its text.
    pub language: String,
    /// Its number in the file, from 1.
    pub index: usize,
    /// The file, relative to the project root, and the line of its timing.
    pub file: String,
    /// The 1-based line of its timing line.
    pub line: usize,
    /// On the floor's timeline (an interpretation's cues are moved onto it).
    pub start: Timecode,
    /// Its end, on the same timeline.
    pub end: Timecode,
    /// The text, lines separated by `\n`.
    pub text: String,
    /// Where the text comes from.
    pub source: TextSource,
    /// The review state of its text.
    pub state: ReviewState,
    /// What is suspect about it.
    pub flags: Vec<Flag>,
    /// The sum of its flags' weights: higher needs a person more.
    pub score: u32,
    /// The bleeps said during it, in its own audio's timeline.
    pub bleeped: Vec<Bleep>,
}

/// A span of audio that is bleeped, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Bleep {
    /// The audio version (`fr`, `en`, `fr-en`).
    pub version: String,
    /// On that version's timeline.
    pub start: Timecode,
    /// Its end.
    pub end: Timecode,
    /// Why.
    pub reason: String,
}

/// An interpretation's lag behind the floor.
#[derive(Debug, Clone, Serialize)]
pub struct Lag {
    /// The language interpreted into.
    pub language: String,
    /// The lag, in seconds; `None` when it could not be told.
    pub seconds: Option<f64>,
    /// Set in `assets/recordings.toml` rather than estimated.
    pub fixed: bool,
}

/// The review of one recording.
#[derive(Debug, Clone, Serialize)]
pub struct RecordingReview {
    /// The recording id.
    pub recording: String,
    /// Its title in the conference's main language.
    pub title: String,
    /// Its media file, relative to the project root.
    pub video: String,
    /// Each language's text and its review state.
    pub texts: Vec<TextReview>,
    /// Each interpretation's lag.
    pub lags: Vec<Lag>,
    /// Every cue of every language, in time order.
    pub cues: Vec<CueReview>,
    /// Every bleep.
    pub bleeps: Vec<Bleep>,
    /// What could not be read, with why.
    pub problems: Vec<String>,
}

/// One language's cues as read for review.
struct Text {
    review: TextReview,
    cues: Vec<(usize, Cue)>,
    /// On the floor's timeline.
    placed: Vec<Cue>,
    words: Option<Vec<Word>>,
    placement: Placement,
    /// The languages its text may be in.
    allowed: Vec<String>,
}

/// Reviews `recording`: reads each language's text, flags its cues.
pub fn review_recording(
    toolkit: &Toolkit,
    book: &ReviewBook,
    recording: &Recording,
    redactor: &Redactor,
) -> RecordingReview {
    let id = recording.id.as_str();
    let versions = audio_versions(toolkit, recording);
    let mut problems = Vec::new();
    let mut lags = Vec::new();
    let mut texts: Vec<Text> = Vec::new();
    for review in recording_reviews(toolkit, book, recording) {
        let Some(file) = review.file.clone() else {
            continue;
        };
        let path = toolkit.root.join(&file);
        let cues = match read_subtitle_text(&path)
            .map_err(|e| e.to_string())
            .and_then(|text| {
                parse_cues_with_lines(&text, is_srt(&path))
                    .map_err(|e| format!("line {}, column {}: {}", e.line, e.column, e.message))
            }) {
            Ok(cues) => cues,
            Err(e) => {
                problems.push(format!("{file}: {e}"));
                continue;
            }
        };
        let version = versions
            .iter()
            .find(|v| !v.floor && v.label == review.language);
        let placement = match (review.source, version) {
            (TextSource::Interpretation, Some(v)) => {
                let placement = placement_of(&toolkit.root, recording, v);
                lags.push(Lag {
                    language: review.language.clone(),
                    seconds: placement.as_ref().map(|p| p.lag_ms as f64 / 1000.0),
                    fixed: placement.as_ref().is_some_and(|p| p.fixed),
                });
                placement.unwrap_or_else(Placement::none)
            }
            _ => Placement::none(),
        };
        // Each cue on its own: the review keeps every cue, in the file's order.
        let plain: Vec<Cue> = cues.iter().map(|(_, c)| c.clone()).collect();
        let placed = placement.place_each(&plain);
        // The model's words say how sure it was, while they are its own.
        let words = (review.state == ReviewState::Machine)
            .then(|| machine_words(&path))
            .flatten();
        let floor_file = file.ends_with(&format!(".{}.vtt", recording.languages.join("-")));
        let allowed = if floor_file {
            recording.languages.to_vec()
        } else {
            vec![review.language.clone()]
        };
        texts.push(Text {
            review,
            cues,
            placed,
            words,
            placement,
            allowed,
        });
    }

    let glossary: Vec<&Term> = toolkit.glossary.iter().map(|t| &**t).collect();
    // Nothing transcribed yet: nothing to review, and no bleep to know.
    let (bleeps, bleep_problem) = if texts.is_empty() {
        (Vec::new(), None)
    } else {
        bleeps_of(toolkit, recording, redactor)
    };
    problems.extend(bleep_problem);
    let mut cues = Vec::new();
    for (n, text) in texts.iter().enumerate() {
        let mut flagged: Vec<Vec<Flag>> = vec![Vec::new(); text.cues.len()];
        let plain: Vec<Cue> = text.cues.iter().map(|(_, c)| c.clone()).collect();
        for (i, cue) in plain.iter().enumerate() {
            let one_line = cue.text.replace('\n', " ");
            flagged[i].extend(flags::mixed_script(&one_line, &text.allowed));
            flagged[i].extend(flags::wrong_language(&one_line, &text.allowed));
            if let Some(words) = &text.words {
                let said: Vec<&Word> = words
                    .iter()
                    .filter(|w| w.start < cue.end && w.end > cue.start)
                    .collect();
                flagged[i].extend(flags::low_confidence(&said));
            }
        }
        for (i, flag) in flags::loops(&plain) {
            flagged[i].push(flag);
        }
        for (i, ratio) in compression(&plain) {
            flagged[i].push(Flag::new(
                FlagKind::Compression,
                format!(
                    "the text around it deflates {ratio:.1} times (over {:.1}: the model may be repeating itself)",
                    flags::COMPRESSION_LIMIT
                ),
            ));
        }
        // Both languages on one timeline: what one says, the other says too.
        for (m, other) in texts.iter().enumerate() {
            if m == n || other.review.file == text.review.file {
                continue;
            }
            for (i, flag) in disagreements(
                &text.review.language,
                &text.placed,
                &other.review.language,
                &other.placed,
                &glossary,
            ) {
                flagged[i].push(flag);
            }
        }
        let words: Vec<TimedWord> = match &text.words {
            Some(words) => words
                .iter()
                .map(|w| TimedWord {
                    start: text.placement.place(w.start).as_millis(),
                    end: text.placement.place(w.end).as_millis(),
                    text: w.text.trim().to_string(),
                })
                .collect(),
            None => words_of_cues(&text.placed),
        };
        for clip in toolkit.clips.iter().filter(|c| c.recording.as_str() == id) {
            for (edge, start) in [(*clip.start, true), (*clip.end, false)] {
                if let Some(flag) = mid_sentence(&words, clip.id.as_str(), edge, start) {
                    if let Some(i) = nearest_cue(&text.placed, edge) {
                        flagged[i].push(flag);
                    }
                }
            }
        }
        for rule_break in check_cues(&plain, &CueRules::for_language(&text.review.language)) {
            flagged[rule_break.cue].push(Flag::new(FlagKind::SubtitleRule, rule_break.message));
        }
        // The audio the text was heard from: its own version, else the floor.
        let floor_label = recording.languages.join("-");
        let heard_in = versions
            .iter()
            .map(|v| &v.label)
            .find(|l| **l == text.review.language)
            .unwrap_or(&floor_label);
        for (i, ((line, cue), flags)) in text.cues.iter().zip(flagged).enumerate() {
            let bleeped: Vec<Bleep> = bleeps
                .iter()
                .filter(|b| b.version == *heard_in && b.start < cue.end && b.end > cue.start)
                .cloned()
                .collect();
            cues.push(CueReview {
                recording: id.to_string(),
                language: text.review.language.clone(),
                index: i + 1,
                file: text.review.file.clone().unwrap_or_default(),
                line: *line,
                start: text.placed[i].start,
                end: text.placed[i].end,
                text: cue.text.clone(),
                source: text.review.source,
                state: text.review.state,
                score: flags.iter().map(|f| f.kind.weight()).sum(),
                flags,
                bleeped,
            });
        }
    }
    cues.sort_by_key(|c| (c.start, c.language.clone()));
    RecordingReview {
        recording: id.to_string(),
        title: toolkit
            .languages()
            .iter()
            .find_map(|l| recording.title.get(l))
            .cloned()
            .unwrap_or_else(|| id.to_string()),
        video: recording.file.to_string(),
        texts: texts.into_iter().map(|t| t.review).collect(),
        lags,
        cues,
        bleeps,
        problems,
    }
}

/// The words of the transcript beside `subtitles`, when it reads.
fn machine_words(subtitles: &Path) -> Option<Vec<Word>> {
    let json: PathBuf = subtitles.with_extension("json");
    let transcript: Transcript = serde_json::from_str(&std::fs::read_to_string(json).ok()?).ok()?;
    Some(
        transcript
            .segments
            .into_iter()
            .flat_map(|s| s.words)
            .collect(),
    )
}

/// Cues whose text, with the cues either side, deflates too well.
fn compression(cues: &[Cue]) -> Vec<(usize, f64)> {
    let mut out = Vec::new();
    for i in 0..cues.len() {
        let window = &cues[i.saturating_sub(1)..(i + 2).min(cues.len())];
        let text: Vec<String> = window.iter().map(|c| c.text.replace('\n', " ")).collect();
        if let Some(ratio) = flags::compression_ratio(&text.join(" ")) {
            if ratio > flags::COMPRESSION_LIMIT {
                out.push((i, ratio));
            }
        }
    }
    out
}

/// The cue said at `time`, else the nearest one.
fn nearest_cue(cues: &[Cue], time: Timecode) -> Option<usize> {
    let t = time.as_millis();
    (0..cues.len()).min_by_key(|&i| {
        let (s, e) = (cues[i].start.as_millis(), cues[i].end.as_millis());
        if s <= t && t <= e {
            0
        } else {
            s.abs_diff(t).min(e.abs_diff(t))
        }
    })
}

/// Every bleep of `recording`, with why; and what stopped them being known.
fn bleeps_of(
    toolkit: &Toolkit,
    recording: &Recording,
    redactor: &Redactor,
) -> (Vec<Bleep>, Option<String>) {
    let versions = audio_versions(toolkit, recording);
    let spans = match recording_bleeps(toolkit, recording, redactor) {
        Ok(spans) => spans,
        Err(e) => {
            return (
                Vec::new(),
                Some(format!(
                    "bleeps cannot be known, so its clips are not cut: {e:#}"
                )),
            )
        }
    };
    let manual: Vec<(Span, &str)> = toolkit
        .redactions
        .spans
        .iter()
        .filter(|s| s.recording.as_str() == recording.id.as_str())
        .map(|s| {
            (
                (*s.start, *s.end),
                s.reason.as_deref().unwrap_or("no reason given"),
            )
        })
        .collect();
    let mut bleeps = Vec::new();
    for (version, spans) in versions.iter().zip(spans) {
        let offset = version.file.as_ref().map_or(Timecode::ZERO, |f| f.1);
        for (start, end) in spans {
            let on_recording = (start + offset, end + offset);
            let reason = manual
                .iter()
                .find(|((s, e), _)| *s < on_recording.1 && *e > on_recording.0)
                .map_or_else(
                    || "a name or number on the redaction list is said here, or in another language at the same sentence".to_string(),
                    |(_, why)| format!("span listed by hand: {why}"),
                );
            bleeps.push(Bleep {
                version: version.label.clone(),
                start,
                end,
                reason,
            });
        }
    }
    (bleeps, None)
}

/// The flagged cues of every recording, worst first: unreviewed texts
/// before reviewed ones, then by score, then in time order.
pub fn queue(reviews: &[RecordingReview]) -> Vec<&CueReview> {
    let mut flagged: Vec<&CueReview> = reviews
        .iter()
        .flat_map(|r| &r.cues)
        .filter(|c| !c.flags.is_empty())
        .collect();
    flagged.sort_by(|a, b| {
        (a.state == ReviewState::Reviewed)
            .cmp(&(b.state == ReviewState::Reviewed))
            .then(b.score.cmp(&a.score))
            .then(a.recording.cmp(&b.recording))
            .then(a.start.cmp(&b.start))
    });
    flagged
}
