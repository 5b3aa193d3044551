//! Both languages should use the glossary's terms for the same thing: where
//! one language's subtitle says a term and the other language's text around
//! the same moment does not say its pair, the check reports it at the line.

use std::path::Path;

use super::Checker;
use crate::diagnostic::Location;
use crate::project::{check_inside, Term};
use crate::subtitles::{is_srt, parse_cues_with_lines, read_subtitle_text, Cue};
use crate::texts::sources::language_texts;

/// Interpretation runs a few seconds behind the floor: the other language
/// is searched this far either side of the subtitle.
const WINDOW_MS: u64 = 5_000;

pub(super) fn check(c: &mut Checker<'_>) {
    let languages = c.tk.languages().to_vec();
    if languages.len() < 2 || c.tk.glossary.is_empty() {
        return;
    }
    for recording in &c.tk.recordings {
        let texts: Vec<Text> = language_texts(c.tk, recording)
            .into_iter()
            .filter_map(|text| {
                let path = text.subtitles?;
                // One that leads out of the project is reported by the transcripts check, and not read.
                check_inside(&c.tk.root, &path).ok()?;
                let cues =
                    parse_cues_with_lines(&read_subtitle_text(&path).ok()?, is_srt(&path)).ok()?;
                Some(Text {
                    language: text.language,
                    cues,
                    file: path.file_name()?.to_string_lossy().into_owned(),
                })
            })
            .collect();
        for (a, this) in texts.iter().enumerate() {
            for (b, other) in texts.iter().enumerate() {
                if a != b {
                    compare(
                        c,
                        &this.file,
                        &this.language,
                        &this.cues,
                        &other.language,
                        &other.cues,
                    );
                }
            }
        }
    }
}

/// A recording's subtitles in one language, with their lines.
struct Text {
    language: String,
    cues: Vec<(usize, Cue)>,
    /// The file name in `transcripts/`.
    file: String,
}

fn compare(
    c: &mut Checker<'_>,
    file: &str,
    language: &str,
    cues: &[(usize, Cue)],
    other_language: &str,
    other_cues: &[(usize, Cue)],
) {
    let glossary: Vec<&Term> =
        c.tk.glossary
            .iter()
            .map(|t| &**t)
            .filter(|t| t.text.get(language).is_some() && t.text.get(other_language).is_some())
            .collect();
    for (line, cue) in cues {
        let from = cue.start.as_millis().saturating_sub(WINDOW_MS);
        let to = cue.end.as_millis() + WINDOW_MS;
        let around: String = other_cues
            .iter()
            .filter(|(_, o)| o.end.as_millis() >= from && o.start.as_millis() <= to)
            .map(|(_, o)| o.text.replace('\n', " "))
            .collect::<Vec<_>>()
            .join(" ");
        if around.is_empty() {
            continue;
        }
        for term in &glossary {
            if term.said_in(&cue.text.replace('\n', " "), language)
                && !term.said_in(&around, other_language)
            {
                let (said, pair) = (&term.text.get(language), &term.text.get(other_language));
                c.d.warning(
                    Some(Location {
                        file: Path::new("transcripts").join(file),
                        line: Some(*line),
                        column: Some(1),
                    }),
                    format!(
                        "the cue at {} says \u{201c}{}\u{201d}, but the `{other_language}` text around it does not say \u{201c}{}\u{201d}",
                        cue.start,
                        said.map_or("", |s| s.as_str()),
                        pair.map_or("", |s| s.as_str())
                    ),
                )
                .help = Some(format!(
                    "use the glossary's term in both languages (assets/glossary.toml), correcting the transcript in `{other_language}` or this one"
                ));
            }
        }
    }
}
