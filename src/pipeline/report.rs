//! What a build tells as it goes ([`Reporter`]) and when it is done
//! ([`BuildReport`]).

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::{Plan, PlanSummary};
use crate::build::clips::ClipsReport;
use crate::build::transcripts::TranscriptsReport;
use crate::build::Progress;
use crate::diagnostic::{Diagnostics, Item};
use crate::fs::Work;
use crate::package::PackagesReport;
use crate::project::Toolkit;

/// The stages of a build, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Load the project and check it.
    Check,
    /// Resolve what the stages work on.
    Plan,
    /// Transcribe, translate.
    Transcripts,
    /// Cut clips, draw title cards.
    Clips,
    /// Encode module reels.
    Reels,
    /// Render and zip packages.
    Packages,
}

impl Stage {
    /// The stage's name, as the report and the progress bars write it.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Check => "check",
            Stage::Plan => "plan",
            Stage::Transcripts => "transcripts",
            Stage::Clips => "clips",
            Stage::Reels => "reels",
            Stage::Packages => "packages",
        }
    }
}

/// A stage's outcome, as soon as it is known.
pub enum StageReport<'a> {
    /// The project's problems, and what its errors keep out ("recording
    /// `x` and its clips"); `blocked` when they stop the build.
    Check {
        /// Every problem found.
        diagnostics: &'a Diagnostics,
        /// What errors keep out.
        skipped: &'a [String],
        /// True when the errors stop the build.
        blocked: bool,
    },
    /// What the stages will work on.
    Plan(&'a Plan),
    /// The transcripts stage.
    Transcripts(&'a TranscriptsReport),
    /// The clips stage.
    Clips(&'a ClipsReport),
    /// The reels and packages stages.
    Packages(&'a PackagesReport),
}

/// Hears of a build as it goes: progress within each stage, and each
/// stage's outcome. Called from the thread that runs the stage.
pub trait Reporter: Send {
    /// How far `stage` has come.
    fn progress(&mut self, stage: Stage, progress: Progress) {
        let _ = (stage, progress);
    }

    /// A stage is done, after `took`.
    fn finished(&mut self, stage: Stage, took: Duration, report: &StageReport<'_>) {
        let _ = (stage, took, report);
    }
}

/// A reporter that hears nothing, for tests and quiet runs.
pub struct Silent;

impl Reporter for Silent {}

/// How long a stage took. The transcripts and clips stages overlap.
#[derive(Debug, Clone, Serialize)]
pub struct StageTime {
    /// The stage.
    pub stage: Stage,
    /// Wall-clock seconds.
    pub seconds: f64,
}

impl StageTime {
    /// `stage` took `took`.
    pub fn new(stage: Stage, took: Duration) -> StageTime {
        StageTime {
            stage,
            seconds: took.as_secs_f64(),
        }
    }
}

/// What a build did.
#[derive(Debug, Default, Serialize)]
pub struct BuildReport {
    /// True when nothing failed and the project has no error.
    pub ok: bool,
    /// True when errors in the project stopped the build before any stage.
    pub blocked: bool,
    /// True when the build was interrupted.
    pub interrupted: bool,
    /// Errors found in the project.
    pub errors: usize,
    /// Warnings found in the project (subtitle rules, missing languages,
    /// terminology), from the check that started the build.
    pub warnings: usize,
    /// What errors keep out of this build: "recording `x` and its clips".
    pub skipped: Vec<String>,
    /// What the stages worked on, once planned.
    pub plan: Option<PlanSummary>,
    /// Each stage's wall-clock time, in the order they ended.
    pub stages: Vec<StageTime>,
    /// The transcripts stage, when run.
    pub transcripts: Option<TranscriptsReport>,
    /// The clips stage, when run.
    pub clips: Option<ClipsReport>,
    /// The packages stage, when run.
    pub packages: Option<PackagesReport>,
    /// What had to be read: a rebuild with nothing changed hashes and
    /// probes nothing.
    pub work: Work,
    /// Every problem the check found, for the front end to show.
    #[serde(skip)]
    pub diagnostics: Diagnostics,
}

impl BuildReport {
    pub(super) fn timed(&mut self, stage: Stage, started: Instant) {
        self.stages.push(StageTime::new(stage, started.elapsed()));
    }

    pub(super) fn checked(&mut self, toolkit: &Toolkit, diagnostics: Diagnostics) {
        self.errors = diagnostics.error_count();
        self.warnings = diagnostics.warning_count();
        self.blocked = diagnostics.blocks_build();
        self.skipped = toolkit
            .skipped
            .keys()
            .map(|item| match item {
                Item::Recording(id) => format!("recording `{id}` and its clips"),
                Item::Clip(id) => format!("clip `{id}`"),
            })
            .collect();
        self.diagnostics = diagnostics;
    }

    pub(super) fn finish(&mut self) {
        self.interrupted = crate::interrupt::requested();
        let failed = self
            .transcripts
            .as_ref()
            .is_some_and(|t| !t.failed.is_empty())
            || self.clips.as_ref().is_some_and(|c| !c.failed.is_empty())
            || self.packages.as_ref().is_some_and(|p| !p.failed.is_empty());
        self.ok = self.errors == 0 && !self.blocked && !failed && !self.interrupted;
    }
}

/// The reporter, locked for one call: a panic in another call leaves it usable.
pub(super) fn lock<'a, 'r>(
    reporter: &'a Mutex<&'r mut dyn Reporter>,
) -> MutexGuard<'a, &'r mut dyn Reporter> {
    reporter
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
