//! The media engine: probing, decoding and (later) cutting media with
//! GStreamer, and reading what is needed before any decoding.

pub mod decode;
pub mod duration;
pub mod gst;
pub mod probe;
pub mod wav;
