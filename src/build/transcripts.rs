//! The transcription stage: every audio version of every recording (the
//! floor, each interpretation track or file) into `transcripts/` as JSON,
//! WebVTT and SRT. People correct these files; confkit remembers the
//! checksum of what it wrote and never overwrites a file that differs from
//! it: a correction is kept, and reported.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use super::clips::{audio_versions, AudioVersion};
use crate::media::output::write_atomically;
use crate::project::{Recording, Toolkit};
use crate::speech::transcribe::{file_sha256, Recogniser, TranscribeOptions, Transcript};
use crate::subtitles::rules::{cues_from_words, CueRules, TimedWord};
use crate::subtitles::{write_srt, write_vtt, Cue};

/// What the stage did, per transcript (`<recording>.<language>`).
#[derive(Debug, Default, Serialize)]
pub struct TranscriptsReport {
    /// Transcribed in this run.
    pub made: Vec<String>,
    /// Already up to date.
    pub fresh: Vec<String>,
    /// Corrected by people since confkit wrote them: kept as they are.
    pub corrected: Vec<String>,
    /// Failed, with the reason.
    pub failed: Vec<(String, String)>,
}

/// What confkit wrote for one transcript, to tell a correction from its own output.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Written {
    /// What the transcript depends on.
    key: String,
    /// File name -> SHA-256 of the bytes confkit wrote.
    files: BTreeMap<String, String>,
}

/// Transcribes every recording into `toolkit.root/transcripts/`.
pub fn build_transcripts(
    toolkit: &Toolkit,
    recogniser: &Recogniser,
    threads: usize,
    progress: &mut dyn FnMut(&str),
) -> TranscriptsReport {
    let mut report = TranscriptsReport::default();
    let mut stage = Stage {
        toolkit,
        recogniser,
        threads,
        out: toolkit.root.join("transcripts"),
        records: toolkit.root.join(super::BUILD_DIR).join("transcripts"),
        hashes: BTreeMap::new(),
    };
    for recording in &toolkit.recordings {
        for version in audio_versions(toolkit, recording) {
            if crate::interrupt::requested() {
                return report;
            }
            let name = format!("{}.{}", recording.id.as_str(), version.label);
            progress(&format!("transcript {name}"));
            match stage.transcribe_version(recording, &version, &name) {
                Ok(Outcome::Made) => report.made.push(name),
                Ok(Outcome::Fresh) => report.fresh.push(name),
                Ok(Outcome::Corrected) => report.corrected.push(name),
                Err(e) => report.failed.push((name, format!("{e:#}"))),
            }
        }
    }
    report
}

/// What every transcript of a run shares.
struct Stage<'a> {
    toolkit: &'a Toolkit,
    recogniser: &'a Recogniser,
    threads: usize,
    /// `transcripts/`.
    out: PathBuf,
    /// Where confkit records what it wrote.
    records: PathBuf,
    /// SHA-256 of the media read in this run: a recording feeds several
    /// versions (floor, interpretation tracks) and is hashed once.
    hashes: BTreeMap<PathBuf, String>,
}

enum Outcome {
    Made,
    Fresh,
    Corrected,
}

impl Stage<'_> {
    /// The media's SHA-256, computed once per run.
    fn hash(&mut self, path: &Path) -> Result<String> {
        if let Some(sha256) = self.hashes.get(path) {
            return Ok(sha256.clone());
        }
        let sha256 = file_sha256(path)?;
        self.hashes.insert(path.to_path_buf(), sha256.clone());
        Ok(sha256)
    }

    fn transcribe_version(
        &mut self,
        recording: &Recording,
        version: &AudioVersion,
        name: &str,
    ) -> Result<Outcome> {
        let (toolkit, recogniser, threads) = (self.toolkit, self.recogniser, self.threads);
        let (media, track) = match &version.file {
            Some((path, _)) => (path.clone(), 0),
            None => (toolkit.path(&recording.file), version.track.unwrap_or(0)),
        };
        let languages: Vec<String> = if version.floor {
            recording.languages.to_vec()
        } else {
            vec![version.label.clone()]
        };
        let options = TranscribeOptions {
            language: (languages.len() == 1).then(|| languages[0].clone()),
            allowed_languages: languages.clone(),
            translate: false,
            prompt: glossary_prompt(toolkit, &languages),
            threads,
            track,
        };
        let source_sha256 = self.hash(&media)?;
        let key = format!(
            "{}|{}|{:?}|{:?}|{:?}",
            source_sha256,
            recogniser.model_sha256(),
            options.track,
            options.allowed_languages,
            options.prompt
        );
        let files: Vec<PathBuf> = ["json", "vtt", "srt"]
            .iter()
            .map(|ext| self.out.join(format!("{name}.{ext}")))
            .collect();
        let record_path = self.records.join(format!("{name}.json"));
        let written: Written = std::fs::read_to_string(&record_path)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        // A file that exists but is not what confkit wrote is someone's work.
        for file in &files {
            if file.is_file() {
                let file_name = file
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default()
                    .to_string();
                if written.files.get(&file_name) != Some(&file_sha256(file)?) {
                    return Ok(Outcome::Corrected);
                }
            }
        }
        if written.key == key && files.iter().all(|f| f.is_file()) {
            return Ok(Outcome::Fresh);
        }
        let transcript =
            recogniser.transcribe_hashed(&media, source_sha256, &options, &mut |_| {})?;
        let mut record = Written {
            key,
            files: BTreeMap::new(),
        };
        for (file, bytes) in files.iter().zip(render(&transcript)?) {
            write_atomically(file, &bytes)?;
            let file_name = file
                .file_name()
                .and_then(|n| n.to_str())
                .context("a file name")?
                .to_string();
            record.files.insert(
                file_name,
                format!("{:x}", <sha2::Sha256 as sha2::Digest>::digest(&bytes)),
            );
        }
        write_atomically(
            &record_path,
            serde_json::to_string_pretty(&record)?.as_bytes(),
        )?;
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
    let gap = CueRules::for_language(&language).min_gap;
    for i in 1..cues.len() {
        let limit = cues[i].start.as_millis().saturating_sub(gap.as_millis());
        if cues[i - 1].end.as_millis() > limit {
            let start = cues[i - 1].start.as_millis();
            cues[i - 1].end = crate::timecode::Timecode::from_millis(limit.max(start + 1));
        }
    }
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
