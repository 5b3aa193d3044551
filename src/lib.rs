//! confkit turns the recordings of a bilingual conference into training
//! material: transcripts, subtitled clips, clips paired with the chapters of a
//! practical guide and with thematic modules, and one offline ZIP package per
//! receiving institution.
//!
//! The library holds all the logic; the `confkit` binary parses the command
//! line and calls it.

pub mod build;
pub mod check;
pub mod clock;
pub mod diagnostic;
pub mod fs;
pub mod guide;
pub mod interrupt;
pub mod layout;
pub mod media;
pub mod package;
pub mod pairing;
pub mod pipeline;
pub mod privacy;
pub mod project;
pub mod review;
pub mod scaffold;
pub mod selection;
pub mod speech;
pub mod status;
pub mod subtitles;
pub mod text;
pub mod texts;
pub mod timecode;
pub mod translate;
