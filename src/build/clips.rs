//! The clips stage: every clip of `assets/clips.toml` cut into what the
//! packages need: one MP4 per audio language (browsers ignore extra audio
//! tracks), a low-bandwidth MP4, an audio-only M4A per language and a
//! poster; and a title card per module. A failing clip is reported and the
//! others go on.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

use super::hashes::media_sha256;
use crate::media::cut::{cut_clip, ClipJob, EncodeSettings, Output, SeparateAudio};
use crate::media::frames::{title_card, write_jpeg, write_poster};
use crate::privacy::audio::{bleep_spans, Span, Version};
use crate::privacy::redact::Redactor;
use crate::project::{Clip, Recording, Toolkit, TrackRole};
use crate::timecode::Timecode;

/// What the stage did.
#[derive(Debug, Default, serde::Serialize)]
pub struct ClipsReport {
    /// Clips cut in this run.
    pub made: Vec<String>,
    /// Clips whose outputs were already up to date.
    pub fresh: Vec<String>,
    /// Clips that failed, with the reason.
    pub failed: Vec<(String, String)>,
    /// Module title cards written in this run.
    pub title_cards: usize,
}

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

/// Where each audio version of `recording` (in the order of
/// [`audio_versions`]) is bleeped, in the version's own timeline. An error
/// says which transcript is missing or damaged: then nothing is known.
pub fn recording_bleeps(
    toolkit: &Toolkit,
    recording: &Recording,
    redactor: &Redactor,
) -> Result<Vec<Vec<Span>>> {
    let input = toolkit.path(&recording.file);
    let versions = audio_versions(toolkit, recording);
    let manual: Vec<Span> = toolkit
        .redactions
        .spans
        .iter()
        .filter(|s| s.recording.as_str() == recording.id.as_str())
        .map(|s| (*s.start, *s.end))
        .collect();
    let redacting = !redactor.is_empty() || !manual.is_empty();
    let mut heard: Vec<Version<'_>> = Vec::with_capacity(versions.len());
    for v in &versions {
        let media = v.file.as_ref().map_or(&input, |f| &f.0);
        heard.push(Version {
            name: format!("{}.{}", recording.id.as_str(), v.label),
            offset: v.file.as_ref().map_or(Timecode::from_millis(0), |f| f.1),
            floor: v.floor,
            media_sha256: if redacting {
                Some(media_sha256(&toolkit.root, media)?)
            } else {
                None
            },
            manual: &manual,
        });
    }
    bleep_spans(redactor, &toolkit.root.join("transcripts"), &heard).map_err(anyhow::Error::msg)
}

/// Cuts every clip into `out/<clip id>/` and writes module title cards into
/// `modules_out`, reporting each clip through `progress`.
pub fn build_clips(
    toolkit: &Toolkit,
    out: &Path,
    modules_out: &Path,
    progress: &mut dyn FnMut(super::Progress),
) -> ClipsReport {
    let mut cutter = ClipCutter::new(toolkit, out);
    cutter.cut_rest(progress);
    cutter.finish(modules_out)
}

/// Cuts clips recording by recording, so that a recording's clips can be
/// cut as soon as its transcripts are done (they say where to bleep), while
/// the next recording is transcribed; each clip is cut once.
pub struct ClipCutter<'a> {
    toolkit: &'a Toolkit,
    out: &'a Path,
    done: Vec<bool>,
    report: ClipsReport,
}

impl<'a> ClipCutter<'a> {
    /// A cutter writing into `out/<clip id>/`.
    pub fn new(toolkit: &'a Toolkit, out: &'a Path) -> ClipCutter<'a> {
        ClipCutter {
            toolkit,
            out,
            done: vec![false; toolkit.clips.len()],
            report: ClipsReport::default(),
        }
    }

    /// Cuts the clips of the recording `id` not cut yet.
    pub fn cut_recording(&mut self, id: &str, progress: &mut dyn FnMut(super::Progress)) {
        self.cut_where(|clip| clip.recording.as_str() == id, progress);
    }

    /// Cuts every clip not cut yet.
    pub fn cut_rest(&mut self, progress: &mut dyn FnMut(super::Progress)) {
        self.cut_where(|_| true, progress);
    }

    fn cut_where(
        &mut self,
        wanted: impl Fn(&Clip) -> bool,
        progress: &mut dyn FnMut(super::Progress),
    ) {
        let toolkit = self.toolkit;
        let Some(config) = &toolkit.config else {
            return;
        };
        for (n, clip) in toolkit.clips.iter().enumerate() {
            if crate::interrupt::requested() {
                return;
            }
            if self.done[n] || !wanted(clip) {
                continue;
            }
            self.done[n] = true;
            let id = clip.id.to_string();
            progress(super::Progress {
                done: self.done.iter().filter(|d| **d).count(),
                total: toolkit.clips.len(),
                what: format!("clip {id}"),
            });
            if let Some(reason) = toolkit.skipped_clip(clip) {
                self.report.failed.push((id, format!("not cut: {reason}")));
                continue;
            }
            match build_clip(toolkit, clip, &config.video, &self.out.join(&id)) {
                Ok(true) => self.report.made.push(id),
                Ok(false) => self.report.fresh.push(id),
                Err(e) => self.report.failed.push((id, format!("{e:#}"))),
            }
        }
    }

    /// Writes the module title cards into `modules_out` and returns what was done.
    pub fn finish(mut self, modules_out: &Path) -> ClipsReport {
        if !crate::interrupt::requested() {
            title_cards(self.toolkit, modules_out, &mut self.report);
        }
        self.report
    }
}

/// A title card per module in `modules_out`, remade when its titles or the
/// conference colours change.
fn title_cards(toolkit: &Toolkit, modules_out: &Path, report: &mut ClipsReport) {
    let Some(config) = &toolkit.config else {
        return;
    };
    // Drawn on a picture, a name could not be found again: redact first.
    let redactor = match Redactor::new(&toolkit.redactions) {
        Ok(redactor) => redactor,
        Err(e) => {
            report.failed.push(("title cards".into(), format!("{e:#}")));
            return;
        }
    };
    for module in &toolkit.modules {
        let titles: Vec<String> = toolkit
            .languages()
            .iter()
            .filter_map(|l| module.file.title.get(l).map(|t| redactor.redact(t)))
            .collect();
        let titles: Vec<&str> = titles.iter().map(String::as_str).collect();
        let path = modules_out.join(format!("{}.title.jpg", module.id));
        let colours = &config.conference.colours;
        let key = sha256_hex(&format!(
            "{}|{}|{}|{}|{}",
            env!("CARGO_PKG_VERSION"),
            titles.join("|"),
            colours.background.as_str(),
            colours.text.as_str(),
            colours.accent.as_str()
        ));
        let stamp = modules_out.join(format!(".{}.title.stamp", module.id));
        if path.is_file() && std::fs::read_to_string(&stamp).is_ok_and(|s| s == key) {
            continue;
        }
        let result = title_card(&titles, colours, 1280, 720)
            .and_then(|card| write_jpeg(&card, &path))
            .and_then(|()| crate::media::output::write_atomically(&stamp, key.as_bytes()));
        match result {
            Ok(()) => report.title_cards += 1,
            Err(e) => report
                .failed
                .push((format!("module {}", module.id), format!("{e:#}"))),
        }
    }
}

/// What a clip is cut from and where its audio is bleeped, worked out the
/// same way by the clips stage, which cuts it, and by the packages stage,
/// which refuses a clip cut before its transcripts, the redaction list or
/// its recording changed.
pub struct ClipPlan {
    /// The recording's file.
    pub input: PathBuf,
    /// Its audio versions, floor first.
    pub versions: Vec<AudioVersion>,
    /// Where to bleep each version, in its own timeline.
    pub bleeps: Vec<Vec<Span>>,
    /// What the cut variants depend on; `.stamp` in the clip's folder holds
    /// the key they were cut with.
    pub key: String,
}

impl ClipPlan {
    /// The plan of `clip`; an error says why it cannot be cut safely (a
    /// transcript that is missing or damaged, so nobody knows where to bleep).
    pub fn new(
        toolkit: &Toolkit,
        clip: &Clip,
        redactor: &Redactor,
        video: &crate::project::VideoSettings,
    ) -> Result<ClipPlan> {
        let recording = toolkit
            .recording(&clip.recording)
            .with_context(|| format!("unknown recording `{}`", clip.recording.as_str()))?;
        let input = toolkit.path(&recording.file);
        let versions = audio_versions(toolkit, recording);
        let bleeps = recording_bleeps(toolkit, recording, redactor)
            .map_err(|reason| anyhow::anyhow!("{reason:#}; the clip is not cut until it is"))?;
        // Only what falls inside the clip matters to it: a name found
        // elsewhere in the recording does not make it stale.
        let bleeps: Vec<Vec<Span>> = bleeps
            .into_iter()
            .zip(&versions)
            .map(|(spans, version)| {
                let offset = version.file.as_ref().map_or(Timecode::ZERO, |f| f.1);
                let inside = |t: Timecode| {
                    Timecode::from_millis(t.as_millis().saturating_sub(offset.as_millis()))
                };
                let (start, end) = (inside(*clip.start), inside(*clip.end));
                spans
                    .into_iter()
                    .filter(|(s, e)| *s < end && *e > start)
                    .collect()
            })
            .collect();
        let key = stamp_key(clip, &input, &versions, video, &bleeps)?;
        Ok(ClipPlan {
            input,
            versions,
            bleeps,
            key,
        })
    }

    /// True when the variants in `dir` were cut with this plan.
    pub fn is_cut_in(&self, dir: &Path) -> bool {
        std::fs::read_to_string(dir.join(".stamp")).is_ok_and(|s| s == self.key)
    }
}

/// Cuts one clip's variants; false when they were already up to date.
fn build_clip(
    toolkit: &Toolkit,
    clip: &Clip,
    video: &crate::project::VideoSettings,
    dir: &Path,
) -> Result<bool> {
    let redactor = Redactor::new(&toolkit.redactions)?;
    let plan = match ClipPlan::new(toolkit, clip, &redactor, video) {
        Ok(plan) => plan,
        Err(e) => {
            // What was cut before cannot be trusted either.
            if dir.exists() {
                std::fs::remove_dir_all(dir)
                    .with_context(|| format!("cannot remove `{}`", dir.display()))?;
            }
            return Err(e);
        }
    };
    let ClipPlan {
        input,
        versions,
        bleeps,
        key,
    } = &plan;
    // The stamp is written last: present and equal, every variant is complete.
    if plan.is_cut_in(dir) {
        return Ok(false);
    }
    let stamp = dir.join(".stamp");
    // A cut interrupted now must not leave the old stamp beside new files.
    if stamp.exists() {
        std::fs::remove_file(&stamp)
            .with_context(|| format!("cannot remove `{}`", stamp.display()))?;
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    crate::media::output::remove_partials(dir);
    let id = clip.id.as_str();
    let full = EncodeSettings::full(video);
    for (version, bleep) in versions.iter().zip(bleeps) {
        let audio_file = version.file.as_ref().map(|(path, offset)| SeparateAudio {
            path,
            offset: *offset,
        });
        let base = ClipJob {
            input,
            start: *clip.start,
            end: *clip.end,
            audio_track: version.track,
            audio_file,
            output: Path::new(""),
            settings: full.clone(),
            kind: Output::Video,
            burn: None,
            bleep: bleep.clone(),
        };
        let mp4 = dir.join(format!("{id}.{}.mp4", version.label));
        cut_clip(&ClipJob {
            output: &mp4,
            ..base.clone()
        })?;
        let m4a = dir.join(format!("{id}.{}.m4a", version.label));
        cut_clip(&ClipJob {
            output: &m4a,
            kind: Output::AudioOnly,
            ..base.clone()
        })?;
        if version.floor {
            let low = dir.join(format!("{id}.{}.low.mp4", version.label));
            cut_clip(&ClipJob {
                output: &low,
                settings: EncodeSettings::low(video),
                ..base.clone()
            })?;
            write_poster(&mp4, 640, &dir.join(format!("{id}.jpg")))?;
        }
    }
    crate::media::output::write_atomically(&stamp, key.as_bytes())?;
    Ok(true)
}

/// What the clip's outputs depend on: its range, its sources (by size and
/// modification time), the encoding settings and confkit's version.
fn stamp_key(
    clip: &Clip,
    input: &Path,
    versions: &[AudioVersion],
    video: &crate::project::VideoSettings,
    bleeps: &[Vec<Span>],
) -> Result<String> {
    let mut hash = Sha256::new();
    hash.update(env!("CARGO_PKG_VERSION"));
    hash.update(format!(
        "{}-{}",
        clip.start.as_millis(),
        clip.end.as_millis()
    ));
    let mut files: Vec<&Path> = vec![input];
    files.extend(
        versions
            .iter()
            .filter_map(|v| v.file.as_ref().map(|(p, _)| p.as_path())),
    );
    for file in files {
        let meta =
            std::fs::metadata(file).with_context(|| format!("cannot read `{}`", file.display()))?;
        let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        hash.update(format!("{}:{}:{:?}", file.display(), meta.len(), modified));
    }
    for v in versions {
        hash.update(format!(
            "{}:{:?}:{:?}",
            v.label,
            v.track,
            v.file.as_ref().map(|f| f.1)
        ));
    }
    hash.update(toml::to_string(video).unwrap_or_default());
    hash.update(format!("{bleeps:?}"));
    Ok(format!("{:x}", hash.finalize()))
}

fn sha256_hex(text: &str) -> String {
    format!("{:x}", Sha256::digest(text.as_bytes()))
}
