//! CTranslate2 Whisper -> ggml: the names, the fused attention projections
//! split apart, the zero biases CTranslate2 stores and whisper.cpp does not
//! (checked to be zero, then dropped), the vocabulary in raw bytes and the
//! mel filters. The layout facts are in `shared/notes/ct2-to-ggml.md`.

use std::io::Write;

use anyhow::{bail, ensure, Context, Result};

use super::ct2::{Ct2Model, Variable};
use super::ggml::{write_header, write_tensor, HParams, TensorType};
use super::mel::slaney_mel_filters;

/// What a conversion read and wrote.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Converted {
    /// The model's dimensions.
    pub hparams: HParams,
    /// Tensors written.
    pub tensors: usize,
    /// Zero biases checked and dropped.
    pub dropped_zero_biases: usize,
}

/// Converts `model` with its `vocabulary.txt` into a ggml file on `out`.
pub fn convert(model: &Ct2Model, vocabulary: &str, out: &mut impl Write) -> Result<Converted> {
    ensure!(
        model.spec == "WhisperSpec",
        "this CTranslate2 model is a `{}`, not a Whisper model",
        model.spec
    );
    if model.variables.keys().any(|k| k.ends_with("_scale")) {
        bail!("this is a quantised (int8) CTranslate2 model; convert it from a float16 or float32 one");
    }
    let hparams = hparams(model)?;
    let vocab = vocabulary_bytes(vocabulary)?;
    let mel = slaney_mel_filters(16_000.0, 400, hparams.n_mels as usize);
    write_header(out, &hparams, &mel, 201, &vocab)?;

    let mut w = TensorWriter {
        model,
        out,
        tensors: 0,
        dropped: 0,
    };
    let d = hparams.n_audio_state as usize;
    w.matrix("encoder/conv1/weight", "encoder.conv1.weight")?;
    w.conv_bias("encoder/conv1/bias", "encoder.conv1.bias")?;
    w.matrix("encoder/conv2/weight", "encoder.conv2.weight")?;
    w.conv_bias("encoder/conv2/bias", "encoder.conv2.bias")?;
    w.vector(
        "encoder/position_encodings/encodings",
        "encoder.positional_embedding",
    )?;
    for i in 0..hparams.n_audio_layer as usize {
        let (from, to) = (format!("encoder/layer_{i}"), format!("encoder.blocks.{i}"));
        w.self_attention(&from, &to, d)?;
        w.ffn(&from, &to)?;
    }
    w.norm("encoder/layer_norm", "encoder.ln_post")?;

    let d = hparams.n_text_state as usize;
    w.matrix(
        "decoder/embeddings/weight",
        "decoder.token_embedding.weight",
    )?;
    w.check_projection_alias()?;
    w.vector(
        "decoder/position_encodings/encodings",
        "decoder.positional_embedding",
    )?;
    for i in 0..hparams.n_text_layer as usize {
        let (from, to) = (format!("decoder/layer_{i}"), format!("decoder.blocks.{i}"));
        w.self_attention(&from, &to, d)?;
        w.norm(
            &format!("{from}/attention/layer_norm"),
            &format!("{to}.cross_attn_ln"),
        )?;
        w.linear(
            &format!("{from}/attention/linear_0"),
            &format!("{to}.cross_attn.query"),
        )?;
        w.cross_key_value(&from, &to, d)?;
        w.linear(
            &format!("{from}/attention/linear_2"),
            &format!("{to}.cross_attn.out"),
        )?;
        w.ffn(&from, &to)?;
    }
    w.norm("decoder/layer_norm", "decoder.ln")?;
    Ok(Converted {
        hparams,
        tensors: w.tensors,
        dropped_zero_biases: w.dropped,
    })
}

fn hparams(model: &Ct2Model) -> Result<HParams> {
    let shape = |name: &str| -> Result<&[usize]> {
        Ok(&model
            .variables
            .get(name)
            .with_context(|| {
                format!("the model has no `{name}`: it is not a complete Whisper model")
            })?
            .shape)
    };
    let layers = |prefix: &str| {
        (0..)
            .take_while(|i| {
                model
                    .variables
                    .contains_key(&format!("{prefix}/layer_{i}/ffn/linear_0/weight"))
            })
            .count() as i32
    };
    let conv1 = shape("encoder/conv1/weight")?;
    let embeddings = shape("decoder/embeddings/weight")?;
    let heads = |prefix: &str, state: usize| {
        model
            .variables
            .get(&format!("{prefix}/num_heads"))
            .and_then(Variable::scalar_i32)
            .unwrap_or((state / 64) as i32)
    };
    let (audio_state, text_state) = (conv1[0], embeddings[1]);
    Ok(HParams {
        n_vocab: embeddings[0] as i32,
        n_audio_ctx: shape("encoder/position_encodings/encodings")?[0] as i32,
        n_audio_state: audio_state as i32,
        n_audio_head: heads("encoder", audio_state),
        n_audio_layer: layers("encoder"),
        n_text_ctx: shape("decoder/position_encodings/encodings")?[0] as i32,
        n_text_state: text_state as i32,
        n_text_head: heads("decoder", text_state),
        n_text_layer: layers("decoder"),
        n_mels: conv1[1] as i32,
        ftype: 1,
    })
}

/// The tokens of `vocabulary.txt` before `<|endoftext|>`, as raw bytes
/// (GPT-2's byte-to-unicode mapping undone); whisper.cpp adds the special
/// tokens itself.
pub fn vocabulary_bytes(vocabulary: &str) -> Result<Vec<Vec<u8>>> {
    let decode = byte_decoder();
    let mut tokens = Vec::new();
    for (n, line) in vocabulary.lines().enumerate() {
        if line == "<|endoftext|>" {
            return Ok(tokens);
        }
        let bytes = line
            .chars()
            .map(|c| decode.get(&c).copied())
            .collect::<Option<Vec<u8>>>()
            .with_context(|| {
                format!(
                    "vocabulary.txt line {}: `{line}` is not a GPT-2 byte-level token",
                    n + 1
                )
            })?;
        tokens.push(bytes);
    }
    bail!("vocabulary.txt has no `<|endoftext|>` line: it is not a Whisper vocabulary")
}

/// GPT-2's mapping from bytes to printable characters, reversed.
fn byte_decoder() -> std::collections::HashMap<char, u8> {
    let printable = |b: u8| matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF);
    let mut extra = 0u32;
    (0..=255u8)
        .map(|b| {
            let c = if printable(b) {
                char::from(b)
            } else {
                extra += 1;
                char::from_u32(255 + extra).expect("a valid char")
            };
            (c, b)
        })
        .collect()
}

struct TensorWriter<'a, W: Write> {
    model: &'a Ct2Model,
    out: &'a mut W,
    tensors: usize,
    dropped: usize,
}

impl<W: Write> TensorWriter<'_, W> {
    fn get(&self, name: &str) -> Result<&Variable> {
        self.model.variables.get(name).with_context(|| {
            format!("the model has no `{name}`: it is not a complete Whisper model")
        })
    }

    fn write(
        &mut self,
        name: &str,
        shape: &[usize],
        ttype: TensorType,
        values: &[f32],
    ) -> Result<()> {
        write_tensor(self.out, name, shape, ttype, values)?;
        self.tensors += 1;
        Ok(())
    }

    /// Matrices (rank 2 and more) in f16.
    fn matrix(&mut self, from: &str, to: &str) -> Result<()> {
        let v = self.get(from)?;
        let (shape, values) = (v.shape.clone(), v.to_f32()?);
        self.write(to, &shape, TensorType::F16, &values)
    }

    /// Vectors and positional embeddings in f32.
    fn vector(&mut self, from: &str, to: &str) -> Result<()> {
        let v = self.get(from)?;
        let (shape, values) = (v.shape.clone(), v.to_f32()?);
        self.write(to, &shape, TensorType::F32, &values)
    }

    /// A convolution bias [D], written [D, 1] in f32.
    fn conv_bias(&mut self, from: &str, to: &str) -> Result<()> {
        let values = self.get(from)?.to_f32()?;
        self.write(to, &[values.len(), 1], TensorType::F32, &values)
    }

    fn norm(&mut self, from: &str, to: &str) -> Result<()> {
        self.vector(&format!("{from}/gamma"), &format!("{to}.weight"))?;
        self.vector(&format!("{from}/beta"), &format!("{to}.bias"))
    }

    fn linear(&mut self, from: &str, to: &str) -> Result<()> {
        self.matrix(&format!("{from}/weight"), &format!("{to}.weight"))?;
        self.vector(&format!("{from}/bias"), &format!("{to}.bias"))
    }

    fn ffn(&mut self, from: &str, to: &str) -> Result<()> {
        self.norm(&format!("{from}/ffn/layer_norm"), &format!("{to}.mlp_ln"))?;
        self.linear(&format!("{from}/ffn/linear_0"), &format!("{to}.mlp.0"))?;
        self.linear(&format!("{from}/ffn/linear_1"), &format!("{to}.mlp.2"))
    }

    /// The fused query/key/value projection [3D, D] split in three; the key
    /// has no bias in Whisper, so CTranslate2's zeros there are dropped.
    fn self_attention(&mut self, from: &str, to: &str, d: usize) -> Result<()> {
        self.norm(
            &format!("{from}/self_attention/layer_norm"),
            &format!("{to}.attn_ln"),
        )?;
        let weight = self.get(&format!("{from}/self_attention/linear_0/weight"))?;
        ensure!(
            weight.shape == [3 * d, d],
            "`{from}/self_attention/linear_0/weight` is {:?}, not [{}, {d}]",
            weight.shape,
            3 * d
        );
        let w = weight.to_f32()?;
        let bias = self
            .get(&format!("{from}/self_attention/linear_0/bias"))?
            .to_f32()?;
        ensure!(
            bias.len() == 3 * d,
            "`{from}/self_attention/linear_0/bias` has {} values, not {}",
            bias.len(),
            3 * d
        );
        self.zero_bias(
            &bias[d..2 * d],
            &format!("{from}/self_attention/linear_0/bias (key part)"),
        )?;
        for (i, part) in ["query", "key", "value"].iter().enumerate() {
            self.write(
                &format!("{to}.attn.{part}.weight"),
                &[d, d],
                TensorType::F16,
                &w[i * d * d..(i + 1) * d * d],
            )?;
            if *part != "key" {
                self.write(
                    &format!("{to}.attn.{part}.bias"),
                    &[d],
                    TensorType::F32,
                    &bias[i * d..(i + 1) * d],
                )?;
            }
        }
        self.linear(
            &format!("{from}/self_attention/linear_1"),
            &format!("{to}.attn.out"),
        )
    }

    /// The fused cross-attention key/value projection [2D, D]; the key's zero bias is dropped.
    fn cross_key_value(&mut self, from: &str, to: &str, d: usize) -> Result<()> {
        let name = format!("{from}/attention/linear_1");
        let weight = self.get(&format!("{name}/weight"))?;
        ensure!(
            weight.shape == [2 * d, d],
            "`{name}/weight` is {:?}, not [{}, {d}]",
            weight.shape,
            2 * d
        );
        let w = weight.to_f32()?;
        let bias = self.get(&format!("{name}/bias"))?.to_f32()?;
        ensure!(
            bias.len() == 2 * d,
            "`{name}/bias` has {} values, not {}",
            bias.len(),
            2 * d
        );
        self.zero_bias(&bias[..d], &format!("{name}/bias (key part)"))?;
        self.write(
            &format!("{to}.cross_attn.key.weight"),
            &[d, d],
            TensorType::F16,
            &w[..d * d],
        )?;
        self.write(
            &format!("{to}.cross_attn.value.weight"),
            &[d, d],
            TensorType::F16,
            &w[d * d..],
        )?;
        self.write(
            &format!("{to}.cross_attn.value.bias"),
            &[d],
            TensorType::F32,
            &bias[d..],
        )
    }

    fn zero_bias(&mut self, values: &[f32], what: &str) -> Result<()> {
        ensure!(
            values.iter().all(|v| *v == 0.0),
            "`{what}` is not zero: this model does not have Whisper's layout and cannot be converted"
        );
        self.dropped += 1;
        Ok(())
    }

    /// The output projection is the token embedding in Whisper: check it.
    fn check_projection_alias(&mut self) -> Result<()> {
        if let Some(target) = self.model.aliases.get("decoder/projection/weight") {
            ensure!(
                target == "decoder/embeddings/weight",
                "the output projection is not the token embedding"
            );
        } else if let Some(projection) = self.model.variables.get("decoder/projection/weight") {
            let embeddings = self.get("decoder/embeddings/weight")?;
            ensure!(
                projection.data == embeddings.data,
                "the output projection differs from the token embedding"
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_level_tokens_become_raw_bytes() {
        let vocab = "!\nĠthe\nĊ\nÃ©\n<|endoftext|>\n<|startoftranscript|>\n";
        let tokens = vocabulary_bytes(vocab).unwrap();
        assert_eq!(
            tokens,
            vec![
                b"!".to_vec(),
                b" the".to_vec(),
                b"\n".to_vec(),
                "é".as_bytes().to_vec()
            ]
        );
        assert!(vocabulary_bytes("a\n")
            .unwrap_err()
            .to_string()
            .contains("<|endoftext|>"));
    }
}
