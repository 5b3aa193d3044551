//! The conference's logo (`conference.logo` in `confkit.toml`), shown in
//! the header of every package page: a PNG or JPEG file inside the
//! project, read whole and checked by its first bytes, so that a renamed
//! file of another kind, or a link out of the project, never ships. The
//! packages carry it decoded and encoded again (`package::site::logo_png`),
//! which leaves its metadata behind.

use std::path::Path;

use super::resolve_inside;

/// The most a logo may weigh: it is on every page of every package.
const MAX_LOGO_BYTES: u64 = 512 * 1024;

/// A logo file, as the project has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    /// `png` or `jpg`.
    pub extension: &'static str,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// Reads the logo at `relative`, under `root`; the error says what is
/// wrong and how to put it right.
pub fn read_logo(root: &Path, relative: &str) -> Result<Logo, String> {
    let path = resolve_inside(root, relative)?;
    let meta = std::fs::metadata(&path).map_err(|_| {
        format!("the logo `{relative}` does not exist; put the file there, or remove `logo`")
    })?;
    if !meta.is_file() {
        return Err(format!("the logo `{relative}` is not a file"));
    }
    if meta.len() > MAX_LOGO_BYTES {
        return Err(format!(
            "the logo `{relative}` is {} KiB; make it at most {} KiB (a header logo needs about 200 pixels of height)",
            meta.len() / 1024,
            MAX_LOGO_BYTES / 1024
        ));
    }
    let bytes =
        std::fs::read(&path).map_err(|e| format!("the logo `{relative}` cannot be read: {e}"))?;
    let extension = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "png"
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        "jpg"
    } else {
        return Err(format!(
            "the logo `{relative}` is not a PNG or JPEG image; save it as one of these"
        ));
    };
    Ok(Logo { extension, bytes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_logo_is_a_png_or_a_jpeg_inside_the_project() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("logo.png"), b"\x89PNG\r\n\x1a\nrest").unwrap();
        std::fs::write(root.join("logo.jpg"), [0xff, 0xd8, 0xff, 0xe0]).unwrap();
        std::fs::write(root.join("logo.svg"), "<svg onload='alert(1)'/>").unwrap();
        assert_eq!(read_logo(root, "logo.png").unwrap().extension, "png");
        assert_eq!(read_logo(root, "logo.jpg").unwrap().extension, "jpg");
        assert!(read_logo(root, "logo.svg")
            .unwrap_err()
            .contains("not a PNG or JPEG"));
        assert!(read_logo(root, "missing.png")
            .unwrap_err()
            .contains("does not exist"));
        assert!(read_logo(root, "../logo.png")
            .unwrap_err()
            .contains("leaves the project"));
        std::fs::write(
            root.join("big.png"),
            [b"\x89PNG\r\n\x1a\n".as_slice(), &vec![0; 600 * 1024]].concat(),
        )
        .unwrap();
        assert!(read_logo(root, "big.png").unwrap_err().contains("KiB"));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_out_of_the_project_is_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.png"), b"\x89PNG\r\n\x1a\n").unwrap();
        let project = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.png"),
            project.path().join("logo.png"),
        )
        .unwrap();
        assert!(read_logo(project.path(), "logo.png").is_err());
    }
}
