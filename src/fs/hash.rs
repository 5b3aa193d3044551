//! SHA-256, as lower-case hex, of bytes, text and files.

use std::path::Path;

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

/// The SHA-256 of `bytes`.
pub fn sha256_hex(bytes: impl AsRef<[u8]>) -> String {
    format!("{:x}", Sha256::digest(bytes.as_ref()))
}

/// The SHA-256 of a finished hasher.
pub fn digest_hex(hash: Sha256) -> String {
    format!("{:x}", hash.finalize())
}

/// The SHA-256 of a file, read in pieces. Builds go through
/// [`super::Cache::sha256`], which reads a file again only when it changed.
pub fn file_sha256(path: &Path) -> Result<String> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let mut hash = Sha256::new();
    std::io::copy(&mut file, &mut hash)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    Ok(digest_hex(hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        assert_eq!(
            sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("abc");
        std::fs::write(&file, "abc").unwrap();
        assert_eq!(file_sha256(&file).unwrap(), sha256_hex("abc"));
    }
}
