//! The toolkit project: `confkit.toml` plus `assets/`, loaded in two steps
//! (read every file with serde, then validate every cross-reference), so that
//! `confkit check` can report every problem in one run.

mod clearance;
mod clips;
mod config;
mod glossary;
mod guide;
mod ids;
mod institutions;
pub(crate) mod load;
mod localized;
mod located;
mod logo;
mod modules;
mod paths;
mod recordings;
mod redactions;
mod versions;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use clearance::Clearance;
pub use clips::{Clip, ClipsFile};
pub use config::{
    Colours, Conference, Config, Profile, SpeechSettings, VideoSettings, DEFAULT_MODEL,
    X264_PRESETS,
};
pub use glossary::{mentions, GlossaryFile, Term};
pub use guide::{
    split_front_matter, Chapter, ChapterEntry, ChapterFront, ChapterKind, ChapterText, Fact,
    FactSheet, FrontMatter, GuideFile, FACT_FIELDS,
};
pub use ids::{slugify, unsafe_id_reason, ID_HELP, MAX_ID_LEN};
pub use institutions::{Institution, InstitutionsFile, Role};
pub use localized::Localized;
pub use located::Located;
pub use logo::{read_logo, Logo};
pub use modules::{Module, ModuleFile, Step, StepKind};
pub use paths::{check_inside, find_root, resolve_inside};
pub use recordings::{
    AudioTrack, Header, InterpretationFile, Recording, RecordingsFile, TrackRole,
};
pub use redactions::{RedactedName, RedactedPattern, RedactedSpan, RedactionsFile};
pub use versions::{audio_versions, AudioVersion};

use crate::diagnostic::{Diagnostics, Item, Location, SourceText};

/// The name of the project file at a toolkit project's root.
pub const PROJECT_FILE: &str = "confkit.toml";

/// A loaded toolkit project.
#[derive(Debug)]
pub struct Toolkit {
    /// The project folder.
    pub root: PathBuf,
    /// `confkit.toml`, when it could be read.
    pub config: Option<Config>,
    /// `assets/recordings.toml`.
    pub recordings: Vec<Recording>,
    /// `assets/clips.toml`.
    pub clips: Vec<Clip>,
    /// `assets/modules/*.toml`, sorted by order then id.
    pub modules: Vec<Module>,
    /// The guide's title.
    pub guide_title: Localized,
    /// `assets/guide.toml` with the chapter texts.
    pub chapters: Vec<Chapter>,
    /// Roles from `assets/institutions.toml`.
    pub roles: Vec<Role>,
    /// Institutions from `assets/institutions.toml`.
    pub institutions: Vec<Institution>,
    /// `assets/glossary.toml`.
    pub glossary: Vec<Located<Term>>,
    /// `assets/redactions.toml`.
    pub redactions: RedactionsFile,
    /// What each recording's file holds (duration, tracks), by recording id.
    pub headers: BTreeMap<String, Header>,
    /// The items an error keeps out of the build, each with its first error.
    pub skipped: BTreeMap<Item, String>,
    /// What earlier runs learnt about the project's files (hashes, probes),
    /// shared by every stage; [`Toolkit::save_cache`] keeps what this run learnt.
    pub cache: crate::fs::Cache,
    pub(crate) sources: Vec<SourceText>,
    /// Files that exist but could not be read or parsed: references into
    /// them are not reported as unknown, the parse error says enough.
    pub(crate) broken: Vec<PathBuf>,
    pub(crate) files: FileSources,
}

/// Which source holds each fixed project file; `None` when absent or unreadable.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FileSources {
    pub(crate) config: Option<usize>,
    pub(crate) recordings: Option<usize>,
    pub(crate) clips: Option<usize>,
    pub(crate) guide: Option<usize>,
    pub(crate) institutions: Option<usize>,
    pub(crate) glossary: Option<usize>,
    pub(crate) redactions: Option<usize>,
}

impl Toolkit {
    /// Reads every file of the project at `root` with serde, keeping what
    /// could be read and noting each problem; `confkit check`
    /// ([`Toolkit::check`]) then validates it.
    pub fn read(root: &Path, diagnostics: &mut Diagnostics) -> Toolkit {
        load::load(root, diagnostics)
    }

    /// Why the recording `id` is kept out of this build, when it is.
    pub fn skipped_recording(&self, id: &str) -> Option<&str> {
        self.skipped
            .get(&Item::Recording(id.to_string()))
            .map(String::as_str)
    }

    /// Why `clip` cannot be cut in this build (its own error, or its
    /// recording's), when it cannot.
    pub fn skipped_clip(&self, clip: &Clip) -> Option<&str> {
        self.skipped
            .get(&Item::Clip(clip.id.to_string()))
            .or_else(|| {
                self.skipped
                    .get(&Item::Recording(clip.recording.to_string()))
            })
            .map(String::as_str)
    }

    /// The conference languages, main first; empty when `confkit.toml` could not be read.
    pub fn languages(&self) -> &[String] {
        self.config
            .as_ref()
            .map(|c| c.conference.languages.as_slice())
            .unwrap_or(&[])
    }

    /// What the package of `institution` carries: its own profile, else
    /// the project's.
    pub fn profile(&self, institution: &Institution) -> Profile {
        institution.profile.unwrap_or_else(|| {
            self.config
                .as_ref()
                .map(|c| c.packages.profile)
                .unwrap_or_default()
        })
    }

    /// The recording with this id.
    pub fn recording(&self, id: &str) -> Option<&Recording> {
        self.recordings.iter().find(|r| *r.id == id)
    }

    /// The clip with this id.
    pub fn clip(&self, id: &str) -> Option<&Clip> {
        self.clips.iter().find(|c| *c.id == id)
    }

    /// The module with this id.
    pub fn module(&self, id: &str) -> Option<&Module> {
        self.modules.iter().find(|m| m.id == id)
    }

    /// The guide chapter with this id.
    pub fn chapter(&self, id: &str) -> Option<&Chapter> {
        self.chapters.iter().find(|c| c.id() == id)
    }

    /// The role with this id.
    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| *r.id == id)
    }

    /// Where the project's outputs go.
    pub fn layout(&self) -> crate::layout::Layout {
        crate::layout::Layout::new(&self.root)
    }

    /// Keeps what this run learnt about the project's files for the next;
    /// failing to only costs the next run reads.
    pub fn save_cache(&self) {
        let _ = self.cache.save();
    }

    /// An absolute path for a path written relative to the project root.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// True when `relative` exists but could not be read or parsed.
    pub(crate) fn is_broken(&self, relative: &str) -> bool {
        self.broken.iter().any(|p| p == Path::new(relative))
    }

    pub(crate) fn source(&self, index: usize) -> &SourceText {
        &self.sources[index]
    }

    /// The location of `span` in source `index`, or of the whole file when
    /// there is no span (values filled in by default have none).
    pub(crate) fn at(
        &self,
        index: Option<usize>,
        span: std::ops::Range<usize>,
    ) -> Option<Location> {
        let source = self.source(index?);
        Some(if span.is_empty() && span.start == 0 {
            Location::file(source.path())
        } else {
            source.location(span.start)
        })
    }
}

/// A project that has errors, with all of them.
#[derive(Debug)]
pub struct ProjectErrors(pub Diagnostics);

impl std::fmt::Display for ProjectErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let errors = self.0.error_count();
        write!(
            f,
            "the project has {errors} error{}; run `confkit check` to see {}",
            if errors == 1 { "" } else { "s" },
            if errors == 1 { "it" } else { "them" }
        )
    }
}

impl std::error::Error for ProjectErrors {}
