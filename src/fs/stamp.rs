//! Stamps: a small file beside outputs holding the key of the inputs they
//! were made from. Written last, removed first: present and equal, the
//! outputs are complete and current.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The stamp file of some outputs.
#[derive(Debug, Clone)]
pub struct Stamp(PathBuf);

impl Stamp {
    /// The stamp at `path`.
    pub fn at(path: impl Into<PathBuf>) -> Stamp {
        Stamp(path.into())
    }

    /// Where the stamp is.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// True when the outputs were made with `key`.
    pub fn holds(&self, key: &str) -> bool {
        std::fs::read_to_string(&self.0).is_ok_and(|s| s == key)
    }

    /// Records that the outputs are complete for `key`.
    pub fn write(&self, key: &str) -> Result<()> {
        super::write_atomically(&self.0, key.as_bytes())
    }

    /// Forgets the key before outputs are replaced, so that a run cut short
    /// leaves no stamp beside half-new outputs.
    pub fn clear(&self) -> Result<()> {
        match std::fs::remove_file(&self.0) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(e).with_context(|| format!("cannot remove `{}`", self.0.display()))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_only_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let stamp = Stamp::at(dir.path().join("x.stamp"));
        assert!(!stamp.holds("a"));
        stamp.write("a").unwrap();
        assert!(stamp.holds("a") && !stamp.holds("b"));
        stamp.clear().unwrap();
        stamp.clear().unwrap();
        assert!(!stamp.holds("a"));
    }
}
