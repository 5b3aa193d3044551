//! Writing the ggml model file whisper.cpp loads: magic, hyper-parameters,
//! mel filters, vocabulary, then the tensors.

use std::io::Write;

use anyhow::Result;

/// The file's magic number, "ggml".
pub const MAGIC: u32 = 0x6767_6d6c;

/// whisper.cpp's hyper-parameters, in file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct HParams {
    /// Vocabulary size (51865 multilingual, 51864 English-only).
    pub n_vocab: i32,
    /// Encoder positions (1500).
    pub n_audio_ctx: i32,
    /// Encoder width.
    pub n_audio_state: i32,
    /// Encoder attention heads.
    pub n_audio_head: i32,
    /// Encoder layers.
    pub n_audio_layer: i32,
    /// Decoder positions (448).
    pub n_text_ctx: i32,
    /// Decoder width.
    pub n_text_state: i32,
    /// Decoder attention heads.
    pub n_text_head: i32,
    /// Decoder layers.
    pub n_text_layer: i32,
    /// Mel bands (80).
    pub n_mels: i32,
    /// 1: matrices in f16.
    pub ftype: i32,
}

impl HParams {
    /// The Whisper size these dimensions belong to (`base`, `small.en` ...).
    pub fn size_name(&self) -> String {
        let size = match (self.n_audio_layer, self.n_audio_state) {
            (4, 384) => "tiny",
            (6, 512) => "base",
            (12, 768) => "small",
            (24, 1024) => "medium",
            (32, 1280) => "large",
            _ => "custom",
        };
        if self.n_vocab == 51864 {
            format!("{size}.en")
        } else {
            size.to_string()
        }
    }
}

/// A tensor's element type in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TensorType {
    /// 32-bit float.
    F32 = 0,
    /// Half float.
    F16 = 1,
}

/// Writes the header: magic, hyper-parameters, mel filters and vocabulary.
pub fn write_header(
    out: &mut impl Write,
    h: &HParams,
    mel: &[f32],
    n_fft_bins: i32,
    vocab: &[Vec<u8>],
) -> Result<()> {
    out.write_all(&MAGIC.to_le_bytes())?;
    for v in [
        h.n_vocab,
        h.n_audio_ctx,
        h.n_audio_state,
        h.n_audio_head,
        h.n_audio_layer,
        h.n_text_ctx,
        h.n_text_state,
        h.n_text_head,
        h.n_text_layer,
        h.n_mels,
        h.ftype,
    ] {
        out.write_all(&v.to_le_bytes())?;
    }
    out.write_all(&h.n_mels.to_le_bytes())?;
    out.write_all(&n_fft_bins.to_le_bytes())?;
    for w in mel {
        out.write_all(&w.to_le_bytes())?;
    }
    out.write_all(&(vocab.len() as i32).to_le_bytes())?;
    for token in vocab {
        out.write_all(&(token.len() as u32).to_le_bytes())?;
        out.write_all(token)?;
    }
    Ok(())
}

/// Writes one tensor; `shape` is row-major (outermost first), `values` as f32
/// converted to `ttype`.
pub fn write_tensor(
    out: &mut impl Write,
    name: &str,
    shape: &[usize],
    ttype: TensorType,
    values: &[f32],
) -> Result<()> {
    out.write_all(&(shape.len() as i32).to_le_bytes())?;
    out.write_all(&(name.len() as i32).to_le_bytes())?;
    out.write_all(&(ttype as i32).to_le_bytes())?;
    // ggml lists dimensions innermost first.
    for &d in shape.iter().rev() {
        out.write_all(&(d as i32).to_le_bytes())?;
    }
    out.write_all(name.as_bytes())?;
    match ttype {
        TensorType::F32 => {
            for v in values {
                out.write_all(&v.to_le_bytes())?;
            }
        }
        TensorType::F16 => {
            for v in values {
                out.write_all(&half::f16::from_f32(*v).to_le_bytes())?;
            }
        }
    }
    Ok(())
}
