//! Package signatures, so that a recipient can check who made a package.
//! `confkit key new` makes an Ed25519 key pair: the secret key stays with
//! whoever builds the packages, the public key is sent to the recipients.
//! A package built with the secret key carries a `SIGNATURE` entry that
//! signs its `SHA256SUMS`, which covers `manifest.json` and, through it,
//! every file; `confkit verify --key` checks it. Ed25519 signatures are
//! deterministic, so a signed package is still the same bytes for the same
//! inputs.
//!
//! The files are text: a comment line, then `ed25519:` (public) or
//! `ed25519-secret:` (secret) and the key's 32 bytes in base64. The
//! signature signs the line `confkit package signature 1` followed by the
//! bytes of `SHA256SUMS`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

/// The entry that holds a package's signature.
pub const SIGNATURE_ENTRY: &str = "SIGNATURE";
/// The first line of `SIGNATURE`, also put before `SHA256SUMS` when signing.
const FORMAT: &str = "confkit package signature 1";
const PUBLIC_PREFIX: &str = "ed25519:";
const SECRET_PREFIX: &str = "ed25519-secret:";

/// A key that signs packages.
pub struct SecretKey {
    name: String,
    key: SigningKey,
}

/// A key that checks packages.
#[derive(Debug, Clone)]
pub struct PublicKey {
    name: String,
    key: VerifyingKey,
}

impl SecretKey {
    /// A new key from the system's random source.
    pub fn generate(name: &str) -> Result<SecretKey> {
        let mut seed = [0u8; 32];
        getrandom::getrandom(&mut seed)
            .map_err(|e| anyhow::anyhow!("the system gave no random bytes for a key: {e}"))?;
        Ok(SecretKey {
            name: name.to_string(),
            key: SigningKey::from_bytes(&seed),
        })
    }

    /// The public half, to send to recipients.
    pub fn public(&self) -> PublicKey {
        PublicKey {
            name: self.name.clone(),
            key: self.key.verifying_key(),
        }
    }

    /// The `SIGNATURE` entry for a package whose `SHA256SUMS` is `sums`.
    pub fn sign(&self, sums: &[u8]) -> String {
        let signature = self.key.sign(&signed_message(sums));
        let public = self.public();
        format!(
            "{FORMAT}\nkey id: {}\npublic key: {PUBLIC_PREFIX}{}\nsignature: {}\n",
            public.id(),
            BASE64.encode(public.key.as_bytes()),
            BASE64.encode(signature.to_bytes())
        )
    }
}

impl PublicKey {
    /// The key's name (its file's name without `.pub`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A short id to compare by eye or over the phone: the first 8 bytes of
    /// the SHA-256 of the key, in hexadecimal.
    pub fn id(&self) -> String {
        Sha256::digest(self.key.as_bytes())[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

fn signed_message(sums: &[u8]) -> Vec<u8> {
    let mut message = format!("{FORMAT}\n").into_bytes();
    message.extend_from_slice(sums);
    message
}

/// The folder `confkit key new` writes to by default, outside any project:
/// `$XDG_CONFIG_HOME/confkit/keys` or `~/.config/confkit/keys`.
pub fn default_keys_dir() -> PathBuf {
    std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .unwrap_or_else(|| PathBuf::from(".config"))
        .join("confkit")
        .join("keys")
}

/// Writes `key` as `dir/<name>.key` (readable by its owner only) and
/// `dir/<name>.pub`; an existing file is never replaced.
pub fn write_key_pair(key: &SecretKey, dir: &Path) -> Result<(PathBuf, PathBuf)> {
    let secret_path = dir.join(format!("{}.key", key.name));
    let public_path = dir.join(format!("{}.pub", key.name));
    for path in [&secret_path, &public_path] {
        if path.exists() {
            bail!(
                "`{}` already exists; a key is never replaced (packages signed with it could no longer be checked)\n  help: choose another name with `--name`",
                path.display()
            );
        }
    }
    create_private_dir(dir)?;
    let public = key.public();
    let secret_text = format!(
        "# confkit secret key {}, key id {}: it signs packages; keep it to yourself, never send it\n{SECRET_PREFIX}{}\n",
        key.name,
        public.id(),
        BASE64.encode(key.key.to_bytes())
    );
    write_new(&secret_path, secret_text.as_bytes(), 0o600)?;
    let public_text = format!(
        "# confkit public key {}, key id {}: checks the packages it signed\n{PUBLIC_PREFIX}{}\n",
        key.name,
        public.id(),
        BASE64.encode(public.key.as_bytes())
    );
    if let Err(e) = write_new(&public_path, public_text.as_bytes(), 0o644) {
        let _ = std::fs::remove_file(&secret_path);
        return Err(e);
    }
    Ok((secret_path, public_path))
}

fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .with_context(|| format!("cannot create `{}`", dir.display()))
}

/// Writes a file that must not exist yet, with `mode` from its creation on.
fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create `{}`", path.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write `{}`", path.display()))
}

/// The 32 bytes after `prefix` on the key line of a key file.
fn key_bytes(text: &str, prefix: &str, path: &Path) -> Result<[u8; 32]> {
    let line = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
        .unwrap_or_default();
    let Some(encoded) = line.strip_prefix(prefix) else {
        let what = if prefix == PUBLIC_PREFIX {
            "public"
        } else {
            "secret"
        };
        if line.starts_with(SECRET_PREFIX) && prefix == PUBLIC_PREFIX {
            bail!(
                "`{}` is a secret key: give the public key (`.pub`) to verify",
                path.display()
            );
        }
        bail!(
            "`{}` is not a confkit {what} key: its key line should start with `{prefix}`",
            path.display()
        );
    };
    BASE64
        .decode(encoded)
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .with_context(|| {
            format!(
                "`{}` has a damaged key: not 32 bytes in base64",
                path.display()
            )
        })
}

fn name_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads a public key file.
pub fn read_public_key(path: &Path) -> Result<PublicKey> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the public key `{}`", path.display()))?;
    let bytes = key_bytes(&text, PUBLIC_PREFIX, path)?;
    let key = VerifyingKey::from_bytes(&bytes)
        .ok()
        .filter(|key| !key.is_weak())
        .with_context(|| format!("`{}` is not a usable Ed25519 public key", path.display()))?;
    Ok(PublicKey {
        name: name_of(path),
        key,
    })
}

/// Reads a secret key file, which must be readable by its owner only.
pub fn read_secret_key(path: &Path) -> Result<SecretKey> {
    let metadata = std::fs::metadata(path)
        .with_context(|| format!("cannot read the signing key `{}`", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            bail!(
                "the signing key `{}` can be read by other users (mode {mode:o})\n  help: `chmod 600 {}`, and make a new key if others may have read it",
                path.display(),
                path.display()
            );
        }
    }
    #[cfg(not(unix))]
    let _ = metadata;
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the signing key `{}`", path.display()))?;
    let bytes = key_bytes(&text, SECRET_PREFIX, path)?;
    Ok(SecretKey {
        name: name_of(path),
        key: SigningKey::from_bytes(&bytes),
    })
}

/// Who signed a package, as far as verify can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignedBy {
    /// Signed with the key verify was given.
    Trusted {
        /// The key's name.
        name: String,
        /// The key's id.
        id: String,
    },
    /// Signed with the key the signature names, which verify was not asked
    /// to trust: the package is whole, but who made it is not checked.
    Unchecked {
        /// The id of the key the signature names.
        id: String,
    },
}

/// Checks the `SIGNATURE` entry `signature` over `sums`, against `trusted`
/// when given, else against the key the signature names; `Err` says what
/// is wrong.
pub fn check(
    signature: &[u8],
    sums: &[u8],
    trusted: Option<&PublicKey>,
) -> Result<SignedBy, String> {
    let (named, signature) = parse_signature(signature)?;
    let message = signed_message(sums);
    match trusted {
        Some(trusted) if trusted.key.verify_strict(&message, &signature).is_ok() => {
            Ok(SignedBy::Trusted {
                name: trusted.name.clone(),
                id: trusted.id(),
            })
        }
        Some(trusted) if named.id() != trusted.id() => Err(format!(
            "it is signed with key id {}, not with `{}` (key id {}): it was not made by the holder of that key",
            named.id(),
            trusted.name,
            trusted.id()
        )),
        Some(_) => Err(
            "its signature does not match its contents: it was changed after it was signed".into(),
        ),
        None if named.key.verify_strict(&message, &signature).is_ok() => {
            Ok(SignedBy::Unchecked { id: named.id() })
        }
        None => Err(
            "its signature does not match its contents: it was changed after it was signed".into(),
        ),
    }
}

/// The key a `SIGNATURE` entry names, and its signature.
fn parse_signature(bytes: &[u8]) -> Result<(PublicKey, Signature), String> {
    let damaged = |what: &str| format!("{SIGNATURE_ENTRY} cannot be read: {what}");
    let text = std::str::from_utf8(bytes).map_err(|_| damaged("it is not text"))?;
    let mut lines = text.lines();
    if lines.next() != Some(FORMAT) {
        return Err(damaged(&format!("it does not start with `{FORMAT}`")));
    }
    let (mut key, mut signature) = (None, None);
    for line in lines {
        if let Some(value) = line.strip_prefix("public key: ") {
            key = value
                .strip_prefix(PUBLIC_PREFIX)
                .and_then(|b| BASE64.decode(b).ok())
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .and_then(|b| VerifyingKey::from_bytes(&b).ok());
        } else if let Some(value) = line.strip_prefix("signature: ") {
            signature = BASE64
                .decode(value)
                .ok()
                .and_then(|b| <[u8; 64]>::try_from(b).ok())
                .map(|b| Signature::from_bytes(&b));
        }
    }
    let key = key.ok_or_else(|| damaged("its public key is missing or damaged"))?;
    let signature = signature.ok_or_else(|| damaged("its signature is missing or damaged"))?;
    Ok((
        PublicKey {
            name: String::new(),
            key,
        },
        signature,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUMS: &[u8] = b"0000  index.html\n";

    #[test]
    fn a_signature_checks_against_its_key_and_no_other() {
        let key = SecretKey::generate("iom").unwrap();
        let other = SecretKey::generate("other").unwrap();
        let signature = key.sign(SUMS);
        assert_eq!(
            check(signature.as_bytes(), SUMS, Some(&key.public())),
            Ok(SignedBy::Trusted {
                name: "iom".into(),
                id: key.public().id()
            })
        );
        assert_eq!(
            check(signature.as_bytes(), SUMS, None),
            Ok(SignedBy::Unchecked {
                id: key.public().id()
            })
        );
        let error = check(signature.as_bytes(), SUMS, Some(&other.public())).unwrap_err();
        assert!(error.contains("not with `other`"), "{error}");
        let error = check(signature.as_bytes(), b"1111  index.html\n", None).unwrap_err();
        assert!(error.contains("changed after it was signed"), "{error}");
        let error = check(
            signature.as_bytes(),
            b"1111  index.html\n",
            Some(&key.public()),
        )
        .unwrap_err();
        assert!(error.contains("changed after it was signed"), "{error}");
        // Deterministic: the same key and sums give the same entry.
        assert_eq!(signature, key.sign(SUMS));
    }

    #[test]
    fn a_signature_names_the_key_that_made_it() {
        let key = SecretKey::generate("iom").unwrap();
        let signature = key.sign(SUMS);
        assert!(signature.starts_with("confkit package signature 1\n"));
        assert!(signature.contains(&format!("key id: {}\n", key.public().id())));
        let error = check(b"something else", SUMS, None).unwrap_err();
        assert!(error.contains("cannot be read"), "{error}");
    }

    #[test]
    fn key_files_round_trip_and_are_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let keys = dir.path().join("keys");
        let key = SecretKey::generate("iom").unwrap();
        let (secret, public) = write_key_pair(&key, &keys).unwrap();
        assert_eq!(secret, keys.join("iom.key"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&secret), 0o600);
            assert_eq!(mode(&keys), 0o700);
        }
        let read = read_secret_key(&secret).unwrap();
        assert_eq!(read.public().id(), key.public().id());
        let read = read_public_key(&public).unwrap();
        assert_eq!((read.name(), read.id()), ("iom", key.public().id()));
        let again = write_key_pair(&SecretKey::generate("iom").unwrap(), &keys);
        assert!(format!("{:#}", again.unwrap_err()).contains("already exists"));
        assert_eq!(
            read_secret_key(&secret).unwrap().public().id(),
            key.public().id()
        );
        let error = read_public_key(&secret).unwrap_err().to_string();
        assert!(error.contains("is a secret key"), "{error}");
    }

    #[cfg(unix)]
    #[test]
    fn a_secret_key_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let (secret, _) = write_key_pair(&SecretKey::generate("iom").unwrap(), dir.path()).unwrap();
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).unwrap();
        let error = format!("{:#}", read_secret_key(&secret).err().unwrap());
        assert!(error.contains("chmod 600"), "{error}");
    }
}
