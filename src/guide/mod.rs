//! The practical guide: its chapters rendered for packages, and its state
//! for the meeting that validates it.

pub mod markdown;
pub mod status;
