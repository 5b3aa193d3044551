//! The project's stages, run in order by `confkit build`; each can also run
//! alone (`confkit clips`). Outputs that people never edit live under
//! `.confkit/`, keyed so that a rerun with nothing changed does no work.

pub mod activity;
pub mod clips;
pub mod hashes;
pub mod lag;
pub mod languages;
pub mod records;
pub mod transcripts;

/// Where built, rebuildable outputs go, relative to the project root.
pub const BUILD_DIR: &str = ".confkit";

/// How far a stage has come, for progress bars.
#[derive(Debug, Clone)]
pub struct Progress {
    /// Items started so far, this one included.
    pub done: usize,
    /// Items in the stage.
    pub total: usize,
    /// What is being done now.
    pub what: String,
}
