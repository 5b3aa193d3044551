//! Human review of the text that ships: the review state of each
//! recording's text in each language (`state`), the signs that a cue needs
//! a person (`flags`, `agreement`, `edges`), the queue of cues ranked worst
//! first (`queue`), and the offline review page (`page`).

pub mod agreement;
pub mod edges;
pub mod flags;
pub mod page;
pub mod queue;
