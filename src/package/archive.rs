//! The package ZIP: deterministic (entries sorted by name, every timestamp
//! 1980-01-01 00:00, fixed permissions, UTF-8 names), media stored as they
//! are and text deflated, written under a temporary name and renamed when
//! complete.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::fs::PendingOutput;

/// What an entry holds.
#[derive(Debug, Clone)]
pub enum Content {
    /// Bytes made for the package (pages, subtitles, manifest).
    Bytes(Vec<u8>),
    /// A file copied as it is (clips, posters).
    File(PathBuf),
    /// Bytes cut from confkit's own typeface (glyph outlines, inline as
    /// base64): nothing in them comes from the project's text, and the
    /// redaction scan, which would read chance letters and digits in the
    /// base64, passes them by.
    Glyphs(Vec<u8>),
}

/// One file of a package.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Its path inside the ZIP, with `/`.
    pub name: String,
    /// What it holds.
    pub content: Content,
}

impl Entry {
    /// The entry's bytes.
    pub fn bytes(&self) -> Result<std::borrow::Cow<'_, [u8]>> {
        Ok(match &self.content {
            Content::Bytes(bytes) | Content::Glyphs(bytes) => std::borrow::Cow::Borrowed(bytes),
            Content::File(path) => std::borrow::Cow::Owned(
                std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?,
            ),
        })
    }
}

/// True for media, which is already compressed and is stored.
fn is_media(name: &str) -> bool {
    [".mp4", ".m4a", ".jpg", ".jpeg", ".png", ".woff2"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Writes `entries` to `target`, sorted by name.
pub fn write_zip(target: &Path, entries: &mut [Entry]) -> Result<()> {
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    let pending = PendingOutput::new(target)?;
    let file = std::fs::File::create(pending.temp_path())
        .with_context(|| format!("cannot write `{}`", target.display()))?;
    let mut zip = ZipWriter::new(std::io::BufWriter::new(file));
    let epoch = DateTime::default();
    for entry in entries.iter() {
        let method = if is_media(&entry.name) {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(epoch)
            .unix_permissions(0o644)
            .large_file(false);
        zip.start_file(entry.name.as_str(), options)
            .with_context(|| format!("cannot add `{}` to `{}`", entry.name, target.display()))?;
        match &entry.content {
            Content::Bytes(bytes) | Content::Glyphs(bytes) => zip.write_all(bytes)?,
            Content::File(path) => {
                let mut source = std::fs::File::open(path)
                    .with_context(|| format!("cannot read `{}`", path.display()))?;
                std::io::copy(&mut source, &mut zip)?;
            }
        }
    }
    let mut inner = zip.finish().context("cannot finish the ZIP")?;
    inner.flush()?;
    drop(inner);
    pending.commit()
}
