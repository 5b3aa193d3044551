//! The clips stage: every clip of `assets/clips.toml` cut into what the
//! packages need: per audio language an MP4 (browsers ignore extra audio
//! tracks) and an audio-only M4A, both again at low bandwidth (360p, one channel of sound
//! at 32 kbit/s) for light packages; a poster; and a title card per module.
//! A failing clip is reported and the others go on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

use crate::layout::transcript_name;
use crate::media::cut::{cut_clip_with, ClipJob, EncodeSettings, Output, SeparateAudio};
use crate::media::frames::{title_card, write_jpeg, write_poster};
use crate::privacy::audio::{bleep_spans, Span, Version};
use crate::privacy::redact::Redactor;
use crate::project::{audio_versions, AudioVersion, Clip, Recording, StepKind, Toolkit};
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
            name: transcript_name(recording.id.as_str(), &v.label),
            offset: v.file.as_ref().map_or(Timecode::from_millis(0), |f| f.1),
            floor: v.floor,
            media_sha256: if redacting {
                Some(toolkit.cache.sha256(media)?)
            } else {
                None
            },
            manual: &manual,
        });
    }
    bleep_spans(redactor, &toolkit.layout().transcripts(), &heard).map_err(anyhow::Error::msg)
}

/// Each recording's bleeps, worked out once per run: every clip of a
/// recording shares them, and working them out reads all its transcripts.
#[derive(Default)]
pub struct Bleeps(BTreeMap<String, Result<Vec<Vec<Span>>, String>>);

impl Bleeps {
    /// [`recording_bleeps`] of `recording`, from the memo when it is there.
    pub fn of(
        &mut self,
        toolkit: &Toolkit,
        recording: &Recording,
        redactor: &Redactor,
    ) -> Result<&[Vec<Span>]> {
        let outcome = self.0.entry(recording.id.to_string()).or_insert_with(|| {
            recording_bleeps(toolkit, recording, redactor).map_err(|e| format!("{e:#}"))
        });
        match outcome {
            Ok(spans) => Ok(spans),
            Err(reason) => Err(anyhow::anyhow!("{reason}")),
        }
    }
}

/// Cuts clips recording by recording, so that a recording's clips can be
/// cut as soon as its transcripts are done (they say where to bleep), while
/// the next recording is transcribed; each clip is cut once.
pub struct ClipCutter<'a> {
    toolkit: &'a Toolkit,
    bleeps: Bleeps,
    done: Vec<bool>,
    report: ClipsReport,
}

impl<'a> ClipCutter<'a> {
    /// A cutter for the clips of `toolkit`.
    pub fn new(toolkit: &'a Toolkit) -> ClipCutter<'a> {
        ClipCutter {
            toolkit,
            bleeps: Bleeps::default(),
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
            let item = super::Progress::item(
                self.done.iter().filter(|d| **d).count(),
                toolkit.clips.len(),
                format!("clip {id}"),
            );
            progress(item.clone());
            if let Some(reason) = toolkit.skipped_clip(clip) {
                self.report.failed.push((id, format!("not cut: {reason}")));
                continue;
            }
            let within = &mut |fraction: f64| progress(item.at(fraction));
            match build_clip(toolkit, clip, &config.video, &mut self.bleeps, within) {
                Ok(true) => self.report.made.push(id),
                Ok(false) => self.report.fresh.push(id),
                Err(e) => self.report.failed.push((id, format!("{e:#}"))),
            }
        }
    }

    /// Makes the module title cards and returns what was done.
    pub fn finish(mut self) -> ClipsReport {
        if !crate::interrupt::requested() {
            title_cards(self.toolkit, &mut self.report);
        }
        self.report
    }
}

/// A title card per module and a card per step that is not a clip, remade
/// when their texts or the conference colours change.
fn title_cards(toolkit: &Toolkit, report: &mut ClipsReport) {
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
    let colours = &config.conference.colours;
    for module in &toolkit.modules {
        let localized = |text: &crate::project::Localized| -> Vec<String> {
            toolkit
                .languages()
                .iter()
                .filter_map(|l| text.get(l).map(|t| redactor.redact(t)))
                .collect()
        };
        let mut cards = vec![(
            toolkit.layout().title_card(&module.id),
            toolkit.layout().title_card_stamp(&module.id),
            localized(&module.file.title),
        )];
        // A reel played on a TV keeps the discussion: each question,
        // exercise and pause has its card.
        let kinds = module.file.steps.iter().flat_map(|s| s.kinds());
        for (n, kind) in kinds.enumerate() {
            let text = match kind {
                StepKind::Clip(_) => continue,
                StepKind::Question(t) | StepKind::Exercise(t) | StepKind::Pause(t) => t,
            };
            cards.push((
                toolkit.layout().step_card(&module.id, n + 1),
                toolkit.layout().step_card_stamp(&module.id, n + 1),
                localized(text),
            ));
        }
        for (path, stamp, texts) in cards {
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            let key = crate::fs::sha256_hex(format!(
                "{}|{}|{}|{}|{}",
                env!("CARGO_PKG_VERSION"),
                texts.join("|"),
                colours.background.as_str(),
                colours.text.as_str(),
                colours.accent.as_str()
            ));
            if path.is_file() && stamp.holds(&key) {
                continue;
            }
            let result = stamp
                .clear()
                .and_then(|()| title_card(&texts, colours, 1280, 720))
                .and_then(|card| write_jpeg(&card, &path))
                .and_then(|()| stamp.write(&key));
            match result {
                Ok(()) => report.title_cards += 1,
                Err(e) => report
                    .failed
                    .push((format!("module {}", module.id), format!("{e:#}"))),
            }
        }
    }
}

/// What a clip is cut from and where its audio is bleeped, worked out the
/// same way by the clips stage, which cuts it, and by the packages stage,
/// which refuses a clip cut before its transcripts, the redaction list or
/// its recording changed.
pub struct ClipPlan {
    /// The clip's id.
    pub clip: String,
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
        bleeps: &mut Bleeps,
    ) -> Result<ClipPlan> {
        let recording = toolkit
            .recording(&clip.recording)
            .with_context(|| format!("unknown recording `{}`", clip.recording.as_str()))?;
        let input = toolkit.path(&recording.file);
        let versions = audio_versions(toolkit, recording);
        let bleeps = bleeps
            .of(toolkit, recording, redactor)
            .map_err(|reason| anyhow::anyhow!("{reason:#}; the clip is not cut until it is"))?;
        // Only what falls inside the clip matters to it: a name found
        // elsewhere in the recording does not make it stale.
        let bleeps: Vec<Vec<Span>> = bleeps
            .iter()
            .zip(&versions)
            .map(|(spans, version)| {
                let offset = version.file.as_ref().map_or(Timecode::ZERO, |f| f.1);
                let inside = |t: Timecode| {
                    Timecode::from_millis(t.as_millis().saturating_sub(offset.as_millis()))
                };
                let (start, end) = (inside(*clip.start), inside(*clip.end));
                spans
                    .iter()
                    .copied()
                    .filter(|(s, e)| *s < end && *e > start)
                    .collect()
            })
            .collect();
        let key = stamp_key(clip, &input, &versions, video, &bleeps)?;
        Ok(ClipPlan {
            clip: clip.id.to_string(),
            input,
            versions,
            bleeps,
            key,
        })
    }

    /// True when the variants of `clip` were cut with this plan.
    pub fn is_cut(&self, toolkit: &Toolkit) -> bool {
        toolkit.layout().clip_stamp(&self.clip).holds(&self.key)
    }
}

/// Cuts one clip's variants; false when they were already up to date.
/// `progress` hears how far into the clip the cutting is.
fn build_clip(
    toolkit: &Toolkit,
    clip: &Clip,
    video: &crate::project::VideoSettings,
    bleeps: &mut Bleeps,
    progress: &mut dyn FnMut(f64),
) -> Result<bool> {
    let layout = toolkit.layout();
    let id = clip.id.as_str();
    let dir = layout.clip_dir(id);
    let redactor = Redactor::new(&toolkit.redactions)?;
    let plan = match ClipPlan::new(toolkit, clip, &redactor, video, bleeps) {
        Ok(plan) => plan,
        Err(e) => {
            // What was cut before cannot be trusted either.
            if dir.exists() {
                std::fs::remove_dir_all(&dir)
                    .with_context(|| format!("cannot remove `{}`", dir.display()))?;
            }
            return Err(e);
        }
    };
    // The stamp is written last: present and equal, every variant is complete.
    if plan.is_cut(toolkit) {
        return Ok(false);
    }
    let ClipPlan {
        input,
        versions,
        bleeps,
        key,
        ..
    } = &plan;
    let stamp = layout.clip_stamp(id);
    // A cut interrupted now must not leave the old stamp beside new files.
    stamp.clear()?;
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    crate::fs::remove_partials(&dir);
    let full = EncodeSettings::full(video);
    // Each version is a video and an audio file, at full and at low bandwidth.
    let steps = (versions.len() * 4) as f64;
    let mut step = 0.0;
    let mut cut = |job: &ClipJob<'_>| -> Result<()> {
        cut_clip_with(job, &toolkit.cache)?;
        step += 1.0;
        progress(step / steps);
        Ok(())
    };
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
        let mp4 = layout.clip_video(id, &version.label);
        cut(&ClipJob {
            output: &mp4,
            ..base.clone()
        })?;
        cut(&ClipJob {
            output: &layout.clip_audio(id, &version.label),
            kind: Output::AudioOnly,
            ..base.clone()
        })?;
        // Every audio version at low bandwidth too, for `light` and `audio`
        // packages: one in the interpreted language plays the interpretation.
        cut(&ClipJob {
            output: &layout.clip_low_video(id, &version.label),
            settings: EncodeSettings::low(video),
            ..base.clone()
        })?;
        cut(&ClipJob {
            output: &layout.clip_low_audio(id, &version.label),
            settings: EncodeSettings::low(video),
            kind: Output::AudioOnly,
            ..base.clone()
        })?;
        if version.floor {
            write_poster(&mp4, 640, &layout.clip_poster(id))?;
        }
    }
    stamp.write(key)?;
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
    hash.update(crate::media::ENCODING);
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
