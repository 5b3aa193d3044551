//! Quantising a ggml Whisper model to 8 bits (q8_0), as whisper.cpp's own
//! `quantize` tool does: every matrix (a 2-D f16 tensor, the positional
//! embeddings excepted) becomes blocks of 32 signed bytes with one f16
//! scale each; the rest is copied as it is. The file is about half the
//! size, and whisper.cpp's CPU kernels work on it directly.

use std::io::{self, Read, Write};

use anyhow::{bail, Context, Result};

use super::ggml::MAGIC;

/// ggml's tensor types, as written in the file.
const TYPE_F32: i32 = 0;
const TYPE_F16: i32 = 1;
const TYPE_Q8_0: i32 = 8;
/// The file type of a model whose matrices are q8_0, with ggml's
/// quantisation version (2) folded in as whisper.cpp writes it.
const FTYPE_Q8_0: i32 = 7 + 2 * 1000;
/// Values per q8_0 block.
const BLOCK: usize = 32;
/// Matrices whisper.cpp keeps in f32 whatever the file type.
const KEPT: [&str; 2] = [
    "encoder.positional_embedding",
    "decoder.positional_embedding",
];

/// What quantising did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantised {
    /// Tensors in the model.
    pub tensors: usize,
    /// Tensors written as q8_0.
    pub quantised: usize,
}

/// Reads an f16 ggml Whisper model from `input` and writes it to `out` with
/// its matrices in q8_0.
pub fn quantize_q8_0(input: &mut impl Read, out: &mut impl Write) -> Result<Quantised> {
    if read_u32(input)? != MAGIC {
        bail!("this is not a ggml model file");
    }
    let mut hparams = [0i32; 11];
    for value in &mut hparams {
        *value = read_i32(input)?;
    }
    if hparams[10] != 1 {
        bail!(
            "the model is not in f16 (file type {}): only an f16 model can be quantised",
            hparams[10]
        );
    }
    hparams[10] = FTYPE_Q8_0;
    out.write_all(&MAGIC.to_le_bytes())?;
    for value in hparams {
        out.write_all(&value.to_le_bytes())?;
    }
    // Mel filters, then the vocabulary: copied.
    let n_mels = read_i32(input)?;
    let n_fft = read_i32(input)?;
    out.write_all(&n_mels.to_le_bytes())?;
    out.write_all(&n_fft.to_le_bytes())?;
    copy(input, out, 4 * count(n_mels)? * count(n_fft)?)?;
    let n_vocab = read_i32(input)?;
    out.write_all(&n_vocab.to_le_bytes())?;
    for _ in 0..n_vocab {
        let len = read_u32(input)?;
        out.write_all(&len.to_le_bytes())?;
        copy(input, out, len as usize)?;
    }

    let mut done = Quantised {
        tensors: 0,
        quantised: 0,
    };
    while let Some(n_dims) = read_i32_or_end(input)? {
        let name_len = read_i32(input)?;
        let ttype = read_i32(input)?;
        let dims = (0..n_dims)
            .map(|_| read_i32(input).and_then(count))
            .collect::<Result<Vec<usize>>>()?;
        let mut name = vec![0u8; count(name_len)?];
        input.read_exact(&mut name)?;
        let name = String::from_utf8(name).context("a tensor name is not UTF-8")?;
        let elements: usize = dims.iter().product();
        let width = match ttype {
            TYPE_F32 => 4,
            TYPE_F16 => 2,
            other => bail!("tensor `{name}` has type {other}; an f16 model has only f16 and f32"),
        };
        let mut data = vec![0u8; elements * width];
        input
            .read_exact(&mut data)
            .with_context(|| format!("the model ends inside tensor `{name}`"))?;
        let quantise = ttype == TYPE_F16
            && n_dims == 2
            && dims[0] % BLOCK == 0
            && !KEPT.contains(&name.as_str());
        out.write_all(&n_dims.to_le_bytes())?;
        out.write_all(&name_len.to_le_bytes())?;
        out.write_all(&(if quantise { TYPE_Q8_0 } else { ttype }).to_le_bytes())?;
        for d in &dims {
            out.write_all(&(*d as i32).to_le_bytes())?;
        }
        out.write_all(name.as_bytes())?;
        if quantise {
            let values: Vec<f32> = data
                .chunks_exact(2)
                .map(|b| half::f16::from_le_bytes([b[0], b[1]]).to_f32())
                .collect();
            for block in values.chunks_exact(BLOCK) {
                out.write_all(&q8_0_block(block))?;
            }
            done.quantised += 1;
        } else {
            out.write_all(&data)?;
        }
        done.tensors += 1;
    }
    Ok(done)
}

/// One q8_0 block: the f16 scale, then 32 values as signed bytes.
fn q8_0_block(values: &[f32]) -> [u8; 2 + BLOCK] {
    let max = values.iter().fold(0f32, |m, v| m.max(v.abs()));
    let scale = max / 127.0;
    let inverse = if scale == 0.0 { 0.0 } else { 1.0 / scale };
    let mut block = [0u8; 2 + BLOCK];
    block[..2].copy_from_slice(&half::f16::from_f32(scale).to_le_bytes());
    for (byte, v) in block[2..].iter_mut().zip(values) {
        *byte = ((v * inverse).round() as i8) as u8;
    }
    block
}

fn count(n: i32) -> Result<usize> {
    usize::try_from(n).context("the model file is damaged (a negative size)")
}

fn copy(input: &mut impl Read, out: &mut impl Write, len: usize) -> Result<()> {
    let copied = io::copy(&mut input.take(len as u64), out)?;
    if copied != len as u64 {
        bail!("the model file ends early");
    }
    Ok(())
}

fn read_u32(input: &mut impl Read) -> Result<u32> {
    let mut b = [0u8; 4];
    input
        .read_exact(&mut b)
        .context("the model file ends early")?;
    Ok(u32::from_le_bytes(b))
}

fn read_i32(input: &mut impl Read) -> Result<i32> {
    Ok(read_u32(input)? as i32)
}

/// The next i32, or `None` at the end of the file.
fn read_i32_or_end(input: &mut impl Read) -> Result<Option<i32>> {
    let mut b = [0u8; 4];
    let mut filled = 0;
    while filled < 4 {
        match input.read(&mut b[filled..])? {
            0 if filled == 0 => return Ok(None),
            0 => bail!("the model file ends early"),
            n => filled += n,
        }
    }
    Ok(Some(i32::from_le_bytes(b)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::speech::ggml::{write_header, write_tensor, HParams, TensorType};

    fn tiny_model() -> Vec<u8> {
        let h = HParams {
            n_vocab: 2,
            n_audio_ctx: 2,
            n_audio_state: 32,
            n_audio_head: 1,
            n_audio_layer: 1,
            n_text_ctx: 2,
            n_text_state: 32,
            n_text_head: 1,
            n_text_layer: 1,
            n_mels: 2,
            ftype: 1,
        };
        let mut file = Vec::new();
        write_header(
            &mut file,
            &h,
            &[0.5; 6],
            3,
            &[b"a".to_vec(), b"bc".to_vec()],
        )
        .unwrap();
        let matrix: Vec<f32> = (0..64).map(|i| (i as f32 - 20.0) / 7.0).collect();
        write_tensor(
            &mut file,
            "encoder.blocks.0.mlp.0.weight",
            &[2, 32],
            TensorType::F16,
            &matrix,
        )
        .unwrap();
        write_tensor(
            &mut file,
            "encoder.positional_embedding",
            &[2, 32],
            TensorType::F16,
            &matrix,
        )
        .unwrap();
        write_tensor(
            &mut file,
            "encoder.blocks.0.mlp.0.bias",
            &[32],
            TensorType::F32,
            &matrix[..32],
        )
        .unwrap();
        file
    }

    #[test]
    fn matrices_become_q8_0_and_the_rest_is_copied() {
        let input = tiny_model();
        let mut out = Vec::new();
        let done = quantize_q8_0(&mut input.as_slice(), &mut out).unwrap();
        assert_eq!(
            done,
            Quantised {
                tensors: 3,
                quantised: 1
            }
        );
        // Header: the file type only changes.
        assert_eq!(&out[4..44], &input[4..44]);
        assert_eq!(
            i32::from_le_bytes(out[44..48].try_into().unwrap()),
            FTYPE_Q8_0
        );
        // 64 f16 values (128 bytes) became two blocks (68 bytes).
        assert_eq!(input.len() - out.len(), 128 - 68);
    }

    #[test]
    fn a_block_keeps_each_value_within_half_a_step() {
        let values: Vec<f32> = (0..32)
            .map(|i| ((i * 37 % 64) as f32 - 31.0) / 9.0)
            .collect();
        let block = q8_0_block(&values);
        let scale = half::f16::from_le_bytes([block[0], block[1]]).to_f32();
        for (byte, v) in block[2..].iter().zip(&values) {
            let back = f32::from(*byte as i8) * scale;
            assert!((back - v).abs() <= scale * 0.51, "{v} came back as {back}");
        }
        assert_eq!(
            q8_0_block(&[0.0; 32])[..2],
            half::f16::from_f32(0.0).to_le_bytes()
        );
    }

    #[test]
    fn only_an_f16_model_is_quantised() {
        let mut input = tiny_model();
        input[44..48].copy_from_slice(&FTYPE_Q8_0.to_le_bytes());
        let err = quantize_q8_0(&mut input.as_slice(), &mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("not in f16"), "{err}");
        let err = quantize_q8_0(&mut &b"nope"[..], &mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("not a ggml model"), "{err}");
    }
}
