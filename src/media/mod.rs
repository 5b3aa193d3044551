//! The media engine on GStreamer: probing, decoding for speech, cutting
//! clips with burned-in subtitles, and what is read before any decoding.

pub mod cut;
pub mod decode;
pub mod frames;
pub mod gst;
pub mod header;
mod mux;
pub mod probe;
pub mod reel;
pub mod wav;
