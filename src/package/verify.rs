//! `confkit verify`: a package is whole, safe to unpack, and, given the
//! maker's public key, made by that key's holder. Its ZIP structure is
//! read from the bytes ([`super::structure`]): no name given twice or
//! colliding on Windows or macOS, only files and folders, names that stay
//! inside the folder, local headers that agree with the directory, no
//! overlapping or hidden bytes. Then every file matches `manifest.json`
//! and `SHA256SUMS`, nothing is there that the manifest does not list,
//! every link of every page resolves inside the ZIP, and the signature,
//! when there is one, matches. Files are hashed as streams, never past
//! their declared size: a ZIP bomb costs no memory and bounded time.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::path::Path;

use anyhow::{anyhow, Context, Result};

use super::entry_stream::{read_text, sha256};
use super::links::broken_links;
use super::manifest::{Manifest, VolumeRecord, DESCRIBING};
use super::signature::{check, PublicKey, SignedBy, SIGNATURE_ENTRY};
use super::structure::{read_structure, Entry};

/// What verify found in a package.
#[derive(Debug, Default)]
pub struct Verified {
    /// What is wrong; empty when the package is whole.
    pub problems: Vec<String>,
    /// Who signed it, when it carries a signature that matches.
    pub signer: Option<SignedBy>,
}

/// Checks the package at `path`; with `key`, it must be signed with it.
/// `Err` when it cannot be read as a ZIP at all.
pub fn verify(path: &Path, key: Option<&PublicKey>) -> Result<Verified> {
    let mut file = open_regular_file(path)?;
    let (entries, problems) = read_structure(&mut file).map_err(|reason| {
        anyhow!(
            "`{}` is not a readable ZIP ({reason}): it may be cut short or damaged; get the package again",
            path.display()
        )
    })?;
    let mut verified = Verified {
        problems,
        signer: None,
    };
    if !verified.problems.is_empty() {
        verified
            .problems
            .push("the ZIP is unsafe to unpack, so its files were not checked".into());
        return Ok(verified);
    }
    let mut package = Package {
        file: &mut file,
        files: entries
            .iter()
            .filter(|e| !e.is_folder)
            .map(|e| (e.name.as_str(), e))
            .collect(),
        problems: &mut verified.problems,
        volume: None,
    };
    verified.signer = package.check(key);
    if let Some(volume) = package.volume.take() {
        check_siblings(path, &volume, &mut verified.problems);
    }
    Ok(verified)
}

/// The other volumes of a split package that lie beside `path` must list
/// each of their files as this volume's manifest names it (their bytes are
/// checked against their own manifests when they are verified). A volume
/// not there is not looked for: each verifies on its own.
fn check_siblings(path: &Path, volume: &VolumeRecord, problems: &mut Vec<String>) {
    let mut names: Vec<&str> = volume.elsewhere.iter().map(|e| e.volume.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        // Only a plain file name: a manifest must not point verify elsewhere.
        if name.contains(['/', '\\']) || name.starts_with('.') {
            problems.push(format!(
                "the manifest names a volume `{name}` that is not a file name"
            ));
            continue;
        }
        let sibling = path.with_file_name(name);
        if !sibling.exists() {
            continue;
        }
        let listed = match manifest_of(&sibling) {
            Ok(manifest) => manifest.files,
            Err(reason) => {
                problems.push(format!("`{name}` beside it cannot be read: {reason:#}"));
                continue;
            }
        };
        for record in volume.elsewhere.iter().filter(|e| e.volume == name) {
            if !listed.contains(&record.file) {
                problems.push(format!(
                    "`{}` is not in `{name}` as this volume's manifest names it (its size or checksum differ, or it is missing)",
                    record.file.path
                ));
            }
        }
    }
}

/// The manifest of the package at `path`, read as `verify` reads one.
fn manifest_of(path: &Path) -> Result<Manifest> {
    let mut file = open_regular_file(path)?;
    let (entries, problems) = read_structure(&mut file).map_err(|reason| anyhow!("{reason}"))?;
    if let Some(problem) = problems.first() {
        return Err(anyhow!("it is unsafe to unpack ({problem})"));
    }
    let entry = entries
        .iter()
        .find(|e| !e.is_folder && e.name == "manifest.json")
        .ok_or_else(|| anyhow!("it has no manifest.json"))?;
    let bytes = read_text(&mut file, entry)?;
    Ok(serde_json::from_slice(&bytes)?)
}

/// Opens `path` only when it is a regular file: opening a FIFO would wait
/// for a writer, and a device could be read without end.
fn open_regular_file(path: &Path) -> Result<File> {
    let metadata =
        std::fs::metadata(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let not_a_file = |kind: std::fs::FileType| {
        anyhow!(
            "`{}` is {}, not a ZIP file",
            path.display(),
            describe_kind(kind)
        )
    };
    if !metadata.is_file() {
        return Err(not_a_file(metadata.file_type()));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Should the path become a FIFO after the check, opening it still does not wait.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options
        .open(path)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    let opened = file
        .metadata()
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    if !opened.is_file() {
        return Err(not_a_file(opened.file_type()));
    }
    Ok(file)
}

fn describe_kind(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (a named pipe)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

/// A package whose structure is sound, being checked.
struct Package<'a> {
    file: &'a mut File,
    /// Its files (not folders) by name.
    files: BTreeMap<&'a str, &'a Entry>,
    problems: &'a mut Vec<String>,
    /// Which volume it is, when its manifest says it is one.
    volume: Option<VolumeRecord>,
}

impl Package<'_> {
    /// Checks the files against the manifest and the checksums, the pages'
    /// links and the signature; who signed it when the signature matches.
    fn check(&mut self, key: Option<&PublicKey>) -> Option<SignedBy> {
        let Some(manifest_bytes) = self.read_whole("manifest.json") else {
            if !self.files.contains_key("manifest.json") {
                self.problems.push("there is no manifest.json".into());
            }
            return None;
        };
        let manifest: Manifest = match serde_json::from_slice(&manifest_bytes) {
            Ok(m) => m,
            Err(e) => {
                self.problems
                    .push(format!("manifest.json cannot be read: {e}"));
                return None;
            }
        };
        self.volume = manifest.volume.clone();
        let sums = self.read_whole("SHA256SUMS");
        let signature = self.read_whole(SIGNATURE_ENTRY);
        let mut hashes = self.check_files(&manifest);
        hashes.insert(
            "manifest.json".into(),
            format!(
                "{:x}",
                <sha2::Sha256 as sha2::Digest>::digest(&manifest_bytes)
            ),
        );
        match &sums {
            Some(sums) => self.check_sums(sums, &manifest, &hashes),
            None if !self.files.contains_key("SHA256SUMS") => {
                self.problems.push("there is no SHA256SUMS".into())
            }
            None => {}
        }
        // A later volume of a split package holds media only.
        let first = manifest.volume.as_ref().is_none_or(|v| v.number == 1);
        for (name, what) in [
            ("index.html", "there is no index.html to open"),
            ("imsmanifest.xml", "there is no imsmanifest.xml (SCORM)"),
        ] {
            if first && !self.files.contains_key(name) {
                self.problems.push(what.into());
            }
        }
        self.check_signature(signature.as_deref(), sums.as_deref(), key)
    }

    /// Hashes every file the manifest lists and compares; the SHA-256 of
    /// each file read, by name.
    fn check_files(&mut self, manifest: &Manifest) -> BTreeMap<String, String> {
        let mut listed = BTreeMap::new();
        for record in &manifest.files {
            if listed.insert(record.path.as_str(), record).is_some() {
                self.problems
                    .push(format!("the manifest lists `{}` twice", record.path));
            }
            if !self.files.contains_key(record.path.as_str()) {
                self.problems.push(format!(
                    "`{}` is in the manifest but not in the ZIP",
                    record.path
                ));
            }
        }
        let mut in_order: Vec<&Entry> = self.files.values().copied().collect();
        in_order.sort_by_key(|entry| entry.data_start);
        let mut hashes = BTreeMap::new();
        for entry in in_order {
            let name = entry.name.as_str();
            if DESCRIBING.contains(&name) || name == SIGNATURE_ENTRY {
                continue;
            }
            let Some(record) = listed.get(name) else {
                self.problems
                    .push(format!("`{name}` is in the ZIP but not in the manifest"));
                continue;
            };
            if record.size != entry.size {
                self.problems.push(format!(
                    "`{name}` has {} bytes; the manifest says {}",
                    entry.size, record.size
                ));
                continue;
            }
            let hash = if name.ends_with(".html") || name.ends_with(".xml") {
                self.read_whole(name).map(|bytes| {
                    let files = &self.files;
                    // A page may point at a file in another volume that the
                    // manifest names, with its checksum.
                    let elsewhere = |n: &str| {
                        manifest
                            .volume
                            .as_ref()
                            .is_some_and(|v| v.elsewhere.iter().any(|e| e.file.path == n))
                    };
                    self.problems.extend(broken_links(name, &bytes, |n| {
                        files.contains_key(n) || elsewhere(n)
                    }));
                    format!("{:x}", <sha2::Sha256 as sha2::Digest>::digest(&bytes))
                })
            } else {
                sha256(self.file, entry)
                    .map_err(|e| self.problems.push(format!("`{name}` cannot be read: {e}")))
                    .ok()
            };
            let Some(hash) = hash else { continue };
            if hash != record.sha256 {
                self.problems.push(format!(
                    "`{name}` does not match its checksum in the manifest"
                ));
            }
            hashes.insert(name.to_string(), hash);
        }
        hashes
    }

    /// Every line of `SHA256SUMS` matches, and it covers the manifest and
    /// every file, so that a signature of it covers them too.
    fn check_sums(&mut self, sums: &[u8], manifest: &Manifest, hashes: &BTreeMap<String, String>) {
        let sums = String::from_utf8_lossy(sums);
        let mut covered = BTreeSet::new();
        for line in sums.lines().filter(|l| !l.is_empty()) {
            let Some((sum, name)) = line.split_once("  ") else {
                self.problems
                    .push(format!("SHA256SUMS has a line it cannot read: `{line}`"));
                continue;
            };
            covered.insert(name);
            match hashes.get(name) {
                Some(hash) if hash != sum => self.problems.push(format!(
                    "`{name}` does not match its checksum in SHA256SUMS"
                )),
                Some(_) => {}
                None if !self.files.contains_key(name) => self.problems.push(format!(
                    "SHA256SUMS lists `{name}`, which is not in the ZIP"
                )),
                // Not read: what kept it from being read is reported.
                None => {}
            }
        }
        let expected = manifest
            .files
            .iter()
            .map(|f| f.path.as_str())
            .chain(["manifest.json"]);
        for name in expected {
            if !covered.contains(name) {
                self.problems.push(format!("`{name}` is not in SHA256SUMS"));
            }
        }
    }

    /// The signature against `key`, or against the key it names.
    fn check_signature(
        &mut self,
        signature: Option<&[u8]>,
        sums: Option<&[u8]>,
        key: Option<&PublicKey>,
    ) -> Option<SignedBy> {
        match (signature, sums, key) {
            (None, _, Some(key)) if !self.files.contains_key(SIGNATURE_ENTRY) => {
                self.problems.push(format!(
                    "the package is not signed, and `{}` (key id {}) was given to check its signature",
                    key.name(),
                    key.id()
                ));
                None
            }
            (Some(signature), Some(sums), key) => match check(signature, sums, key) {
                Ok(signer) => Some(signer),
                Err(problem) => {
                    self.problems.push(problem);
                    None
                }
            },
            _ => None,
        }
    }

    /// The whole content of the text file `name`, when the package has it
    /// and it can be read; what kept it from being read is reported.
    fn read_whole(&mut self, name: &str) -> Option<Vec<u8>> {
        let entry = self.files.get(name)?;
        read_text(self.file, entry)
            .map_err(|e| self.problems.push(format!("`{name}` cannot be read: {e}")))
            .ok()
    }
}
