//! What an entry's attributes say it is. A package holds only plain files
//! and folders: a symbolic link could point an unpacked page at any file
//! of the recipient's machine, and a device or a FIFO entry has no place
//! in training material. Unix keeps the file's mode in the high half of
//! the external attributes; Windows its attributes in the low half.

/// Why the file type in an entry's attributes is not a plain file or folder.
pub(crate) fn kind_problem(name: &str, version_made_by: u16, attributes: u32) -> Option<String> {
    let is_folder_name = name.ends_with('/');
    let dos = attributes & 0xFFFF;
    if dos & 0x0400 != 0 {
        return Some(
            "is a Windows link (a reparse point): a package holds only files and folders".into(),
        );
    }
    if dos & 0x0010 != 0 && !is_folder_name {
        return Some("is marked as a folder, but its name does not end with `/`".into());
    }
    // Unix and macOS keep the file's mode in the high half.
    if !matches!(version_made_by >> 8, 3 | 19) {
        return None;
    }
    let mode = attributes >> 16;
    let kind = match mode & 0o170_000 {
        0 => return None,
        0o100_000 if is_folder_name => return Some("has a folder's name and a file's mode".into()),
        0o040_000 if !is_folder_name => {
            return Some("has a folder's mode, but its name does not end with `/`".into())
        }
        0o100_000 | 0o040_000 => {
            return (mode & 0o6000 != 0)
                .then(|| format!("is set-user-id or set-group-id (mode {mode:o})"));
        }
        0o120_000 => "a symbolic link",
        0o010_000 => "a FIFO",
        0o020_000 => "a character device",
        0o060_000 => "a block device",
        0o140_000 => "a socket",
        _ => "of an unknown kind",
    };
    Some(format!(
        "is {kind} (mode {mode:o}): a package holds only files and folders"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_devices_and_odd_modes_are_caught() {
        let unix = 3 << 8;
        assert!(kind_problem("p", unix, 0o010_644 << 16)
            .unwrap()
            .contains("a FIFO"));
        assert!(kind_problem("d", unix, 0o020_644 << 16)
            .unwrap()
            .contains("device"));
        assert!(kind_problem("s", unix, 0o104_755 << 16)
            .unwrap()
            .contains("set-user-id"));
        assert!(kind_problem("d/", unix, 0o100_644 << 16).is_some());
        assert!(kind_problem("w", 0, 0x0400)
            .unwrap()
            .contains("reparse point"));
        assert_eq!(kind_problem("f", unix, 0o100_644 << 16), None);
        assert_eq!(kind_problem("d/", unix, 0o040_755 << 16 | 0x10), None);
        assert_eq!(kind_problem("f", 0, 0x20), None);
    }
}
