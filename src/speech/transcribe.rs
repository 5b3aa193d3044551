//! Transcription with whisper.cpp: the audio is decoded in chunks of about
//! 30 seconds cut at the quietest moment near each boundary, so that a long
//! recording never sits whole in memory and each chunk's language is detected
//! on its own (a session that switches from French to English gets each part
//! in its own language). Silent chunks and segments whisper itself marks as
//! no speech produce no text.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use serde::{Deserialize, Serialize};

use whisper_rs::{
    FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters, WhisperState,
};

use crate::media::decode::{decode_speech_audio, SPEECH_RATE};
use crate::text::plain_words;
use crate::timecode::Timecode;

/// How to transcribe.
#[derive(Debug, Clone, Default)]
pub struct TranscribeOptions {
    /// A fixed language, or `None` to detect it chunk by chunk.
    pub language: Option<String>,
    /// When detecting, choose among these only (the conference languages); empty: any.
    pub allowed_languages: Vec<String>,
    /// Translate into English instead of transcribing.
    pub translate: bool,
    /// Words the model should spell right (the glossary).
    pub prompt: Option<String>,
    /// CPU threads; 0 means one per core.
    pub threads: usize,
    /// The audio track, from 0.
    pub track: usize,
}

/// A transcript as confkit writes it to `STEM.LANG.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Transcript {
    /// The media file and its SHA-256.
    pub source: SourceRef,
    /// The model and its SHA-256.
    pub model: ModelRef,
    /// `transcribe` or `translate`.
    pub task: String,
    /// The segments, in time order.
    pub segments: Vec<Segment>,
}

/// Which media file a transcript comes from.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourceRef {
    /// The file as given.
    pub path: PathBuf,
    /// Its SHA-256.
    pub sha256: String,
    /// The audio track transcribed.
    pub track: usize,
}

/// Which model made a transcript.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelRef {
    /// The model file.
    pub path: PathBuf,
    /// Its SHA-256.
    pub sha256: String,
}

/// A stretch of speech.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Segment {
    /// Start in the recording.
    pub start: Timecode,
    /// End in the recording.
    pub end: Timecode,
    /// The language detected (or fixed) for its chunk.
    pub language: String,
    /// How sure the detection was, 0 to 1 (1 when the language was fixed).
    pub language_probability: f32,
    /// The text.
    pub text: String,
    /// The words with their times.
    pub words: Vec<Word>,
}

/// A word and when it is said.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Word {
    /// Start in the recording.
    pub start: Timecode,
    /// End in the recording.
    pub end: Timecode,
    /// The word, with its punctuation.
    pub text: String,
    /// The model's confidence, 0 to 1.
    pub probability: f32,
}

impl Transcript {
    /// The languages of the segments, in order of first appearance.
    pub fn languages(&self) -> Vec<String> {
        let mut languages: Vec<String> = Vec::new();
        for s in &self.segments {
            if !languages.contains(&s.language) {
                languages.push(s.language.clone());
            }
        }
        languages
    }
}

/// A loaded speech model.
pub struct Recogniser {
    context: WhisperContext,
    model: ModelRef,
}

impl Recogniser {
    /// Loads a ggml model file.
    pub fn load(path: &Path) -> Result<Recogniser> {
        whisper_rs::install_logging_hooks();
        let sha256 = match recorded_sha256(path) {
            Some(sha256) => sha256,
            None => crate::fs::file_sha256(path)?,
        };
        let path_str = path.to_str().context("the model path is not UTF-8")?;
        let mut params = WhisperContextParameters::default();
        params.flash_attn(flash_attention());
        let context = WhisperContext::new_with_params(path_str, params).map_err(|e| {
            anyhow!("`{}` is not a model whisper.cpp can load ({e}); import it again with `confkit model import`", path.display())
        })?;
        Ok(Recogniser {
            context,
            model: ModelRef {
                path: path.to_path_buf(),
                sha256,
            },
        })
    }

    /// The SHA-256 of the model file.
    pub fn model_sha256(&self) -> &str {
        &self.model.sha256
    }

    /// Transcribes one audio track of `media`.
    pub fn transcribe(
        &self,
        media: &Path,
        options: &TranscribeOptions,
        progress: &mut dyn FnMut(Timecode),
    ) -> Result<Transcript> {
        self.transcribe_hashed(media, crate::fs::file_sha256(media)?, options, progress)
    }

    /// Like [`Recogniser::transcribe`], for a file whose SHA-256 the caller
    /// already has (a long recording is not read once more to hash it).
    pub fn transcribe_hashed(
        &self,
        media: &Path,
        sha256: String,
        options: &TranscribeOptions,
        progress: &mut dyn FnMut(Timecode),
    ) -> Result<Transcript> {
        let mut state = self
            .context
            .create_state()
            .map_err(|e| anyhow!("whisper.cpp could not start: {e}"))?;
        let threads = match options.threads {
            0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
            n => n,
        };
        let mut segments = Vec::new();
        let mut pending: Vec<f32> = Vec::new();
        let mut offset = 0usize;
        let chunk = 30 * SPEECH_RATE as usize;
        let lookahead = 5 * SPEECH_RATE as usize;
        decode_speech_audio(media, options.track, |samples| {
            crate::interrupt::check()?;
            pending.extend_from_slice(samples);
            while pending.len() >= chunk + lookahead {
                let cut = quietest_cut(&pending, chunk - lookahead, chunk);
                let audio: Vec<f32> = pending.drain(..cut).collect();
                segments.extend(self.chunk(&mut state, &audio, offset, options, threads)?);
                offset += cut;
                progress(samples_to_time(offset));
            }
            Ok(())
        })?;
        if !pending.is_empty() {
            segments.extend(self.chunk(&mut state, &pending, offset, options, threads)?);
            offset += pending.len();
            progress(samples_to_time(offset));
        }
        Ok(Transcript {
            source: SourceRef {
                path: media.to_path_buf(),
                sha256,
                track: options.track,
            },
            model: self.model.clone(),
            task: if options.translate {
                "translate"
            } else {
                "transcribe"
            }
            .into(),
            segments,
        })
    }

    /// Transcribes one chunk that starts `offset` samples into the recording.
    fn chunk(
        &self,
        state: &mut WhisperState,
        audio: &[f32],
        offset: usize,
        options: &TranscribeOptions,
        threads: usize,
    ) -> Result<Vec<Segment>> {
        // Whisper invents text over silence, and times speech that follows a
        // long silence from the start of its window: give it the sound only.
        let Some((from, to)) = sound_span(audio) else {
            return Ok(Vec::new());
        };
        let (audio, offset) = (&audio[from..to], offset + from);
        if audio.len() < SPEECH_RATE as usize / 2 {
            return Ok(Vec::new());
        }
        let (language, probability) = match &options.language {
            Some(language) => (language.clone(), 1.0),
            None => self.detect_language(state, audio, &options.allowed_languages, threads)?,
        };
        // An unsure detection may mean the speaker switched language inside
        // the chunk: when the two halves disagree, each is transcribed in its own.
        let min_half = 8 * SPEECH_RATE as usize;
        if options.language.is_none() && probability < 0.9 && audio.len() >= 2 * min_half {
            let middle = quietest_cut(
                audio,
                audio.len() / 2 - SPEECH_RATE as usize * 3,
                audio.len() / 2 + SPEECH_RATE as usize * 3,
            );
            let (first, second) = audio.split_at(middle);
            let first_language = self
                .detect_language(state, first, &options.allowed_languages, threads)?
                .0;
            let second_language = self
                .detect_language(state, second, &options.allowed_languages, threads)?
                .0;
            if first_language != second_language {
                let mut segments = self.chunk(state, first, offset, options, threads)?;
                segments.extend(self.chunk(state, second, offset + middle, options, threads)?);
                return Ok(segments);
            }
        }
        let mut params = FullParams::new(SamplingStrategy::Greedy { best_of: 1 });
        params.set_n_threads(threads as i32);
        params.set_language(Some(&language));
        params.set_translate(options.translate);
        params.set_token_timestamps(true);
        params.set_no_context(true);
        params.set_suppress_blank(true);
        params.set_no_speech_thold(0.6);
        params.set_print_special(false);
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_timestamps(false);
        if let Some(prompt) = &options.prompt {
            params.set_initial_prompt(prompt);
        }
        state
            .full(params, audio)
            .map_err(|e| anyhow!("whisper.cpp failed: {e}"))?;
        // A translation is written in English whatever was spoken.
        let written_language = if options.translate {
            "en".to_string()
        } else {
            language.clone()
        };
        let eot = self.context.token_eot();
        let base = offset as u64 * 1000 / u64::from(SPEECH_RATE);
        let at = |centiseconds: i64| Timecode::from_millis(base + centiseconds.max(0) as u64 * 10);
        let mut segments = Vec::new();
        for segment in state.as_iter() {
            let text = segment
                .to_str_lossy()
                .map_err(|e| anyhow!("{e}"))?
                .trim()
                .to_string();
            if text.is_empty() || segment.no_speech_probability() > 0.6 {
                continue;
            }
            let mut words: Vec<Word> = Vec::new();
            for t in 0..segment.n_tokens() {
                let Some(token) = segment.get_token(t) else {
                    continue;
                };
                if token.token_id() >= eot {
                    continue;
                }
                let piece = token
                    .to_str_lossy()
                    .map_err(|e| anyhow!("{e}"))?
                    .to_string();
                let data = token.token_data();
                let starts_word = piece.starts_with(' ') || words.is_empty();
                match words.last_mut() {
                    Some(word) if !starts_word => {
                        word.text.push_str(&piece);
                        word.end = at(data.t1);
                        word.probability = word.probability.min(token.token_probability());
                    }
                    _ => words.push(Word {
                        start: at(data.t0),
                        end: at(data.t1),
                        text: piece.trim_start().to_string(),
                        probability: token.token_probability(),
                    }),
                }
            }
            words.retain(|w| !w.text.trim().is_empty());
            // A model that loses its way repeats its last sentence: keep it once.
            if segments
                .last()
                .is_some_and(|previous: &Segment| same_words(&previous.text, &text))
            {
                continue;
            }
            segments.push(Segment {
                start: at(segment.start_timestamp()),
                end: at(segment.end_timestamp()),
                language: written_language.clone(),
                language_probability: probability,
                text,
                words,
            });
        }
        Ok(segments)
    }

    /// The chunk's language, among `allowed` when given, with its probability.
    fn detect_language(
        &self,
        state: &mut WhisperState,
        audio: &[f32],
        allowed: &[String],
        threads: usize,
    ) -> Result<(String, f32)> {
        state
            .pcm_to_mel(audio, threads)
            .map_err(|e| anyhow!("whisper.cpp failed: {e}"))?;
        let (best, probabilities) = state
            .lang_detect(0, threads)
            .map_err(|e| anyhow!("language detection failed: {e}"))?;
        let name = |id: usize| {
            whisper_rs::get_lang_str(id as i32)
                .unwrap_or("en")
                .to_string()
        };
        if allowed.is_empty() {
            return Ok((
                name(best as usize),
                probabilities.get(best as usize).copied().unwrap_or(0.0),
            ));
        }
        let (id, p) = probabilities
            .iter()
            .enumerate()
            .filter(|(id, _)| allowed.contains(&name(*id)))
            .max_by(|a, b| a.1.total_cmp(b.1))
            .ok_or_else(|| anyhow!("whisper knows none of the languages {allowed:?}"))?;
        Ok((name(id), *p))
    }
}

/// Whether whisper.cpp uses flash attention: `CONFKIT_FLASH_ATTENTION=1`
/// or `0` (`scripts/bench-speech-options` measures both); off by default.
fn flash_attention() -> bool {
    std::env::var("CONFKIT_FLASH_ATTENTION").is_ok_and(|v| v == "1")
}

/// True when `a` and `b` say the same words, ignoring case and punctuation.
fn same_words(a: &str, b: &str) -> bool {
    let a = plain_words(a);
    !a.is_empty() && a == plain_words(b)
}

/// Where to cut between `from` and `to`: the middle of the quietest 100 ms.
fn quietest_cut(audio: &[f32], from: usize, to: usize) -> usize {
    let window = SPEECH_RATE as usize / 10;
    (from..to.saturating_sub(window))
        .step_by(window / 2)
        .min_by(|&a, &b| rms(&audio[a..a + window]).total_cmp(&rms(&audio[b..b + window])))
        .map_or(to, |start| start + window / 2)
}

/// Silence below this level (about -50 dBFS) holds no speech.
const SILENCE_RMS: f32 = 0.003;

/// The part of `audio` from a little before its first sound to a little
/// after its last, in 100 ms windows; `None` when it is all silence.
fn sound_span(audio: &[f32]) -> Option<(usize, usize)> {
    let window = SPEECH_RATE as usize / 10;
    let loud = |w: &[f32]| rms(w) >= SILENCE_RMS;
    let first = audio.chunks(window).position(loud)?;
    let last = audio.chunks(window).rposition(loud)?;
    let margin = 3 * window;
    Some((
        (first * window).saturating_sub(margin),
        ((last + 1) * window + margin).min(audio.len()),
    ))
}

fn rms(audio: &[f32]) -> f32 {
    (audio.iter().map(|s| s * s).sum::<f32>() / audio.len().max(1) as f32).sqrt()
}

fn samples_to_time(samples: usize) -> Timecode {
    Timecode::from_millis(samples as u64 * 1000 / u64::from(SPEECH_RATE))
}

/// The checksum `confkit model import` recorded beside a model, when the
/// file still has the recorded size.
fn recorded_sha256(model: &Path) -> Option<String> {
    let record = model.with_extension("json");
    let record: super::models::ModelRecord =
        serde_json::from_str(&std::fs::read_to_string(record).ok()?).ok()?;
    let size = std::fs::metadata(model).ok()?.len();
    (record.size == size).then_some(record.sha256)
}

/// The SHA-256 of a model file: the one recorded when it was imported,
/// else through `cache`.
pub fn model_sha256(path: &Path, cache: &crate::fs::Cache) -> Result<String> {
    match recorded_sha256(path) {
        Some(sha256) => Ok(sha256),
        None => cache.sha256(path),
    }
}

/// The ggml file for `model`: a path to a file, or a name from `confkit model list`.
pub fn resolve_model(model: &str) -> Result<PathBuf> {
    let path = Path::new(model);
    if path.is_file() {
        return Ok(path.to_path_buf());
    }
    let installed = super::models::models_dir().join(format!("ggml-{model}.bin"));
    if installed.is_file() {
        return Ok(installed);
    }
    if model.contains('/') || model.ends_with(".bin") {
        bail!("the model file `{model}` does not exist");
    }
    bail!(
        "no model named `{model}` in {}; run `scripts/fetch-model` for the base model, or `confkit model import` for another",
        super::models::models_dir().display()
    )
}
