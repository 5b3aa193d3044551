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

/// What every video confkit encodes is, named in the keys of cut clips and
/// reels, so that a change to it re-encodes them: H.264 Main in 4:2:0 at
/// limited range with BT.709 colour tags, AAC-LC audio, the index first.
pub const ENCODING: &str = "h264 main yuv420p bt709 limited; aac-lc; faststart";

/// The colorimetry of every encoded picture (GStreamer's name for BT.709
/// primaries, transfer and matrix at limited range).
pub(crate) const COLORIMETRY: &str = "bt709";
