//! ZIPs written byte by byte, for what a ZIP library refuses to write: a
//! name given twice, a local header that names another file, entries that
//! share bytes, sizes that lie. Also a small package whose manifest and
//! checksums are right, to make them from.

use sha2::{Digest, Sha256};

/// One entry, as it will be written.
#[derive(Clone)]
pub(crate) struct RawEntry {
    pub(crate) name: String,
    /// The name in the local header, when it is not `name`.
    pub(crate) local_name: Option<String>,
    /// 0 stored, 8 deflated.
    pub(crate) method: u16,
    /// The bytes as stored.
    pub(crate) data: Vec<u8>,
    /// The declared size of the content.
    pub(crate) size: u64,
    pub(crate) crc: u32,
    /// The Unix mode, file type included.
    pub(crate) mode: u32,
}

impl RawEntry {
    pub(crate) fn stored(name: &str, content: &[u8]) -> RawEntry {
        RawEntry {
            name: name.to_string(),
            local_name: None,
            method: 0,
            data: content.to_vec(),
            size: content.len() as u64,
            crc: crc32fast::hash(content),
            mode: 0o100_644,
        }
    }

    /// The local header and the data.
    pub(crate) fn local_record(&self) -> Vec<u8> {
        let name = self.local_name.as_ref().unwrap_or(&self.name);
        let mut out = Vec::new();
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&0x0800u16.to_le_bytes());
        out.extend_from_slice(&self.method.to_le_bytes());
        out.extend_from_slice(&[0, 0, 0x21, 0]);
        out.extend_from_slice(&self.crc.to_le_bytes());
        out.extend_from_slice(&(self.data.len() as u32).to_le_bytes());
        out.extend_from_slice(&(self.size as u32).to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&self.data);
        out
    }

    /// The central directory record, for a local header at `offset`.
    pub(crate) fn central_record(&self, offset: usize) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        out.extend_from_slice(&(3u16 << 8 | 20).to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&0x0800u16.to_le_bytes());
        out.extend_from_slice(&self.method.to_le_bytes());
        out.extend_from_slice(&[0, 0, 0x21, 0]);
        out.extend_from_slice(&self.crc.to_le_bytes());
        out.extend_from_slice(&(self.data.len() as u32).to_le_bytes());
        out.extend_from_slice(&(self.size as u32).to_le_bytes());
        out.extend_from_slice(&(self.name.len() as u16).to_le_bytes());
        out.extend_from_slice(&[0; 8]);
        out.extend_from_slice(&(self.mode << 16).to_le_bytes());
        out.extend_from_slice(&(offset as u32).to_le_bytes());
        out.extend_from_slice(self.name.as_bytes());
        out
    }
}

/// `locals` (the bytes before the central directory), then a central
/// directory of `entries` with the offset of each local header.
pub(crate) fn zip_from_parts(mut locals: Vec<u8>, entries: &[(RawEntry, usize)]) -> Vec<u8> {
    let start = locals.len();
    for (entry, offset) in entries {
        locals.extend(entry.central_record(*offset));
    }
    let size = locals.len() - start;
    locals.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    locals.extend_from_slice(&[0; 4]);
    locals.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    locals.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    locals.extend_from_slice(&(size as u32).to_le_bytes());
    locals.extend_from_slice(&(start as u32).to_le_bytes());
    locals.extend_from_slice(&0u16.to_le_bytes());
    locals
}

/// `entries` one after the other, as a ZIP.
pub(crate) fn zip_of(entries: &[RawEntry]) -> Vec<u8> {
    let mut locals = Vec::new();
    let mut placed = Vec::new();
    for entry in entries {
        placed.push((entry.clone(), locals.len()));
        locals.extend(entry.local_record());
    }
    zip_from_parts(locals, &placed)
}

/// The files of a small package that passes verify.
pub(crate) fn package_files() -> Vec<(String, Vec<u8>)> {
    vec![
        (
            "README.txt".into(),
            b"Open index.html.\n".to_vec(),
        ),
        (
            "imsmanifest.xml".into(),
            b"<manifest><resources><resource href=\"index.html\"><file href=\"index.html\"/></resource></resources></manifest>\n".to_vec(),
        ),
        (
            "index.html".into(),
            b"<!doctype html><title>Package</title><a href=\"README.txt\">README</a>\n".to_vec(),
        ),
    ]
}

/// `files` with the `manifest.json` and `SHA256SUMS` that describe them,
/// sizes and checksums from `claimed` where it names a file.
pub(crate) fn described(
    files: &[(String, Vec<u8>)],
    claimed: &[(&str, u64, &str)],
) -> Vec<(String, Vec<u8>)> {
    let hex = |bytes: &[u8]| format!("{:x}", Sha256::digest(bytes));
    let mut records: Vec<(String, u64, String)> = files
        .iter()
        .map(|(name, bytes)| (name.clone(), bytes.len() as u64, hex(bytes)))
        .collect();
    for (name, size, sha256) in claimed {
        records.retain(|(n, _, _)| n != name);
        records.push((name.to_string(), *size, sha256.to_string()));
    }
    records.sort();
    let manifest = serde_json::json!({
        "format": "confkit-package/1",
        "institution": "ne-police",
        "conference": "t",
        "languages": ["fr"],
        "files": records.iter().map(|(path, size, sha256)| serde_json::json!({
            "path": path, "size": size, "sha256": sha256,
        })).collect::<Vec<_>>(),
        "clips": [],
    });
    let manifest = serde_json::to_vec_pretty(&manifest).unwrap();
    let mut sums: Vec<String> = records
        .iter()
        .map(|(path, _, sha256)| format!("{sha256}  {path}"))
        .collect();
    sums.push(format!("{}  manifest.json", hex(&manifest)));
    let mut out = files.to_vec();
    out.push(("SHA256SUMS".into(), (sums.join("\n") + "\n").into_bytes()));
    out.push(("manifest.json".into(), manifest));
    out
}

/// Stored entries for `files`.
pub(crate) fn stored(files: &[(String, Vec<u8>)]) -> Vec<RawEntry> {
    files
        .iter()
        .map(|(name, bytes)| RawEntry::stored(name, bytes))
        .collect()
}
