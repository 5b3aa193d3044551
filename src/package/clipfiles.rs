//! A clip's files for a package: the video with the audio in each of the
//! package's languages, the audio-only file, the poster, and its subtitles
//! in every language cut from the recording's transcripts (corrected ones
//! included), redacted, timed from the clip's start.

use std::path::{Path, PathBuf};

use crate::build::clips::audio_versions;
use crate::build::languages::{floor_name, language_texts};
use crate::build::BUILD_DIR;
use crate::privacy::redact::Redactor;
use crate::project::{check_inside, Clip, Toolkit};
use crate::subtitles::{read_cues, Cue};
use crate::timecode::Timecode;

/// What a package takes of one clip.
#[derive(Debug, Clone)]
pub struct ClipFiles {
    /// Per package language: the audio label (`fr`, `en`, `fr-en`) and the cut MP4.
    pub videos: Vec<(String, String, PathBuf)>,
    /// Per package language: the audio-only M4A.
    pub audio: Vec<(String, PathBuf)>,
    /// The poster.
    pub poster: PathBuf,
    /// Per conference language: the subtitles, timed from the clip's start.
    pub cues: Vec<(String, Vec<Cue>)>,
}

impl ClipFiles {
    /// The video a package in `language` plays: the one with its audio,
    /// else the first.
    pub fn video_for(&self, language: &str) -> Option<&(String, String, PathBuf)> {
        self.videos
            .iter()
            .find(|(l, _, _)| l == language)
            .or_else(|| self.videos.first())
    }

    /// The audio label (`fr`, `en`, `fr-en`) a package in `language` plays.
    pub fn label_for(&self, language: &str) -> String {
        self.video_for(language)
            .map(|(_, label, _)| label.clone())
            .unwrap_or_default()
    }
}

/// The files of `clip` for a package in `languages`; an error names what
/// is not built yet.
pub fn clip_files(
    toolkit: &Toolkit,
    clip: &Clip,
    languages: &[String],
    redactor: &Redactor,
) -> anyhow::Result<ClipFiles> {
    let recording = toolkit
        .recording(&clip.recording)
        .ok_or_else(|| anyhow::anyhow!("unknown recording `{}`", clip.recording.as_str()))?;
    let dir = toolkit
        .root
        .join(BUILD_DIR)
        .join("clips")
        .join(clip.id.as_str());
    let id = clip.id.as_str();
    let labels: Vec<String> = audio_versions(toolkit, recording)
        .into_iter()
        .map(|v| v.label)
        .collect();
    let mut videos = Vec::new();
    let mut audio = Vec::new();
    for language in languages {
        // Its own audio, else a floor that speaks it in part, else the floor.
        let label = labels
            .iter()
            .find(|l| *l == language)
            .or_else(|| labels.iter().find(|l| l.split('-').any(|p| p == language)))
            .or_else(|| labels.first())
            .cloned()
            .unwrap_or_default();
        let mp4 = dir.join(format!("{id}.{label}.mp4"));
        let m4a = dir.join(format!("{id}.{label}.m4a"));
        for file in [&mp4, &m4a] {
            if !file.is_file() {
                anyhow::bail!(
                    "clip `{id}` is not cut yet ({} is missing): run `confkit build`",
                    file.display()
                );
            }
        }
        videos.push((language.clone(), label, mp4));
        audio.push((language.clone(), m4a));
    }
    let poster = dir.join(format!("{id}.jpg"));
    if !poster.is_file() {
        anyhow::bail!("clip `{id}` has no poster yet: run `confkit build`");
    }
    let transcripts = toolkit.root.join("transcripts");
    let mut cues = Vec::new();
    for text in language_texts(toolkit, recording) {
        let file = text.subtitles.clone().or_else(|| {
            // A session that switches language: its floor transcript has this language in part.
            let floor = transcripts.join(format!("{}.vtt", floor_name(recording)));
            (recording.languages.contains(&text.language) && floor.is_file()).then_some(floor)
        });
        let Some(file) = file else { continue };
        // `confkit check` refuses such a file; packaging refuses it again
        // rather than read it, whatever ran before.
        check_inside(&toolkit.root, &file)
            .map_err(|reason| anyhow::anyhow!("clip `{id}`: {reason}"))?;
        cues.push((
            text.language,
            cut_cues(&file, *clip.start, *clip.end, redactor)?,
        ));
    }
    Ok(ClipFiles {
        videos,
        audio,
        poster,
        cues,
    })
}

/// The cues of `file` between `start` and `end`, timed from `start`,
/// redacted. A file that does not read is an error, not a clip without
/// subtitles.
fn cut_cues(
    file: &Path,
    start: Timecode,
    end: Timecode,
    redactor: &Redactor,
) -> anyhow::Result<Vec<Cue>> {
    let length = start.until(end).as_millis();
    Ok(read_cues(file)?
        .into_iter()
        .filter(|c| c.end > start && c.start < end)
        .map(|c| Cue {
            start: Timecode::from_millis(c.start.as_millis().saturating_sub(start.as_millis())),
            end: Timecode::from_millis(
                c.end
                    .as_millis()
                    .saturating_sub(start.as_millis())
                    .min(length),
            ),
            text: redactor.redact(&c.text),
        })
        .collect())
}
