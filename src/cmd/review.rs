//! `confkit review`: the cues that most need a person, worst first; the
//! offline review page of each recording; and `review mark`, which signs a
//! text off (or sets it back to draft).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use confkit::privacy::redact::Redactor;
use confkit::project::Toolkit;
use confkit::review::page::{relative_href, render};
use confkit::review::queue::{queue, review_recording, CueReview, RecordingReview};
use confkit::texts::reviews::{mark_texts, MarkAs, ReviewBook, ReviewState, TextReview};
use serde_json::json;

use super::Global;

/// `confkit review`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(super) struct ReviewArgs {
    #[command(subcommand)]
    action: Option<ReviewAction>,
    /// The recordings (default: all)
    recordings: Vec<String>,
    /// Also write an offline review page per recording
    #[arg(long)]
    html: bool,
    /// Where to write the pages (default: .confkit/review/ in the project;
    /// they show the names on the redaction list: keep them in the office)
    #[arg(long, value_name = "DIR", requires = "html")]
    out: Option<PathBuf>,
    /// How many flagged cues to print (0: all)
    #[arg(long, default_value_t = 25)]
    limit: usize,
    /// List every cue, flagged or not, in time order
    #[arg(long)]
    all: bool,
}

#[derive(Debug, Subcommand)]
enum ReviewAction {
    /// Sign a recording's text off as reviewed (or set it back to draft)
    Mark {
        /// The recording
        recording: String,
        /// The languages (default: all of the recording's texts)
        #[arg(long = "lang", value_name = "LANG")]
        languages: Vec<String>,
        /// Who reviewed it, as it should be recorded
        #[arg(long, value_name = "NAME", required_unless_present = "draft")]
        by: Option<String>,
        /// Set it back to draft: corrected, not signed off
        #[arg(long, conflicts_with = "by")]
        draft: bool,
    },
}

pub(super) fn run(root: &Path, args: &ReviewArgs, global: &Global) -> Result<ExitCode> {
    let toolkit = super::load(root)?;
    match &args.action {
        Some(ReviewAction::Mark {
            recording,
            languages,
            by,
            draft,
        }) => mark(
            &toolkit,
            recording,
            languages,
            by.as_deref(),
            *draft,
            global,
        ),
        None => list(&toolkit, args, global),
    }
}

fn mark(
    toolkit: &Toolkit,
    recording: &str,
    languages: &[String],
    by: Option<&str>,
    draft: bool,
    global: &Global,
) -> Result<ExitCode> {
    let Some(recording) = toolkit.recording(recording) else {
        bail!(
            "no recording `{recording}` in assets/recordings.toml\n  help: the recordings are {}",
            ids(toolkit)
        );
    };
    let how = match (by, draft) {
        (_, true) => MarkAs::Draft,
        (Some(by), false) if !by.trim().is_empty() => MarkAs::Reviewed {
            by: by.trim().to_string(),
        },
        _ => bail!("say who reviewed it with `--by NAME`"),
    };
    let marked = mark_texts(
        toolkit,
        recording,
        languages,
        &how,
        &confkit::clock::now_utc(),
    )?;
    if global.json {
        println!("{}", serde_json::to_string_pretty(&marked)?);
    } else if !global.quiet {
        for text in &marked {
            println!("{}", describe_text(text));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn ids(toolkit: &Toolkit) -> String {
    if toolkit.recordings.is_empty() {
        return "none yet: list them in assets/recordings.toml".into();
    }
    toolkit
        .recordings
        .iter()
        .map(|r| r.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn list(toolkit: &Toolkit, args: &ReviewArgs, global: &Global) -> Result<ExitCode> {
    for id in &args.recordings {
        if toolkit.recording(id).is_none() {
            bail!(
                "no recording `{id}` in assets/recordings.toml\n  help: the recordings are {}",
                ids(toolkit)
            );
        }
    }
    let book = ReviewBook::load(&toolkit.root)?;
    let redactor = Redactor::new(&toolkit.redactions)?;
    let reviews: Vec<RecordingReview> = toolkit
        .recordings
        .iter()
        .filter(|r| {
            args.recordings.is_empty() || args.recordings.iter().any(|id| id == r.id.as_str())
        })
        .map(|r| review_recording(toolkit, &book, r, &redactor))
        .collect();
    let pages = if args.html {
        let out = args
            .out
            .clone()
            .unwrap_or_else(|| toolkit.layout().review_pages());
        write_pages(toolkit, &reviews, &out)?
    } else {
        Vec::new()
    };
    let flagged: Vec<&CueReview> = if args.all {
        reviews.iter().flat_map(|r| &r.cues).collect()
    } else {
        queue(&reviews)
    };
    let texts: Vec<&TextReview> = reviews.iter().flat_map(|r| &r.texts).collect();
    let problems: Vec<String> = reviews
        .iter()
        .flat_map(|r| {
            r.problems
                .iter()
                .map(move |p| format!("{}: {p}", r.recording))
        })
        .collect();
    if global.json {
        let lags: Vec<_> = reviews
            .iter()
            .flat_map(|r| r.lags.iter().map(move |l| (r.recording.as_str(), l)))
            .map(|(id, l)| json!({"recording": id, "language": l.language, "seconds": l.seconds, "fixed": l.fixed}))
            .collect();
        let report = json!({
            "texts": texts,
            "queue": flagged,
            "lags": lags,
            "pages": pages,
            "problems": problems,
        });
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_text(&texts, &flagged, &pages, &problems, args.limit)?;
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn describe_text(text: &TextReview) -> String {
    let state = match (text.state, &text.by, &text.at) {
        (ReviewState::Reviewed, Some(by), Some(at)) => {
            format!("reviewed by {by} on {}", at.get(..10).unwrap_or(at))
        }
        (state, _, _) => state.describe().to_string(),
    };
    let note = text
        .note
        .as_ref()
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    format!(
        "  {:<34} {:<3} {:<36} {}{note}",
        text.recording,
        text.language,
        state,
        text.source.describe()
    )
}

fn print_text(
    texts: &[&TextReview],
    flagged: &[&CueReview],
    pages: &[PathBuf],
    problems: &[String],
    limit: usize,
) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "Texts:")?;
    if texts.is_empty() {
        writeln!(
            out,
            "  none yet: list the recordings in assets/recordings.toml and run `confkit build`"
        )?;
    }
    for text in texts {
        writeln!(out, "{}", describe_text(text))?;
    }
    let unreviewed = flagged
        .iter()
        .filter(|c| c.state != ReviewState::Reviewed)
        .count();
    writeln!(
        out,
        "\nQueue: {} flagged cue{}, {unreviewed} in texts not reviewed; worst first",
        flagged.len(),
        if flagged.len() == 1 { "" } else { "s" }
    )?;
    let shown = if limit == 0 { flagged.len() } else { limit };
    for cue in flagged.iter().take(shown) {
        writeln!(
            out,
            "\n  {} {} {} ({}, {}) {}:{}",
            cue.recording,
            cue.start,
            cue.language,
            cue.state.describe(),
            cue.source.describe(),
            cue.file,
            cue.line
        )?;
        for line in cue.text.lines() {
            writeln!(out, "    | {line}")?;
        }
        for flag in &cue.flags {
            let kind = serde_json::to_value(flag.kind)?;
            writeln!(
                out,
                "    - {}: {}",
                kind.as_str().unwrap_or_default(),
                flag.reason
            )?;
        }
    }
    if flagged.len() > shown {
        writeln!(
            out,
            "\n  ... and {} more (`--limit 0` prints them all; `--html` writes a page per recording)",
            flagged.len() - shown
        )?;
    }
    for page in pages {
        writeln!(out, "\nReview page: {}", page.display())?;
    }
    for problem in problems {
        writeln!(out, "\nerror: {problem}")?;
    }
    writeln!(
        out,
        "\nCorrect the cues in transcripts/ (any text or subtitle editor), or import a translator's XLIFF with `confkit translate import`; then sign the text off with `confkit review mark RECORDING --by NAME`."
    )?;
    Ok(())
}

/// Writes one page per recording into `out`.
fn write_pages(toolkit: &Toolkit, reviews: &[RecordingReview], out: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create `{}`", out.display()))?;
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut pages = Vec::new();
    for review in reviews {
        let video = toolkit.path(&review.video);
        let href = relative_href(&absolute(out), &absolute(&video));
        let clips = toolkit
            .clips
            .iter()
            .filter(|c| c.recording.as_str() == review.recording)
            .map(|c| {
                json!({
                    "id": c.id.as_str(),
                    "start": c.start.as_millis() as f64 / 1000.0,
                    "end": c.end.as_millis() as f64 / 1000.0,
                    "title": toolkit.languages().iter().find_map(|l| c.title.get(l)).cloned().unwrap_or_default(),
                })
            })
            .collect();
        let page = out.join(format!("{}.html", review.recording));
        confkit::fs::write_atomically(&page, render(review, &href, clips).as_bytes())?;
        pages.push(page);
    }
    Ok(pages)
}
