//! Speech recognition: the models (CTranslate2 Whisper converted to the
//! ggml files whisper.cpp loads) and, later, transcription.

pub mod convert;
pub mod ct2;
pub mod ggml;
pub mod mel;
pub mod models;
pub mod quantize;
pub mod transcribe;
