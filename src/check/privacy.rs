//! Redaction: a listed name or pattern written in a project file that is
//! shipped (guide, modules, clips, recordings, institutions, glossary) is an
//! error, since it would reach every package; in a transcript it is redacted
//! when shipped, as is a name or number the speech model wrote its own way
//! ("Aminabelo", "any 2020-0417"), which is reported for a person to check.

use std::path::Path;

use super::Checker;
use crate::diagnostic::Location;
use crate::privacy::redact::Redactor;
use crate::privacy::shown::{markdown_blocks, toml_strings};
use crate::project::check_inside;
use crate::project::split_front_matter;
use crate::subtitles::{is_srt, parse_cues_with_lines, read_subtitle_text};

pub(super) fn check(c: &mut Checker<'_>) {
    // An invalid pattern is reported by the glossary and redactions check.
    let Ok(redactor) = Redactor::new(&c.tk.redactions) else {
        return;
    };
    if redactor.is_empty() {
        return;
    }
    for (index, source) in c.tk.sources.iter().enumerate() {
        if Some(index) == c.tk.files.redactions {
            continue;
        }
        let text = source.text();
        let mut reported = Vec::new();
        for finding in redactor.find(text) {
            reported.push(finding.range.clone());
            let d = c.d.error(
                Some(source.location(finding.range.start)),
                format!(
                    "`{}` is on the redaction list ({}) and would be shipped in every package",
                    &text[finding.range.clone()],
                    finding.rule
                ),
            );
            d.help = Some("remove it, or write a fictitious name that is not on the list".into());
        }
        // What a reader is shown: TOML escapes decoded, Markdown rendered.
        let shown = match source.path().extension().and_then(|e| e.to_str()) {
            Some("toml") => toml_strings(text),
            Some("md") => match split_front_matter(text) {
                // The front matter is TOML: its escapes are read too.
                Some(front) => {
                    let body_at = text.len() - front.body.len();
                    let mut shown = toml_strings(&front.toml);
                    shown.extend(
                        markdown_blocks(front.body)
                            .into_iter()
                            .map(|(at, piece)| (body_at + at, piece)),
                    );
                    shown
                }
                None => markdown_blocks(text),
            },
            _ => Vec::new(),
        };
        for (at, piece) in shown {
            for finding in redactor.find(&piece) {
                if reported
                    .iter()
                    .any(|r| r.start >= at && r.start <= at + piece.len())
                {
                    continue;
                }
                reported.push(at..at);
                let d = c.d.error(
                    Some(source.location(at)),
                    format!(
                        "`{}`, as it is shown once {}, is on the redaction list ({}) and would be shipped in every package",
                        &piece[finding.range.clone()],
                        if source.path().extension().is_some_and(|e| e == "md") {
                            "rendered"
                        } else {
                            "its escapes are read"
                        },
                        finding.rule
                    ),
                );
                d.help =
                    Some("remove it, or write a fictitious name that is not on the list".into());
            }
        }
    }
    check_transcripts(c, &redactor);
}

fn check_transcripts(c: &mut Checker<'_>, redactor: &Redactor) {
    let Ok(entries) = std::fs::read_dir(c.tk.root.join("transcripts")) else {
        return;
    };
    let mut files: Vec<_> = entries
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        // One that leads out of the project is reported by the transcripts check, and not read.
        .filter(|p| check_inside(&c.tk.root, p).is_ok())
        // A WebVTT file, or an SRT without one (its twin says the same).
        .filter(|p| match p.extension().and_then(|e| e.to_str()) {
            Some("vtt") => true,
            Some("srt") => !p.with_extension("vtt").is_file(),
            _ => false,
        })
        .collect();
    files.sort();
    for path in files {
        let Ok(text) = read_subtitle_text(&path) else {
            continue;
        };
        let Ok(cues) = parse_cues_with_lines(&text, is_srt(&path)) else {
            continue;
        };
        let relative = Path::new("transcripts").join(path.file_name().unwrap_or_default());
        for (line, cue) in cues {
            let words: Vec<&str> = cue.text.split_whitespace().collect();
            for (first, last, name) in redactor.find_spoken(&words) {
                let said = words[first..last].join(" ");
                if !redactor.find(&said).is_empty() {
                    continue;
                }
                let d = c.d.warning(
                    Some(Location {
                        file: relative.clone(),
                        line: Some(line),
                        column: Some(1),
                    }),
                    format!(
                        "the cue at {} says `{said}`, which sounds like `{name}` on the redaction list: it is redacted and bleeped as such, check that it is",
                        cue.start
                    ),
                );
                d.help = Some(format!(
                    "write what was said as it is listed (`{name}`), so that it is redacted, or write `[…]`; its audio is bleeped either way"
                ));
            }
        }
    }
}
