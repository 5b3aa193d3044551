//! The transcription stage: every audio version of every recording (the
//! floor, each interpretation track or file) into `transcripts/` as JSON,
//! WebVTT and SRT, then whisper's translation into English for a recording
//! that has no English from the floor, an interpretation or a translator.
//! People correct these files; confkit remembers the checksum of what it
//! wrote and never overwrites a file that differs from it: a correction is
//! kept, and reported.

use std::path::PathBuf;

use anyhow::Result;
use serde::Serialize;

use super::lag::{audio_placement, text_placement, Placement};
use crate::fs::remove_partials;
use crate::project::{audio_versions, AudioVersion};
use crate::project::{Recording, Toolkit};
use crate::speech::models::DEFAULT_MODEL;
use crate::speech::transcribe::{
    model_sha256, resolve_model, Recogniser, TranscribeOptions, Transcript,
};
use crate::subtitles::rules::{cues_from_words, space, CueRules, TimedWord};
use crate::subtitles::{write_srt, write_vtt, Cue};
use crate::texts::records::{Origin, Ownership, Records, EXTENSIONS};
use crate::texts::reviews::{ReviewBook, REVIEWS_FILE};
use crate::texts::sources::{LanguageText, TextSource};

/// The only language whisper translates into.
const TRANSLATION_LANGUAGE: &str = "en";

/// What the stage did, per transcript (`<recording>.<language>`).
#[derive(Debug, Default, Serialize)]
pub struct TranscriptsReport {
    /// Transcribed or translated in this run.
    pub made: Vec<String>,
    /// Already up to date.
    pub fresh: Vec<String>,
    /// Corrected by people since confkit wrote them: kept as they are.
    pub corrected: Vec<String>,
    /// Corrected by people, and the recording changed since: kept as they
    /// are, for people to compare with the new recording.
    pub conflicts: Vec<String>,
    /// Signed off in `transcripts/reviews.toml`: never written over.
    pub reviewed: Vec<String>,
    /// Failed, with the reason.
    pub failed: Vec<(String, String)>,
}

/// Transcribes every recording into `toolkit.root/transcripts/`, then
/// translates into English where nothing better gives the English text.
/// `model` is a model name or file (`None`: the project's `speech.model`),
/// loaded only when a transcript is to be made. `transcribed` hears of
/// each recording once all its transcripts are done (made, up to date or
/// failed), so that later work on it can start.
pub fn build_transcripts(
    toolkit: &Toolkit,
    plan: &super::plan::Plan,
    model: Option<&str>,
    threads: usize,
    progress: &mut dyn FnMut(super::Progress),
    transcribed: &mut dyn FnMut(&Recording),
) -> TranscriptsReport {
    let mut report = TranscriptsReport::default();
    let records = Records::new(&toolkit.root);
    remove_partials(&records.out);
    remove_partials(&toolkit.layout().records());
    // Without the marks, no file can be told safe to write over.
    let book = match ReviewBook::load(&toolkit.root) {
        Ok(book) => book,
        Err(e) => {
            report.failed.push((
                REVIEWS_FILE.to_string(),
                format!("{e:#}; no transcript was written"),
            ));
            return report;
        }
    };
    let speech = toolkit.config.as_ref().map(|c| &c.speech);
    let model = match model {
        Some(model) => model.to_string(),
        None => speech.map_or_else(|| DEFAULT_MODEL.to_string(), |s| s.model.to_string()),
    };
    let threads = match threads {
        0 => speech.map_or(0, |s| s.threads as usize),
        n => n,
    };
    let mut stage = Stage {
        toolkit,
        model: Model::new(&model),
        threads,
        records,
        book,
    };
    for recording in &toolkit.recordings {
        if let Some(reason) = toolkit.skipped_recording(recording.id.as_str()) {
            report.failed.push((
                recording.id.to_string(),
                format!("not transcribed: {reason}"),
            ));
        }
    }
    let mut jobs: Vec<(&Recording, String, Job)> = Vec::new();
    for resolved in &plan.recordings {
        let recording = &toolkit.recordings[resolved.index];
        for version in &resolved.versions {
            let name = crate::layout::transcript_name(recording.id.as_str(), &version.label);
            jobs.push((recording, name, Job::Transcribe(version.clone())));
        }
        if let Some(name) = wants_machine_translation(&resolved.texts) {
            jobs.push((recording, name, Job::Translate));
        }
    }
    let total = jobs.len();
    let mut jobs = jobs.into_iter().enumerate().peekable();
    while let Some((n, (recording, name, job))) = jobs.next() {
        if crate::interrupt::requested() {
            return report;
        }
        let item = super::Progress::item(n + 1, total, format!("transcript {name}"));
        progress(item.clone());
        let mut outcome = stage.run(recording, &job, &name, &mut |fraction| {
            progress(item.at(fraction))
        });
        if let (Ok(_), Job::Transcribe(version)) = (&outcome, &job) {
            if !version.floor {
                if let Err(e) = note_placement(toolkit, &stage.records, recording, version, &name) {
                    outcome = Err(e);
                }
            }
        }
        match outcome {
            Ok(Outcome::Made) => report.made.push(name),
            Ok(Outcome::Fresh) => report.fresh.push(name),
            Ok(Outcome::Corrected) => report.corrected.push(name),
            Ok(Outcome::Conflict) => report.conflicts.push(name),
            Ok(Outcome::Reviewed) => report.reviewed.push(name),
            Err(e) => report.failed.push((name, format!("{e:#}"))),
        }
        // Jobs come recording by recording.
        if jobs
            .peek()
            .is_none_or(|(_, (next, _, _))| next.id.as_str() != recording.id.as_str())
        {
            transcribed(recording);
        }
    }
    report
}

/// Works out where the interpretation `version` goes on the floor's
/// timeline, from the audio, else from the transcripts' text, and keeps it
/// in the transcript's record.
fn note_placement(
    toolkit: &Toolkit,
    records: &Records,
    recording: &Recording,
    version: &AudioVersion,
    name: &str,
) -> Result<()> {
    // Only a transcript confkit keeps a record of has somewhere to keep it;
    // others are placed from their text when read.
    let record = records.read(name);
    if record.files.is_empty() {
        return Ok(());
    }
    let key = placement_key(toolkit, records, recording, version)?;
    if record.placement_key.as_deref() == Some(key.as_str()) {
        return Ok(());
    }
    let placement = match recording.lag_of(&version.label) {
        Some(lag) => Some(Placement::fixed(lag.as_millis() as i64)),
        None => audio_placement(toolkit, recording, version)?
            .or_else(|| text_placement(&records.out, recording, version)),
    };
    records.note_placement(name, placement.as_ref(), key)
}

/// What the placement of `version` is worked out from: the floor's and
/// the version's audio, a lag set by hand, and the recording's texts.
/// Unchanged, the audio is not decoded again.
fn placement_key(
    toolkit: &Toolkit,
    records: &Records,
    recording: &Recording,
    version: &AudioVersion,
) -> Result<String> {
    let mut parts = vec![
        env!("CARGO_PKG_VERSION").to_string(),
        toolkit.cache.sha256(&toolkit.path(&recording.file))?,
        format!("{version:?}"),
        format!("{:?}", recording.lag_of(&version.label)),
    ];
    if let Some((path, _)) = &version.file {
        parts.push(toolkit.cache.sha256(path)?);
    }
    for version in audio_versions(toolkit, recording) {
        let name = crate::layout::transcript_name(recording.id.as_str(), &version.label);
        for file in records.files(&name).iter().filter(|f| f.is_file()) {
            parts.push(crate::fs::file_sha256(file)?);
        }
    }
    Ok(crate::fs::sha256_hex(parts.join("|")))
}

/// The name of the English transcript whisper should translate for
/// `recording`, when English is a conference language and neither the
/// floor, an interpretation nor a translator gives it.
fn wants_machine_translation(texts: &[LanguageText]) -> Option<String> {
    texts
        .iter()
        .find(|text| text.language == TRANSLATION_LANGUAGE)
        .filter(|text| {
            matches!(
                text.source,
                TextSource::Missing | TextSource::MachineTranslation
            )
        })
        .map(|text| text.name.clone())
}

/// One transcript to make.
enum Job {
    /// An audio version in its own language.
    Transcribe(AudioVersion),
    /// The floor, translated into English.
    Translate,
}

/// What every transcript of a run shares.
struct Stage<'a> {
    toolkit: &'a Toolkit,
    model: Model,
    threads: usize,
    records: Records,
    /// The review marks: a reviewed text is never written over.
    book: ReviewBook,
}

/// The speech model, loaded the first time a transcript is to be made: a
/// build with every transcript current does not read it.
struct Model {
    /// The model file, or why there is none.
    path: std::result::Result<PathBuf, String>,
    loaded: std::cell::OnceCell<std::result::Result<Recogniser, String>>,
}

impl Model {
    fn new(name: &str) -> Model {
        Model {
            path: resolve_model(name).map_err(|e| format!("{e:#}")),
            loaded: std::cell::OnceCell::new(),
        }
    }

    /// The model file's SHA-256, part of every transcript's key.
    fn sha256(&self, cache: &crate::fs::Cache) -> Result<String> {
        let path = self.path.as_ref().map_err(|e| anyhow::anyhow!("{e}"))?;
        model_sha256(path, cache)
    }

    fn recogniser(&self) -> Result<&Recogniser> {
        let path = self.path.as_ref().map_err(|e| anyhow::anyhow!("{e}"))?;
        self.loaded
            .get_or_init(|| Recogniser::load(path).map_err(|e| format!("{e:#}")))
            .as_ref()
            .map_err(|e| anyhow::anyhow!("{e}"))
    }
}

enum Outcome {
    Made,
    Fresh,
    Corrected,
    Conflict,
    Reviewed,
}

impl Stage<'_> {
    /// Makes the transcript `name` unless it is current or people's work;
    /// `progress` hears how far into the recording it has come.
    fn run(
        &mut self,
        recording: &Recording,
        job: &Job,
        name: &str,
        progress: &mut dyn FnMut(f64),
    ) -> Result<Outcome> {
        let (toolkit, threads) = (self.toolkit, self.threads);
        let floor_track = || {
            audio_versions(toolkit, recording)
                .first()
                .and_then(|v| v.track)
                .unwrap_or(0)
        };
        let (media, track) = match job {
            Job::Transcribe(AudioVersion {
                file: Some((path, _)),
                ..
            }) => (path.clone(), 0),
            Job::Transcribe(version) => (toolkit.path(&recording.file), version.track.unwrap_or(0)),
            Job::Translate => (toolkit.path(&recording.file), floor_track()),
        };
        let languages: Vec<String> = match job {
            Job::Transcribe(version) if !version.floor => vec![version.label.clone()],
            _ => recording.languages.to_vec(),
        };
        let translate = matches!(job, Job::Translate);
        // The prompt is in the language whisper writes.
        let prompt_languages = if translate {
            vec![TRANSLATION_LANGUAGE.to_string()]
        } else {
            languages.clone()
        };
        let options = TranscribeOptions {
            language: (languages.len() == 1).then(|| languages[0].clone()),
            allowed_languages: languages.clone(),
            translate,
            prompt: glossary_prompt(toolkit, &prompt_languages),
            threads,
            track,
        };
        let source_sha256 = toolkit.cache.sha256(&media)?;
        let key = format!(
            "{}|{}|{:?}|{:?}|{:?}|{}",
            source_sha256,
            self.model.sha256(&toolkit.cache)?,
            options.track,
            options.allowed_languages,
            options.prompt,
            options.translate
        );
        if EXTENSIONS
            .iter()
            .any(|ext| self.book.protects(&format!("transcripts/{name}.{ext}")))
        {
            return Ok(Outcome::Reviewed);
        }
        let record = self.records.read(name);
        match self.records.ownership(name, &record)? {
            // A file that exists but is not what confkit wrote is someone's work.
            Ownership::Person
                if !record.key.is_empty()
                    && !record.key.starts_with(&format!("{source_sha256}|")) =>
            {
                return Ok(Outcome::Conflict)
            }
            Ownership::Person => {
                self.records.carry_srt_edit(name, &record)?;
                return Ok(Outcome::Corrected);
            }
            Ownership::Confkit
                if record.key == key && self.records.files(name).iter().all(|f| f.is_file()) =>
            {
                return Ok(Outcome::Fresh)
            }
            _ => {}
        }
        let seconds = crate::media::probe::probe_cached(&toolkit.cache, &media)
            .ok()
            .and_then(|info| info.duration)
            .map_or(0.0, |d| d.as_millis() as f64 / 1000.0);
        let transcript = self.model.recogniser()?.transcribe_hashed(
            &media,
            source_sha256,
            &options,
            &mut |at| {
                if seconds > 0.0 {
                    progress(at.as_millis() as f64 / 1000.0 / seconds)
                }
            },
        )?;
        let origin = if translate {
            Origin::MachineTranslation
        } else {
            Origin::Transcript
        };
        self.records
            .write(name, origin, key, render(&transcript)?.map(Some))?;
        Ok(Outcome::Made)
    }
}

/// The transcript as JSON, WebVTT and SRT bytes.
pub fn render(transcript: &Transcript) -> Result<[Vec<u8>; 3]> {
    let cues = transcript_cues(transcript);
    Ok([
        serde_json::to_string_pretty(transcript)?.into_bytes(),
        write_vtt(&cues).into_bytes(),
        write_srt(&cues).into_bytes(),
    ])
}

/// Subtitle cues from the word timings, each run of one language cut by
/// that language's rules.
pub fn transcript_cues(transcript: &Transcript) -> Vec<Cue> {
    let mut cues = Vec::new();
    let mut run: Vec<TimedWord> = Vec::new();
    let mut language = String::new();
    for segment in &transcript.segments {
        if segment.language != language && !run.is_empty() {
            cues.extend(cues_from_words(&run, &CueRules::for_language(&language)));
            run.clear();
        }
        language.clone_from(&segment.language);
        if segment.words.is_empty() {
            run.push(TimedWord {
                start: segment.start,
                end: segment.end,
                text: segment.text.clone(),
            });
        }
        run.extend(segment.words.iter().map(|w| TimedWord {
            start: w.start,
            end: w.end,
            text: w.text.clone(),
        }));
    }
    if !run.is_empty() {
        cues.extend(cues_from_words(&run, &CueRules::for_language(&language)));
    }
    // Where the language changes, two runs meet: keep their cues apart too.
    space(&mut cues, &CueRules::for_language(&language));
    cues
}

/// The glossary's terms in `languages`, as whisper's prompt, so that names
/// such as ANLTP-TIM or CEDEAO are spelt right; whisper reads at most about
/// 220 tokens of it.
pub fn glossary_prompt(toolkit: &Toolkit, languages: &[String]) -> Option<String> {
    let mut terms: Vec<&str> = Vec::new();
    for term in &toolkit.glossary {
        for language in languages {
            if let Some(text) = term.text.get(language) {
                if !terms.contains(&text.as_str()) {
                    terms.push(text);
                }
            }
        }
    }
    let mut prompt = String::new();
    for term in terms {
        if prompt.len() + term.len() + 2 > 600 {
            break;
        }
        if !prompt.is_empty() {
            prompt.push_str(", ");
        }
        prompt.push_str(term);
    }
    (!prompt.is_empty()).then(|| format!("{prompt}."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::speech::transcribe::{ModelRef, Segment, SourceRef, Word};
    use crate::timecode::Timecode;

    fn segment(language: &str, start: u64, end: u64, text: &str) -> Segment {
        let ms = Timecode::from_millis;
        Segment {
            start: ms(start),
            end: ms(end),
            language: language.into(),
            language_probability: 1.0,
            text: text.into(),
            words: text
                .split(' ')
                .enumerate()
                .map(|(i, w)| Word {
                    start: ms(start + i as u64 * 300),
                    end: ms(start + i as u64 * 300 + 280),
                    text: w.into(),
                    probability: 1.0,
                })
                .collect(),
        }
    }

    /// Regression: where a session switches language, the last French cue
    /// ran over the first English one.
    #[test]
    fn cues_of_two_languages_do_not_overlap() {
        let transcript = Transcript {
            source: SourceRef {
                path: "s.mp4".into(),
                sha256: String::new(),
                track: 0,
            },
            model: ModelRef {
                path: "m.bin".into(),
                sha256: String::new(),
            },
            task: "transcribe".into(),
            segments: vec![
                segment("fr", 0, 1_200, "Le Niger et la traite."),
                segment(
                    "en",
                    1_300,
                    4_000,
                    "Discussions will also address referral mechanisms.",
                ),
            ],
        };
        let cues = transcript_cues(&transcript);
        assert_eq!(cues.len(), 2, "{cues:#?}");
        assert!(
            cues[0].end.as_millis() + 80 <= cues[1].start.as_millis(),
            "{cues:#?}"
        );
    }
}
