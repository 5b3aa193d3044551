//! Entry names as the systems a package is unpacked on read them. A name
//! must stay inside the folder it is unpacked into and be a name Windows
//! can create; two names that Windows or macOS would write to the same file
//! (`Index.html` and `index.html`, `a.txt.` and `a.txt`, the two Unicode
//! spellings of `é`) are a collision, since the last one unpacked would
//! silently replace the first.

use std::collections::BTreeMap;

use unicode_normalization::UnicodeNormalization;

/// Names Windows keeps for devices, with or without an extension.
const WINDOWS_DEVICES: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Why an entry name would land outside the folder it is unpacked into, or
/// could not be created on Windows; `None` when it is safe.
pub(crate) fn unsafe_name(name: &str) -> Option<String> {
    let path = name.strip_suffix('/').unwrap_or(name);
    if path.is_empty() {
        return Some("is an empty name".into());
    }
    if name.starts_with('/') || name.starts_with('\\') {
        return Some("is an absolute path".into());
    }
    if name.contains('\\') {
        return Some("contains a backslash".into());
    }
    if name.as_bytes().get(1) == Some(&b':') {
        return Some("names a drive".into());
    }
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        return Some(format!("contains the control character U+{:04X}", c as u32));
    }
    if let Some(c) = name.chars().find(|c| "<>:\"|?*".contains(*c)) {
        return Some(format!(
            "contains `{c}`, which Windows does not allow in names"
        ));
    }
    for part in path.split('/') {
        match part {
            ".." => return Some("climbs out of the folder with `..`".into()),
            "" | "." => return Some("has an empty or `.` part".into()),
            _ => {}
        }
        if part.ends_with(['.', ' ']) {
            return Some(format!(
                "has a part ending in a dot or a space (`{part}`), which Windows drops"
            ));
        }
        let stem = part.split('.').next().unwrap_or_default();
        if WINDOWS_DEVICES.contains(&stem.to_ascii_lowercase().as_str()) {
            return Some(format!("uses `{stem}`, a name Windows keeps for a device"));
        }
    }
    None
}

/// The file an entry name becomes on a system that ignores case and Unicode
/// normalisation (Windows, macOS): two names with the same key collide.
pub(crate) fn collision_key(name: &str) -> String {
    let path = name.strip_suffix('/').unwrap_or(name);
    let parts: Vec<String> = path
        .split('/')
        .filter(|part| !part.is_empty() && *part != ".")
        .map(|part| {
            let trimmed = part.trim_end_matches(['.', ' ']);
            let lower = trimmed.nfd().collect::<String>().to_lowercase();
            lower.nfc().collect()
        })
        .collect();
    parts.join("/")
}

/// The folders above `key` (`a/b/c` gives `a` and `a/b`).
fn parent_keys(key: &str) -> impl Iterator<Item = &str> {
    key.match_indices('/').map(move |(at, _)| &key[..at])
}

/// Names given twice, or that would unpack to the same file on Windows or
/// macOS, or a file that is also the folder of another entry.
pub(crate) fn colliding_names(names: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for name in names {
        let key = collision_key(name);
        match seen.get(&key) {
            Some(first) if first == name => problems.push(format!(
                "`{name}` is in the ZIP twice: tools that unpack both keep the last one, \
                 which verify cannot vouch for"
            )),
            Some(first) => problems.push(format!(
                "`{name}` and `{first}` would be the same file on Windows and macOS, which \
                 ignore case (and how accents are written)"
            )),
            None => {
                seen.insert(key, name);
            }
        }
    }
    for (key, name) in &seen {
        if name.ends_with('/') {
            continue;
        }
        if let Some(file) =
            parent_keys(key).find_map(|parent| seen.get(parent).filter(|n| !n.ends_with('/')))
        {
            problems.push(format!("`{name}` is inside `{file}`, which is a file"));
        }
    }
    problems
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
        assert!(unsafe_name("").is_some());
        assert!(unsafe_name("a//b").is_some());
        assert!(unsafe_name("./a").is_some());
        assert_eq!(unsafe_name("modules/intro.fr.html"), None);
        assert_eq!(unsafe_name("media/"), None);
    }

    #[test]
    fn names_windows_cannot_create_are_caught() {
        assert!(unsafe_name("a\u{0}b").unwrap().contains("U+0000"));
        assert!(unsafe_name("what?.html").unwrap().contains("`?`"));
        assert!(unsafe_name("a.html.").unwrap().contains("dot or a space"));
        assert!(unsafe_name("media /a.mp4")
            .unwrap()
            .contains("dot or a space"));
        assert!(unsafe_name("modules/con.fr.html")
            .unwrap()
            .contains("`con`"));
        assert!(unsafe_name("LPT1").unwrap().contains("device"));
        assert_eq!(unsafe_name("console.html"), None);
    }

    #[test]
    fn names_that_land_on_the_same_file_share_a_key() {
        assert_eq!(collision_key("Index.HTML"), collision_key("index.html"));
        assert_eq!(collision_key("media/"), collision_key("MEDIA"));
        assert_eq!(collision_key("a.txt."), collision_key("a.txt"));
        assert_eq!(collision_key("a//./b"), collision_key("a/b"));
        // `é` as one character and as `e` with a combining accent.
        assert_eq!(
            collision_key("r\u{e9}sum\u{e9}"),
            collision_key("re\u{301}sume\u{301}")
        );
        assert_eq!(
            collision_key("\u{c9}T\u{c9}"),
            collision_key("\u{e9}t\u{e9}")
        );
        assert_ne!(collision_key("a.fr.vtt"), collision_key("a.en.vtt"));
        assert_eq!(parent_keys("a/b/c").collect::<Vec<_>>(), vec!["a", "a/b"]);
    }

    #[test]
    fn names_given_twice_colliding_or_inside_a_file_are_caught() {
        let names = |list: &[&str]| list.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert_eq!(
            colliding_names(&names(&["a", "b/", "b/c", "d.txt"])),
            Vec::<String>::new()
        );
        let problems = colliding_names(&names(&["a.txt", "a.txt"]));
        assert!(
            problems[0].starts_with("`a.txt` is in the ZIP twice"),
            "{problems:?}"
        );
        let problems = colliding_names(&names(&["a.txt", "A.TXT"]));
        assert!(
            problems[0].starts_with("`A.TXT` and `a.txt` would be the same file"),
            "{problems:?}"
        );
        assert_eq!(
            colliding_names(&names(&["a", "a/c"])),
            ["`a/c` is inside `a`, which is a file"]
        );
    }
}
