//! The audio versions of a recording: the floor, each interpretation track
//! in its file, each interpretation in a file of its own. Transcripts,
//! clips and packages are made per version.

use std::path::PathBuf;

use super::{Recording, Toolkit, TrackRole};
use crate::timecode::Timecode;

/// One audio version of a recording: the floor, an interpretation track, or
/// an interpretation file.
#[derive(Debug, Clone)]
pub struct AudioVersion {
    /// `fr`, `en`, or `fr-en` for a floor that switches language.
    pub label: String,
    /// The audio track in the recording, when the audio is in it.
    pub track: Option<usize>,
    /// The separate file and its offset, when the audio is apart.
    pub file: Option<(PathBuf, Timecode)>,
    /// True for the floor.
    pub floor: bool,
}

/// The audio versions of `recording`, floor first.
pub fn audio_versions(toolkit: &Toolkit, recording: &Recording) -> Vec<AudioVersion> {
    let floor_track = recording
        .tracks
        .iter()
        .find(|t| t.role == TrackRole::Floor)
        .map_or(0, |t| *t.index as usize);
    let mut versions = vec![AudioVersion {
        label: recording.languages.join("-"),
        track: Some(floor_track),
        file: None,
        floor: true,
    }];
    for track in recording
        .tracks
        .iter()
        .filter(|t| t.role == TrackRole::Interpretation)
    {
        if let Some(language) = &track.language {
            versions.push(AudioVersion {
                label: language.to_string(),
                track: Some(*track.index as usize),
                file: None,
                floor: false,
            });
        }
    }
    for file in &recording.interpretation {
        versions.push(AudioVersion {
            label: file.language.to_string(),
            track: None,
            file: Some((toolkit.path(&file.file), file.offset)),
            floor: false,
        });
    }
    versions
}
