//! How a build looks on the terminal: a bar per stage on a terminal, a
//! line per item and every tenth of a long item otherwise (logs, CI),
//! nothing with `--quiet` or `--json`; then each stage's outcome in words.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use confkit::build::Progress;
use confkit::pipeline::{Reporter, Stage, StageReport};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use super::Global;

/// Every bar of the run: stages that overlap (clips cut while the next
/// recording is transcribed) each keep their own line.
static BARS: LazyLock<MultiProgress> = LazyLock::new(MultiProgress::new);

/// Prints a line on stderr above the bars, which are drawn again below it.
pub(super) fn eprint_line(line: &str) {
    BARS.suspend(|| eprintln!("{line}"));
}

/// The build as the user sees it.
pub(super) struct Terminal {
    quiet: bool,
    bars: bool,
    stages: BTreeMap<&'static str, Shown>,
    /// Where packages go, as the user wrote the project's path.
    packages: PathBuf,
    /// The key id packages are signed with.
    signer: Option<String>,
}

/// What is shown of one stage.
struct Shown {
    bar: Option<ProgressBar>,
    /// When the current item started, and the last tenth told of it.
    item: Option<(Instant, u32)>,
}

impl Terminal {
    pub(super) fn new(global: &Global, root: &Path, signer: Option<String>) -> Terminal {
        let quiet = global.quiet || global.json;
        let terminal = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        Terminal {
            quiet,
            bars: !quiet && terminal,
            stages: BTreeMap::new(),
            packages: confkit::layout::Layout::new(root).packages(),
            signer,
        }
    }

    fn shown(&mut self, stage: Stage) -> &mut Shown {
        let bars = self.bars;
        self.stages.entry(stage.name()).or_insert_with(|| Shown {
            bar: bars.then(|| {
                let bar = BARS.add(ProgressBar::new(0));
                bar.set_style(
                    ProgressStyle::with_template(
                        "{prefix:>12} [{bar:30}] {pos}/{len} {elapsed} {wide_msg}",
                    )
                    .expect("a valid template")
                    .progress_chars("=> "),
                );
                bar.set_prefix(stage.name());
                bar
            }),
            item: None,
        })
    }

    fn end(&mut self, stage: Stage) {
        if let Some(Shown { bar: Some(bar), .. }) = self.stages.remove(stage.name()) {
            bar.finish_and_clear();
        }
    }
}

impl Reporter for Terminal {
    fn progress(&mut self, stage: Stage, progress: Progress) {
        if self.quiet {
            return;
        }
        let bars = self.bars;
        let shown = self.shown(stage);
        let now = Instant::now();
        let line = match progress.within {
            None => {
                shown.item = Some((now, 0));
                Some(format!(
                    "[{}/{}] {}",
                    progress.done, progress.total, progress.what
                ))
            }
            Some(fraction) => {
                let (since, told) = shown.item.get_or_insert((now, 0));
                let tenth = (fraction * 10.0).floor() as u32;
                let left = time_left(now - *since, fraction);
                let line = (tenth > *told && tenth < 10).then(|| {
                    format!(
                        "[{}/{}] {}: {:.0}%{left}",
                        progress.done,
                        progress.total,
                        progress.what,
                        fraction * 100.0
                    )
                });
                *told = (*told).max(tenth);
                if let Some(bar) = &shown.bar {
                    bar.set_message(format!("{} {:.0}%{left}", progress.what, fraction * 100.0));
                }
                line
            }
        };
        if let Some(bar) = &shown.bar {
            bar.set_length(progress.total as u64);
            bar.set_position(progress.done.saturating_sub(1) as u64);
            if progress.within.is_none() {
                bar.set_message(progress.what);
            }
        } else if let (false, Some(line)) = (bars, line) {
            eprint_line(&line);
        }
    }

    fn finished(&mut self, stage: Stage, took: Duration, report: &StageReport<'_>) {
        self.end(stage);
        if stage == Stage::Packages {
            self.end(Stage::Reels);
        }
        match report {
            StageReport::Check {
                diagnostics,
                skipped,
                blocked,
            } => {
                let mut shown = confkit::diagnostic::Diagnostics::default();
                if *blocked {
                    shown.extend((*diagnostics).clone());
                } else {
                    // Errors that keep single items out: say which, and build the rest.
                    shown.extend_errors(diagnostics);
                }
                BARS.suspend(|| {
                    let _ = shown.write_human(&mut anstream::stderr().lock());
                });
                if !blocked && !skipped.is_empty() {
                    eprint_line(&format!(
                        "going on without {}; the rest is built",
                        and_list(skipped)
                    ));
                }
            }
            StageReport::Plan(_) => {}
            StageReport::Transcripts(report) => {
                for name in &report.corrected {
                    eprint_line(&format!(
                        "note: transcripts/{name}.* were corrected by hand: kept as they are"
                    ));
                }
                for name in &report.conflicts {
                    eprint_line(&format!(
                        "warning: transcripts/{name}.* were corrected by hand, but the recording changed since: \
                         kept as they are; check them against the new recording (move them away to get a new transcript)"
                    ));
                }
                for (name, reason) in &report.failed {
                    eprint_line(&format!("error: {name}: {reason}"));
                }
                if !self.quiet {
                    eprint_line(&format!(
                        "transcripts: {} made, {} up to date, {} corrected by hand and kept, {} reviewed and kept, {} failed; {:.1} s",
                        report.made.len(),
                        report.fresh.len(),
                        report.corrected.len() + report.conflicts.len(),
                        report.reviewed.len(),
                        report.failed.len(),
                        took.as_secs_f64()
                    ));
                }
            }
            StageReport::Clips(report) => {
                for (what, reason) in &report.failed {
                    eprint_line(&format!("error: {what}: {reason}"));
                }
                if !self.quiet {
                    eprint_line(&format!(
                        "clips: {} cut, {} up to date, {} failed; {} module cards made; {:.1} s",
                        report.made.len(),
                        report.fresh.len(),
                        report.failed.len(),
                        report.title_cards,
                        took.as_secs_f64(),
                    ));
                }
            }
            StageReport::Packages(report) => {
                super::package::print_failures(&report.failed, &report.withdrawn);
                for (id, bytes, budget, profile) in &report.over_budget {
                    let lighter = match profile {
                        confkit::project::Profile::Full => "; `profile = \"light\"` for the institution in assets/institutions.toml drops the reels and carries 360p clips",
                        confkit::project::Profile::Light => "; `profile = \"audio\"` carries sound and text only",
                        confkit::project::Profile::Audio => "",
                    };
                    eprintln!(
                        "warning: package `{id}` is {:.1} MB, over the {budget} MB budget of confkit.toml ([packages] budget_mb){lighter}",
                        *bytes as f64 / 1e6
                    );
                }
                if !self.quiet {
                    for (id, modules, clips, bytes) in &report.made {
                        eprintln!(
                            "  {id}: {modules} modules, {clips} clips, {:.1} MB",
                            *bytes as f64 / 1e6
                        );
                    }
                    eprintln!(
                        "packages: {} made, {} up to date, {} failed; {:.1} s; in {}{}",
                        report.made.len(),
                        report.fresh.len(),
                        report.failed.len(),
                        took.as_secs_f64(),
                        self.packages.display(),
                        self.signer
                            .as_ref()
                            .map_or_else(String::new, |id| format!("; signed with key id {id}"))
                    );
                }
            }
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        for shown in self.stages.values() {
            if let Some(bar) = &shown.bar {
                bar.finish_and_clear();
            }
        }
    }
}

/// "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => "nothing".into(),
        [one] => one.clone(),
        [first @ .., last] => format!("{} and {last}", first.join(", ")),
    }
}

/// ", about 2:10 left" after `elapsed` for `fraction` of an item; nothing
/// until there is enough to go on.
fn time_left(elapsed: Duration, fraction: f64) -> String {
    if fraction < 0.02 || elapsed < Duration::from_secs(2) {
        return String::new();
    }
    let left = elapsed.as_secs_f64() * (1.0 - fraction) / fraction;
    let left = left.round() as u64;
    format!(", about {}:{:02} left", left / 60, left % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_waits_for_enough() {
        assert_eq!(time_left(Duration::from_secs(1), 0.5), "");
        assert_eq!(time_left(Duration::from_secs(60), 0.01), "");
        assert_eq!(
            time_left(Duration::from_secs(60), 0.25),
            ", about 3:00 left"
        );
    }
}
