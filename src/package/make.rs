//! Making one package: its files gathered (pages, media, subtitles, the
//! typeface cut to what they show), split into volumes where asked, read
//! once more against the redaction list, described (manifests, checksums,
//! signature) and zipped.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};

use super::archive::{write_zip, Content, Entry};
use super::manifest::{
    self, readme, record, sha256sums, ClipRecord, FileRecord, Manifest, SubtitlesRecord,
};
use super::signature::SIGNATURE_ENTRY;
use super::site::{audio_name, poster_name, subtitles_name, video_name, Site, ASSETS, FONTS_CSS};
use super::{font, logo, scorm, volumes, Built, Inputs, Run};
use crate::privacy::redact::Redactor;
use crate::project::Institution;
use crate::selection::clip_clearance;
use crate::texts::reviews::ReviewState;

/// Renders and zips one package from its prepared inputs and reels, and
/// stamps it with `key`.
pub(super) fn build_package(
    context: &Run<'_>,
    institution: &Institution,
    inputs: &Inputs<'_>,
    key: &str,
    reels: &BTreeMap<String, (String, PathBuf)>,
) -> Result<Built> {
    let Run {
        toolkit,
        ref redactor,
        signing,
        ..
    } = *context;
    let selection = &inputs.selection;
    let logo = match &context.logo {
        None => None,
        Some(Err(why)) => bail!("confkit.toml: {why}"),
        Some(Ok(logo)) => Some(
            context
                .logo_png
                .get_or_init(|| logo::logo_png(logo).map_err(|e| format!("{e:#}")))
                .clone()
                .map_err(anyhow::Error::msg)?,
        ),
    };
    let mut site = Site {
        volumes: Vec::new(),
        logo: logo.is_some(),
        toolkit,
        selection,
        clips: &inputs.clips,
        redactor,
        institution: &institution.name,
        reels: reels
            .iter()
            .map(|(id, (name, _))| (id.clone(), name.clone()))
            .collect(),
    };
    let mut entries = gather(&site, inputs, reels, logo)?;
    let readme_text = package_readme(context, institution, inputs);
    entries.push(Entry {
        name: "README.txt".into(),
        content: Content::Bytes(redactor.redact(&readme_text).into_bytes()),
    });
    entries.push(fonts_entry(&entries)?);
    // Two audio versions of a package language may be the same file.
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    entries.dedup_by(|a, b| a.name == b.name);

    // Split into volumes where asked and needed; the first volume's home
    // pages and README then say what each other volume holds.
    let volume_of = match context.split {
        Some(limit) => split(&entries, limit)?,
        None => None,
    };
    if let Some(volume_of) = &volume_of {
        site.volumes = volumes::notes(institution.id.as_str(), &entries, volume_of)?;
        note_volumes(
            &site,
            &mut entries,
            &(readme_text + &volumes::readme_note(&site.volumes)),
        )?;
    }

    let mut listed: Vec<String> = entries.iter().map(|e| e.name.clone()).collect();
    listed.extend(manifest::DESCRIBING.iter().map(|s| s.to_string()));
    if signing.is_some() {
        listed.push(SIGNATURE_ENTRY.to_string());
    }
    listed.sort();
    let ims = scorm::package_manifest(toolkit, institution, selection, redactor, &listed);
    entries.push(Entry {
        name: "imsmanifest.xml".into(),
        content: Content::Bytes(ims.into_bytes()),
    });
    check_redaction(redactor, &entries)?;
    let made = Made {
        files: file_records(context, &entries)?,
        clips: clip_records(context, inputs)?,
        entries,
        volume_of,
    };
    write_volumes(context, institution, inputs, made, key)
}

/// A package ready to write.
struct Made {
    /// Every file but the describing ones.
    entries: Vec<Entry>,
    /// Their names, sizes and SHA-256, sorted by name.
    files: Vec<FileRecord>,
    /// Where each clip comes from.
    clips: Vec<ClipRecord>,
    /// The volume of each file, by name, when the package is split.
    volume_of: Option<BTreeMap<String, usize>>,
}

/// Every file of the package but its README, typeface and describing
/// files: the pages, the reels, the scripts and styles, the SCORM schemas,
/// the logo, the clips' media and their subtitles.
fn gather(
    site: &Site<'_>,
    inputs: &Inputs<'_>,
    reels: &BTreeMap<String, (String, PathBuf)>,
    logo: Option<Vec<u8>>,
) -> Result<Vec<Entry>> {
    let clips = &inputs.clips;
    let mut entries: Vec<Entry> = Vec::new();
    let mut add = |name: String, content: Content| entries.push(Entry { name, content });
    for (name, html) in site.render()? {
        add(name, Content::Bytes(html.into_bytes()));
    }
    for (name, path) in reels.values() {
        add(name.clone(), Content::File(path.clone()));
    }
    for (name, text) in ASSETS.iter().chain(&scorm::SCHEMAS) {
        add(name.to_string(), Content::Bytes(text.as_bytes().to_vec()));
    }
    if let Some(png) = logo {
        add(logo::LOGO.into(), Content::Bytes(png));
    }
    add(
        "assets/fonts/OFL.txt".into(),
        Content::Bytes(font::LICENCE.as_bytes().to_vec()),
    );
    for (id, files) in clips {
        for (_, label, path) in files.videos.iter().filter(|_| files.has_video()) {
            add(video_name(id, label), Content::File(path.clone()));
        }
        for (language, path) in &files.audio {
            add(
                audio_name(id, &files.label_for(language)),
                Content::File(path.clone()),
            );
        }
        add(poster_name(id), Content::File(files.poster.clone()));
        for (language, cues) in &files.cues {
            add(
                subtitles_name(id, language),
                Content::Bytes(crate::subtitles::write_vtt(cues).into_bytes()),
            );
        }
    }
    Ok(entries)
}

/// The package's README, in French then English, through the redaction
/// list when it is added.
fn package_readme(context: &Run<'_>, institution: &Institution, inputs: &Inputs<'_>) -> String {
    let toolkit = context.toolkit;
    let unreviewed = &inputs.unreviewed;
    let conference = toolkit.config.as_ref().map(|c| &c.conference);
    let title = |language: &str| {
        conference
            .and_then(|c| c.title.get_or_any(language))
            .cloned()
            .unwrap_or_default()
    };
    let name = |language: &str| {
        institution
            .name
            .get_or_any(language)
            .cloned()
            .unwrap_or_default()
    };
    readme(
        &name("fr"),
        &name("en"),
        &title("fr"),
        &title("en"),
        &unreviewed
            .iter()
            .map(|(clip, language, _, state)| (clip.clone(), language.clone(), *state))
            .collect::<Vec<_>>(),
    )
}

/// The pages and README of a split package's first volume, made again to
/// say what each other volume holds, and the typeface cut again for them.
fn note_volumes(site: &Site<'_>, entries: &mut [Entry], readme_text: &str) -> Result<()> {
    let pages: BTreeMap<String, String> = site.render()?.into_iter().collect();
    for entry in entries.iter_mut() {
        if let Some(html) = pages.get(&entry.name) {
            entry.content = Content::Bytes(html.clone().into_bytes());
        } else if entry.name == "README.txt" {
            entry.content = Content::Bytes(site.redactor.redact(readme_text).into_bytes());
        }
    }
    let fonts = fonts_entry(entries)?;
    if let Some(entry) = entries.iter_mut().find(|e| e.name == FONTS_CSS) {
        *entry = fonts;
    }
    Ok(())
}

/// Nothing on the redaction list leaves in any text file or file name,
/// read as its reader is shown it.
fn check_redaction(redactor: &Redactor, entries: &[Entry]) -> Result<()> {
    for entry in entries {
        if let Some(finding) = redactor.find(&entry.name).first() {
            bail!(
                "the file name `{}` would carry a redacted name or pattern ({}); nothing was written",
                entry.name,
                finding.rule
            );
        }
        if let Content::Bytes(bytes) = &entry.content {
            let text = String::from_utf8_lossy(bytes);
            if let Some(finding) = shown_findings(redactor, &entry.name, &text).first() {
                bail!(
                    "`{}` would carry a redacted name or pattern ({}); nothing was written",
                    entry.name,
                    finding.rule
                );
            }
        }
    }
    Ok(())
}

/// The name, size and SHA-256 of every file, sorted by name.
fn file_records(context: &Run<'_>, entries: &[Entry]) -> Result<Vec<FileRecord>> {
    let mut files: Vec<FileRecord> = Vec::new();
    for entry in entries {
        files.push(match &entry.content {
            Content::Bytes(bytes) | Content::Glyphs(bytes) => record(&entry.name, bytes),
            Content::File(path) => FileRecord {
                path: entry.name.clone(),
                size: std::fs::metadata(path)
                    .with_context(|| format!("cannot read `{}`", path.display()))?
                    .len(),
                sha256: context.toolkit.cache.sha256(path)?,
            },
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Where each clip comes from, its clearance, and who signed each of its
/// texts off (a name people typed, read against the redaction list too).
fn clip_records(context: &Run<'_>, inputs: &Inputs<'_>) -> Result<Vec<ClipRecord>> {
    let Run {
        toolkit,
        ref redactor,
        ref reviews,
        ..
    } = *context;
    let clips = &inputs.clips;
    let mut clip_records = Vec::new();
    for clip in &inputs.selection.clips {
        let recording = toolkit
            .recording(&clip.recording)
            .context("the clip's recording")?;
        clip_records.push(ClipRecord {
            id: clip.id.to_string(),
            recording: recording.id.to_string(),
            recording_sha256: toolkit.cache.sha256(&toolkit.path(&recording.file))?,
            start: clip.start.to_string(),
            end: clip.end.to_string(),
            clearance: clip_clearance(toolkit, clip).to_string(),
            subtitles: clips[clip.id.as_str()]
                .cues
                .iter()
                .map(|(language, _)| {
                    let text = reviews
                        .get(clip.recording.as_str())
                        .and_then(|texts| texts.iter().find(|t| &t.language == language));
                    SubtitlesRecord {
                        language: language.clone(),
                        source: text.map_or("missing", |t| t.source.describe()).to_string(),
                        review: text
                            .map_or(ReviewState::Missing, |t| t.state)
                            .describe()
                            .to_string(),
                        reviewed_by: text.and_then(|t| t.by.clone()),
                    }
                })
                .collect(),
        });
    }
    for by in clip_records
        .iter()
        .flat_map(|c| &c.subtitles)
        .filter_map(|s| s.reviewed_by.as_deref())
    {
        if let Some(finding) = redactor.find(by).first() {
            bail!(
                "a reviewer's name in transcripts/reviews.toml would carry a redacted name or pattern ({}); nothing was written",
                finding.rule
            );
        }
    }
    Ok(clip_records)
}

/// Writes the package as one ZIP, or as its volumes, each
/// with its manifest, checksums and signature; removes the volumes of an
/// earlier, larger split; stamps it with `key`.
fn write_volumes(
    context: &Run<'_>,
    institution: &Institution,
    inputs: &Inputs<'_>,
    made: Made,
    key: &str,
) -> Result<Built> {
    let Run {
        toolkit,
        signing,
        out,
        ..
    } = *context;
    let Made {
        entries,
        files,
        clips: clip_records,
        volume_of,
    } = made;
    let selection = &inputs.selection;
    let conference = toolkit.config.as_ref().map(|c| &c.conference);
    // What is not assigned (the SCORM manifest, made after the split) is
    // in the first volume.
    let volume = |name: &str| {
        volume_of
            .as_ref()
            .map_or(1, |v| v.get(name).copied().unwrap_or(1))
    };
    let count = volume_of
        .as_ref()
        .and_then(|v| v.values().max().copied())
        .unwrap_or(1);
    let id = institution.id.as_str();
    let stamp = toolkit.layout().package_stamp(id);
    // The old stamp goes first: a run cut short leaves no stamp over a
    // package that is not what the key says.
    stamp.clear()?;
    std::fs::create_dir_all(out).with_context(|| format!("cannot create `{}`", out.display()))?;
    let mut bytes = 0;
    for number in 1..=count {
        let mut zipped: Vec<Entry> = entries
            .iter()
            .filter(|e| volume(&e.name) == number)
            .cloned()
            .collect();
        let kept: Vec<FileRecord> = files
            .iter()
            .filter(|f| volume(&f.path) == number)
            .cloned()
            .collect();
        let manifest = Manifest {
            format: "confkit-package/1".into(),
            institution: id.to_string(),
            conference: conference.map(|c| c.id.to_string()).unwrap_or_default(),
            languages: selection.languages.clone(),
            files: kept.clone(),
            clips: clip_records.clone(),
            volume: volume_of.as_ref().map(|_| manifest::VolumeRecord {
                number,
                of: count,
                elsewhere: files
                    .iter()
                    .filter(|f| volume(&f.path) != number)
                    .map(|f| manifest::ElsewhereRecord {
                        file: f.clone(),
                        volume: volumes::volume_name(id, volume(&f.path)),
                    })
                    .collect(),
            }),
        };
        let manifest_bytes = (serde_json::to_string_pretty(&manifest)? + "\n").into_bytes();
        let sums = sha256sums(&kept, &manifest_bytes);
        if let Some(key) = signing {
            zipped.push(Entry {
                name: SIGNATURE_ENTRY.into(),
                content: Content::Bytes(key.sign(sums.as_bytes()).into_bytes()),
            });
        }
        zipped.push(Entry {
            name: "manifest.json".into(),
            content: Content::Bytes(manifest_bytes),
        });
        zipped.push(Entry {
            name: "SHA256SUMS".into(),
            content: Content::Bytes(sums.into_bytes()),
        });
        let zip = out.join(volumes::volume_name(id, number));
        write_zip(&zip, &mut zipped)?;
        let size = std::fs::metadata(&zip).map_or(0, |m| m.len());
        if let Some(limit) = context.split.filter(|_| count > 1) {
            if size > limit {
                bail!(
                    "volume {number} came to {size} bytes, over the {limit} asked; nothing is stamped current\n  help: give a larger size to --split"
                );
            }
        }
        bytes += size;
    }
    // The volumes of an earlier, larger split would look like part of this one.
    for number in count + 1.. {
        let stale = out.join(volumes::volume_name(id, number));
        if !stale.exists() {
            break;
        }
        std::fs::remove_file(&stale)
            .with_context(|| format!("cannot remove `{}`", stale.display()))?;
    }
    stamp.write(&if count > 1 {
        format!("{key}\nvolumes {count}")
    } else {
        key.to_string()
    })?;
    Ok(Built::Made {
        modules: selection.modules.len(),
        clips: selection.clips.len(),
        bytes,
    })
}

/// The style sheet with the typeface cut to the characters of everything
/// a page of `entries` shows.
fn fonts_entry(entries: &[Entry]) -> Result<Entry> {
    let shown = entries.iter().filter_map(|e| match &e.content {
        Content::Bytes(bytes) if [".html", ".js", ".vtt"].iter().any(|x| e.name.ends_with(x)) => {
            std::str::from_utf8(bytes).ok()
        }
        _ => None,
    });
    Ok(Entry {
        name: FONTS_CSS.into(),
        content: Content::Glyphs(font::stylesheet(shown)?.into_bytes()),
    })
}

/// Which volume each of `entries` goes into under `limit` bytes a volume,
/// by name; `None` where the package fits in one.
fn split(entries: &[Entry], limit: u64) -> Result<Option<BTreeMap<String, usize>>> {
    let mut sizes = Vec::with_capacity(entries.len());
    for entry in entries {
        sizes.push(match &entry.content {
            Content::Bytes(bytes) | Content::Glyphs(bytes) => bytes.len() as u64,
            Content::File(path) => std::fs::metadata(path)
                .with_context(|| format!("cannot read `{}`", path.display()))?
                .len(),
        });
    }
    // ZIP headers, the manifest and the checksums come on top.
    if sizes.iter().sum::<u64>() + 64 * 1024 <= limit {
        return Ok(None);
    }
    let items: Vec<volumes::Item<'_>> = entries
        .iter()
        .zip(&sizes)
        .map(|(e, &size)| volumes::Item {
            name: &e.name,
            size,
        })
        .collect();
    let assigned = volumes::assign(&items, limit)?;
    Ok(Some(
        entries
            .iter()
            .zip(assigned)
            .map(|(e, n)| (e.name.clone(), n))
            .collect(),
    ))
}

/// What the redaction list finds in a package file as it is shown: the
/// text as written, a page's text without its tags, subtitles' text read
/// across cues.
fn shown_findings(
    redactor: &Redactor,
    name: &str,
    text: &str,
) -> Vec<crate::privacy::redact::Finding> {
    let mut findings = redactor.find(text);
    if name.ends_with(".html") || name.ends_with(".xml") {
        findings.extend(redactor.find(&crate::privacy::shown::html_text(text)));
    }
    if name.ends_with(".vtt") {
        let cues = crate::subtitles::parse_cues(text, false).unwrap_or_default();
        let joined: Vec<&str> = cues.iter().map(|c| c.text.as_str()).collect();
        findings.extend(redactor.find_in_speech(&joined.join("\n")));
    }
    findings
}
