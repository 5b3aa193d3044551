//! Human translation of transcripts: `confkit translate export` writes one
//! XLIFF file per recording that lacks a language (or has only whisper's
//! translation of it), with the glossary's terms beside each subtitle;
//! `confkit translate import` reads the translator's file back into
//! `transcripts/<recording>.<language>.vtt` and `.srt`, keeping the time of
//! every subtitle.

pub mod xliff;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Serialize;

use crate::diagnostic::SourceText;
use crate::fs::write_atomically;
use crate::privacy::redact::Redactor;
use crate::project::{Recording, Toolkit};
use crate::speech::transcribe::Transcript;
use crate::subtitles::rules::{wrap, CueRules};
use crate::subtitles::{read_cues, vtt_time, write_srt, write_vtt, Cue};
use crate::texts::records::{Origin, Ownership, Records};
use crate::texts::sources::{floor_name, language_texts, TextSource};
use crate::timecode::Timecode;
use xliff::{Document, Unit};

/// What an export wrote and why it left recordings out.
#[derive(Debug, Default, Serialize)]
pub struct ExportReport {
    /// The XLIFF files written.
    pub written: Vec<PathBuf>,
    /// Recordings that need no translator, with the reason.
    pub skipped: Vec<(String, String)>,
    /// Recordings that could not be exported, with the reason.
    pub failed: Vec<(String, String)>,
}

/// Writes `<out>/<recording>.<language>.xlf` for every recording whose text
/// in `language` is missing or machine-made.
pub fn export(toolkit: &Toolkit, language: &str, out: &Path) -> Result<ExportReport> {
    if !toolkit.languages().iter().any(|l| l == language) {
        bail!(
            "`{language}` is not a language of the conference (confkit.toml lists {})",
            toolkit.languages().join(", ")
        );
    }
    let mut report = ExportReport::default();
    for recording in &toolkit.recordings {
        let id = recording.id.as_str().to_string();
        let Some(text) = language_texts(toolkit, recording)
            .into_iter()
            .find(|t| t.language == language)
        else {
            continue;
        };
        if !text.source.wants_translator() {
            report.skipped.push((
                id,
                format!("has {language} from the {}", text.source.describe()),
            ));
            continue;
        }
        match export_recording(toolkit, recording, language, text.source, out) {
            Ok(path) => report.written.push(path),
            Err(e) => report.failed.push((id, format!("{e:#}"))),
        }
    }
    Ok(report)
}

fn export_recording(
    toolkit: &Toolkit,
    recording: &Recording,
    language: &str,
    source: TextSource,
    out: &Path,
) -> Result<PathBuf> {
    let records = Records::new(&toolkit.root);
    let floor = floor_name(recording);
    let floor_vtt = records.out.join(format!("{floor}.vtt"));
    if !floor_vtt.is_file() {
        bail!("transcripts/{floor}.vtt does not exist yet\n  help: run `confkit transcribe` first");
    }
    // Translators receive no name on the redaction list.
    let redactor = Redactor::new(&toolkit.redactions)?;
    let cues = read_cues(&floor_vtt)?;
    let texts: Vec<String> = cues.iter().map(|c| c.text.clone()).collect();
    let cues: Vec<Cue> = cues
        .into_iter()
        .zip(redactor.redact_subtitles(&texts))
        .map(|(cue, text)| Cue { text, ..cue })
        .collect();
    let source_language = recording
        .languages
        .iter()
        .find(|l| l.as_str() != language)
        .cloned()
        .unwrap_or_else(|| recording.languages[0].clone());
    let spoken = segment_languages(&records.out.join(format!("{floor}.json")));
    let machine = if source == TextSource::MachineTranslation {
        read_cues(
            &records
                .out
                .join(format!("{}.{language}.vtt", recording.id.as_str())),
        )
        .unwrap_or_default()
    } else {
        Vec::new()
    };
    let drafts = align(&cues, &machine);
    let rules = CueRules::for_language(language);
    // What a session that switches language already says in `language` is
    // not the translator's: it stays out of the file, and comes back from
    // the floor on import. A machine draft is offered for review, never
    // marked final: only a person's text is.
    let units = cues
        .iter()
        .zip(drafts)
        .enumerate()
        .filter(|(_, (cue, _))| language_at(&spoken, cue) != Some(language))
        .map(|(n, (cue, draft))| {
            let text = cue.text.replace('\n', " ");
            let (target, state) = if draft.is_empty() {
                (None, None)
            } else {
                (
                    Some(redactor.redact_speech(&draft)),
                    Some("needs-review-translation".to_string()),
                )
            };
            Unit {
                id: (n + 1).to_string(),
                time: format!("{} --> {}", vtt_time(cue.start), vtt_time(cue.end)),
                notes: glossary_notes(toolkit, &text, &source_language, language),
                source: text,
                target,
                state,
                maxwidth: Some(rules.max_lines * rules.max_line),
                offset: 0,
            }
        })
        .collect();
    let title = redactor.redact(
        &recording
            .title
            .get(language)
            .or_else(|| recording.title.get_or_any(&source_language))
            .cloned()
            .unwrap_or_default(),
    );
    let document = Document {
        original: format!("transcripts/{floor}.vtt"),
        source_language,
        target_language: language.to_string(),
        note: format!(
            "{title}. One unit per subtitle; its name is its time in the recording. \
             Keep each translation short enough to read in that time: at most {} characters \
             ({} lines of {}), and at most {} characters a second.",
            rules.max_lines * rules.max_line,
            rules.max_lines,
            rules.max_line,
            rules.max_cps
        ),
        units,
    };
    let path = out.join(format!("{}.{language}.xlf", recording.id.as_str()));
    write_atomically(&path, xliff::write(&document).as_bytes())?;
    Ok(path)
}

/// The language of each segment of a transcript's JSON, by time.
fn segment_languages(json: &Path) -> Vec<(Timecode, Timecode, String)> {
    std::fs::read_to_string(json)
        .ok()
        .and_then(|text| serde_json::from_str::<Transcript>(&text).ok())
        .map(|t| {
            t.segments
                .into_iter()
                .map(|s| (s.start, s.end, s.language))
                .collect()
        })
        .unwrap_or_default()
}

fn language_at<'a>(spoken: &'a [(Timecode, Timecode, String)], cue: &Cue) -> Option<&'a str> {
    let middle = Timecode::from_millis((cue.start.as_millis() + cue.end.as_millis()) / 2);
    spoken
        .iter()
        .find(|(start, end, _)| *start <= middle && middle <= *end)
        .map(|(_, _, language)| language.as_str())
}

/// For each cue, the text of the `drafts` cues that overlap it most.
fn align(cues: &[Cue], drafts: &[Cue]) -> Vec<String> {
    let mut texts = vec![String::new(); cues.len()];
    for draft in drafts {
        let overlap = |cue: &Cue| {
            let start = cue.start.as_millis().max(draft.start.as_millis());
            let end = cue.end.as_millis().min(draft.end.as_millis());
            end.saturating_sub(start)
        };
        if let Some((i, _)) = cues
            .iter()
            .enumerate()
            .map(|(i, cue)| (i, overlap(cue)))
            .filter(|(_, o)| *o > 0)
            .max_by_key(|(_, o)| *o)
        {
            if !texts[i].is_empty() {
                texts[i].push(' ');
            }
            texts[i].push_str(&draft.text.replace('\n', " "));
        }
    }
    texts
}

/// "term = translation" for each glossary term the text says.
fn glossary_notes(toolkit: &Toolkit, text: &str, from: &str, to: &str) -> Vec<String> {
    toolkit
        .glossary
        .iter()
        .filter(|term| term.said_in(text, from))
        .filter_map(|term| {
            let note = term
                .note
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            Some(format!(
                "{} = {}{note}",
                term.text.get(from)?,
                term.text.get(to)?
            ))
        })
        .collect()
}

/// What an import wrote.
#[derive(Debug, Serialize)]
pub struct Imported {
    /// `<recording>.<language>`.
    pub name: String,
    /// Subtitles read.
    pub cues: usize,
    /// Where the text was before: replaced, or new.
    pub replaced: Option<String>,
}

/// Reads a translated XLIFF file into `transcripts/`. Nothing is written
/// unless every subtitle has its translation; a file someone edited by hand
/// is replaced only when `replace` is set.
pub fn import(toolkit: &Toolkit, path: &Path, replace: bool) -> Result<Imported> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{}: the file is not UTF-8 (byte {} is not)\n  help: save it as UTF-8 from the translation tool",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    let source = SourceText::new(path, text);
    let fail =
        |offset: usize, message: String| anyhow::anyhow!("{}: {message}", source.location(offset));
    let document = xliff::read(source.text()).map_err(|e| fail(e.offset, e.message))?;
    let language = document.target_language.as_str();
    if !toolkit.languages().iter().any(|l| l == language) {
        bail!(fail(
            0,
            format!(
                "the target language `{language}` is not a language of the conference ({})",
                toolkit.languages().join(", ")
            )
        ));
    }
    let recording_id = document
        .original
        .rsplit('/')
        .next()
        .and_then(|name| name.strip_suffix(".vtt"))
        .and_then(|stem| stem.rsplit_once('.'))
        .map(|(id, _)| id)
        .unwrap_or_default();
    let Some(recording) = toolkit.recording(recording_id) else {
        bail!(fail(
            0,
            format!(
                "`original=\"{}\"` names no recording of this project\n  help: import the files that `confkit translate export` wrote, with their `original` unchanged",
                document.original
            )
        ));
    };

    let rules = CueRules::for_language(language);
    let mut cues = Vec::new();
    let mut untranslated = Vec::new();
    for unit in &document.units {
        let (start, end) = unit
            .time
            .split_once("-->")
            .and_then(|(s, e)| Some((s.trim().parse().ok()?, e.trim().parse().ok()?)))
            .filter(|(s, e): &(Timecode, Timecode)| s < e)
            .ok_or_else(|| {
                fail(
                    unit.offset,
                    format!(
                        "unit {} has no time (`{}`): its `resname` must stay as exported, `HH:MM:SS.mmm --> HH:MM:SS.mmm`",
                        unit.id, unit.time
                    ),
                )
            })?;
        match unit.target.as_deref().map(str::trim) {
            Some(target) if !target.is_empty() => {
                let width = unit.maxwidth.unwrap_or(rules.max_lines * rules.max_line);
                let lines = wrap(target, rules.max_line);
                let length = target.chars().count();
                if length > width || lines.len() > rules.max_lines {
                    bail!(fail(
                        unit.offset,
                        format!(
                            "unit {} at {}: the translation has {length} characters, more than fit a subtitle ({} lines of {}, `maxwidth` {width}): \"{target}\"\n  help: shorten it, then import again; nothing was written",
                            unit.id, unit.time, rules.max_lines, rules.max_line
                        )
                    ));
                }
                cues.push(Cue {
                    start,
                    end,
                    text: lines.join("\n"),
                });
            }
            _ => untranslated.push(unit),
        }
    }
    if let Some(first) = untranslated.first() {
        bail!(fail(
            first.offset,
            format!(
                "{} of {} subtitles have no translation, the first is unit {} at {}\n  help: translate every unit, then import again; nothing was written",
                untranslated.len(),
                document.units.len(),
                first.id,
                first.time
            )
        ));
    }
    if cues.is_empty() {
        bail!(fail(0, "the document holds no subtitles".into()));
    }
    // What a session that switches language already says in `language` was
    // not sent to the translator: it comes from the floor as it is.
    let records = Records::new(&toolkit.root);
    let floor = floor_name(recording);
    let spoken = segment_languages(&records.out.join(format!("{floor}.json")));
    for cue in read_cues(&records.out.join(format!("{floor}.vtt"))).unwrap_or_default() {
        let covered = cues.iter().any(|c| c.start < cue.end && cue.start < c.end);
        if !covered && language_at(&spoken, &cue) == Some(language) {
            cues.push(cue);
        }
    }
    cues.sort_by_key(|c| c.start);

    let text = language_texts(toolkit, recording)
        .into_iter()
        .find(|t| t.language == language)
        .context("the language's text")?;
    let replaced = match text.source {
        TextSource::Floor | TextSource::Interpretation => bail!(
            "{}: `{}` already has its {language} text from the {} (transcripts/{}.vtt); a translation is not needed",
            path.display(),
            recording.id.as_str(),
            text.source.describe(),
            text.name
        ),
        TextSource::Missing => None,
        TextSource::MachineTranslation => Some("machine translation".to_string()),
        TextSource::HumanTranslation => {
            let owner = records.ownership(&text.name, &records.read(&text.name))?;
            if owner == Ownership::Person && !replace {
                bail!(
                    "{}: transcripts/{}.vtt was written or corrected by hand; it is kept\n  help: move it away, or pass `--replace` to overwrite it with this translation",
                    path.display(),
                    text.name
                );
            }
            Some("earlier translation".to_string())
        }
    };
    let book = crate::texts::reviews::ReviewBook::load(&toolkit.root)?;
    if ["vtt", "srt"]
        .iter()
        .any(|ext| book.protects(&format!("transcripts/{}.{ext}", text.name)))
    {
        bail!(
            "{}: transcripts/{}.vtt is marked reviewed; a reviewed text is never written over\n  help: to replace it, first set it back to draft with `confkit review mark {} --lang {language} --draft`",
            path.display(),
            text.name,
            recording.id.as_str()
        );
    }
    let key = format!(
        "{:x}",
        <sha2::Sha256 as sha2::Digest>::digest(source.text().as_bytes())
    );
    records.write(
        &text.name,
        Origin::HumanTranslation,
        key,
        [
            None,
            Some(write_vtt(&cues).into_bytes()),
            Some(write_srt(&cues).into_bytes()),
        ],
    )?;
    Ok(Imported {
        name: text.name,
        cues: cues.len(),
        replaced,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(start: u64, end: u64, text: &str) -> Cue {
        Cue {
            start: Timecode::from_millis(start),
            end: Timecode::from_millis(end),
            text: text.into(),
        }
    }

    #[test]
    fn drafts_go_to_the_cue_they_overlap_most() {
        let cues = [cue(0, 3_000, "a"), cue(3_100, 6_000, "b")];
        let drafts = [
            cue(0, 2_000, "one"),
            cue(2_500, 5_000, "two"),
            cue(5_100, 5_900, "three"),
        ];
        assert_eq!(align(&cues, &drafts), ["one", "two three"]);
    }
}
