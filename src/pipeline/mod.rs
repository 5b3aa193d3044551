//! The build of a project as one list of stages, for every front end:
//! check, plan, transcripts, clips, reels, packages. `confkit build` runs
//! them all; `transcribe`, `clips` and `package` run the same build limited
//! to their stages; tests call [`Toolkit::build`] directly.
//!
//! A recording's clips are cut as soon as its transcripts are done (they
//! say where to bleep), on a second thread, while the next recording is
//! transcribed. Every stage decides what is stale from its inputs' keys
//! before doing any work, and shares the project's cache of hashes and
//! probes, so a rebuild with nothing changed reads no media.

mod options;
mod report;

use std::sync::{mpsc, Mutex};
use std::time::Instant;

pub use crate::build::plan::{Plan, PlanSummary, RecordingPlan};
pub use options::{BuildOptions, Stages};
pub use report::{BuildReport, Reporter, Silent, Stage, StageReport, StageTime};

use crate::build::clips::{ClipCutter, ClipsReport};
use crate::build::transcripts::{build_transcripts, TranscriptsReport};
use crate::build::Progress;
use crate::package::{Gate, Packager};
use crate::project::{Recording, Toolkit};

impl Toolkit {
    /// Builds the project at `options.root`: every stage `options.stages`
    /// names, in order, each going on past a failed item. Problems go into
    /// the report, which says whether anything failed; progress and each
    /// stage's outcome go to `reporter` as they happen.
    pub fn build(options: &BuildOptions, reporter: &mut dyn Reporter) -> BuildReport {
        let mut report = BuildReport::default();
        let started = Instant::now();
        let (toolkit, diagnostics) = Toolkit::check(&options.root);
        report.timed(Stage::Check, started);
        report.checked(&toolkit, diagnostics);
        reporter.finished(
            Stage::Check,
            started.elapsed(),
            &StageReport::Check {
                diagnostics: &report.diagnostics,
                skipped: &report.skipped,
                blocked: report.blocked,
            },
        );
        if report.blocked {
            return report;
        }

        let started = Instant::now();
        let plan = Plan::new(&toolkit);
        report.timed(Stage::Plan, started);
        report.plan = Some(plan.summary());
        reporter.finished(Stage::Plan, started.elapsed(), &StageReport::Plan(&plan));

        let reporter = Mutex::new(reporter);
        let (transcripts, clips) =
            transcripts_and_clips(&toolkit, &plan, options, &reporter, &mut report);
        report.transcripts = transcripts;
        report.clips = clips;

        if options.stages.packages && !crate::interrupt::requested() {
            packages(&toolkit, options, &reporter, &mut report);
        }
        toolkit.save_cache();
        report.work = toolkit.cache.work();
        report.finish();
        report
    }
}

/// The transcripts and clips stages, overlapping: each recording's clips
/// are cut once its transcripts are done.
fn transcripts_and_clips(
    toolkit: &Toolkit,
    plan: &Plan,
    options: &BuildOptions,
    reporter: &Mutex<&mut dyn Reporter>,
    report: &mut BuildReport,
) -> (Option<TranscriptsReport>, Option<ClipsReport>) {
    let progress = |stage: Stage| move |p: Progress| report::lock(reporter).progress(stage, p);
    let (transcribed, done) = mpsc::channel::<String>();
    std::thread::scope(|scope| {
        let clips = options.stages.clips.then(|| {
            scope.spawn(move || {
                let started = Instant::now();
                let mut progress = progress(Stage::Clips);
                let mut cutter = ClipCutter::new(toolkit);
                for recording in done {
                    cutter.cut_recording(&recording, &mut progress);
                }
                cutter.cut_rest(&mut progress);
                let clips = cutter.finish();
                let took = started.elapsed();
                report::lock(reporter).finished(Stage::Clips, took, &StageReport::Clips(&clips));
                (clips, took)
            })
        });
        let transcripts = options.stages.transcripts.then(|| {
            let started = Instant::now();
            let transcripts = build_transcripts(
                toolkit,
                plan,
                options.model.as_deref(),
                options.threads,
                &mut progress(Stage::Transcripts),
                &mut |recording: &Recording| {
                    // Fails only when the clips stage is not run, or panicked
                    // (raised below).
                    let _ = transcribed.send(recording.id.to_string());
                },
            );
            let took = started.elapsed();
            report::lock(reporter).finished(
                Stage::Transcripts,
                took,
                &StageReport::Transcripts(&transcripts),
            );
            report.stages.push(StageTime::new(Stage::Transcripts, took));
            transcripts
        });
        drop(transcribed);
        let clips = clips.map(|handle| {
            let (clips, took) = handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            report.stages.push(StageTime::new(Stage::Clips, took));
            clips
        });
        (transcripts, clips)
    })
}

/// The reels and packages stages.
fn packages(
    toolkit: &Toolkit,
    options: &BuildOptions,
    reporter: &Mutex<&mut dyn Reporter>,
    report: &mut BuildReport,
) {
    let out = toolkit.layout().packages();
    let begun = Instant::now();
    let started = begun;
    let configured = toolkit.config.as_ref().is_some_and(|c| c.packages.release);
    let gate = if options.release || configured {
        Gate::Release
    } else {
        Gate::Mark
    };
    let mut packager =
        Packager::prepare(toolkit, &out, options.signing.as_ref(), gate, options.split);
    packager.make_reels(&mut |p| report::lock(reporter).progress(Stage::Reels, p));
    report.timed(Stage::Reels, started);
    let started = Instant::now();
    let packages = packager.write(&mut |p| report::lock(reporter).progress(Stage::Packages, p));
    report.timed(Stage::Packages, started);
    report::lock(reporter).finished(
        Stage::Packages,
        begun.elapsed(),
        &StageReport::Packages(&packages),
    );
    report.packages = Some(packages);
}
