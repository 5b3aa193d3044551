//! Where each recording's text in each conference language comes from, in
//! the order DESIGN.md sets: the floor when it is spoken in that language
//! throughout, an interpretation track or file, a translator's work imported
//! back, whisper's translation into English, otherwise missing: reported,
//! never silently empty.

use std::path::PathBuf;

use serde::Serialize;

use super::records::{Origin, Ownership, Records};
use crate::layout::{subtitles_in, transcript_name};
use crate::project::audio_versions;
use crate::project::{Recording, Toolkit};

/// The source of one language's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextSource {
    /// The floor, spoken in this language throughout.
    Floor,
    /// An interpretation track or file in this language.
    Interpretation,
    /// A translator's work (imported XLIFF, or a file someone wrote).
    HumanTranslation,
    /// Whisper's translate task.
    MachineTranslation,
    /// Nothing yet.
    Missing,
}

impl TextSource {
    /// How a person would say it.
    pub fn describe(self) -> &'static str {
        match self {
            TextSource::Floor => "floor",
            TextSource::Interpretation => "interpretation",
            TextSource::HumanTranslation => "human translation",
            TextSource::MachineTranslation => "machine translation",
            TextSource::Missing => "missing",
        }
    }

    /// True when a person translating it would improve on what there is.
    pub fn wants_translator(self) -> bool {
        matches!(self, TextSource::MachineTranslation | TextSource::Missing)
    }
}

/// A recording's text in one language.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageText {
    /// The language code.
    pub language: String,
    /// Where it comes from.
    pub source: TextSource,
    /// `transcripts/<recording>.<language>`, the name of its files.
    pub name: String,
    /// Its subtitle file: WebVTT, else SRT (a translator may deliver only
    /// that), when one exists.
    pub subtitles: Option<PathBuf>,
    /// The subtitles that ship in this language: its own, else the floor's
    /// of a session that switches language and speaks it in part.
    pub shipped: Option<PathBuf>,
}

/// The text of `recording` in every conference language.
pub fn language_texts(toolkit: &Toolkit, recording: &Recording) -> Vec<LanguageText> {
    let records = Records::new(&toolkit.root);
    toolkit
        .languages()
        .iter()
        .map(|language| {
            let name = transcript_name(recording.id.as_str(), language);
            let source = source_of(toolkit, recording, language, &records, &name);
            let subtitles = subtitles_in(&records.out, &name);
            let shipped = subtitles.clone().or_else(|| {
                let floor = records.out.join(format!("{}.vtt", floor_name(recording)));
                (recording.languages.contains(language) && floor.is_file()).then_some(floor)
            });
            LanguageText {
                language: language.clone(),
                source,
                name,
                subtitles,
                shipped,
            }
        })
        .collect()
}

fn source_of(
    toolkit: &Toolkit,
    recording: &Recording,
    language: &str,
    records: &Records,
    name: &str,
) -> TextSource {
    if recording.languages.len() == 1 && recording.languages[0].as_str() == language {
        return TextSource::Floor;
    }
    if audio_versions(toolkit, recording)
        .iter()
        .any(|v| !v.floor && v.label == language)
    {
        return TextSource::Interpretation;
    }
    let record = records.read(name);
    match records.ownership(name, &record) {
        Ok(Ownership::Absent) => TextSource::Missing,
        Ok(Ownership::Confkit) => match record.origin {
            Origin::MachineTranslation => TextSource::MachineTranslation,
            Origin::HumanTranslation => TextSource::HumanTranslation,
            // Left from an interpretation the recording no longer has.
            Origin::Transcript => TextSource::Missing,
        },
        // A file someone wrote or corrected is a person's translation.
        Ok(Ownership::Person) | Err(_) => TextSource::HumanTranslation,
    }
}

/// The transcript to translate `recording` from: its floor's files.
pub fn floor_name(recording: &Recording) -> String {
    transcript_name(recording.id.as_str(), &recording.languages.join("-"))
}
