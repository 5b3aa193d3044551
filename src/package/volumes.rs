//! A package split into volumes, for a link with a size limit (an e-mail
//! attachment, a messaging app): every page, script and subtitle in the
//! first volume, the media spread over the others, each volume a ZIP that
//! verifies on its own. The first volume's home page and README say what
//! each other volume holds; unpacked into one folder, they are the package.

use std::collections::BTreeMap;

use anyhow::{bail, Context, Result};
use serde::Serialize;

use super::archive::{Content, Entry};

/// The room kept in each volume for its ZIP headers, manifest, checksums
/// and signature, and in the first for its pages growing by the note that
/// lists the volumes.
const RESERVE: u64 = 96 * 1024;

/// A volume's file name: `<institution>.zip` for the first, then
/// `<institution>.2.zip` and on (ids have no dot, so the names cannot
/// meet).
pub fn volume_name(institution: &str, number: usize) -> String {
    if number <= 1 {
        format!("{institution}.zip")
    } else {
        format!("{institution}.{number}.zip")
    }
}

/// A size as people write it: `25MB`, `1.5 GB`, `800kB`, `25M`, or bytes.
/// Units are decimal, as e-mail services state their limits.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size: write it as 25MB, 1.5GB or 800kB"))?;
    let scale = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "m" | "mb" => 1e6,
        "g" | "gb" => 1e9,
        other => return Err(format!("`{other}` is not a unit of size: use kB, MB or GB")),
    };
    let bytes = (number * scale).round() as u64;
    if bytes < 1_000_000 {
        return Err(format!("`{text}` is too small a volume: give at least 1MB"));
    }
    Ok(bytes)
}

/// One file of the package, as the split sees it.
pub struct Item<'a> {
    /// Its name in the package.
    pub name: &'a str,
    /// Its size in bytes.
    pub size: u64,
}

/// Whether a file may go into a later volume: the media, which pages only
/// point at. Pages, scripts, styles, subtitles and the describing files
/// stay in the first.
pub fn movable(name: &str) -> bool {
    name.starts_with("media/") || name.starts_with("reels/")
}

/// Which volume (from 1) each of `items` goes into, under `limit` bytes a
/// volume: everything that is not movable in the first, then the media in
/// name order (a clip's files together), each into the first volume with
/// room. An error names a file that fits in no volume.
pub fn assign(items: &[Item<'_>], limit: u64) -> Result<Vec<usize>> {
    let room = limit.saturating_sub(RESERVE);
    let fixed: u64 = items
        .iter()
        .filter(|i| !movable(i.name))
        .map(|i| i.size)
        .sum();
    if fixed > room {
        bail!(
            "its pages, subtitles and other files that must stay together take {:.1} MB, more than a volume of {:.1} MB holds\n  help: give a larger size to --split",
            fixed as f64 / 1e6,
            limit as f64 / 1e6
        );
    }
    let mut used = vec![fixed];
    let mut volumes = vec![1; items.len()];
    let mut order: Vec<usize> = (0..items.len())
        .filter(|&i| movable(items[i].name))
        .collect();
    order.sort_by(|&a, &b| items[a].name.cmp(items[b].name));
    for i in order {
        let item = &items[i];
        if item.size > room {
            bail!(
                "`{}` is {:.1} MB, more than a volume of {:.1} MB holds\n  help: give a larger size to --split, or a lighter profile to the institution (`profile = \"light\"`)",
                item.name,
                item.size as f64 / 1e6,
                limit as f64 / 1e6
            );
        }
        let volume = match used.iter().position(|u| u + item.size <= room) {
            Some(volume) => volume,
            None => {
                used.push(0);
                used.len() - 1
            }
        };
        used[volume] += item.size;
        volumes[i] = volume + 1;
    }
    Ok(volumes)
}

/// What one volume after the first holds, for the first's home pages and
/// README.
#[derive(Debug, Clone, Serialize)]
pub struct VolumeNote {
    /// Its file name.
    pub name: String,
    /// The bytes of the files it holds.
    pub bytes: u64,
    /// The clips whose files it holds, by id.
    pub clips: Vec<String>,
    /// The modules whose reels it holds, by id.
    pub reels: Vec<String>,
}

/// What each volume after the first holds, from the split of `entries`.
pub fn notes(
    institution: &str,
    entries: &[Entry],
    volume_of: &BTreeMap<String, usize>,
) -> Result<Vec<VolumeNote>> {
    let count = volume_of.values().max().copied().unwrap_or(1);
    let mut notes: Vec<VolumeNote> = (2..=count)
        .map(|number| VolumeNote {
            name: volume_name(institution, number),
            bytes: 0,
            clips: Vec::new(),
            reels: Vec::new(),
        })
        .collect();
    for entry in entries {
        let Some(&number) = volume_of.get(&entry.name).filter(|&&n| n > 1) else {
            continue;
        };
        let note = &mut notes[number - 2];
        note.bytes += match &entry.content {
            Content::Bytes(bytes) | Content::Glyphs(bytes) => bytes.len() as u64,
            Content::File(path) => std::fs::metadata(path)
                .with_context(|| format!("cannot read `{}`", path.display()))?
                .len(),
        };
        // `media/<clip>.<...>` and `reels/<module>.<lang>.mp4`: ids have no dot.
        let (folder, file) = entry.name.split_once('/').unwrap_or(("", &entry.name));
        let id = file.split('.').next().unwrap_or(file).to_string();
        let list = if folder == "reels" {
            &mut note.reels
        } else {
            &mut note.clips
        };
        if !list.contains(&id) {
            list.push(id);
        }
    }
    Ok(notes)
}

/// The lines the first volume's README ends with, in French and English.
pub fn readme_note(notes: &[VolumeNote]) -> String {
    let list = |french: bool| -> String {
        notes
            .iter()
            .map(|note| {
                let mut held = Vec::new();
                if !note.clips.is_empty() {
                    held.push(format!(
                        "{} {}",
                        if french { "extraits" } else { "clips" },
                        note.clips.join(", ")
                    ));
                }
                if !note.reels.is_empty() {
                    held.push(format!(
                        "{} {}",
                        if french {
                            "films des modules"
                        } else {
                            "reels of modules"
                        },
                        note.reels.join(", ")
                    ));
                }
                let size = format!("{:.1}", note.bytes as f64 / 1e6);
                if french {
                    let size = size.replace('.', ",");
                    format!("  - {} ({size} Mo) : {}\n", note.name, held.join(" ; "))
                } else {
                    format!("  - {} ({size} MB): {}\n", note.name, held.join("; "))
                }
            })
            .collect()
    };
    format!(
        "\n----\n\nCE PAQUET EST EN {} PARTIES. Décompressez-les toutes dans le même dossier :\n\
celle-ci contient les pages, les autres les fichiers vidéo et son suivants.\n{}\n\
THIS PACKAGE COMES IN {} PARTS. Unpack them all into the same folder: this one\n\
holds the pages, the others the following video and sound files.\n{}",
        notes.len() + 1,
        list(true),
        notes.len() + 1,
        list(false)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(parse_size("25MB"), Ok(25_000_000));
        assert_eq!(parse_size("1.5 GB"), Ok(1_500_000_000));
        assert_eq!(parse_size("25m"), Ok(25_000_000));
        assert_eq!(parse_size("2000000"), Ok(2_000_000));
        assert!(parse_size("25 parsecs").unwrap_err().contains("`parsecs`"));
        assert!(parse_size("MB").is_err());
        assert!(parse_size("10kB").unwrap_err().contains("at least 1MB"));
    }

    #[test]
    fn pages_stay_first_and_media_fill_the_volumes_in_order() {
        let mb = 1_000_000;
        let items = [
            Item {
                name: "index.html",
                size: 10_000,
            },
            Item {
                name: "media/a.fr.mp4",
                size: 600_000,
            },
            Item {
                name: "media/a.fr.m4a",
                size: 300_000,
            },
            Item {
                name: "media/b.fr.mp4",
                size: 700_000,
            },
            Item {
                name: "reels/m.fr.mp4",
                size: 800_000,
            },
            Item {
                name: "subtitles/a.fr.vtt",
                size: 1_000,
            },
        ];
        let volumes = assign(&items, mb).unwrap();
        assert_eq!(volumes[0], 1);
        assert_eq!(volumes[5], 1);
        // a.fr.m4a and a.fr.mp4 go first, in name order, then the rest
        // where there is room.
        assert_eq!(volumes[2], 1);
        assert_eq!(volumes[1], 2);
        assert_eq!(volumes[3], 3);
        assert_eq!(volumes[4], 4);
        let too_big = [Item {
            name: "reels/m.fr.mp4",
            size: 2 * mb,
        }];
        let error = assign(&too_big, mb).unwrap_err().to_string();
        assert!(error.contains("`reels/m.fr.mp4` is 2.0 MB"), "{error}");
    }
}
