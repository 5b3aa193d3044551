//! The project's stages, run in order by `confkit build`; each can also run
//! alone (`confkit clips`). Outputs that people never edit live under
//! `.confkit/`, keyed so that a rerun with nothing changed does no work.

pub mod activity;
pub mod clips;
pub mod lag;
pub mod plan;
pub mod transcripts;

pub use crate::layout::BUILD_DIR;

/// How far a stage has come, for progress bars.
#[derive(Debug, Clone)]
pub struct Progress {
    /// Items started so far, this one included.
    pub done: usize,
    /// Items in the stage.
    pub total: usize,
    /// What is being done now.
    pub what: String,
    /// How far into this item, from 0 to 1, for items long enough to say
    /// (a transcript, a cut); `None` when it has just started.
    pub within: Option<f64>,
}

impl Progress {
    /// Item `done` of `total` has started.
    pub fn item(done: usize, total: usize, what: String) -> Progress {
        Progress {
            done,
            total,
            what,
            within: None,
        }
    }

    /// The same item, `fraction` of the way through.
    pub fn at(&self, fraction: f64) -> Progress {
        Progress {
            within: Some(fraction.clamp(0.0, 1.0)),
            ..self.clone()
        }
    }
}
