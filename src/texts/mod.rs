//! What the project knows of its texts, below both the check and the
//! build: which transcript files confkit wrote (its records), where each
//! language's text of a recording comes from, which texts people signed off
//! (the review marks), and where an interpretation sits on the floor's
//! timeline.

pub mod placement;
pub mod records;
pub mod reviews;
pub mod sources;
