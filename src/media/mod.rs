//! Facts about media files that confkit needs before any decoding.

pub mod duration;
pub mod wav;
