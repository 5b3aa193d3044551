//! Ids name recordings, clips, modules, chapters and institutions; they become
//! file names in `transcripts/` and `packages/`, so they must be safe as such
//! on every system the packages travel to.

/// The longest id accepted; ids end up in file names inside ZIP packages.
pub const MAX_ID_LEN: usize = 64;

/// Why `id` cannot be used as a file name, or `None` when it can.
pub fn unsafe_id_reason(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("it is empty".into());
    }
    if id.len() > MAX_ID_LEN {
        return Some(format!("it is longer than {MAX_ID_LEN} characters"));
    }
    if let Some(device) = windows_device_name(id) {
        return Some(format!(
            "`{device}` is a device name on Windows, where packages are opened: a file named after it cannot be made or read there"
        ));
    }
    if let Some(c) = id
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '_'))
    {
        return Some(format!("it contains {}", describe_char(c)));
    }
    if id.starts_with(['-', '_']) || id.ends_with(['-', '_']) {
        return Some("it starts or ends with `-` or `_`".into());
    }
    None
}

/// The device name Windows reserves that a file named `name` would be
/// taken for: `con`, `prn`, `aux`, `nul`, `com0`-`com9`, `lpt0`-`lpt9`,
/// whatever the case and whatever follows a first dot (`con.fr.vtt` is
/// `con` to Windows), trailing spaces ignored.
fn windows_device_name(name: &str) -> Option<String> {
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.trim_end_matches(' ').to_ascii_lowercase();
    let reserved = match stem.as_str() {
        "con" | "prn" | "aux" | "nul" => true,
        _ => ["com", "lpt"].iter().any(|prefix| {
            stem.strip_prefix(prefix).is_some_and(|n| {
                let mut digits = n.chars();
                matches!(
                    (digits.next(), digits.next()),
                    (Some('0'..='9' | '¹' | '²' | '³'), None)
                )
            })
        }),
    };
    reserved.then_some(stem)
}

fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        '/' | '\\' => format!("a path separator `{c}`"),
        c if c.is_ascii_uppercase() => format!("an upper-case letter `{c}`"),
        c if c.is_control() => format!("a control character U+{:04X}", c as u32),
        c => format!("`{c}`"),
    }
}

/// The advice shown with every unsafe id.
pub const ID_HELP: &str =
    "use lower-case ASCII letters, digits, `-` and `_` (e.g. `day1-opening`), at most 64 characters";

/// A safe id made from a free text, for suggestions (`Côte d'Ivoire` -> `cote-d-ivoire`).
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    slug.chars()
        .take(MAX_ID_LEN)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

fn fold_accent(c: char) -> Vec<char> {
    let folded = match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => 'a',
        'À' | 'Â' | 'Ä' | 'Á' | 'Ã' | 'Å' => 'A',
        'ç' => 'c',
        'Ç' => 'C',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'É' | 'È' | 'Ê' | 'Ë' => 'E',
        'î' | 'ï' | 'í' | 'ì' => 'i',
        'Î' | 'Ï' | 'Í' | 'Ì' => 'I',
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' => 'o',
        'Ô' | 'Ö' | 'Ó' | 'Ò' | 'Õ' => 'O',
        'ù' | 'û' | 'ü' | 'ú' => 'u',
        'Ù' | 'Û' | 'Ü' | 'Ú' => 'U',
        'ñ' => 'n',
        'Ñ' => 'N',
        'œ' => return vec!['o', 'e'],
        'Œ' => return vec!['O', 'E'],
        'æ' => return vec!['a', 'e'],
        'Æ' => return vec!['A', 'E'],
        c => c,
    };
    vec![folded]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_ids() {
        for id in ["niger", "day1-opening", "ne_border-police", "g5-sahel", "a"] {
            assert_eq!(unsafe_id_reason(id), None, "{id}");
        }
    }

    #[test]
    fn refuses_ids_that_are_not_safe_file_names() {
        let cases = [
            ("", "it is empty"),
            ("Niger", "it contains an upper-case letter `N`"),
            ("côte", "it contains `ô`"),
            ("day 1", "it contains a space"),
            ("../etc", "it contains `.`"),
            ("a/b", "it contains a path separator `/`"),
            ("-x", "it starts or ends with `-` or `_`"),
        ];
        for (id, reason) in cases {
            assert_eq!(unsafe_id_reason(id).as_deref(), Some(reason), "{id:?}");
        }
        assert!(unsafe_id_reason(&"x".repeat(65)).is_some());
    }

    /// Packages are opened on Windows, where `con.fr.vtt` or `lpt1.html`
    /// cannot be made or read: ids that Windows would take for a device are
    /// refused, whatever their case or extension.
    #[test]
    fn refuses_ids_windows_takes_for_devices() {
        for id in [
            "con",
            "prn",
            "aux",
            "nul",
            "com1",
            "com9",
            "lpt1",
            "lpt9",
            "com0",
            "CON",
            "Nul",
            "con.fr",
            "aux.en.vtt",
            "LPT3.txt",
            "com²",
            "con ",
        ] {
            let reason = unsafe_id_reason(id).unwrap_or_default();
            assert!(
                reason.contains("a device name on Windows"),
                "{id:?}: {reason:?}"
            );
        }
        assert_eq!(
            unsafe_id_reason("con").as_deref(),
            Some("`con` is a device name on Windows, where packages are opened: a file named after it cannot be made or read there")
        );
        for id in [
            "console",
            "contact",
            "com10",
            "com",
            "lpt",
            "auxiliaire",
            "null",
            "prn-ne",
            "icon",
            "nul_x",
        ] {
            assert_eq!(unsafe_id_reason(id), None, "{id}");
        }
    }

    #[test]
    fn slugify_makes_safe_ids_from_names() {
        assert_eq!(slugify("Côte d'Ivoire"), "cote-d-ivoire");
        assert_eq!(slugify("  Pays-Bas "), "pays-bas");
        assert_eq!(slugify("Œuvre & co."), "oeuvre-co");
        assert_eq!(unsafe_id_reason(&slugify("Règlement n° 5/2021")), None);
    }
}
