//! What confkit learnt about files in earlier runs, in
//! `.confkit/cache.json`: each file's SHA-256 and the facts read from it
//! (a probe, a header), keyed by its path, size and modification time.
//! Every stage of a build shares one cache, so a recording of 10 GB is read
//! once when it changes and never when it does not. [`Work`] counts what
//! had to be read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// A file changed within one tick of the clock that stamps its times may
/// change again with the same size and time, so what was learnt from it is
/// used only when it was learnt later than that. File systems that keep
/// times in whole seconds (FAT keeps two) get two seconds; the others keep
/// them from the kernel's coarse clock, which ticks at most every 10 ms.
const SETTLE_COARSE_NS: u64 = 2_000_000_000;
const SETTLE_FINE_NS: u64 = 20_000_000;

/// The identity of a file's content as far as its metadata tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileKey {
    /// Bytes.
    pub size: u64,
    /// Modification time, ns since 1970.
    pub modified_ns: u64,
}

impl FileKey {
    /// The key of `path` from its metadata alone.
    pub fn of(path: &Path) -> Result<FileKey> {
        let meta =
            std::fs::metadata(path).with_context(|| format!("cannot read `{}`", path.display()))?;
        Ok(FileKey {
            size: meta.len(),
            modified_ns: meta.modified().map_or(0, ns_since_epoch),
        })
    }
}

/// What a build had to read, for reports and for the tests that check a
/// rebuild with nothing changed reads nothing.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Work {
    /// Files read whole to hash them.
    pub files_hashed: u64,
    /// Bytes read to hash them.
    pub bytes_hashed: u64,
    /// Facts read from files (probes, headers).
    pub facts_read: u64,
    /// Hashes and facts answered from the cache.
    pub remembered: u64,
    /// The files read, in the order they were first read.
    pub read: Vec<PathBuf>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    key: FileKey,
    /// When the entry was made, ns since 1970.
    seen_ns: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sha256: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    facts: BTreeMap<String, serde_json::Value>,
}

impl Entry {
    fn valid_for(&self, key: FileKey) -> bool {
        let settle = if key.modified_ns.is_multiple_of(1_000_000_000) {
            SETTLE_COARSE_NS
        } else {
            SETTLE_FINE_NS
        };
        self.key == key && self.seen_ns > key.modified_ns + settle
    }
}

#[derive(Debug, Default)]
struct Inner {
    entries: BTreeMap<PathBuf, Entry>,
    dirty: bool,
    work: Work,
}

/// The cache of one project (or of nothing, in memory only).
#[derive(Debug, Default)]
pub struct Cache {
    file: Option<PathBuf>,
    inner: Mutex<Inner>,
}

/// The cache's file in a project.
pub const CACHE_FILE: &str = "cache.json";

impl Cache {
    /// The cache kept at `file`; a missing or damaged file is an empty
    /// cache (it only costs reads).
    pub fn open(file: PathBuf) -> Cache {
        let entries = std::fs::read(&file)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Cache {
            file: Some(file),
            inner: Mutex::new(Inner {
                entries,
                ..Inner::default()
            }),
        }
    }

    /// A cache kept nowhere, for one run.
    pub fn in_memory() -> Cache {
        Cache::default()
    }

    /// The SHA-256 of `path`, read only when its size or time changed
    /// since it was last read.
    pub fn sha256(&self, path: &Path) -> Result<String> {
        let (name, key) = identify(path)?;
        {
            let mut inner = self.lock();
            if let Some(sha256) = inner
                .entries
                .get(&name)
                .filter(|e| e.valid_for(key))
                .and_then(|e| e.sha256.clone())
            {
                inner.work.remembered += 1;
                return Ok(sha256);
            }
        }
        let sha256 = super::file_sha256(path)?;
        let mut inner = self.lock();
        inner.work.files_hashed += 1;
        inner.work.bytes_hashed += key.size;
        note_read(&mut inner.work, &name);
        entry(&mut inner, name, key).sha256 = Some(sha256.clone());
        Ok(sha256)
    }

    /// The fact `what` about `path` (a probe, a header), worked out by
    /// `read` only when the file changed since it was last read. Errors are
    /// not remembered: a file that could not be read is tried again.
    pub fn fact<T: Serialize + DeserializeOwned>(
        &self,
        path: &Path,
        what: &str,
        read: impl FnOnce() -> Result<T>,
    ) -> Result<T> {
        let (name, key) = identify(path)?;
        {
            let mut inner = self.lock();
            let known = inner
                .entries
                .get(&name)
                .filter(|e| e.valid_for(key))
                .and_then(|e| e.facts.get(what))
                .and_then(|value| serde_json::from_value(value.clone()).ok());
            if let Some(value) = known {
                inner.work.remembered += 1;
                return Ok(value);
            }
        }
        let value = read()?;
        let json = serde_json::to_value(&value)?;
        let mut inner = self.lock();
        inner.work.facts_read += 1;
        note_read(&mut inner.work, &name);
        entry(&mut inner, name, key)
            .facts
            .insert(what.to_string(), json);
        Ok(value)
    }

    /// What had to be read since the cache was opened.
    pub fn work(&self) -> Work {
        self.lock().work.clone()
    }

    /// Writes what was learnt, leaving out files that are gone. Failing to
    /// write only costs the next run reads, so callers may ignore it.
    pub fn save(&self) -> Result<()> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        let mut inner = self.lock();
        if !inner.dirty {
            return Ok(());
        }
        inner.entries.retain(|path, _| path.exists());
        let bytes = serde_json::to_vec(&inner.entries)?;
        super::write_atomically(file, &bytes)?;
        inner.dirty = false;
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic elsewhere leaves the maps whole: they are only inserted into.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn note_read(work: &mut Work, path: &Path) {
    if !work.read.iter().any(|p| p == path) {
        work.read.push(path.to_path_buf());
    }
}

/// The entry of `name` for `key`, emptied when the file changed.
fn entry(inner: &mut Inner, name: PathBuf, key: FileKey) -> &mut Entry {
    inner.dirty = true;
    let seen_ns = ns_since_epoch(SystemTime::now());
    let entry = inner.entries.entry(name).or_insert_with(|| Entry {
        key,
        seen_ns,
        sha256: None,
        facts: BTreeMap::new(),
    });
    if entry.key != key {
        entry.sha256 = None;
        entry.facts.clear();
    }
    entry.key = key;
    entry.seen_ns = seen_ns;
    entry
}

/// The absolute path (the cache outlives the folder confkit ran in) and key.
fn identify(path: &Path) -> Result<(PathBuf, FileKey)> {
    let name = std::path::absolute(path)
        .with_context(|| format!("cannot resolve `{}`", path.display()))?;
    Ok((name, FileKey::of(path)?))
}

/// Nanoseconds since 1970, which a u64 holds until 2554.
fn ns_since_epoch(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Makes `path` look written long ago, so that what is learnt is used.
    fn age(path: &Path) {
        let old = SystemTime::now() - std::time::Duration::from_secs(60);
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }

    #[test]
    fn a_file_is_read_again_only_when_it_changed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.wav");
        std::fs::write(&file, b"one").unwrap();
        age(&file);
        let cache = Cache::open(dir.path().join("cache.json"));
        let first = cache.sha256(&file).unwrap();
        assert_eq!(first, super::super::sha256_hex("one"));
        cache.save().unwrap();

        let cache = Cache::open(dir.path().join("cache.json"));
        assert_eq!(cache.sha256(&file).unwrap(), first);
        assert_eq!(cache.work().files_hashed, 0);
        assert_eq!(cache.work().remembered, 1);

        std::fs::write(&file, b"other").unwrap();
        assert_eq!(
            cache.sha256(&file).unwrap(),
            super::super::sha256_hex("other")
        );
        assert_eq!(cache.work().files_hashed, 1);
    }

    #[test]
    fn a_file_just_written_is_not_trusted_by_its_time() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, b"one").unwrap();
        let cache = Cache::in_memory();
        cache.sha256(&file).unwrap();
        // Same size, and possibly the same time tick.
        std::fs::write(&file, b"two").unwrap();
        assert_eq!(
            cache.sha256(&file).unwrap(),
            super::super::sha256_hex("two")
        );
    }

    #[test]
    fn facts_are_remembered_and_errors_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.mp4");
        std::fs::write(&file, b"x").unwrap();
        age(&file);
        let cache = Cache::in_memory();
        assert!(cache
            .fact::<u32>(&file, "probe", || anyhow::bail!("broken"))
            .is_err());
        assert_eq!(cache.fact(&file, "probe", || Ok(7u32)).unwrap(), 7);
        assert_eq!(cache.fact(&file, "probe", || Ok(8u32)).unwrap(), 7);
        assert_eq!(cache.work().facts_read, 1);
    }

    #[test]
    fn a_damaged_cache_is_an_empty_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.json");
        std::fs::write(&path, b"{not json").unwrap();
        let file = dir.path().join("a");
        std::fs::write(&file, b"a").unwrap();
        let cache = Cache::open(path);
        assert_eq!(cache.sha256(&file).unwrap(), super::super::sha256_hex("a"));
    }
}
