//! Module reels for a package: each module's title card, then its steps in
//! order: its clips (those the institution may see) with both languages'
//! subtitles burned in, and a card for each question, exercise and pause,
//! in one MP4. Parts and reels are kept under `.confkit/reels/`, named
//! by a hash of what they are made of, so packages that share a reel share
//! the work.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

use super::clipfiles::ClipFiles;
use crate::media::cut::{cut_clip_with, BurnIn, ClipJob, EncodeSettings, Output, SubtitleLine};
use crate::media::probe::probe_cached;
use crate::media::reel::{make_reel, ReelPart};
use crate::project::{Module, StepKind, Toolkit};
use crate::selection::Selection;

/// How long the title card shows.
const TITLE_SECONDS: u32 = 4;
/// How long a question's, an exercise's or a pause's card shows: a trainer
/// playing from a TV pauses on it.
const CARD_SECONDS: u32 = 10;

/// The reel of `module` for a package whose main language is `language`;
/// `None` when the institution may see none of its clips.
pub fn module_reel(
    toolkit: &Toolkit,
    module: &Module,
    selection: &Selection<'_>,
    clips: &std::collections::BTreeMap<String, ClipFiles>,
    language: &str,
) -> Result<Option<PathBuf>> {
    let layout = toolkit.layout();
    let settings = toolkit
        .config
        .as_ref()
        .map(|c| EncodeSettings::full(&c.video))
        .unwrap_or_default();
    let title = layout.title_card(&module.id);
    let mut parts: Vec<(PathBuf, Option<u32>)> = vec![(title, Some(TITLE_SECONDS))];
    let mut clips_in = 0;
    let kinds = module.file.steps.iter().flat_map(|s| s.kinds());
    for (n, kind) in kinds.enumerate() {
        match kind {
            StepKind::Clip(id) => {
                if !selection.clips.iter().any(|c| c.id.as_str() == id) {
                    continue;
                }
                let files = &clips[id];
                parts.push((burned_part(toolkit, id, files, language, &settings)?, None));
                clips_in += 1;
            }
            _ => parts.push((layout.step_card(&module.id, n + 1), Some(CARD_SECONDS))),
        }
    }
    if clips_in == 0 {
        return Ok(None);
    }
    let mut hash = Sha256::new();
    hash.update(env!("CARGO_PKG_VERSION"));
    hash.update(crate::media::ENCODING);
    for (path, still) in &parts {
        if still.is_some() && !path.is_file() {
            anyhow::bail!(
                "module `{}` has no card `{}` yet: run `confkit build`",
                module.id,
                path.display()
            );
        }
        hash.update(file_key(path)?);
        hash.update(format!("{still:?}"));
    }
    hash.update(format!("{settings:?}"));
    let reel = layout.reel(&module.id, &crate::fs::digest_hex(hash)[..16]);
    if !reel.is_file() {
        let parts: Vec<ReelPart<'_>> = parts
            .iter()
            .map(|(path, still)| match still {
                Some(seconds) => ReelPart::Still(path, *seconds),
                None => ReelPart::Clip(path),
            })
            .collect();
        make_reel(&parts, &reel, &settings)
            .with_context(|| format!("the reel of module `{}`", module.id))?;
    }
    Ok(Some(reel))
}

/// The clip in `language`'s audio with every language's subtitles burned
/// in, cut from the clip's own (already bleeped) MP4.
fn burned_part(
    toolkit: &Toolkit,
    id: &str,
    files: &ClipFiles,
    language: &str,
    settings: &EncodeSettings,
) -> Result<PathBuf> {
    let (_, label, video) = files.video_for(language).context("the clip's video")?;
    let colours = ["#ffffff", "#ffd54a"];
    let lines: Vec<SubtitleLine> = files
        .cues
        .iter()
        .zip(colours.iter().cycle())
        .map(|((_, cues), colour)| SubtitleLine {
            cues: cues.clone(),
            colour: (*colour).to_string(),
        })
        .collect();
    let mut hash = Sha256::new();
    hash.update(env!("CARGO_PKG_VERSION"));
    hash.update(crate::media::ENCODING);
    hash.update(file_key(video)?);
    hash.update(format!("{:?}|{settings:?}", files.cues));
    let part = toolkit
        .layout()
        .reel_part(id, label, &crate::fs::digest_hex(hash)[..16]);
    if !part.is_file() {
        let duration = probe_cached(&toolkit.cache, video)?
            .duration
            .context("the clip's length")?;
        cut_clip_with(
            &ClipJob {
                input: video,
                start: crate::timecode::Timecode::from_millis(0),
                end: duration,
                audio_track: None,
                audio_file: None,
                output: &part,
                settings: settings.clone(),
                kind: Output::Video,
                burn: Some(BurnIn { lines }),
                bleep: Vec::new(),
            },
            &toolkit.cache,
        )
        .with_context(|| format!("burning the subtitles of clip `{id}`"))?;
    }
    Ok(part)
}

/// A file's identity for a cache key: its path, size and modification time.
fn file_key(path: &Path) -> Result<String> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    Ok(format!(
        "{}:{}:{:?}",
        path.display(),
        meta.len(),
        meta.modified().ok()
    ))
}
