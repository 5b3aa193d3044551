//! `confkit new DIR`: a new toolkit project with the same layout as the
//! Niamey one, every file commented so that staff can fill it in. The
//! templates are real files under `src/scaffold/template/`, embedded.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::project::slugify;

/// (path in the new project, template text)
const FILES: &[(&str, &str)] = &[
    ("confkit.toml", include_str!("template/confkit.toml")),
    ("README.md", include_str!("template/README.md")),
    (".gitignore", include_str!("template/gitignore")),
    (
        "assets/recordings.toml",
        include_str!("template/assets/recordings.toml"),
    ),
    (
        "assets/clips.toml",
        include_str!("template/assets/clips.toml"),
    ),
    (
        "assets/guide.toml",
        include_str!("template/assets/guide.toml"),
    ),
    (
        "assets/institutions.toml",
        include_str!("template/assets/institutions.toml"),
    ),
    (
        "assets/glossary.toml",
        include_str!("template/assets/glossary.toml"),
    ),
    (
        "assets/redactions.toml",
        include_str!("template/assets/redactions.toml"),
    ),
    (
        "assets/modules/README.md",
        include_str!("template/assets/modules-README.md"),
    ),
];

/// Empty folders the layout has from the start.
const FOLDERS: &[&str] = &["assets/recordings", "assets/guide", "transcripts"];

/// Creates a project in `dir`, which must not exist or be empty; `today` is
/// `YYYY-MM-DD`, the conference dates until the user sets them. Returns the
/// files written.
pub fn create_project(dir: &Path, today: &str) -> Result<Vec<PathBuf>> {
    if dir.exists() {
        let mut entries =
            fs::read_dir(dir).with_context(|| format!("cannot read `{}`", dir.display()))?;
        if entries.next().is_some() {
            bail!(
                "`{}` is not empty; confkit new only creates projects in a new or empty folder, so that nothing there is overwritten",
                dir.display()
            );
        }
    }
    let name = dir
        .canonicalize()
        .ok()
        .or_else(|| Some(dir.to_path_buf()))
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let id = match slugify(&name) {
        id if id.is_empty() => "conference".to_string(),
        id => id,
    };
    let mut written = Vec::new();
    for folder in FOLDERS {
        fs::create_dir_all(dir.join(folder))
            .with_context(|| format!("cannot create `{}`", dir.join(folder).display()))?;
    }
    for (relative, template) in FILES {
        let path = dir.join(relative);
        let text = template.replace("@ID@", &id).replace("@DATE@", today);
        write_new_file(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}

/// Writes a file that must not exist yet, completely or not at all.
fn write_new_file(path: &Path, text: &str) -> Result<()> {
    let parent = path.parent().expect("project files are in a folder");
    fs::create_dir_all(parent).with_context(|| format!("cannot create `{}`", parent.display()))?;
    let mut temp = tempfile::NamedTempFile::new_in(parent)
        .with_context(|| format!("cannot write in `{}`", parent.display()))?;
    temp.write_all(text.as_bytes())
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    temp.persist_noclobber(path)
        .with_context(|| format!("cannot create `{}`", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_folder_with_files() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let err = create_project(dir.path(), "2021-01-27")
            .unwrap_err()
            .to_string();
        assert!(err.contains("is not empty"), "{err}");
        assert_eq!(
            fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
            "mine"
        );
    }
}
