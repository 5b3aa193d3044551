//! Paths written in project files: they are relative to the project root and
//! must stay inside it, so that a project folder can be copied or zipped
//! whole and a typo cannot read `/etc/passwd` into a package.

use std::path::{Component, Path, PathBuf};

use super::PROJECT_FILE;

/// The nearest folder at or above `start` that holds `confkit.toml`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(PROJECT_FILE).is_file())
        .map(Path::to_path_buf)
}

/// Joins `relative` to `root`, refusing absolute paths and paths that leave
/// the project; the error says why in words.
pub fn resolve_inside(root: &Path, relative: &str) -> Result<PathBuf, String> {
    if relative.trim().is_empty() {
        return Err("the path is empty".into());
    }
    let path = Path::new(relative);
    check_path_inside(root, path)?;
    Ok(root.join(path))
}

/// Refuses a project file confkit found itself (a guide chapter, a module,
/// a transcript) when it is not really inside the project: a symbolic link,
/// or a folder on its way that is one, leading out of it. `path` is under
/// `root`, or relative to it. Such a file is never read: it could put any
/// file on the machine into a package.
pub fn check_inside(root: &Path, path: &Path) -> Result<(), String> {
    check_path_inside(root, path.strip_prefix(root).unwrap_or(path))
}

fn check_path_inside(root: &Path, relative: &Path) -> Result<(), String> {
    let shown = relative.display();
    let mut depth = 0usize;
    for component in relative.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => {
                return Err(format!(
                    "`{shown}` is an absolute path; write it relative to the project root (e.g. `assets/recordings/day1.mp4`)"
                ));
            }
            Component::ParentDir if depth == 0 => {
                return Err(format!(
                    "`{shown}` leaves the project folder; keep files inside the project (e.g. under `assets/`)"
                ));
            }
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
        }
    }
    // A symbolic link may still lead outside: compare the real paths when the file exists.
    if let (Ok(real), Ok(real_root)) = (root.join(relative).canonicalize(), root.canonicalize()) {
        if !real.starts_with(&real_root) {
            return Err(format!(
                "`{shown}` leads outside the project folder (through a symbolic link, to `{}`); copy the file into the project",
                real.display()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_inside_the_project_resolve() {
        let root = Path::new("/p");
        assert_eq!(
            resolve_inside(root, "assets/recordings/a.mp4").unwrap(),
            Path::new("/p/assets/recordings/a.mp4")
        );
        assert!(resolve_inside(root, "assets/../assets/a.mp4").is_ok());
    }

    #[test]
    fn escaping_and_absolute_paths_are_refused() {
        let root = Path::new("/p");
        let err = resolve_inside(root, "../../etc/passwd").unwrap_err();
        assert!(err.contains("leaves the project folder"), "{err}");
        let err = resolve_inside(root, "assets/../../x").unwrap_err();
        assert!(err.contains("leaves the project folder"), "{err}");
        let err = resolve_inside(root, "/etc/passwd").unwrap_err();
        assert!(err.contains("absolute path"), "{err}");
        assert!(resolve_inside(root, " ").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_out_of_the_project_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "x").unwrap();
        let project = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), project.path().join("assets")).unwrap();
        let err = resolve_inside(project.path(), "assets/secret.txt").unwrap_err();
        assert!(err.contains("symbolic link"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn files_found_in_the_project_must_really_be_inside_it() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.md"), "x").unwrap();
        let project = tempfile::tempdir().unwrap();
        let root = project.path();
        let guide = root.join("assets/guide");
        std::fs::create_dir_all(&guide).unwrap();
        std::fs::write(guide.join("niger.fr.md"), "x").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.md"), guide.join("mali.fr.md"))
            .unwrap();
        // A link to another file of the project is fine.
        std::os::unix::fs::symlink(guide.join("niger.fr.md"), guide.join("niger.en.md")).unwrap();

        assert_eq!(check_inside(root, &guide.join("niger.fr.md")), Ok(()));
        assert_eq!(
            check_inside(root, Path::new("assets/guide/niger.en.md")),
            Ok(())
        );
        let err = check_inside(root, &guide.join("mali.fr.md")).unwrap_err();
        assert!(
            err.starts_with("`assets/guide/mali.fr.md` leads outside the project folder"),
            "{err}"
        );
        assert!(err.contains("secret.md"), "{err}");
        // The whole folder linked out of the project.
        std::os::unix::fs::symlink(outside.path(), root.join("transcripts")).unwrap();
        let err = check_inside(root, &root.join("transcripts/secret.md")).unwrap_err();
        assert!(err.contains("symbolic link"), "{err}");
        // Paths that escape by their spelling.
        let err = check_inside(root, Path::new("assets/../../secret.md")).unwrap_err();
        assert!(err.contains("leaves the project folder"), "{err}");
        let err = check_inside(root, Path::new("/etc/passwd")).unwrap_err();
        assert!(err.contains("absolute path"), "{err}");
    }
}
