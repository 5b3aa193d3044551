//! One offline ZIP per institution: its selection rendered as a site, with
//! its clips, their subtitles, a manifest, checksums and a SCORM manifest;
//! deterministic, so the same inputs give the same bytes, never shipping a
//! redacted name, and signed when a signing key is given.

pub mod archive;
pub mod clipfiles;
mod entry_kind;
mod entry_stream;
pub mod labels;
mod links;
pub mod manifest;
mod names;
pub mod reels;
pub mod signature;
pub mod site;
mod structure;
pub mod verify;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Serialize;

use archive::{write_zip, Content, Entry};
use clipfiles::{clip_files, ClipFiles};
use manifest::{
    ims_manifest, readme, record, sha256sums, ClipRecord, FileRecord, Manifest, SubtitlesRecord,
};
use site::{audio_name, poster_name, subtitles_name, video_name, Site, ASSETS};

use crate::build::clips::ClipPlan;
use crate::media::output::write_atomically;
use crate::privacy::redact::Redactor;
use crate::project::{Clip, Institution, Toolkit};
use crate::review::state::{recording_reviews, ReviewBook, ReviewState, TextReview, REVIEWS_FILE};
use crate::selection::{clip_clearance, select};
use crate::speech::transcribe::file_sha256;
use signature::{SecretKey, SIGNATURE_ENTRY};

/// What the stage did.
#[derive(Debug, Default, Serialize)]
pub struct PackagesReport {
    /// Packages written in this run: id, number of modules, clips, bytes.
    pub made: Vec<(String, usize, usize, u64)>,
    /// Packages already up to date.
    pub fresh: Vec<String>,
    /// Packages that could not be made, with the reason.
    pub failed: Vec<(String, String)>,
    /// Packages that could not be made whose previous version was moved
    /// out of `packages/`, and where to.
    pub withdrawn: Vec<(String, PathBuf)>,
}

/// How a run of packages treats text no person signed off.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Gate {
    /// Shipped, marked "automatic transcript, not reviewed" in the player
    /// and the README.
    #[default]
    Mark,
    /// Refused: a package that would carry it is not made.
    Release,
}

/// Builds `out/<institution>.zip` for every institution, signed with
/// `signing` when given; `gate` says what becomes of unreviewed text.
pub fn build_packages(
    toolkit: &Toolkit,
    out: &Path,
    signing: Option<&SecretKey>,
    gate: Gate,
    progress: &mut dyn FnMut(crate::build::Progress),
) -> PackagesReport {
    let mut report = PackagesReport::default();
    // Without the marks, no text counts as reviewed: marked, or refused.
    let book = match ReviewBook::load(&toolkit.root) {
        Ok(book) => book,
        Err(e) => {
            report.failed.push((REVIEWS_FILE.into(), format!("{e:#}")));
            ReviewBook::default()
        }
    };
    let reviews: BTreeMap<String, Vec<TextReview>> = toolkit
        .recordings
        .iter()
        .map(|r| (r.id.to_string(), recording_reviews(toolkit, &book, r)))
        .collect();
    let redactor = match Redactor::new(&toolkit.redactions) {
        Ok(r) => r,
        Err(e) => {
            report.failed.push(("redactions".into(), format!("{e:#}")));
            return report;
        }
    };
    let mut hashes = Hashes::default();
    let mut plans = Plans::default();
    crate::media::output::remove_partials(out);
    let reels = toolkit.root.join(crate::build::BUILD_DIR).join("reels");
    crate::media::output::remove_partials(&reels);
    crate::media::output::remove_partials(&reels.join("parts"));
    let total = toolkit.institutions.len();
    for (n, institution) in toolkit.institutions.iter().enumerate() {
        if crate::interrupt::requested() {
            break;
        }
        let id = institution.id.to_string();
        progress(crate::build::Progress {
            done: n + 1,
            total,
            what: format!("package {id}"),
        });
        let context = Run {
            toolkit,
            redactor: &redactor,
            signing,
            out,
            reviews: &reviews,
            gate,
        };
        match build_package(&context, institution, &mut hashes, &mut plans) {
            Ok(Built::Made {
                modules,
                clips,
                bytes,
            }) => report.made.push((id, modules, clips, bytes)),
            Ok(Built::Fresh) => report.fresh.push(id),
            Err(e) => {
                // A package that cannot be made now must not stay looking current.
                let reason = match withdraw(toolkit, out, institution.id.as_str()) {
                    Ok(None) => format!("{e:#}"),
                    Ok(Some(moved)) => {
                        report.withdrawn.push((id.clone(), moved));
                        format!("{e:#}")
                    }
                    Err(removal) => format!("{e:#}; and {removal:#}"),
                };
                report.failed.push((id, reason));
            }
        }
    }
    report
}

enum Built {
    Made {
        modules: usize,
        clips: usize,
        bytes: u64,
    },
    Fresh,
}

/// SHA-256 of the files read in this run: clips are shared by many packages.
#[derive(Default)]
struct Hashes(BTreeMap<PathBuf, String>);

impl Hashes {
    fn of(&mut self, path: &Path) -> Result<String> {
        if let Some(hash) = self.0.get(path) {
            return Ok(hash.clone());
        }
        let hash = file_sha256(path)?;
        self.0.insert(path.to_path_buf(), hash.clone());
        Ok(hash)
    }
}

/// Takes the package of `institution` out of `out`, where it would look
/// current: it is moved to `.confkit/withdrawn/` (a previous package is
/// the user's, not to be lost) and its stamp removed. Says where it went.
fn withdraw(toolkit: &Toolkit, out: &Path, institution: &str) -> Result<Option<PathBuf>> {
    let stamp = package_stamp(toolkit, institution);
    if let Err(e) = std::fs::remove_file(&stamp) {
        if e.kind() != std::io::ErrorKind::NotFound {
            return Err(e).with_context(|| format!("cannot remove `{}`", stamp.display()));
        }
    }
    let zip = out.join(format!("{institution}.zip"));
    if !zip.exists() {
        return Ok(None);
    }
    let aside = toolkit.root.join(crate::build::BUILD_DIR).join("withdrawn");
    std::fs::create_dir_all(&aside)
        .with_context(|| format!("cannot create `{}`", aside.display()))?;
    let moved = aside.join(format!("{institution}.zip"));
    std::fs::rename(&zip, &moved).with_context(|| {
        format!(
            "the previous `{}` could not be moved out of the way",
            zip.display()
        )
    })?;
    Ok(Some(moved))
}

fn package_stamp(toolkit: &Toolkit, institution: &str) -> PathBuf {
    toolkit
        .root
        .join(crate::build::BUILD_DIR)
        .join("packages")
        .join(format!("{institution}.stamp"))
}

/// Whether each clip's variants were cut with what its transcripts and
/// the redaction list say now, worked out once per run: clips are shared
/// by many packages.
#[derive(Default)]
struct Plans(BTreeMap<String, Result<(), String>>);

impl Plans {
    fn check(&mut self, toolkit: &Toolkit, clip: &Clip, redactor: &Redactor) -> Result<()> {
        let id = clip.id.as_str();
        let outcome = self.0.entry(id.to_string()).or_insert_with(|| {
            let video = toolkit
                .config
                .as_ref()
                .map(|c| c.video.clone())
                .unwrap_or_default();
            let dir = toolkit.root.join(crate::build::BUILD_DIR).join("clips").join(id);
            match ClipPlan::new(toolkit, clip, redactor, &video) {
                Err(e) => Err(format!("clip `{id}`: {e:#}")),
                Ok(plan) if !plan.is_cut_in(&dir) => Err(format!(
                    "clip `{id}` was cut before its recording, its transcripts or the redaction list changed, so its audio may not be bleeped where it must: run `confkit build`"
                )),
                Ok(_) => Ok(()),
            }
        });
        outcome.clone().map_err(anyhow::Error::msg)
    }
}

/// What every package of a run is built with.
struct Run<'a> {
    toolkit: &'a Toolkit,
    redactor: &'a Redactor,
    signing: Option<&'a SecretKey>,
    out: &'a Path,
    /// Each recording's texts and their review state.
    reviews: &'a BTreeMap<String, Vec<TextReview>>,
    gate: Gate,
}

fn build_package(
    context: &Run<'_>,
    institution: &Institution,
    hashes: &mut Hashes,
    plans: &mut Plans,
) -> Result<Built> {
    let Run {
        toolkit,
        redactor,
        signing,
        out,
        reviews,
        gate,
    } = *context;
    let selection = select(toolkit, institution);
    if selection.languages.is_empty() {
        bail!("none of its languages is a conference language");
    }
    // A package without one of its clips would teach half a module: it
    // waits until the clip can be cut.
    if let Some((clip, reason)) = selection
        .clips
        .iter()
        .find_map(|clip| Some((clip, toolkit.skipped_clip(clip)?)))
    {
        bail!(
            "clip `{}` cannot be cut ({reason}); the package is made once it can",
            clip.id.as_str()
        );
    }
    for clip in &selection.clips {
        plans.check(toolkit, clip, redactor)?;
    }
    let mut clips: BTreeMap<String, ClipFiles> = BTreeMap::new();
    for clip in &selection.clips {
        let mut files = clip_files(toolkit, clip, &selection.languages, redactor)?;
        files.unreviewed = unreviewed(&files, reviews.get(clip.recording.as_str()));
        clips.insert(clip.id.to_string(), files);
    }
    let unreviewed: Vec<(String, String, String, ReviewState)> = selection
        .clips
        .iter()
        .flat_map(|clip| {
            clips[clip.id.as_str()]
                .unreviewed
                .iter()
                .map(|(language, state)| {
                    (
                        clip.id.to_string(),
                        language.clone(),
                        clip.recording.to_string(),
                        *state,
                    )
                })
        })
        .collect();
    if gate == Gate::Release && !unreviewed.is_empty() {
        let listed: Vec<String> = unreviewed
            .iter()
            .map(|(clip, language, recording, state)| {
                format!(
                    "clip `{clip}`: {language} ({}) from recording `{recording}`",
                    state.describe()
                )
            })
            .collect();
        bail!(
            "a release carries only reviewed text; these subtitles are not reviewed:\n    {}\n  help: correct them (`confkit review` lists what to look at), then sign each text off with `confkit review mark RECORDING --by NAME`",
            listed.join("\n    ")
        );
    }
    // One reel per module, in the package's main language.
    let mut reels: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
    for module in &selection.modules {
        if let Some(reel) =
            reels::module_reel(toolkit, module, &selection, &clips, &selection.languages[0])?
        {
            let name = format!("reels/{}.{}.mp4", module.id, selection.languages[0]);
            reels.insert(module.id.clone(), (name, reel));
        }
    }
    let site = Site {
        toolkit,
        selection: &selection,
        clips: &clips,
        redactor,
        institution: &institution.name,
        reels: reels
            .iter()
            .map(|(id, (name, _))| (id.clone(), name.clone()))
            .collect(),
    };
    let mut entries: Vec<Entry> = Vec::new();
    let mut add = |name: String, content: Content| entries.push(Entry { name, content });
    for (name, html) in site.render()? {
        add(name, Content::Bytes(html.into_bytes()));
    }
    for (name, path) in reels.values() {
        add(name.clone(), Content::File(path.clone()));
    }
    for (name, text) in ASSETS {
        add(name.to_string(), Content::Bytes(text.as_bytes().to_vec()));
    }
    for (id, files) in &clips {
        for (_, label, path) in &files.videos {
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
    add(
        "README.txt".into(),
        Content::Bytes(
            redactor
                .redact(&readme(
                    &name("fr"),
                    &name("en"),
                    &title("fr"),
                    &title("en"),
                    &unreviewed
                        .iter()
                        .map(|(clip, language, _, state)| (clip.clone(), language.clone(), *state))
                        .collect::<Vec<_>>(),
                ))
                .into_bytes(),
        ),
    );
    // Two audio versions of a package language may be the same file.
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    entries.dedup_by(|a, b| a.name == b.name);

    let mut listed: Vec<String> = entries.iter().map(|e| e.name.clone()).collect();
    listed.extend(manifest::DESCRIBING.iter().map(|s| s.to_string()));
    if signing.is_some() {
        listed.push(SIGNATURE_ENTRY.to_string());
    }
    listed.sort();
    let main = &selection.languages[0];
    let ims = ims_manifest(
        &format!("confkit-{}", institution.id.as_str()),
        &format!(
            "{} · {}",
            redactor.redact(&title(main)),
            redactor.redact(&name(main))
        ),
        "index.html",
        &listed,
    );
    entries.push(Entry {
        name: "imsmanifest.xml".into(),
        content: Content::Bytes(ims.into_bytes()),
    });

    // Nothing on the redaction list leaves in any text file or file name,
    // read as its reader is shown it.
    for entry in &entries {
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

    let mut files: Vec<FileRecord> = Vec::new();
    for entry in &entries {
        files.push(match &entry.content {
            Content::Bytes(bytes) => record(&entry.name, bytes),
            Content::File(path) => FileRecord {
                path: entry.name.clone(),
                size: std::fs::metadata(path)
                    .with_context(|| format!("cannot read `{}`", path.display()))?
                    .len(),
                sha256: hashes.of(path)?,
            },
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut clip_records = Vec::new();
    for clip in &selection.clips {
        let recording = toolkit
            .recording(&clip.recording)
            .context("the clip's recording")?;
        clip_records.push(ClipRecord {
            id: clip.id.to_string(),
            recording: recording.id.to_string(),
            recording_sha256: hashes.of(&toolkit.path(&recording.file))?,
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
    // Who signed a text off is typed by people: it goes through the list too.
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
    let manifest = Manifest {
        format: "confkit-package/1".into(),
        institution: institution.id.to_string(),
        conference: conference.map(|c| c.id.to_string()).unwrap_or_default(),
        languages: selection.languages.clone(),
        files: files.clone(),
        clips: clip_records,
    };
    let manifest_bytes = (serde_json::to_string_pretty(&manifest)? + "\n").into_bytes();
    let sums = sha256sums(&files, &manifest_bytes);
    if let Some(key) = signing {
        entries.push(Entry {
            name: SIGNATURE_ENTRY.into(),
            content: Content::Bytes(key.sign(sums.as_bytes()).into_bytes()),
        });
    }
    entries.push(Entry {
        name: "manifest.json".into(),
        content: Content::Bytes(manifest_bytes.clone()),
    });
    entries.push(Entry {
        name: "SHA256SUMS".into(),
        content: Content::Bytes(sums.into_bytes()),
    });

    let zip = out.join(format!("{}.zip", institution.id.as_str()));
    let stamp = package_stamp(toolkit, institution.id.as_str());
    // Signing with another key, or no longer signing, makes a new package.
    let key = format!(
        "{}|{:x}|{}",
        env!("CARGO_PKG_VERSION"),
        <sha2::Sha256 as sha2::Digest>::digest(&manifest_bytes),
        signing.map_or("unsigned".into(), |key| key.public().id())
    );
    if zip.is_file() && std::fs::read_to_string(&stamp).is_ok_and(|s| s == key) {
        return Ok(Built::Fresh);
    }
    std::fs::create_dir_all(out).with_context(|| format!("cannot create `{}`", out.display()))?;
    write_zip(&zip, &mut entries)?;
    write_atomically(&stamp, key.as_bytes())?;
    Ok(Built::Made {
        modules: selection.modules.len(),
        clips: selection.clips.len(),
        bytes: std::fs::metadata(&zip).map_or(0, |m| m.len()),
    })
}

/// The languages of `files`' subtitles that no person signed off.
fn unreviewed(files: &ClipFiles, texts: Option<&Vec<TextReview>>) -> Vec<(String, ReviewState)> {
    files
        .cues
        .iter()
        .filter(|(_, cues)| !cues.is_empty())
        .filter_map(|(language, _)| {
            let state = texts
                .and_then(|texts| texts.iter().find(|t| &t.language == language))
                .map_or(ReviewState::Missing, |t| t.state);
            (state != ReviewState::Reviewed).then(|| (language.clone(), state))
        })
        .collect()
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
