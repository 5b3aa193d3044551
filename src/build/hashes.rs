//! The SHA-256 of media files, remembered under `.confkit/hashes/` beside
//! the size and modification time they were computed for. A transcript
//! names the hash of the media it was made from; comparing the two on
//! every clip would read gigabytes of recordings each run, so a file whose
//! size and time have not changed keeps its hash.

use std::path::Path;
use std::time::UNIX_EPOCH;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::media::output::write_atomically;
use crate::speech::transcribe::file_sha256;

/// What a remembered hash was computed for.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Remembered {
    size: u64,
    modified_ns: u128,
    sha256: String,
}

/// The SHA-256 of `path`, computed again only when its size or
/// modification time changed since it was remembered in the project at
/// `root`.
pub fn media_sha256(root: &Path, path: &Path) -> Result<String> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let modified_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let name = format!(
        "{:x}.json",
        Sha256::digest(path.to_string_lossy().as_bytes())
    );
    let memo = root.join(super::BUILD_DIR).join("hashes").join(name);
    let remembered: Option<Remembered> = std::fs::read(&memo)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    if let Some(r) = remembered.filter(|r| r.size == meta.len() && r.modified_ns == modified_ns) {
        return Ok(r.sha256);
    }
    let sha256 = file_sha256(path)?;
    let record = Remembered {
        size: meta.len(),
        modified_ns,
        sha256: sha256.clone(),
    };
    // Remembering is a saving, not a need: a folder that cannot be written
    // only costs the next run a read.
    let _ = write_atomically(&memo, &serde_json::to_vec(&record)?);
    Ok(sha256)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_file_is_hashed_again() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("a.wav");
        std::fs::write(&file, b"one").unwrap();
        let first = media_sha256(root.path(), &file).unwrap();
        assert_eq!(first, file_sha256(&file).unwrap());
        assert_eq!(media_sha256(root.path(), &file).unwrap(), first);
        std::fs::write(&file, b"other").unwrap();
        assert_eq!(
            media_sha256(root.path(), &file).unwrap(),
            file_sha256(&file).unwrap()
        );
    }
}
