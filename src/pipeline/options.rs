//! What a build is asked to do.

use std::path::PathBuf;

use crate::package::signature::SecretKey;

/// The stages a build runs after checking and planning the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stages {
    /// Transcripts of every audio version, and English translations.
    pub transcripts: bool,
    /// Clip variants and module title cards.
    pub clips: bool,
    /// Module reels, then one package per institution.
    pub packages: bool,
}

impl Stages {
    /// Everything: `confkit build`.
    pub const ALL: Stages = Stages {
        transcripts: true,
        clips: true,
        packages: true,
    };
    /// `confkit transcribe` in a project.
    pub const TRANSCRIPTS: Stages = Stages {
        transcripts: true,
        clips: false,
        packages: false,
    };
    /// `confkit clips`.
    pub const CLIPS: Stages = Stages {
        transcripts: false,
        clips: true,
        packages: false,
    };
    /// `confkit package`.
    pub const PACKAGES: Stages = Stages {
        transcripts: false,
        clips: false,
        packages: true,
    };
}

/// What a build is asked to do, and with what.
pub struct BuildOptions {
    /// The project folder.
    pub root: PathBuf,
    /// The stages to run.
    pub stages: Stages,
    /// A model name from `confkit model list`, or a ggml file; `None` for
    /// the project's `speech.model`. Loaded only when a transcript is made.
    pub model: Option<String>,
    /// CPU threads for speech recognition; 0 for the project's
    /// `speech.threads`, else one per core.
    pub threads: usize,
    /// The key packages are signed with.
    pub signing: Option<SecretKey>,
    /// Refuse text no person signed off (`--release`); the project's
    /// `[packages] release` asks the same.
    pub release: bool,
    /// Split a package larger than this many bytes into volumes
    /// (`--split`).
    pub split: Option<u64>,
}

impl BuildOptions {
    /// Every stage of the project at `root`, with its own settings.
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            stages: Stages::ALL,
            model: None,
            threads: 0,
            signing: None,
            release: false,
            split: None,
        }
    }
}
