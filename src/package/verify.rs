//! `confkit verify`: a package is whole and safe to unpack. Every entry's
//! name stays inside the folder it is unpacked into, every file matches
//! `manifest.json` and `SHA256SUMS`, nothing is there that the manifest
//! does not list, and every link and media reference of every page
//! resolves inside the ZIP.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result};
use regex::Regex;
use sha2::{Digest, Sha256};

use super::manifest::Manifest;

/// What is wrong with a package; empty when it is whole.
pub fn verify(path: &Path) -> Result<Vec<String>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| {
        anyhow::anyhow!(
            "`{}` is not a readable ZIP ({e}): it may be cut short or damaged; get the package again",
            path.display()
        )
    })?;
    let mut problems = Vec::new();
    let mut contents: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = match zip.by_index(i) {
            Ok(entry) => entry,
            Err(e) => {
                problems.push(format!("entry {i} cannot be read: {e}"));
                continue;
            }
        };
        let name = entry.name().to_string();
        if let Some(reason) = unsafe_name(&name) {
            problems.push(format!("`{name}` {reason}"));
            continue;
        }
        if entry.is_dir() {
            continue;
        }
        let mut bytes = Vec::new();
        if let Err(e) = entry.read_to_end(&mut bytes) {
            problems.push(format!("`{name}` cannot be read whole: {e}"));
            continue;
        }
        if contents.insert(name.clone(), bytes).is_some() {
            problems.push(format!("`{name}` is in the ZIP twice"));
        }
    }

    let Some(manifest_bytes) = contents.get("manifest.json") else {
        problems.push("there is no manifest.json".into());
        return Ok(problems);
    };
    let manifest: Manifest = match serde_json::from_slice(manifest_bytes) {
        Ok(m) => m,
        Err(e) => {
            problems.push(format!("manifest.json cannot be read: {e}"));
            return Ok(problems);
        }
    };
    let hash = |bytes: &[u8]| format!("{:x}", Sha256::digest(bytes));
    let mut listed = BTreeSet::new();
    for file in &manifest.files {
        listed.insert(file.path.as_str());
        match contents.get(&file.path) {
            None => problems.push(format!(
                "`{}` is in the manifest but not in the ZIP",
                file.path
            )),
            Some(bytes) if bytes.len() as u64 != file.size => problems.push(format!(
                "`{}` has {} bytes; the manifest says {}",
                file.path,
                bytes.len(),
                file.size
            )),
            Some(bytes) if hash(bytes) != file.sha256 => problems.push(format!(
                "`{}` does not match its checksum in the manifest",
                file.path
            )),
            Some(_) => {}
        }
    }
    for name in contents.keys() {
        if !listed.contains(name.as_str()) && !super::manifest::DESCRIBING.contains(&name.as_str())
        {
            problems.push(format!("`{name}` is in the ZIP but not in the manifest"));
        }
    }
    match contents
        .get("SHA256SUMS")
        .map(|b| String::from_utf8_lossy(b).into_owned())
    {
        None => problems.push("there is no SHA256SUMS".into()),
        Some(sums) => {
            for line in sums.lines().filter(|l| !l.is_empty()) {
                let Some((sum, name)) = line.split_once("  ") else {
                    problems.push(format!("SHA256SUMS has a line it cannot read: `{line}`"));
                    continue;
                };
                match contents.get(name) {
                    None => problems.push(format!(
                        "SHA256SUMS lists `{name}`, which is not in the ZIP"
                    )),
                    Some(bytes) if hash(bytes) != sum => problems.push(format!(
                        "`{name}` does not match its checksum in SHA256SUMS"
                    )),
                    Some(_) => {}
                }
            }
        }
    }
    if !contents.contains_key("index.html") {
        problems.push("there is no index.html to open".into());
    }
    if !contents.contains_key("imsmanifest.xml") {
        problems.push("there is no imsmanifest.xml (SCORM)".into());
    }
    let reference = Regex::new(r#"(?:href|src|poster)="([^"]*)""#).expect("a valid expression");
    for (name, bytes) in &contents {
        if !(name.ends_with(".html") || name.ends_with(".xml")) {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        let folder = name.rsplit_once('/').map_or("", |(f, _)| f);
        for capture in reference.captures_iter(&text) {
            let target = decode_entities(&capture[1]);
            if target.is_empty()
                || target.starts_with('#')
                || target.contains("://")
                || target.starts_with("mailto:")
                || target.starts_with("tel:")
            {
                continue;
            }
            let path = target.split(['#', '?']).next().unwrap_or_default();
            let base = if name.ends_with(".xml") { "" } else { folder };
            match resolve(base, path) {
                Some(resolved) if contents.contains_key(&resolved) => {}
                _ => problems.push(format!(
                    "`{name}` refers to `{target}`, which is not in the package"
                )),
            }
        }
    }
    Ok(problems)
}

/// An attribute value as the browser reads it: character references decoded.
fn decode_entities(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';') else { break };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Why an entry name would land outside the folder it is unpacked into.
fn unsafe_name(name: &str) -> Option<&'static str> {
    if name.starts_with('/') || name.starts_with('\\') {
        Some("is an absolute path")
    } else if name.contains('\\') {
        Some("contains a backslash")
    } else if name.split('/').any(|part| part == "..") {
        Some("climbs out of the folder with `..`")
    } else if name.as_bytes().get(1) == Some(&b':') {
        Some("names a drive")
    } else {
        None
    }
}

/// `relative` from inside `folder`, or `None` when it leaves the package.
fn resolve(folder: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_leave_the_folder_are_caught() {
        assert!(unsafe_name("../etc/passwd").is_some());
        assert!(unsafe_name("media/../../x").is_some());
        assert!(unsafe_name("/abs").is_some());
        assert!(unsafe_name("C:/x").is_some());
        assert!(unsafe_name("a\\b").is_some());
        assert!(unsafe_name("modules/intro.fr.html").is_none());
        assert_eq!(
            resolve("modules", "../media/a.mp4").as_deref(),
            Some("media/a.mp4")
        );
        assert_eq!(resolve("", "../x"), None);
        assert_eq!(
            decode_entities("..&#x2f;media&#x2F;a&amp;b&#47;c &bogus"),
            "../media/a&b/c &bogus"
        );
    }
}
