//! One offline ZIP per institution: its selection rendered as a site, with
//! its clips, their subtitles, a manifest, checksums and a SCORM manifest;
//! deterministic, so the same inputs give the same bytes, never shipping a
//! redacted name, and signed when a signing key is given.

pub mod archive;
pub mod clipfiles;
mod entry_kind;
mod entry_stream;
mod font;
pub mod labels;
mod links;
mod logo;
mod make;
pub mod manifest;
mod names;
pub mod reels;
pub mod scorm;
pub mod search;
pub mod signature;
pub mod site;
mod structure;
pub mod verify;
pub mod volumes;

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Serialize;

use clipfiles::{clip_files, ClipFiles};

use crate::build::clips::{Bleeps, ClipPlan};
use crate::privacy::redact::Redactor;
use crate::project::{read_logo, Clip, Institution, Logo, Profile, Toolkit};
use crate::selection::{select, Selection};
use crate::texts::reviews::{recording_reviews, ReviewBook, ReviewState, TextReview, REVIEWS_FILE};
use sha2::Digest;
use signature::SecretKey;

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
    /// Packages over the size budget of `confkit.toml`: id, bytes, budget
    /// in megabytes, and the profile they were made with.
    pub over_budget: Vec<(String, u64, u32, Profile)>,
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

/// The packages stage in three steps: [`Packager::prepare`] works out
/// what each package holds and whether the one in `packages/` is already
/// that (from the inputs' keys, before anything is rendered or encoded);
/// [`Packager::make_reels`] encodes the module reels of the packages to
/// remake; [`Packager::write`] renders and zips them.
pub struct Packager<'a> {
    run: Run<'a>,
    jobs: Vec<Job<'a>>,
    report: PackagesReport,
}

/// One institution's package in this run.
struct Job<'a> {
    institution: &'a Institution,
    state: JobState<'a>,
}

enum JobState<'a> {
    /// `packages/` holds it as it would be made now.
    Fresh,
    /// To make, from these inputs, with this key.
    Stale(Box<Inputs<'a>>, String),
    /// Reels made: to render and zip.
    Reeled(Box<Inputs<'a>>, String, BTreeMap<String, (String, PathBuf)>),
    Failed(anyhow::Error),
}

/// What one package is made of, worked out before anything is rendered.
struct Inputs<'a> {
    selection: Selection<'a>,
    clips: BTreeMap<String, ClipFiles>,
    /// (clip, language, recording, state) of every text no person signed off.
    unreviewed: Vec<(String, String, String, ReviewState)>,
}

impl<'a> Packager<'a> {
    /// Works out every package's inputs and which packages are current.
    pub fn prepare(
        toolkit: &'a Toolkit,
        out: &'a Path,
        signing: Option<&'a SecretKey>,
        gate: Gate,
        split: Option<u64>,
    ) -> Packager<'a> {
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
                Redactor::new(&Default::default()).expect("an empty list compiles")
            }
        };
        let layout = toolkit.layout();
        crate::fs::remove_partials(out);
        crate::fs::remove_partials(&layout.reels());
        crate::fs::remove_partials(&layout.reel_parts());
        let run = Run {
            toolkit,
            redactor,
            signing,
            out,
            reviews,
            gate,
            split,
            program: program_sha256(toolkit),
            logo: toolkit
                .config
                .as_ref()
                .and_then(|c| c.conference.logo.as_ref())
                .map(|path| read_logo(&toolkit.root, path)),
            logo_png: OnceCell::new(),
        };
        let mut plans = Plans::default();
        let jobs = if report.failed.iter().any(|(what, _)| what == "redactions") {
            Vec::new()
        } else {
            toolkit
                .institutions
                .iter()
                .map(|institution| Job {
                    institution,
                    state: match run.inputs(institution, &mut plans) {
                        Err(e) => JobState::Failed(e),
                        Ok(inputs) => {
                            let key = run.key(institution, &inputs);
                            if current(toolkit, out, institution.id.as_str(), &key) {
                                JobState::Fresh
                            } else {
                                JobState::Stale(Box::new(inputs), key)
                            }
                        }
                    },
                })
                .collect()
        };
        Packager { run, jobs, report }
    }

    /// How many packages are to be made.
    pub fn stale(&self) -> usize {
        self.jobs
            .iter()
            .filter(|j| matches!(j.state, JobState::Stale(..)))
            .count()
    }

    /// Encodes the module reels of every package to make.
    pub fn make_reels(&mut self, progress: &mut dyn FnMut(crate::build::Progress)) {
        let total = self.stale();
        let mut done = 0;
        for job in &mut self.jobs {
            if crate::interrupt::requested() {
                return;
            }
            job.state = match std::mem::replace(&mut job.state, JobState::Fresh) {
                JobState::Stale(inputs, key) => {
                    done += 1;
                    progress(crate::build::Progress::item(
                        done,
                        total,
                        format!("reels of {}", job.institution.id.as_str()),
                    ));
                    match self.run.reels(job.institution, &inputs) {
                        Ok(reels) => JobState::Reeled(inputs, key, reels),
                        Err(e) => JobState::Failed(e),
                    }
                }
                other => other,
            };
        }
    }

    /// Renders and zips every package to make, withdraws those that cannot
    /// be made, and says what was done.
    pub fn write(mut self, progress: &mut dyn FnMut(crate::build::Progress)) -> PackagesReport {
        let total = self.jobs.len();
        for (n, job) in self.jobs.into_iter().enumerate() {
            if crate::interrupt::requested() {
                break;
            }
            let id = job.institution.id.to_string();
            progress(crate::build::Progress::item(
                n + 1,
                total,
                format!("package {id}"),
            ));
            let outcome = match job.state {
                JobState::Fresh => Ok(Built::Fresh),
                JobState::Reeled(inputs, key, reels) => {
                    make::build_package(&self.run, job.institution, &inputs, &key, &reels)
                }
                JobState::Stale(..) => Err(anyhow::anyhow!("its module reels were not made")),
                JobState::Failed(e) => Err(e),
            };
            if outcome.is_ok() {
                self.report
                    .over_budget
                    .extend(over_budget(&self.run, job.institution));
            }
            match outcome {
                Ok(Built::Made {
                    modules,
                    clips,
                    bytes,
                }) => self.report.made.push((id, modules, clips, bytes)),
                Ok(Built::Fresh) => self.report.fresh.push(id),
                Err(e) => {
                    // A package that cannot be made now must not stay looking current.
                    let reason = match withdraw(self.run.toolkit, self.run.out, &id) {
                        Ok(None) => format!("{e:#}"),
                        Ok(Some(moved)) => {
                            self.report.withdrawn.push((id.clone(), moved));
                            format!("{e:#}")
                        }
                        Err(removal) => format!("{e:#}; and {removal:#}"),
                    };
                    self.report.failed.push((id, reason));
                }
            }
        }
        self.report
    }
}

/// The package of `institution` with its size, where it is larger than
/// the project's budget.
fn over_budget(run: &Run<'_>, institution: &Institution) -> Option<(String, u64, u32, Profile)> {
    let budget = run.toolkit.config.as_ref()?.packages.budget_mb?;
    let id = institution.id.as_str();
    let bytes = std::fs::metadata(run.out.join(format!("{id}.zip")))
        .ok()?
        .len();
    (bytes > u64::from(budget) * 1_000_000).then(|| {
        (
            id.to_string(),
            bytes,
            budget,
            run.toolkit.profile(institution),
        )
    })
}

/// The SHA-256 of the running program: pages, scripts and styles are
/// built into it, so a new confkit makes new packages.
fn program_sha256(toolkit: &Toolkit) -> String {
    std::env::current_exe()
        .map_err(anyhow::Error::from)
        .and_then(|exe| toolkit.cache.sha256(&exe))
        .unwrap_or_else(|_| format!("unknown-{}", crate::clock::now_utc()))
}

enum Built {
    Made {
        modules: usize,
        clips: usize,
        bytes: u64,
    },
    Fresh,
}

/// Whether `out` holds the package of `institution` as the stamp says it
/// was made from `key`: every volume of it, when it was split (the stamp's
/// second line, `volumes N`, says how many).
fn current(toolkit: &Toolkit, out: &Path, institution: &str, key: &str) -> bool {
    let stamp = toolkit.layout().package_stamp(institution);
    let Ok(text) = std::fs::read_to_string(stamp.path()) else {
        return false;
    };
    let mut lines = text.lines();
    if lines.next() != Some(key) {
        return false;
    }
    let count = lines
        .next()
        .and_then(|line| line.strip_prefix("volumes "))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    (1..=count).all(|n| out.join(volumes::volume_name(institution, n)).is_file())
}

/// Takes the package of `institution` out of `out`, where it would look
/// current: it is moved to `.confkit/withdrawn/` (a previous package is
/// the user's, not to be lost) and its stamp removed. Says where it went.
fn withdraw(toolkit: &Toolkit, out: &Path, institution: &str) -> Result<Option<PathBuf>> {
    let layout = toolkit.layout();
    layout.package_stamp(institution).clear()?;
    let zip = out.join(format!("{institution}.zip"));
    if !zip.exists() {
        return Ok(None);
    }
    let moved = layout.withdrawn(institution);
    if let Some(aside) = moved.parent() {
        std::fs::create_dir_all(aside)
            .with_context(|| format!("cannot create `{}`", aside.display()))?;
    }
    std::fs::rename(&zip, &moved).with_context(|| {
        format!(
            "the previous `{}` could not be moved out of the way",
            zip.display()
        )
    })?;
    // Its other volumes, when it was split, go beside it.
    for number in 2.. {
        let name = volumes::volume_name(institution, number);
        let volume = out.join(&name);
        if !volume.exists() {
            break;
        }
        let aside = moved.with_file_name(&name);
        std::fs::rename(&volume, &aside).with_context(|| {
            format!(
                "the previous `{}` could not be moved out of the way",
                volume.display()
            )
        })?;
    }
    Ok(Some(moved))
}

/// Whether each clip's variants were cut with what its transcripts and
/// the redaction list say now, worked out once per run: clips are shared
/// by many packages.
#[derive(Default)]
struct Plans {
    outcomes: BTreeMap<String, Result<(), String>>,
    bleeps: Bleeps,
}

impl Plans {
    fn check(&mut self, toolkit: &Toolkit, clip: &Clip, redactor: &Redactor) -> Result<()> {
        let id = clip.id.as_str();
        let bleeps = &mut self.bleeps;
        let outcome = self.outcomes.entry(id.to_string()).or_insert_with(|| {
            let video = toolkit
                .config
                .as_ref()
                .map(|c| c.video.clone())
                .unwrap_or_default();
            match ClipPlan::new(toolkit, clip, redactor, &video, bleeps) {
                Err(e) => Err(format!("clip `{id}`: {e:#}")),
                Ok(plan) if !plan.is_cut(toolkit) => Err(format!(
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
    redactor: Redactor,
    signing: Option<&'a SecretKey>,
    out: &'a Path,
    /// Each recording's texts and their review state.
    reviews: BTreeMap<String, Vec<TextReview>>,
    gate: Gate,
    /// The largest volume a package may be, in bytes; larger ones are split.
    split: Option<u64>,
    /// The SHA-256 of the running confkit.
    program: String,
    /// The project's logo file, read once; `Err` says why it cannot ship.
    logo: Option<Result<Logo, String>>,
    /// The logo as packages carry it, made for the first package that
    /// ships it.
    logo_png: OnceCell<Result<Vec<u8>, String>>,
}

impl<'a> Run<'a> {
    /// What the package of `institution` is made of; an error says why it
    /// cannot be made now.
    fn inputs(&self, institution: &'a Institution, plans: &mut Plans) -> Result<Inputs<'a>> {
        let toolkit = self.toolkit;
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
            plans.check(toolkit, clip, &self.redactor)?;
        }
        let mut clips: BTreeMap<String, ClipFiles> = BTreeMap::new();
        for clip in &selection.clips {
            let mut files = clip_files(
                toolkit,
                clip,
                &selection.languages,
                &self.redactor,
                toolkit.profile(institution),
            )?;
            files.unreviewed = unreviewed(&files, self.reviews.get(clip.recording.as_str()));
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
        if self.gate == Gate::Release && !unreviewed.is_empty() {
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
        Ok(Inputs {
            selection,
            clips,
            unreviewed,
        })
    }

    /// The key of everything the package of `institution` is made from:
    /// the program, the signing key, the project's settings and texts that
    /// every page shows, this institution's selection (its modules, clips
    /// and chapters, as read from the project files), each clip's cut
    /// variants (by the key they were cut with), subtitles and review
    /// state, the title cards and the recordings. A clip another package
    /// holds is not part of it, so moving that clip remakes only the
    /// packages that hold it.
    fn key(&self, institution: &Institution, inputs: &Inputs<'_>) -> String {
        let toolkit = self.toolkit;
        let layout = toolkit.layout();
        let mut hash = sha2::Sha256::new();
        let mut add = |part: &dyn std::fmt::Debug| hash.update(format!("{part:?}\u{0}"));
        add(&PACKAGE_FORMAT);
        add(&self.program);
        add(&self.signing.map(|key| key.public().id()));
        add(&self.gate);
        add(&self.split);
        add(&toolkit.config);
        add(&self
            .logo
            .as_ref()
            .map(|logo| logo.as_ref().map(|l| sha2::Sha256::digest(&l.bytes))));
        add(&toolkit.guide_title);
        add(&toolkit.roles);
        add(&toolkit.institutions);
        add(&toolkit.glossary);
        add(&toolkit.redactions);
        add(institution);
        add(&inputs.selection);
        add(&inputs.clips);
        for clip in &inputs.selection.clips {
            add(&std::fs::read_to_string(layout.clip_stamp(clip.id.as_str()).path()).ok());
            let recording = toolkit.recording(&clip.recording);
            add(&recording);
            add(&self.reviews.get(clip.recording.as_str()));
            add(&recording.map(|r| toolkit.cache.sha256(&toolkit.path(&r.file)).ok()));
        }
        for module in &inputs.selection.modules {
            add(&std::fs::read_to_string(layout.title_card_stamp(&module.id).path()).ok());
        }
        crate::fs::digest_hex(hash)
    }

    /// The module reels of a package: one per module, in its main
    /// language; none in a lighter profile.
    fn reels(
        &self,
        institution: &Institution,
        inputs: &Inputs<'_>,
    ) -> Result<BTreeMap<String, (String, PathBuf)>> {
        let selection = &inputs.selection;
        let mut reels = BTreeMap::new();
        if self.toolkit.profile(institution) != Profile::Full {
            return Ok(reels);
        }
        for module in &selection.modules {
            if let Some(reel) = reels::module_reel(
                self.toolkit,
                module,
                selection,
                &inputs.clips,
                &selection.languages[0],
            )? {
                let name = format!("reels/{}.{}.mp4", module.id, selection.languages[0]);
                reels.insert(module.id.clone(), (name, reel));
            }
        }
        Ok(reels)
    }
}

/// Names the package format in its key: changing how packages are made
/// without changing confkit's binary (never, in practice) remakes them.
const PACKAGE_FORMAT: &str = "confkit-package/1";

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
