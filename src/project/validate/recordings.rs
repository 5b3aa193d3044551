//! Checks of `assets/recordings.toml`, and reading each recording's duration.

use std::collections::BTreeSet;

use super::{language_name, Checker, Wanted};
use crate::diagnostic::Diagnostics;
use crate::media::duration::{read_header_duration, HeaderDuration};
use crate::project::{resolve_inside, Located, Toolkit, TrackRole};

/// Reads the duration of every recording whose file can be found; a file
/// that cannot be read is reported here, once.
pub(super) fn read_durations(tk: &mut Toolkit, d: &mut Diagnostics) {
    let src = tk.files.recordings;
    let mut durations = std::collections::BTreeMap::new();
    for recording in &tk.recordings {
        let location = tk.at(src, recording.file.span());
        let path = match resolve_inside(&tk.root, &recording.file) {
            Ok(path) => path,
            Err(reason) => {
                d.error(
                    location,
                    format!("recording `{}`: {reason}", recording.id.as_str()),
                );
                continue;
            }
        };
        if !path.is_file() {
            d.error(
                location,
                format!("recording `{}`: file `{}` does not exist", recording.id.as_str(), recording.file.as_str()),
            )
            .help = Some("copy the recording there, or correct `file` (paths are relative to the project root)".into());
            continue;
        }
        match read_header_duration(&path) {
            Ok(HeaderDuration::Known(duration)) => {
                durations.insert(recording.id.to_string(), duration);
            }
            Ok(HeaderDuration::NotRead) => {}
            Err(reason) => {
                d.error(
                    location,
                    format!("recording `{}`: `{}` cannot be read: {reason}", recording.id.as_str(), recording.file.as_str()),
                )
                .help = Some("copy the file again from its source, or re-export it from the recording software".into());
            }
        }
    }
    tk.durations = durations;
}

pub(super) fn check(c: &mut Checker<'_>) {
    let src = c.tk.files.recordings;
    c.unique_ids("recording", c.tk.recordings.iter().map(|r| (src, &r.id)));
    let languages = c.tk.languages().to_vec();
    for recording in &c.tk.recordings {
        let owner = format!("recording `{}`", recording.id.as_str());
        c.localized(
            src,
            recording.id.span(),
            &owner,
            "title",
            &recording.title,
            Wanted::EveryLanguage,
        );
        c.language_codes(src, &owner, &recording.languages);

        let mut indices = BTreeSet::new();
        let mut floors = 0;
        for track in &recording.tracks {
            if !indices.insert(*track.index) {
                c.error(
                    src,
                    track.index.span(),
                    format!("{owner}: audio track {} is described twice", *track.index),
                    "describe each track once",
                );
            }
            match (track.role, &track.language) {
                (TrackRole::Floor, Some(language)) => c.error(
                    src,
                    language.span(),
                    format!("{owner}: the floor track has a `language`"),
                    "the floor carries the recording's `languages`; remove `language` here, or set `role = \"interpretation\"`",
                ),
                (TrackRole::Floor, None) => floors += 1,
                (TrackRole::Interpretation, None) => c.error(
                    src,
                    track.index.span(),
                    format!("{owner}: interpretation track {} has no `language`", *track.index),
                    "add e.g. `language = \"en\"`",
                ),
                (TrackRole::Interpretation, Some(language)) => interpretation_language(c, src, &owner, language, &languages),
            }
        }
        if floors > 1 {
            c.error(
                src,
                recording.id.span(),
                format!("{owner} has {floors} floor tracks"),
                "mark one track `floor`, the others `interpretation`",
            );
        }
        if !recording.tracks.is_empty() && floors == 0 {
            c.error(
                src,
                recording.id.span(),
                format!("{owner} has no floor track"),
                "add `[[recording.track]]` with `role = \"floor\"`",
            );
        }

        for interpretation in &recording.interpretation {
            interpretation_language(c, src, &owner, &interpretation.language, &languages);
            let location = c.at(src, interpretation.file.span());
            match resolve_inside(&c.tk.root, &interpretation.file) {
                Err(reason) => {
                    c.d.error(location, format!("{owner}: {reason}"));
                }
                Ok(path) if !path.is_file() => {
                    c.d.error(location, format!("{owner}: interpretation file `{}` does not exist", interpretation.file.as_str()))
                        .help = Some("copy the file there, or correct `file` (paths are relative to the project root)".into());
                }
                Ok(path) => match read_header_duration(&path) {
                    Err(reason) => {
                        c.d.error(
                            location,
                            format!(
                                "{owner}: `{}` cannot be read: {reason}",
                                interpretation.file.as_str()
                            ),
                        );
                    }
                    Ok(HeaderDuration::Known(length)) => {
                        if let Some(&floor) = c.tk.durations.get(recording.id.as_str()) {
                            let end = interpretation.offset + length;
                            if end.as_millis() + 2_000 < floor.as_millis()
                                || end.as_millis() > floor.as_millis() + 2_000
                            {
                                c.warning(
                                    src,
                                    interpretation.file.span(),
                                    format!("{owner}: the {} interpretation ends at {end} but the recording lasts {floor}", language_name(&interpretation.language)),
                                    "check that it is the right file, and set `offset` if it started late",
                                );
                            }
                        }
                    }
                    Ok(HeaderDuration::NotRead) => {}
                },
            }
        }
    }
}

fn interpretation_language(
    c: &mut Checker<'_>,
    src: Option<usize>,
    owner: &str,
    language: &Located<String>,
    languages: &[String],
) {
    if !languages.is_empty() && !languages.contains(language) {
        c.error(
            src,
            language.span(),
            format!(
                "{owner}: interpretation language `{}` is not a conference language",
                language.as_str()
            ),
            &format!("the conference languages are {}", super::list(languages)),
        );
    }
}
