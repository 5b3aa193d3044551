//! `confkit package` and `confkit verify`: the packages, signed when a key
//! is given, and their check; `--dry-run` says what each institution would
//! receive, with sizes, and what its clearance keeps out.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use confkit::build::BUILD_DIR;
use confkit::package::signature::{read_public_key, read_secret_key, SecretKey, SignedBy};
use confkit::package::verify::verify;
use confkit::package::{build_packages, Gate};
use confkit::selection::select;
use serde::Serialize;

use super::Global;

#[derive(Serialize)]
struct Planned<'a> {
    #[serde(flatten)]
    selection: confkit::selection::Selection<'a>,
    /// Bytes of the clip files already cut for its languages.
    clip_bytes: u64,
    /// Clips not cut yet.
    clips_not_cut: Vec<String>,
}

pub(super) fn dry_run(root: &Path, global: &Global) -> Result<ExitCode> {
    let toolkit = super::load(root)?;
    let clips_dir = root.join(BUILD_DIR).join("clips");
    let mut plans = Vec::new();
    for institution in &toolkit.institutions {
        let selection = select(&toolkit, institution);
        let mut clip_bytes = 0;
        let mut clips_not_cut = Vec::new();
        for clip in &selection.clips {
            let dir = clips_dir.join(clip.id.as_str());
            let mut found = false;
            // `<clip>.<label>.mp4|m4a`: a label names the languages heard (`fr-en` on a switching floor).
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let Some(rest) = name.strip_prefix(&format!("{}.", clip.id.as_str())) else {
                    continue;
                };
                let Some(label) = rest
                    .strip_suffix(".mp4")
                    .or_else(|| rest.strip_suffix(".m4a"))
                else {
                    continue;
                };
                if !label.contains('.')
                    && label
                        .split('-')
                        .any(|l| selection.languages.iter().any(|w| w == l))
                {
                    clip_bytes += entry.metadata().map_or(0, |m| m.len());
                    found = true;
                }
            }
            if !found {
                clips_not_cut.push(clip.id.to_string());
            }
        }
        plans.push(Planned {
            selection,
            clip_bytes,
            clips_not_cut,
        });
    }
    let mut out = std::io::stdout().lock();
    if global.json {
        serde_json::to_writer_pretty(&mut out, &plans)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    for plan in &plans {
        let s = &plan.selection;
        writeln!(
            out,
            "{} ({}, {}): {} modules, {} clips ({:.1} MB{}), {} chapters",
            s.institution,
            s.languages.join("+"),
            s.clearance,
            s.modules.len(),
            s.clips.len(),
            plan.clip_bytes as f64 / 1e6,
            if plan.clips_not_cut.is_empty() {
                String::new()
            } else {
                format!(", {} not cut yet", plan.clips_not_cut.len())
            },
            s.chapters.len()
        )?;
        if !global.quiet {
            writeln!(
                out,
                "  modules:  {}",
                s.modules
                    .iter()
                    .map(|m| m.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )?;
            writeln!(
                out,
                "  chapters: {}",
                s.chapters
                    .iter()
                    .map(|c| c.id())
                    .collect::<Vec<_>>()
                    .join(", ")
            )?;
            for left in &s.left_out {
                writeln!(out, "  left out: {}", left.reason)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// How packages are signed.
#[derive(Debug, clap::Args)]
pub(crate) struct SigningArgs {
    /// Sign the packages with this secret key (from `confkit key new`);
    /// keep it outside the project folder
    #[arg(long, value_name = "KEY", env = "CONFKIT_SIGNING_KEY")]
    sign: Option<PathBuf>,
}

/// The secret key `args` name, read and checked; refused inside the
/// project folder, which is shared and committed.
pub(super) fn signing_key(args: &SigningArgs, root: &Path) -> Result<Option<SecretKey>> {
    let Some(path) = &args.sign else {
        return Ok(None);
    };
    let key = read_secret_key(path)?;
    let full = |p: &Path| {
        p.canonicalize()
            .with_context(|| format!("cannot read `{}`", p.display()))
    };
    if full(path)?.starts_with(full(root)?) {
        bail!(
            "the signing key `{}` is inside the project folder, which is shared and committed\n  help: move it out (e.g. to ~/.config/confkit/keys/), and make a new key if it was ever committed",
            path.display()
        );
    }
    Ok(Some(key))
}

pub(super) fn run(
    root: &Path,
    signing: &SigningArgs,
    release: bool,
    global: &Global,
) -> Result<ExitCode> {
    let key = signing_key(signing, root)?;
    super::run_stage(root, |toolkit| {
        stage(toolkit, key.as_ref(), release, global)
    })
}

/// What becomes of unreviewed text: refused with `--release` or
/// `release = true` under `[packages]` in confkit.toml, else marked.
fn gate(toolkit: &confkit::project::Toolkit, release: bool) -> Gate {
    let configured = toolkit.config.as_ref().is_some_and(|c| c.packages.release);
    if release || configured {
        Gate::Release
    } else {
        Gate::Mark
    }
}

/// The packages that failed, those failing for the same reason together
/// (a release refused for one draft recording fails most packages alike),
/// then where their previous versions went.
fn print_failures(failed: &[(String, String)], withdrawn: &[(String, PathBuf)]) {
    let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
    for (id, reason) in failed {
        match reasons.iter_mut().find(|(r, _)| r == reason) {
            Some((_, ids)) => ids.push(id),
            None => reasons.push((reason, vec![id])),
        }
    }
    for (reason, ids) in reasons {
        let named = match ids.len() {
            1 => format!("package {}", ids[0]),
            n if n <= 6 => format!("packages {}", ids.join(", ")),
            n => format!("{n} packages ({}, and {} more)", ids[..4].join(", "), n - 4),
        };
        eprintln!("error: {named}: {reason}");
    }
    match withdrawn {
        [] => {}
        [(id, path)] => eprintln!(
            "note: package {id}: the previous package is withdrawn to `{}`",
            path.display()
        ),
        many => eprintln!(
            "note: the previous packages of {} institutions are withdrawn to `{}`",
            many.len(),
            many[0].1.parent().unwrap_or(Path::new(".")).display()
        ),
    }
}

/// The packaging stage; true when nothing failed.
pub(super) fn stage(
    toolkit: &confkit::project::Toolkit,
    signing: Option<&SecretKey>,
    release: bool,
    global: &Global,
) -> Result<bool> {
    let out = toolkit.root.join("packages");
    let started = std::time::Instant::now();
    let reporter = super::progress::Reporter::new("packages", global);
    let report = build_packages(
        toolkit,
        &out,
        signing,
        gate(toolkit, release),
        &mut |step| reporter.report(step),
    );
    print_failures(&report.failed, &report.withdrawn);
    if global.json {
        let mut stdout = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut stdout, &report)?;
        writeln!(stdout)?;
    } else if !global.quiet {
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
            started.elapsed().as_secs_f64(),
            out.display(),
            signing.map_or_else(String::new, |key| format!(
                "; signed with key id {}",
                key.public().id()
            ))
        );
    }
    Ok(report.failed.is_empty())
}

/// `confkit verify [--key PUBLIC_KEY] ZIP...`.
pub(super) fn run_verify(
    zips: &[PathBuf],
    key: Option<&Path>,
    global: &Global,
) -> Result<ExitCode> {
    let key = key.map(read_public_key).transpose()?;
    let mut failed = 0;
    for zip in zips {
        match verify(zip, key.as_ref()) {
            Ok(verified) if verified.problems.is_empty() => {
                if !global.quiet {
                    println!(
                        "{}: ok, {}",
                        zip.display(),
                        describe_signer(&verified.signer)
                    );
                }
            }
            Ok(verified) => {
                failed += 1;
                let problems = &verified.problems;
                for problem in problems.iter().take(20) {
                    eprintln!("error: {}: {problem}", zip.display());
                }
                if problems.len() > 20 {
                    eprintln!(
                        "error: {}: and {} more problems",
                        zip.display(),
                        problems.len() - 20
                    );
                }
            }
            Err(e) => {
                failed += 1;
                eprintln!("error: {e:#}");
            }
        }
    }
    super::finish(failed == 0)
}

fn describe_signer(signer: &Option<SignedBy>) -> String {
    match signer {
        None => "not signed".into(),
        Some(SignedBy::Trusted { name, id }) => format!("signed with `{name}` (key id {id})"),
        Some(SignedBy::Unchecked { id }) => format!(
            "signed with key id {id}, not checked against a key: pass `--key` with the maker's public key to check who made it"
        ),
    }
}
