//! `assets/clips.toml`: the parts of recordings worth showing, with the
//! module and guide chapters each one serves.

use serde::{Deserialize, Serialize};

use super::{Clearance, Localized, Located};
use crate::timecode::Timecode;

/// The whole of `assets/clips.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClipsFile {
    /// One entry per clip.
    #[serde(default, rename = "clip")]
    pub clips: Vec<Clip>,
}

/// A time range of a recording, cut into its own video.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Clip {
    /// Unique id, used in file names.
    pub id: Located<String>,
    /// The recording it is cut from.
    pub recording: Located<String>,
    /// Start in the recording.
    pub start: Located<Timecode>,
    /// End in the recording.
    pub end: Located<Timecode>,
    /// Title per language.
    pub title: Localized,
    /// One or two sentences per language on what is said.
    #[serde(default)]
    pub summary: Localized,
    /// Who speaks, as it should appear on screen.
    #[serde(default)]
    pub speaker: Option<String>,
    /// Modules that show this clip.
    #[serde(default)]
    pub modules: Vec<Located<String>>,
    /// Guide chapters this clip illustrates.
    #[serde(default)]
    pub chapters: Vec<Located<String>>,
    /// Free keywords for search.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Who may see it; at least the recording's level.
    #[serde(default)]
    pub clearance: Option<Located<Clearance>>,
}

impl Clip {
    /// How long the clip lasts.
    pub fn duration(&self) -> Timecode {
        self.start.until(*self.end)
    }
}
