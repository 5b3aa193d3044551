//! Progress on long stages: a bar on a terminal, a line per item otherwise
//! (logs, CI), nothing with `--quiet` or `--json`.

use std::io::IsTerminal;
use std::sync::LazyLock;

use confkit::build::Progress;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use super::Global;

/// Every bar of the run: stages that overlap (clips cut while the next
/// recording is transcribed) each keep their own line.
static BARS: LazyLock<MultiProgress> = LazyLock::new(MultiProgress::new);

/// Prints a line on stderr above the bars, which are drawn again below it.
pub(super) fn eprint_line(line: &str) {
    BARS.suspend(|| eprintln!("{line}"));
}

/// Shows a stage's progress; the bar ends when this is dropped.
pub(super) struct Reporter {
    bar: Option<ProgressBar>,
    lines: bool,
}

impl Reporter {
    /// A reporter for the stage called `stage`.
    pub(super) fn new(stage: &str, global: &Global) -> Reporter {
        let quiet = global.quiet || global.json;
        let terminal = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let bar = (!quiet && terminal).then(|| {
            let bar = BARS.add(ProgressBar::new(0));
            bar.set_style(
                ProgressStyle::with_template(
                    "{prefix:>12} [{bar:30}] {pos}/{len} {elapsed} {wide_msg}",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            );
            bar.set_prefix(stage.to_string());
            bar
        });
        Reporter {
            lines: !quiet && bar.is_none(),
            bar,
        }
    }

    /// Reports one item.
    pub(super) fn report(&self, progress: Progress) {
        if let Some(bar) = &self.bar {
            bar.set_length(progress.total as u64);
            bar.set_position(progress.done.saturating_sub(1) as u64);
            bar.set_message(progress.what);
        } else if self.lines {
            eprint_line(&format!(
                "[{}/{}] {}",
                progress.done, progress.total, progress.what
            ));
        }
    }
}

impl Drop for Reporter {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
