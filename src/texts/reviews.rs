//! The review state of each recording's text in each language: machine
//! (what the speech model wrote), draft (corrected or translated by
//! people, not signed off) or reviewed (signed off by someone, at a time).
//!
//! Marks are set with `confkit review mark` and kept in
//! `transcripts/reviews.toml`, beside the texts they are about, with the
//! SHA-256 of the subtitles that were reviewed and of the media they were
//! heard from. A mark holds only while both are unchanged: a text edited
//! after its review, or a recording replaced, is a draft again.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::diagnostic::SourceText;
use crate::fs::file_sha256;
use crate::fs::write_atomically;
use crate::project::audio_versions;
use crate::project::{Recording, Toolkit};
use crate::texts::records::{Origin, Ownership, Records};
use crate::texts::sources::{language_texts, LanguageText, TextSource};

/// The file of marks, relative to the project root.
pub const REVIEWS_FILE: &str = "transcripts/reviews.toml";

/// How far a text has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewState {
    /// No text yet.
    Missing,
    /// What the speech model (or its translation) wrote, untouched.
    Machine,
    /// Corrected or translated by people, not signed off.
    Draft,
    /// Signed off by someone.
    Reviewed,
}

impl ReviewState {
    /// How a person would say it.
    pub fn describe(self) -> &'static str {
        match self {
            ReviewState::Missing => "missing",
            ReviewState::Machine => "machine",
            ReviewState::Draft => "draft",
            ReviewState::Reviewed => "reviewed",
        }
    }
}

/// One mark in `transcripts/reviews.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mark {
    /// The recording id.
    pub recording: String,
    /// The language of the text.
    pub language: String,
    /// `reviewed` or `draft`.
    pub state: ReviewState,
    /// Who signed it off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// When, in UTC (RFC 3339).
    pub at: String,
    /// The subtitles file marked, relative to the project root.
    pub file: String,
    /// Its SHA-256 when it was marked.
    pub text_sha256: String,
    /// SHA-256 of the media the text was heard from, when it was marked.
    pub media_sha256: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MarksFile {
    #[serde(default, rename = "review")]
    marks: Vec<Mark>,
}

/// The marks of one project.
#[derive(Debug, Default)]
pub struct ReviewBook {
    marks: Vec<Mark>,
}

const HEADER: &str = "\
# Who reviewed which transcript, and what they reviewed: written by
# `confkit review mark`. A mark holds while the subtitles file and the
# recording keep the SHA-256 given here; edit a text after its review and it
# is a draft again. Keep this file with the transcripts.
";

impl ReviewBook {
    /// Reads `transcripts/reviews.toml` (empty when it does not exist). A
    /// file that does not read is an error at its line and column: no
    /// text counts as reviewed on a guess.
    pub fn load(root: &Path) -> Result<ReviewBook> {
        let path = root.join(REVIEWS_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ReviewBook::default()),
            Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", path.display())),
        };
        match toml::from_str::<MarksFile>(&text) {
            Ok(file) => Ok(ReviewBook { marks: file.marks }),
            Err(e) => {
                let source = SourceText::new(&path, text.clone());
                let at = e.span().map_or(0, |s| s.start);
                bail!(
                    "{}: {}\n  help: fix the file, or remove the mark and set it again with `confkit review mark`",
                    source.location(at),
                    e.message()
                )
            }
        }
    }

    /// The mark of `recording` in `language`, if any.
    pub fn mark(&self, recording: &str, language: &str) -> Option<&Mark> {
        self.marks
            .iter()
            .find(|m| m.recording == recording && m.language == language)
    }

    /// True when a reviewed mark names `file` (relative to the root): the
    /// file must not be written over.
    pub fn protects(&self, file: &str) -> bool {
        self.marks
            .iter()
            .any(|m| m.state == ReviewState::Reviewed && m.file == file)
    }

    /// Sets (or replaces) the mark of its recording and language.
    pub fn set(&mut self, mark: Mark) {
        self.marks
            .retain(|m| !(m.recording == mark.recording && m.language == mark.language));
        self.marks.push(mark);
        self.marks
            .sort_by(|a, b| (&a.recording, &a.language).cmp(&(&b.recording, &b.language)));
    }

    /// Writes the marks back, atomically.
    pub fn save(&self, root: &Path) -> Result<()> {
        let body = toml::to_string(&MarksFile {
            marks: self.marks.clone(),
        })?;
        write_atomically(
            &root.join(REVIEWS_FILE),
            format!("{HEADER}\n{body}").as_bytes(),
        )
    }
}

/// The review state of one recording's text in one language.
#[derive(Debug, Clone, Serialize)]
pub struct TextReview {
    /// The recording id.
    pub recording: String,
    /// The language.
    pub language: String,
    /// Where the text comes from.
    pub source: TextSource,
    /// Machine, draft or reviewed.
    pub state: ReviewState,
    /// Who reviewed it, when reviewed.
    pub by: Option<String>,
    /// When it was marked.
    pub at: Option<String>,
    /// The subtitles that ship, relative to the project root.
    pub file: Option<String>,
    /// Why a mark no longer holds, when it does not.
    pub note: Option<String>,
}

/// The review state of every text of `recording`.
pub fn recording_reviews(
    toolkit: &Toolkit,
    book: &ReviewBook,
    recording: &Recording,
) -> Vec<TextReview> {
    language_texts(toolkit, recording)
        .into_iter()
        .map(|text| text_review(toolkit, book, recording, text))
        .collect()
}

fn text_review(
    toolkit: &Toolkit,
    book: &ReviewBook,
    recording: &Recording,
    text: LanguageText,
) -> TextReview {
    let id = recording.id.as_str();
    let file = text.shipped.as_deref().map(|f| relative(&toolkit.root, f));
    // A session that switches language gives this one from its floor, in part.
    let source = match (text.source, &text.shipped) {
        (TextSource::Missing, Some(_)) => TextSource::Floor,
        (source, _) => source,
    };
    let mut review = TextReview {
        recording: id.to_string(),
        language: text.language.clone(),
        source,
        state: ReviewState::Missing,
        by: None,
        at: None,
        file: file.clone(),
        note: None,
    };
    let Some(path) = text.shipped.as_deref() else {
        return review;
    };
    review.state = unmarked_state(toolkit, path);
    let Some(mark) = book.mark(id, &text.language) else {
        return review;
    };
    review.at = Some(mark.at.clone());
    let who = mark.by.as_deref().unwrap_or("someone");
    let holds = |sha: Result<String>, marked: &str| sha.is_ok_and(|s| s == marked);
    if file.as_deref() != Some(mark.file.as_str()) {
        review.state = ReviewState::Draft;
        review.note = Some(format!(
            "marked {} by {who} as `{}`; the text now ships from `{}`",
            mark.state.describe(),
            mark.file,
            file.unwrap_or_default()
        ));
    } else if !holds(file_sha256(path), &mark.text_sha256) {
        review.state = ReviewState::Draft;
        review.note = Some(format!(
            "edited since it was marked {} by {who} on {}",
            mark.state.describe(),
            mark.at
        ));
    } else if !holds(
        heard_from_sha256(toolkit, recording, &text.language),
        &mark.media_sha256,
    ) {
        review.state = ReviewState::Draft;
        review.note = Some(format!(
            "the recording changed since it was marked {} by {who} on {}: review it again",
            mark.state.describe(),
            mark.at
        ));
    } else {
        review.state = mark.state;
        review.by = mark.by.clone();
    }
    review
}

/// The state of a text with no mark that holds: what people did to it.
fn unmarked_state(toolkit: &Toolkit, path: &Path) -> ReviewState {
    let records = Records::new(&toolkit.root);
    let Some(name) = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(crate::layout::parse_transcript_file)
        .map(|(name, _)| name)
    else {
        return ReviewState::Machine;
    };
    let record = records.read(name);
    match records.ownership(name, &record) {
        Ok(Ownership::Confkit) if record.origin == Origin::HumanTranslation => ReviewState::Draft,
        Ok(Ownership::Confkit) | Ok(Ownership::Absent) => ReviewState::Machine,
        // Someone edited it, or it cannot be told: a person's text, not signed off.
        Ok(Ownership::Person) | Err(_) => ReviewState::Draft,
    }
}

/// SHA-256 of the media a recording's text in `language` is heard from:
/// its interpretation file, else the recording's own file.
pub fn heard_from_sha256(
    toolkit: &Toolkit,
    recording: &Recording,
    language: &str,
) -> Result<String> {
    let media = audio_versions(toolkit, recording)
        .into_iter()
        .find(|v| !v.floor && v.label == language)
        .and_then(|v| v.file.map(|(path, _)| path))
        .unwrap_or_else(|| toolkit.path(&recording.file));
    toolkit.cache.sha256(&media)
}

/// What `confkit review mark` sets.
#[derive(Debug, Clone)]
pub enum MarkAs {
    /// Signed off by this person.
    Reviewed {
        /// Their name.
        by: String,
    },
    /// Back to draft.
    Draft,
}

/// Marks the texts of `recording` in `languages` (all its languages when
/// empty), and saves the book. A language with no text is refused, and
/// nothing is marked.
pub fn mark_texts(
    toolkit: &Toolkit,
    recording: &Recording,
    languages: &[String],
    how: &MarkAs,
    at: &str,
) -> Result<Vec<TextReview>> {
    let mut book = ReviewBook::load(&toolkit.root)?;
    let id = recording.id.as_str();
    let texts: Vec<LanguageText> = language_texts(toolkit, recording)
        .into_iter()
        .filter(|t| languages.is_empty() || languages.contains(&t.language))
        .collect();
    for language in languages {
        if !texts.iter().any(|t| &t.language == language) {
            bail!(
                "`{language}` is not a language of the conference ({})",
                toolkit.languages().join(", ")
            );
        }
    }
    let mut marks = Vec::new();
    for text in &texts {
        let Some(path) = &text.shipped else {
            bail!(
                "`{id}` has no text in {} yet (transcripts/{}.vtt): nothing to mark; nothing was marked\n  help: run `confkit build`, or import a translation with `confkit translate import`",
                text.language,
                text.name
            );
        };
        check_subtitles(path)?;
        let (state, by) = match how {
            MarkAs::Reviewed { by } => (ReviewState::Reviewed, Some(by.clone())),
            MarkAs::Draft => (ReviewState::Draft, None),
        };
        marks.push(Mark {
            recording: id.to_string(),
            language: text.language.clone(),
            state,
            by,
            at: at.to_string(),
            file: relative(&toolkit.root, path),
            text_sha256: file_sha256(path)?,
            media_sha256: heard_from_sha256(toolkit, recording, &text.language)?,
        });
    }
    for mark in marks {
        book.set(mark);
    }
    book.save(&toolkit.root)?;
    Ok(recording_reviews(toolkit, &book, recording)
        .into_iter()
        .filter(|r| texts.iter().any(|t| t.language == r.language))
        .collect())
}

/// A subtitles file is signed off only when it reads.
fn check_subtitles(path: &Path) -> Result<()> {
    crate::subtitles::read_cues(path)
        .map(|_| ())
        .context("it cannot be marked until it reads; nothing was marked")
}

/// `path` relative to `root`, with `/`.
fn relative(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.to_string_lossy().replace('\\', "/")
}
