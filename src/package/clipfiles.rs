//! A clip's files for a package: the video with the audio in each of the
//! package's languages (at the size its profile says, or none), the
//! audio-only file, the poster, and its subtitles
//! in every language cut from the recording's transcripts (corrected ones
//! included), redacted, timed from the clip's start.

use std::path::{Path, PathBuf};

use crate::build::lag::{placement_of, Placement};
use crate::privacy::redact::Redactor;
use crate::project::audio_versions;
use crate::project::{check_inside, Clip, Profile, Toolkit};
use crate::speech::transcribe::Transcript;
use crate::subtitles::{read_cues, Cue};
use crate::texts::reviews::ReviewState;
use crate::texts::sources::{language_texts, TextSource};
use crate::timecode::Timecode;

/// What a package takes of one clip.
#[derive(Debug, Clone)]
pub struct ClipFiles {
    /// What the package carries.
    pub profile: Profile,
    /// Per package language: the audio label (`fr`, `en`, `fr-en`) and the
    /// file the player plays: the cut MP4 at the profile's size, or the
    /// audio-only M4A where the profile carries no video.
    pub videos: Vec<(String, String, PathBuf)>,
    /// Per package language: the audio-only M4A.
    pub audio: Vec<(String, PathBuf)>,
    /// The poster.
    pub poster: PathBuf,
    /// Per conference language: the subtitles, timed from the clip's start.
    pub cues: Vec<(String, Vec<Cue>)>,
    /// The languages whose subtitles no person signed off, with how far
    /// they came (machine, draft): marked as such wherever they ship.
    pub unreviewed: Vec<(String, ReviewState)>,
}

impl ClipFiles {
    /// Whether the package carries the clip's video.
    pub fn has_video(&self) -> bool {
        self.profile != Profile::Audio
    }

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

/// The files of `clip` for a package in `languages` with `profile`; an
/// error names what is not built yet.
pub fn clip_files(
    toolkit: &Toolkit,
    clip: &Clip,
    languages: &[String],
    redactor: &Redactor,
    profile: Profile,
) -> anyhow::Result<ClipFiles> {
    let recording = toolkit
        .recording(&clip.recording)
        .ok_or_else(|| anyhow::anyhow!("unknown recording `{}`", clip.recording.as_str()))?;
    let layout = toolkit.layout();
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
        let m4a = match profile {
            Profile::Full => layout.clip_audio(id, &label),
            Profile::Light | Profile::Audio => layout.clip_low_audio(id, &label),
        };
        let mp4 = match profile {
            Profile::Full => layout.clip_video(id, &label),
            Profile::Light => layout.clip_low_video(id, &label),
            Profile::Audio => m4a.clone(),
        };
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
    let poster = layout.clip_poster(id);
    if !poster.is_file() {
        anyhow::bail!("clip `{id}` has no poster yet: run `confkit build`");
    }
    let versions = audio_versions(toolkit, recording);
    let texts = language_texts(toolkit, recording);
    // Where the clip ends in a pause of the floor, an interpretation's
    // sentence that starts inside it belongs to it whole.
    let ends_in_a_pause = texts
        .iter()
        .find(|t| t.source == TextSource::Floor)
        .and_then(|t| t.shipped.as_deref())
        .and_then(|file| read_cues(file).ok())
        .is_some_and(|floor| {
            !floor
                .iter()
                .any(|c| c.start < *clip.end && c.end > *clip.end)
        });
    let mut cues = Vec::new();
    for text in texts {
        let Some(file) = text.shipped else { continue };
        // `confkit check` refuses such a file; packaging refuses it again
        // rather than read it, whatever ran before.
        check_inside(&toolkit.root, &file)
            .map_err(|reason| anyhow::anyhow!("clip `{id}`: {reason}"))?;
        // Interpretation subtitles go under the floor sentence they translate.
        let interpreted = text.source == TextSource::Interpretation;
        let placement = match text.source {
            TextSource::Interpretation => versions
                .iter()
                .find(|v| !v.floor && v.label == text.language)
                .and_then(|v| placement_of(&toolkit.root, recording, v))
                .unwrap_or_else(Placement::none),
            _ => Placement::none(),
        };
        cues.push((
            text.language,
            cut_cues(
                &file,
                (*clip.start, *clip.end),
                &placement,
                interpreted && ends_in_a_pause,
                redactor,
            )?,
        ));
    }
    Ok(ClipFiles {
        profile,
        videos,
        audio,
        poster,
        cues,
        unreviewed: Vec::new(),
    })
}

/// The cues of `file` between `start` and `end`, timed from `start`,
/// redacted as one text (a name split over two cues is found), and cut at
/// the clip's edges word by word: a cue that straddles an edge keeps only
/// the words said inside the clip, which may be cleared for fewer people
/// than its neighbour. An interpretation's cues are first placed on the
/// floor's timeline; with `keep_tail` (the clip ends in a pause of the
/// floor) one that starts inside the clip keeps its end, which translates
/// what the floor said inside it. A file that does not read is an error,
/// not a clip without subtitles.
fn cut_cues(
    file: &Path,
    (start, end): (Timecode, Timecode),
    placement: &Placement,
    keep_tail: bool,
    redactor: &Redactor,
) -> anyhow::Result<Vec<Cue>> {
    let words: Vec<(Timecode, Timecode, String)> = word_times(file)
        .into_iter()
        .map(|(s, e, w)| (placement.place(s), placement.place(e), w))
        .collect();
    let cues: Vec<Cue> = placement
        .place_cues(&read_cues(file)?)
        .into_iter()
        .filter(|c| c.end > start && c.start < end)
        .filter_map(|c| {
            let whole = c.start >= start && (c.end <= end || keep_tail);
            let text = if !whole {
                words_inside(&c, &words, start, end)?
            } else {
                c.text.clone()
            };
            Some(Cue {
                start: Timecode::from_millis(
                    c.start.as_millis().max(start.as_millis()) - start.as_millis(),
                ),
                end: Timecode::from_millis(
                    c.end.as_millis().min(end.as_millis()) - start.as_millis(),
                ),
                text,
            })
        })
        .collect();
    let texts: Vec<String> = cues.iter().map(|c| c.text.clone()).collect();
    Ok(cues
        .into_iter()
        .zip(redactor.redact_subtitles(&texts))
        .map(|(cue, text)| Cue { text, ..cue })
        .collect())
}

/// The words of the transcript beside the subtitles `file` (same name,
/// `.json`) with their times; empty when there is none.
fn word_times(file: &Path) -> Vec<(Timecode, Timecode, String)> {
    std::fs::read_to_string(file.with_extension("json"))
        .ok()
        .and_then(|text| serde_json::from_str::<Transcript>(&text).ok())
        .map(|t| {
            t.segments
                .into_iter()
                .flat_map(|s| s.words)
                .map(|w| (w.start, w.end, w.text.trim().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// The words of `cue` said between `start` and `end`: timed by the
/// transcript's words when they are the cue's words, else spread evenly
/// over the cue (a word half outside is left out). `None` when no word is
/// inside.
fn words_inside(
    cue: &Cue,
    words: &[(Timecode, Timecode, String)],
    start: Timecode,
    end: Timecode,
) -> Option<String> {
    let said: Vec<&str> = cue.text.split_whitespace().collect();
    let timed: Vec<&(Timecode, Timecode, String)> = words
        .iter()
        .filter(|(s, e, _)| *s < cue.end && *e > cue.start)
        .collect();
    let same_words = timed.len() == said.len()
        && timed
            .iter()
            .zip(&said)
            .all(|((_, _, w), s)| w.as_str() == *s);
    let (from, to) = (cue.start.as_millis(), cue.end.as_millis());
    let each = (to.saturating_sub(from)) as f64 / said.len().max(1) as f64;
    let kept: Vec<&str> = said
        .iter()
        .enumerate()
        .filter(|(k, _)| {
            let (s, e) = if same_words {
                (timed[*k].0.as_millis(), timed[*k].1.as_millis())
            } else {
                (
                    from + (*k as f64 * each) as u64,
                    from + ((*k + 1) as f64 * each) as u64,
                )
            };
            s >= start.as_millis() && e <= end.as_millis()
        })
        .map(|(_, w)| *w)
        .collect();
    (!kept.is_empty()).then(|| kept.join(" "))
}
