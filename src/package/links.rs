//! The links of a package's pages: every link and media reference of an
//! HTML page or of `imsmanifest.xml` must lead to a file inside the
//! package, since the package is opened offline from disk.

use std::sync::LazyLock;

use regex::Regex;

static REFERENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?:href|src|poster)="([^"]*)""#).expect("a valid expression"));

/// What is wrong with the links of the page `name` whose text is `bytes`;
/// `holds` says whether the package holds a file.
pub(crate) fn broken_links(name: &str, bytes: &[u8], holds: impl Fn(&str) -> bool) -> Vec<String> {
    let mut problems = Vec::new();
    let text = String::from_utf8_lossy(bytes);
    let folder = name.rsplit_once('/').map_or("", |(f, _)| f);
    // SCORM resolves the manifest's references from the package's root.
    let base = if name.ends_with(".xml") { "" } else { folder };
    for capture in REFERENCE.captures_iter(&text) {
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
        match resolve(base, path) {
            Some(resolved) if holds(&resolved) => {}
            _ => problems.push(format!(
                "`{name}` refers to `{target}`, which is not in the package"
            )),
        }
    }
    problems
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
    fn references_are_resolved_as_a_browser_would() {
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

    #[test]
    fn a_reference_outside_the_package_is_named() {
        let page = br#"<a href="../index.html">home</a> <video src="../media/b.mp4" poster="https://x/y.jpg">"#;
        let problems = broken_links("modules/m.html", page, |name| name == "index.html");
        assert_eq!(
            problems,
            ["`modules/m.html` refers to `../media/b.mp4`, which is not in the package"]
        );
    }
}
