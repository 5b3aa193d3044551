//! What the stages work on, resolved once from the checked project: the
//! output layout, and for each recording its media (probed through the
//! cache), its audio versions, where each language's text comes from and
//! its clips. The project says what the user wrote; the plan says what the
//! program uses.

use std::path::PathBuf;

use serde::Serialize;

use crate::layout::Layout;
use crate::media::probe::{probe_cached, MediaInfo};
use crate::project::Toolkit;
use crate::project::{audio_versions, AudioVersion};
use crate::texts::sources::{language_texts, LanguageText};

/// The resolved build of one project.
#[derive(Debug)]
pub struct Plan {
    /// Where every output goes.
    pub layout: Layout,
    /// Every recording the build can use, in the project's order.
    pub recordings: Vec<RecordingPlan>,
}

/// One recording, resolved.
#[derive(Debug)]
pub struct RecordingPlan {
    /// Its place in the project's recordings.
    pub index: usize,
    /// Its id.
    pub id: String,
    /// Its media file.
    pub media: PathBuf,
    /// What the media holds; the error says why it could not be read.
    pub info: Result<MediaInfo, String>,
    /// Its audio versions, floor first.
    pub versions: Vec<AudioVersion>,
    /// Its text in each conference language, and where it comes from.
    pub texts: Vec<LanguageText>,
    /// Its clips, in the project's order.
    pub clips: Vec<String>,
}

/// A plan in numbers, for reports.
#[derive(Debug, Serialize)]
pub struct PlanSummary {
    /// Recordings the build uses.
    pub recordings: usize,
    /// Seconds of media in them.
    pub media_seconds: f64,
    /// Audio versions to transcribe.
    pub versions: usize,
    /// Clips to cut.
    pub clips: usize,
}

impl RecordingPlan {
    /// How long the media lasts, in seconds; 0 when not known.
    pub fn seconds(&self) -> f64 {
        self.info
            .as_ref()
            .ok()
            .and_then(|info| info.duration)
            .map_or(0.0, |d| d.as_millis() as f64 / 1000.0)
    }
}

impl Plan {
    /// The plan of a checked project; recordings an error keeps out are
    /// left out.
    pub fn new(toolkit: &Toolkit) -> Plan {
        let recordings = toolkit
            .recordings
            .iter()
            .enumerate()
            .filter(|(_, r)| toolkit.skipped_recording(r.id.as_str()).is_none())
            .map(|(index, recording)| {
                let media = toolkit.path(&recording.file);
                let versions = audio_versions(toolkit, recording);
                // Interpretation files are probed here too, once per build.
                for file in versions.iter().filter_map(|v| v.file.as_ref()) {
                    let _ = probe_cached(&toolkit.cache, &file.0);
                }
                RecordingPlan {
                    index,
                    id: recording.id.to_string(),
                    info: probe_cached(&toolkit.cache, &media).map_err(|e| format!("{e:#}")),
                    media,
                    versions,
                    texts: language_texts(toolkit, recording),
                    clips: toolkit
                        .clips
                        .iter()
                        .filter(|c| c.recording.as_str() == recording.id.as_str())
                        .map(|c| c.id.to_string())
                        .collect(),
                }
            })
            .collect();
        Plan {
            layout: toolkit.layout(),
            recordings,
        }
    }

    /// The plan of the recording `id`, when the build uses it.
    pub fn recording(&self, id: &str) -> Option<&RecordingPlan> {
        self.recordings.iter().find(|r| r.id == id)
    }

    /// The plan in numbers.
    pub fn summary(&self) -> PlanSummary {
        PlanSummary {
            recordings: self.recordings.len(),
            media_seconds: self
                .recordings
                .iter()
                .filter_map(|r| r.info.as_ref().ok()?.duration)
                .map(|d| d.as_millis() as f64 / 1000.0)
                .sum(),
            versions: self.recordings.iter().map(|r| r.versions.len()).sum(),
            clips: self.recordings.iter().map(|r| r.clips.len()).sum(),
        }
    }
}
