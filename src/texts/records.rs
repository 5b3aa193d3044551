//! What confkit wrote into `transcripts/`, remembered under
//! `.confkit/transcripts/<name>.json`: the origin of the text, what it
//! depends on and the SHA-256 of every file. A file in `transcripts/` that no
//! longer has the recorded checksum has been edited by someone, and confkit
//! never writes over it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use super::placement::{Placement, Sentence};
use crate::fs::file_sha256;
use crate::fs::write_atomically;
use crate::layout::Layout;

/// Where the text of a transcript comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// The speech model on the floor or an interpretation.
    #[default]
    Transcript,
    /// Whisper's translate task (into English).
    MachineTranslation,
    /// A translator's XLIFF, imported with `confkit translate import`.
    HumanTranslation,
}

/// The record of one transcript (`<recording>.<language>`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Record {
    /// Where the text comes from.
    #[serde(default)]
    pub origin: Origin,
    /// What the transcript depends on.
    pub key: String,
    /// File name -> SHA-256 of the bytes confkit wrote.
    pub files: BTreeMap<String, String>,
    /// For an interpretation: how far, in ms, the interpreter speaks behind
    /// the floor, as estimated (or set in `assets/recordings.toml`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lag_ms: Option<i64>,
    /// For an interpretation: each of its sentences and the floor sentence
    /// it translates, as heard in the audio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pairs: Option<Vec<(Sentence, Sentence)>>,
    /// What the placement was worked out from: the audio and the texts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement_key: Option<String>,
}

/// The extensions of one transcript's files, in the order they are written.
pub use crate::layout::TRANSCRIPT_EXTENSIONS as EXTENSIONS;

/// The records and files of `transcripts/` in one project.
pub struct Records {
    /// `transcripts/`.
    pub out: PathBuf,
    /// `.confkit/transcripts/`.
    dir: PathBuf,
}

/// Whether the files of a transcript are confkit's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ownership {
    /// No file exists.
    Absent,
    /// Every file that exists is what confkit wrote.
    Confkit,
    /// At least one file was written or edited by someone.
    Person,
}

impl Records {
    /// The records of the project at `root`.
    pub fn new(root: &Path) -> Records {
        let layout = Layout::new(root);
        Records {
            out: layout.transcripts(),
            dir: layout.records(),
        }
    }

    /// The record of `name`, empty when there is none.
    pub fn read(&self, name: &str) -> Record {
        std::fs::read_to_string(self.record_file(name))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// The files of `name` in `transcripts/`, one per extension.
    pub fn files(&self, name: &str) -> Vec<PathBuf> {
        EXTENSIONS
            .iter()
            .map(|ext| self.out.join(format!("{name}.{ext}")))
            .collect()
    }

    /// The record file of `name`.
    fn record_file(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.json"))
    }

    /// Who wrote the files of `name`.
    pub fn ownership(&self, name: &str, record: &Record) -> Result<Ownership> {
        let mut any = false;
        for file in self.files(name) {
            if !file.is_file() {
                continue;
            }
            any = true;
            let file_name = file_name(&file)?;
            if record.files.get(&file_name) != Some(&file_sha256(&file)?) {
                return Ok(Ownership::Person);
            }
        }
        Ok(if any {
            Ownership::Confkit
        } else {
            Ownership::Absent
        })
    }

    /// When someone corrected the SRT file of `name` and left its WebVTT
    /// twin as confkit wrote it, rewrites the WebVTT from the SRT: clips and
    /// packages read WebVTT, and the correction must reach them. The WebVTT
    /// is recorded as confkit's, so that the next correction of the SRT is
    /// carried too. True when it did; an SRT that does not read is an error
    /// at its line and column.
    pub fn carry_srt_edit(&self, name: &str, record: &Record) -> Result<bool> {
        let vtt = self.out.join(format!("{name}.vtt"));
        let srt = self.out.join(format!("{name}.srt"));
        let edited = |file: &Path| -> Result<bool> {
            Ok(record.files.get(&file_name(file)?) != Some(&file_sha256(file)?))
        };
        if !srt.is_file() || !vtt.is_file() || !edited(&srt)? || edited(&vtt)? {
            return Ok(false);
        }
        let cues = crate::subtitles::read_cues(&srt)?;
        let bytes = crate::subtitles::write_vtt(&cues).into_bytes();
        write_atomically(&vtt, &bytes)?;
        let mut record = record.clone();
        record.files.insert(file_name(&vtt)?, bytes_sha256(&bytes));
        write_atomically(
            &self.record_file(name),
            serde_json::to_string_pretty(&record)?.as_bytes(),
        )?;
        Ok(true)
    }

    /// Notes how the interpretation `name` is placed on the floor's
    /// timeline in its record.
    pub fn note_placement(
        &self,
        name: &str,
        placement: Option<&Placement>,
        key: String,
    ) -> Result<()> {
        let mut record = self.read(name);
        let lag_ms = placement.map(|p| p.lag_ms);
        let pairs = placement.filter(|p| !p.fixed).map(|p| p.pairs.clone());
        if record.files.is_empty() {
            return Ok(());
        }
        record.lag_ms = lag_ms;
        record.pairs = pairs;
        record.placement_key = Some(key);
        write_atomically(
            &self.record_file(name),
            serde_json::to_string_pretty(&record)?.as_bytes(),
        )
    }

    /// Writes the files of `name` (paired with [`EXTENSIONS`], `None` to
    /// write nothing for that one and remove a stale copy) and their record.
    pub fn write(
        &self,
        name: &str,
        origin: Origin,
        key: String,
        contents: [Option<Vec<u8>>; 3],
    ) -> Result<()> {
        let mut record = Record {
            origin,
            key,
            files: BTreeMap::new(),
            lag_ms: None,
            pairs: None,
            placement_key: None,
        };
        for (file, bytes) in self.files(name).iter().zip(contents) {
            match bytes {
                Some(bytes) => {
                    write_atomically(file, &bytes)?;
                    record.files.insert(file_name(file)?, bytes_sha256(&bytes));
                }
                None if file.is_file() => std::fs::remove_file(file)
                    .with_context(|| format!("cannot remove `{}`", file.display()))?,
                None => {}
            }
        }
        write_atomically(
            &self.record_file(name),
            serde_json::to_string_pretty(&record)?.as_bytes(),
        )
    }
}

fn file_name(path: &Path) -> Result<String> {
    Ok(path
        .file_name()
        .and_then(|n| n.to_str())
        .with_context(|| format!("`{}` has no UTF-8 file name", path.display()))?
        .to_string())
}

/// SHA-256 of bytes confkit writes, as recorded.
fn bytes_sha256(bytes: &[u8]) -> String {
    format!("{:x}", <sha2::Sha256 as sha2::Digest>::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    const VTT: &str = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nBonjour\n";
    const SRT: &str = "1\n00:00:01,000 --> 00:00:03,000\nBonjour\n";

    /// Each correction made in the SRT alone reaches the WebVTT, not just the first.
    #[test]
    fn corrections_of_the_srt_reach_the_webvtt_every_time() {
        let root = tempfile::tempdir().unwrap();
        let records = Records::new(root.path());
        let contents = [b"{}".to_vec(), VTT.into(), SRT.into()].map(Some);
        records
            .write("day1.fr", Origin::Transcript, "key".into(), contents)
            .unwrap();
        let vtt = records.out.join("day1.fr.vtt");
        let srt = records.out.join("day1.fr.srt");
        assert!(!records
            .carry_srt_edit("day1.fr", &records.read("day1.fr"))
            .unwrap());

        for correction in ["Bonjour à tous", "Bonjour à toutes et à tous"] {
            std::fs::write(&srt, SRT.replace("Bonjour", correction)).unwrap();
            let record = records.read("day1.fr");
            assert!(records.carry_srt_edit("day1.fr", &record).unwrap());
            assert_eq!(
                std::fs::read_to_string(&vtt).unwrap(),
                VTT.replace("Bonjour", correction)
            );
        }

        // A WebVTT someone edited is theirs: the SRT no longer overwrites it.
        std::fs::write(&vtt, VTT.replace("Bonjour", "Salut")).unwrap();
        std::fs::write(&srt, SRT.replace("Bonjour", "Bonsoir")).unwrap();
        assert!(!records
            .carry_srt_edit("day1.fr", &records.read("day1.fr"))
            .unwrap());
        assert!(std::fs::read_to_string(&vtt).unwrap().contains("Salut"));
    }
}
