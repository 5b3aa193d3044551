//! `confkit package` and `confkit verify`: the packages, signed when a key
//! is given, and their check; `--dry-run` says what each institution would
//! receive, with sizes, and what its clearance keeps out.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use confkit::package::clipfiles::clip_files;
use confkit::package::signature::{read_public_key, read_secret_key, SecretKey, SignedBy};
use confkit::package::verify::verify;
use confkit::pipeline::{BuildOptions, Stages};
use confkit::privacy::redact::Redactor;
use confkit::project::Profile;
use confkit::selection::select;
use serde::Serialize;

use super::Global;

#[derive(Serialize)]
struct Planned<'a> {
    #[serde(flatten)]
    selection: confkit::selection::Selection<'a>,
    /// The profile its package is made with.
    profile: Profile,
    /// The bytes of media it would carry under each profile, from the
    /// clips already cut; a module's reel counted as the largest reel of
    /// that module already made, else as its clips' videos.
    media_bytes: BTreeMap<Profile, u64>,
    /// Clips not cut yet.
    clips_not_cut: Vec<String>,
}

pub(super) fn dry_run(root: &Path, global: &Global) -> Result<ExitCode> {
    let toolkit = super::load(root)?;
    let redactor = Redactor::new(&toolkit.redactions)?;
    let mut plans = Vec::new();
    for institution in &toolkit.institutions {
        let selection = select(&toolkit, institution);
        let mut media_bytes = BTreeMap::new();
        let mut clips_not_cut = BTreeSet::new();
        for profile in Profile::ALL {
            let mut files = BTreeSet::new();
            let mut reels = 0;
            for clip in &selection.clips {
                match clip_files(&toolkit, clip, &selection.languages, &redactor, profile) {
                    Err(_) => {
                        clips_not_cut.insert(clip.id.to_string());
                    }
                    Ok(cut) => {
                        if cut.has_video() {
                            files.extend(cut.videos.iter().map(|(_, _, path)| path.clone()));
                        }
                        files.extend(cut.audio.iter().map(|(_, path)| path.clone()));
                        files.insert(cut.poster.clone());
                        if profile == Profile::Full {
                            let main = cut.video_for(&selection.languages[0]);
                            reels += main.map_or(0, |(_, _, path)| size(path));
                        }
                    }
                }
            }
            if profile == Profile::Full {
                if let Some(made) = made_reels(&toolkit, &selection) {
                    reels = made;
                }
            }
            media_bytes.insert(profile, files.iter().map(|p| size(p)).sum::<u64>() + reels);
        }
        plans.push(Planned {
            profile: toolkit.profile(institution),
            selection,
            media_bytes,
            clips_not_cut: clips_not_cut.into_iter().collect(),
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
            "{} ({}, {}, {}): {} modules, {} clips{}, {} chapters",
            s.institution,
            s.languages.join("+"),
            s.clearance,
            plan.profile,
            s.modules.len(),
            s.clips.len(),
            if plan.clips_not_cut.is_empty() {
                String::new()
            } else {
                format!(" ({} not cut yet)", plan.clips_not_cut.len())
            },
            s.chapters.len()
        )?;
        writeln!(
            out,
            "  media:    {}",
            plan.media_bytes
                .iter()
                .map(|(profile, bytes)| format!(
                    "{}{profile} {:.1} MB",
                    if *profile == plan.profile { "*" } else { "" },
                    *bytes as f64 / 1e6
                ))
                .collect::<Vec<_>>()
                .join(", ")
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

/// The reels of the selection's modules as already made (for any
/// package), the largest of each module; `None` when a module has none.
fn made_reels(
    toolkit: &confkit::project::Toolkit,
    selection: &confkit::selection::Selection<'_>,
) -> Option<u64> {
    let made: Vec<(String, u64)> = std::fs::read_dir(toolkit.layout().reels())
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let module = name.strip_suffix(".mp4")?.split('.').next()?.to_string();
            Some((module, entry.metadata().ok()?.len()))
        })
        .collect();
    selection
        .modules
        .iter()
        .map(|module| {
            made.iter()
                .filter(|(id, _)| *id == module.id)
                .map(|(_, bytes)| *bytes)
                .max()
        })
        .sum()
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
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
    split: Option<u64>,
    global: &Global,
) -> Result<ExitCode> {
    let options = BuildOptions {
        stages: Stages::PACKAGES,
        signing: signing_key(signing, root)?,
        release,
        split,
        ..BuildOptions::new(root)
    };
    super::run_build(&options, global)
}

/// The packages that failed, those failing for the same reason together
/// (a release refused for one draft recording fails most packages alike),
/// then where their previous versions went.
pub(super) fn print_failures(failed: &[(String, String)], withdrawn: &[(String, PathBuf)]) {
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
