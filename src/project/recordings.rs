//! `assets/recordings.toml`: the source media and which audio track or file
//! holds which language.

use serde::{Deserialize, Serialize};

use super::{Clearance, Localized, Located};

/// The whole of `assets/recordings.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RecordingsFile {
    /// One entry per source file.
    #[serde(default, rename = "recording")]
    pub recordings: Vec<Recording>,
}

/// One session's recording.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Recording {
    /// Unique id, used in transcript and clip file names.
    pub id: Located<String>,
    /// The media file, relative to the project root.
    pub file: Located<String>,
    /// Session title per language.
    pub title: Localized,
    /// Languages spoken on the floor, in order of appearance.
    pub languages: Located<Vec<String>>,
    /// What each audio track of the file carries; when absent, track 0 is the floor.
    #[serde(default, rename = "track")]
    pub tracks: Vec<Located<AudioTrack>>,
    /// Interpretation recorded as separate audio files.
    #[serde(default)]
    pub interpretation: Vec<Located<InterpretationFile>>,
    /// Who may see material cut from this recording; clips may narrow it.
    #[serde(default)]
    pub clearance: Clearance,
}

/// What one audio track of a recording carries.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AudioTrack {
    /// Index among the file's audio streams, from 0.
    pub index: Located<u32>,
    /// `floor` (the speakers themselves) or `interpretation`.
    pub role: TrackRole,
    /// The language of an interpretation track.
    pub language: Option<Located<String>>,
    /// How far the interpreter speaks behind the floor (e.g. `3.2`
    /// seconds): replaces the lag confkit estimates from the transcripts.
    #[serde(default)]
    pub lag: Option<crate::timecode::Timecode>,
}

/// Floor audio or interpreted audio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrackRole {
    /// The speakers in the room, in whatever language they spoke.
    Floor,
    /// The interpreters, in one language.
    Interpretation,
}

/// Interpretation recorded in its own audio file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InterpretationFile {
    /// The audio file, relative to the project root.
    pub file: Located<String>,
    /// The language interpreted into.
    pub language: Located<String>,
    /// Where the file starts on the recording's timeline (when it started late).
    #[serde(default)]
    pub offset: crate::timecode::Timecode,
    /// How far the interpreter speaks behind the floor (e.g. `3.2`
    /// seconds): replaces the lag confkit estimates from the transcripts.
    #[serde(default)]
    pub lag: Option<crate::timecode::Timecode>,
}

impl Recording {
    /// The interpreter's lag set by hand for the interpretation in `language`.
    pub fn lag_of(&self, language: &str) -> Option<crate::timecode::Timecode> {
        self.tracks
            .iter()
            .filter(|t| t.role == TrackRole::Interpretation)
            .filter(|t| t.language.as_ref().is_some_and(|l| l.as_str() == language))
            .find_map(|t| t.lag)
            .or_else(|| {
                self.interpretation
                    .iter()
                    .filter(|i| i.language.as_str() == language)
                    .find_map(|i| i.lag)
            })
    }
}

/// What a recording's container says, read from its header without
/// decoding anything (`media::header`), for checking clips against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Header {
    /// How long the recording lasts, when the container says.
    pub duration: Option<crate::timecode::Timecode>,
    /// Video tracks.
    pub video_tracks: usize,
    /// Audio tracks.
    pub audio_tracks: usize,
}
