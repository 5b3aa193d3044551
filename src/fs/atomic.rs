//! Media outputs are written under a temporary name beside their final
//! place and renamed when complete: a crash, an error or Ctrl-C leaves no
//! half-written clip, and an existing clip is replaced only by a whole one.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use tempfile::TempPath;

/// A file being written; removed unless committed.
pub struct PendingOutput {
    temp: TempPath,
    target: PathBuf,
}

impl PendingOutput {
    /// Reserves a temporary file beside `target` (same folder, so the rename is atomic).
    pub fn new(target: &Path) -> Result<PendingOutput> {
        let folder = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&folder)
            .with_context(|| format!("cannot create `{}`", folder.display()))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let suffix = target
            .extension()
            .map(|e| format!(".{}", e.to_string_lossy()))
            .unwrap_or_default();
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(&format!(".partial{suffix}"))
            .tempfile_in(&folder)
            .with_context(|| format!("cannot write in `{}`", folder.display()))?
            .into_temp_path();
        Ok(PendingOutput {
            temp,
            target: target.to_path_buf(),
        })
    }

    /// Where to write.
    pub fn temp_path(&self) -> &Path {
        &self.temp
    }

    /// Moves the finished file to its place; an empty file is an error (a
    /// pipeline that produced nothing).
    pub fn commit(self) -> Result<()> {
        let size = std::fs::metadata(&self.temp).map(|m| m.len()).unwrap_or(0);
        anyhow::ensure!(
            size > 0,
            "nothing was written for `{}`",
            self.target.display()
        );
        self.persist()
    }

    fn persist(self) -> Result<()> {
        // Temporary files are private; outputs are for sharing.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&self.temp, std::fs::Permissions::from_mode(0o644))
                .with_context(|| {
                    format!("cannot set the permissions of `{}`", self.target.display())
                })?;
        }
        self.temp.persist(&self.target).with_context(|| {
            format!(
                "cannot move the finished file to `{}`",
                self.target.display()
            )
        })?;
        Ok(())
    }
}

/// Writes a small file completely or not at all; it may be empty (the
/// subtitles of a silent recording).
pub fn write_atomically(target: &Path, bytes: &[u8]) -> Result<()> {
    let pending = PendingOutput::new(target)?;
    std::fs::write(pending.temp_path(), bytes)
        .with_context(|| format!("cannot write `{}`", target.display()))?;
    pending.persist()
}

/// True for the name of a file [`PendingOutput`] was writing.
pub fn is_partial(name: &str) -> bool {
    name.starts_with('.') && name.contains(".partial")
}

/// Removes what a run that was killed (power cut, SIGKILL) left half-written
/// in `folder`; a run that ends normally leaves nothing of the kind.
pub fn remove_partials(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        if is_partial(&entry.file_name().to_string_lossy()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
