//! Checks of `assets/recordings.toml`, and reading what each recording's
//! file holds (its length, its video and audio tracks).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::{language_name, Checker, Wanted};
use crate::diagnostic::{Diagnostics, Item};
use crate::media::header::{read_header, Header};
use crate::project::{resolve_inside, Located, Toolkit, TrackRole};

/// Reads what every recording's file holds; a file that cannot be used is
/// reported here, once, and keeps its recording (and the clips cut from
/// it) out of the build without stopping the others.
pub(super) fn read_headers(tk: &mut Toolkit, d: &mut Diagnostics) {
    let src = tk.files.recordings;
    let mut headers = BTreeMap::new();
    for recording in &tk.recordings {
        let id = recording.id.as_str();
        let location = tk.at(src, recording.file.span());
        let path = match resolve_inside(&tk.root, &recording.file) {
            Ok(path) => path,
            Err(reason) => {
                d.error(location, format!("recording `{id}`: {reason}"));
                continue;
            }
        };
        let skip = Item::Recording(id.to_string());
        if !path.is_file() {
            d.error(
                location,
                format!("recording `{id}`: file `{}` does not exist", recording.file.as_str()),
            )
            .skipping(skip)
            .help = Some("copy the recording there, or correct `file` (paths are relative to the project root)".into());
            continue;
        }
        let header = match read_media_header(&tk.cache, &path, recording.file.as_str()) {
            Ok(header) => header,
            Err(problem) => {
                d.error(location, format!("recording `{id}`: {problem}"))
                .skipping(skip)
                .help = Some("copy the file again from its source, or re-export it from the recording software".into());
                continue;
            }
        };
        if header.audio_tracks == 0 {
            d.error(
                location.clone(),
                format!("recording `{id}`: `{}` has no audio track; confkit needs the sound for transcripts and clips", recording.file.as_str()),
            )
            .skipping(skip.clone())
            .help = Some("export the recording again with its sound (`confkit probe FILE` shows what a file holds)".into());
        }
        for track in &recording.tracks {
            if *track.index as usize >= header.audio_tracks && header.audio_tracks > 0 {
                d.error(
                    tk.at(src, track.index.span()),
                    format!(
                        "recording `{id}`: audio track {} is described, but `{}` has {} audio track{} (counted from 0)",
                        *track.index,
                        recording.file.as_str(),
                        header.audio_tracks,
                        if header.audio_tracks == 1 { "" } else { "s" }
                    ),
                )
                .skipping(skip.clone())
                .help = Some("`confkit probe FILE` lists the tracks; correct `index`, or remove the track".into());
            }
        }
        headers.insert(id.to_string(), header);
    }
    tk.headers = headers;
}

/// The header of `path`: read directly for MP4 and WAV, by the media engine
/// for other containers. The error is a sentence that names the file as
/// `shown` (the path as the user wrote it) and says what is wrong.
fn read_media_header(cache: &crate::fs::Cache, path: &Path, shown: &str) -> Result<Header, String> {
    // A file read before and unchanged since is not read again.
    cache
        .fact(path, "header", || {
            read_media_header_now(path, shown).map_err(anyhow::Error::msg)
        })
        .map_err(|e| e.to_string())
}

fn read_media_header_now(path: &Path, shown: &str) -> Result<Header, String> {
    match read_header(path) {
        Ok(Some(header)) => return Ok(header),
        Ok(None) => {}
        Err(reason) => return Err(format!("`{shown}` cannot be read: {reason}")),
    }
    let info = crate::media::probe::probe(path)
        .map_err(|e| format!("{e:#}").replace(&path.display().to_string(), shown))?;
    Ok(Header {
        duration: info.duration,
        video_tracks: info.video.len(),
        audio_tracks: info.audio.len(),
    })
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
                        .skipping(Item::Recording(recording.id.to_string()))
                        .help = Some("copy the file there, or correct `file` (paths are relative to the project root)".into());
                }
                Ok(path) => {
                    match read_media_header(&c.tk.cache, &path, interpretation.file.as_str()) {
                        Err(problem) => {
                            c.d.error(location, format!("{owner}: {problem}"))
                                .skipping(Item::Recording(recording.id.to_string()));
                        }
                        Ok(Header {
                            duration: Some(length),
                            ..
                        }) => {
                            if let Some(floor) =
                                c.tk.headers
                                    .get(recording.id.as_str())
                                    .and_then(|h| h.duration)
                            {
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
                        // A container that does not say its length: nothing to compare.
                        Ok(_) => {}
                    }
                }
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
