//! A ZIP's structure read from its bytes, not through a ZIP library:
//! `confkit verify` must see what any unpacking tool may see. Tools differ
//! on a central directory that names a file twice (the `zip` crate keeps
//! one copy without a word, `unzip` writes both, the last one winning), on
//! a local header whose name is not the central one (streaming tools trust
//! the local one), and on entries that share bytes (a ZIP bomb by
//! overlap). Each of these is found here and named; what is left is a list
//! of entries whose bytes are known to be where the directory says.

use std::io::{BufReader, Read, Seek, SeekFrom};

use super::entry_kind::kind_problem;
use super::names::{colliding_names, unsafe_name};

const END_SIGNATURE: u32 = 0x0605_4b50;
const ZIP64_END_SIGNATURE: u32 = 0x0606_4b50;
const ZIP64_LOCATOR_SIGNATURE: u32 = 0x0706_4b50;
const CENTRAL_SIGNATURE: u32 = 0x0201_4b50;
const LOCAL_SIGNATURE: u32 = 0x0403_4b50;
const DESCRIPTOR_SIGNATURE: u32 = 0x0807_4b50;
/// Extra field holding 64-bit sizes and offsets.
const ZIP64_EXTRA: u16 = 0x0001;
/// Info-ZIP's extra field with a second name, which `unzip` prefers.
const UNICODE_PATH_EXTRA: u16 = 0x7075;

/// How an entry's bytes are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    /// As they are.
    Stored,
    /// Deflated.
    Deflated,
}

/// One file or folder of the ZIP, where its bytes lie.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// Its name, as the central directory and its local header both give it.
    pub(crate) name: String,
    /// True for a folder (its name ends with `/`).
    pub(crate) is_folder: bool,
    /// How its bytes are stored.
    pub(crate) method: Method,
    /// The CRC-32 of its content.
    pub(crate) crc32: u32,
    /// Bytes stored in the ZIP.
    pub(crate) compressed_size: u64,
    /// Bytes of its content, as declared.
    pub(crate) size: u64,
    /// Where its stored bytes start in the file.
    pub(crate) data_start: u64,
}

/// What the central directory says of one entry.
#[derive(Debug, Clone)]
struct Central {
    name: Vec<u8>,
    version_made_by: u16,
    flags: u16,
    method: u16,
    crc32: u32,
    compressed_size: u64,
    size: u64,
    header_offset: u64,
    external_attributes: u32,
    extra: Vec<u8>,
}

/// Reads the ZIP's structure. `Err` when it has none that can be read (cut
/// short, not a ZIP); otherwise its entries and what is wrong with them.
/// Entries with a problem are left out of the list.
pub(crate) fn read_structure<R: Read + Seek>(
    reader: &mut R,
) -> Result<(Vec<Entry>, Vec<String>), String> {
    let (central_start, central_size, count) = find_central_directory(reader)?;
    let centrals = read_central_directory(reader, central_start, central_size, count)?;
    let mut problems = Vec::new();
    let mut entries = Vec::new();
    let mut ranges = Vec::new();
    for central in &centrals {
        match locate(reader, central, central_start) {
            Ok((entry, end)) => {
                ranges.push((central.header_offset, end, entry.name.clone()));
                entries.push(entry);
            }
            Err(problem) => problems.push(problem),
        }
    }
    let all_located = problems.is_empty();
    let names: Vec<String> = centrals
        .iter()
        .map(|c| String::from_utf8_lossy(&c.name).into_owned())
        .collect();
    problems.extend(colliding_names(&names));
    problems.extend(overlaps(&mut ranges));
    if all_located && problems.is_empty() {
        problems.extend(gaps(&ranges, central_start));
    }
    Ok((entries, problems))
}

/// The central directory's start, size and number of entries, from the end
/// record (and its ZIP64 form when there is one).
fn find_central_directory<R: Read + Seek>(reader: &mut R) -> Result<(u64, u64, u64), String> {
    let io = |e: std::io::Error| format!("cannot be read: {e}");
    let len = reader.seek(SeekFrom::End(0)).map_err(io)?;
    let tail_len = len.min(22 + 0xFFFF);
    let mut tail = vec![0; tail_len as usize];
    reader.seek(SeekFrom::Start(len - tail_len)).map_err(io)?;
    reader.read_exact(&mut tail).map_err(io)?;
    // The end record is the one whose comment runs to the end of the file.
    let at = (0..=tail.len().saturating_sub(22))
        .rev()
        .find(|&at| {
            tail.len() >= 22
                && u32_at(&tail, at) == END_SIGNATURE
                && at + 22 + usize::from(u16_at(&tail, at + 20)) == tail.len()
        })
        .ok_or("it has no end of central directory record")?;
    let end_offset = len - tail_len + at as u64;
    let end = &tail[at..];
    if u16_at(end, 4) != 0 || u16_at(end, 6) != 0 || u16_at(end, 8) != u16_at(end, 10) {
        return Err("it is one part of a ZIP split across several files".into());
    }
    let (mut start, mut size, mut count) = (
        u64::from(u32_at(end, 16)),
        u64::from(u32_at(end, 12)),
        u64::from(u16_at(end, 10)),
    );
    let mut central_end = end_offset;
    if end_offset >= 20 {
        let mut locator = [0; 20];
        reader.seek(SeekFrom::Start(end_offset - 20)).map_err(io)?;
        reader.read_exact(&mut locator).map_err(io)?;
        if u32_at(&locator, 0) == ZIP64_LOCATOR_SIGNATURE {
            let record_at = u64_at(&locator, 8);
            let mut record = [0; 56];
            reader.seek(SeekFrom::Start(record_at)).map_err(io)?;
            reader
                .read_exact(&mut record)
                .map_err(|_| "its ZIP64 end record lies outside the file".to_string())?;
            if u32_at(&record, 0) != ZIP64_END_SIGNATURE
                || record_at.checked_add(12 + u64_at(&record, 4)) != Some(end_offset - 20)
            {
                return Err("its ZIP64 end record is not where its locator says".into());
            }
            (start, size, count) = (
                u64_at(&record, 48),
                u64_at(&record, 40),
                u64_at(&record, 32),
            );
            central_end = record_at;
        }
    }
    if start.checked_add(size) != Some(central_end) {
        return Err(format!(
            "its central directory ({size} bytes at {start}) does not end where its end record \
             starts ({central_end}): bytes were added before or inside the ZIP"
        ));
    }
    Ok((start, size, count))
}

/// Every record of the central directory, which must fill it exactly.
fn read_central_directory<R: Read + Seek>(
    reader: &mut R,
    start: u64,
    size: u64,
    count: u64,
) -> Result<Vec<Central>, String> {
    reader
        .seek(SeekFrom::Start(start))
        .map_err(|e| format!("cannot be read: {e}"))?;
    let mut directory = BufReader::new(reader.take(size));
    let cut = |i: u64| format!("its central directory ends inside entry {i}");
    let mut centrals = Vec::with_capacity(count.min(size / 46) as usize);
    for i in 0..count {
        let mut fixed = [0; 46];
        directory.read_exact(&mut fixed).map_err(|_| cut(i))?;
        if u32_at(&fixed, 0) != CENTRAL_SIGNATURE {
            return Err(format!("entry {i} of its central directory is damaged"));
        }
        let mut variable = vec![
            0;
            usize::from(u16_at(&fixed, 28))
                + usize::from(u16_at(&fixed, 30))
                + usize::from(u16_at(&fixed, 32))
        ];
        directory.read_exact(&mut variable).map_err(|_| cut(i))?;
        let name_len = usize::from(u16_at(&fixed, 28));
        let extra = variable[name_len..name_len + usize::from(u16_at(&fixed, 30))].to_vec();
        variable.truncate(name_len);
        let mut central = Central {
            name: variable,
            version_made_by: u16_at(&fixed, 4),
            flags: u16_at(&fixed, 8),
            method: u16_at(&fixed, 10),
            crc32: u32_at(&fixed, 16),
            compressed_size: u64::from(u32_at(&fixed, 20)),
            size: u64::from(u32_at(&fixed, 24)),
            header_offset: u64::from(u32_at(&fixed, 42)),
            external_attributes: u32_at(&fixed, 38),
            extra,
        };
        apply_zip64(&mut central, u16_at(&fixed, 34))?;
        centrals.push(central);
    }
    let mut rest = Vec::new();
    directory
        .read_to_end(&mut rest)
        .map_err(|e| format!("cannot be read: {e}"))?;
    if !rest.is_empty() {
        return Err(format!(
            "its central directory has {} bytes after its last entry",
            rest.len()
        ));
    }
    Ok(centrals)
}

/// Replaces the 32-bit sizes and offset that say "see the ZIP64 field".
fn apply_zip64(central: &mut Central, disk: u16) -> Result<(), String> {
    let name = String::from_utf8_lossy(&central.name).into_owned();
    let fields = extra_fields(&central.extra)
        .ok_or_else(|| format!("`{name}` has a damaged extra field"))?;
    let mut zip64 = fields
        .iter()
        .find(|(id, _)| *id == ZIP64_EXTRA)
        .map_or(&[][..], |(_, data)| data);
    let mut next = |value: &mut u64| -> Result<(), String> {
        if *value == u64::from(u32::MAX) {
            let (field, rest) = zip64
                .split_first_chunk::<8>()
                .ok_or_else(|| format!("`{name}` lacks the ZIP64 field its sizes call for"))?;
            *value = u64::from_le_bytes(*field);
            zip64 = rest;
        }
        Ok(())
    };
    next(&mut central.size)?;
    next(&mut central.compressed_size)?;
    next(&mut central.header_offset)?;
    if disk != 0 && disk != u16::MAX {
        return Err(format!("`{name}` is on another part of a split ZIP"));
    }
    Ok(())
}

/// The entry that `central` describes, checked against its local header,
/// and where its bytes end (its data descriptor included).
fn locate<R: Read + Seek>(
    reader: &mut R,
    central: &Central,
    central_start: u64,
) -> Result<(Entry, u64), String> {
    let (name, method) = check_central(central)?;
    let fail = |reason: String| format!("`{name}` {reason}");
    let data_start = check_local_header(reader, central, central_start).map_err(fail)?;
    let end = data_end(reader, central, data_start, central_start).map_err(fail)?;
    Ok((
        Entry {
            is_folder: name.ends_with('/'),
            name,
            method,
            crc32: central.crc32,
            compressed_size: central.compressed_size,
            size: central.size,
            data_start,
        },
        end,
    ))
}

/// The entry's name and method, when what the central directory says of
/// it is allowed in a package.
fn check_central(central: &Central) -> Result<(String, Method), String> {
    let Ok(name) = String::from_utf8(central.name.clone()) else {
        return Err(format!(
            "`{}` has a name that is not UTF-8",
            String::from_utf8_lossy(&central.name)
        ));
    };
    let fail = |reason: String| format!("`{name}` {reason}");
    if let Some(reason) = unsafe_name(&name) {
        return Err(fail(reason));
    }
    if !name.is_ascii() && central.flags & 0x0800 == 0 {
        return Err(fail(
            "has a name that is not marked as UTF-8: tools would read it in another \
             encoding, as another name"
                .into(),
        ));
    }
    if central.flags & 0x0041 != 0 || central.flags & 0x2000 != 0 {
        return Err(fail("is encrypted".into()));
    }
    let method = match central.method {
        0 => Method::Stored,
        8 => Method::Deflated,
        other => {
            return Err(fail(format!(
                "is compressed with method {other}, which a package does not use"
            )))
        }
    };
    if method == Method::Stored && central.compressed_size != central.size {
        return Err(fail(format!(
            "is stored as it is, yet takes {} bytes for {}",
            central.compressed_size, central.size
        )));
    }
    if let Some(reason) = kind_problem(&name, central.version_made_by, central.external_attributes)
    {
        return Err(fail(reason));
    }
    if name.ends_with('/') && central.size != 0 {
        return Err(fail(format!(
            "is a folder with {} bytes of content",
            central.size
        )));
    }
    if has_second_name(&central.extra) {
        return Err(fail(SECOND_NAME.into()));
    }
    Ok((name, method))
}

const SECOND_NAME: &str =
    "carries a second name (a Unicode path field), which some tools use instead";

fn has_second_name(extra: &[u8]) -> bool {
    extra_fields(extra).is_some_and(|f| f.iter().any(|(id, _)| *id == UNICODE_PATH_EXTRA))
}

/// Where the entry's data starts, after a local header that must agree
/// with the central directory; `Err` says why not.
fn check_local_header<R: Read + Seek>(
    reader: &mut R,
    central: &Central,
    central_start: u64,
) -> Result<u64, String> {
    let outside = || "has its local header outside the ZIP's data".to_string();
    if central
        .header_offset
        .checked_add(30)
        .is_none_or(|end| end > central_start)
    {
        return Err(outside());
    }
    let io = |e: std::io::Error| format!("cannot be read: {e}");
    reader
        .seek(SeekFrom::Start(central.header_offset))
        .map_err(io)?;
    let mut local = [0; 30];
    reader.read_exact(&mut local).map_err(io)?;
    if u32_at(&local, 0) != LOCAL_SIGNATURE {
        return Err("has no local header where the central directory says".into());
    }
    let (name_len, extra_len) = (u64::from(u16_at(&local, 26)), u64::from(u16_at(&local, 28)));
    let data_start = central.header_offset + 30 + name_len + extra_len;
    if data_start > central_start {
        return Err(outside());
    }
    let mut local_name = vec![0; name_len as usize];
    let mut local_extra = vec![0; extra_len as usize];
    reader.read_exact(&mut local_name).map_err(io)?;
    reader.read_exact(&mut local_extra).map_err(io)?;
    if local_name != central.name {
        return Err(format!(
            "is named `{}` in its local header: tools that read the ZIP as a stream would \
             unpack it under that name",
            String::from_utf8_lossy(&local_name)
        ));
    }
    if extra_fields(&local_extra).is_none() {
        return Err("has a damaged extra field in its local header".into());
    }
    if has_second_name(&local_extra) {
        return Err(SECOND_NAME.into());
    }
    let local_flags = u16_at(&local, 6);
    if u16_at(&local, 8) != central.method || (local_flags ^ central.flags) & 0x0809 != 0 {
        return Err(
            "has a local header that disagrees with the central directory on how it is stored"
                .into(),
        );
    }
    let agrees = |local: u32, central: u64| local == u32::MAX || u64::from(local) == central;
    if central.flags & 0x0008 == 0
        && (u32_at(&local, 14) != central.crc32
            || !agrees(u32_at(&local, 18), central.compressed_size)
            || !agrees(u32_at(&local, 22), central.size))
    {
        return Err(
            "has a local header that disagrees with the central directory on its size or CRC"
                .into(),
        );
    }
    Ok(data_start)
}

/// Where the entry's bytes end, its data descriptor included; `Err` when
/// they run past the ZIP's data.
fn data_end<R: Read + Seek>(
    reader: &mut R,
    central: &Central,
    data_start: u64,
    central_start: u64,
) -> Result<u64, String> {
    let data_end = data_start
        .checked_add(central.compressed_size)
        .filter(|end| *end <= central_start)
        .ok_or_else(|| {
            format!(
                "runs past the end of the ZIP's data: its {} bytes from {data_start} go beyond {central_start}",
                central.compressed_size
            )
        })?;
    if central.flags & 0x0008 == 0 {
        return Ok(data_end);
    }
    let io = |e: std::io::Error| format!("cannot be read: {e}");
    let mut signature = [0; 4];
    reader.seek(SeekFrom::Start(data_end)).map_err(io)?;
    reader.read_exact(&mut signature).map_err(io)?;
    let zip64 = central.size.max(central.compressed_size) >= u64::from(u32::MAX);
    let sizes = if zip64 { 16 } else { 8 };
    let signed = u32::from_le_bytes(signature) == DESCRIPTOR_SIGNATURE;
    let end = data_end + 4 + sizes + if signed { 4 } else { 0 };
    if end > central_start {
        return Err("has a data descriptor that runs past the end of the ZIP's data".into());
    }
    Ok(end)
}

/// The extra fields as (id, data), or `None` when they do not fit.
fn extra_fields(mut extra: &[u8]) -> Option<Vec<(u16, &[u8])>> {
    let mut fields = Vec::new();
    while !extra.is_empty() {
        let header = extra.get(..4)?;
        let len = usize::from(u16_at(header, 2));
        fields.push((u16_at(header, 0), extra.get(4..4 + len)?));
        extra = &extra[4 + len..];
    }
    Some(fields)
}

/// Entries whose bytes overlap: `ranges` is (start, end, name).
fn overlaps(ranges: &mut [(u64, u64, String)]) -> Vec<String> {
    ranges.sort();
    let mut problems = Vec::new();
    let mut furthest: Option<&(u64, u64, String)> = None;
    for range in ranges.iter() {
        if let Some(previous) = furthest {
            if range.0 < previous.1 {
                problems.push(format!(
                    "`{}` overlaps `{}` in the file: two entries that share bytes are a ZIP bomb",
                    range.2, previous.2
                ));
            }
        }
        if furthest.is_none_or(|previous| range.1 > previous.1) {
            furthest = Some(range);
        }
    }
    problems
}

/// Bytes that no entry accounts for, in sorted `ranges`: a tool that reads
/// the ZIP as a stream, from the start, may find a hidden entry there.
fn gaps(ranges: &[(u64, u64, String)], central_start: u64) -> Vec<String> {
    let mut problems = Vec::new();
    let mut at = 0;
    let mut after: Option<&str> = None;
    for (start, end, name) in ranges {
        if *start > at {
            problems.push(match after {
                None => format!(
                    "{} bytes come before the first entry, `{name}`: no entry accounts for them",
                    start - at
                ),
                Some(previous) => format!(
                    "{} bytes lie between `{previous}` and `{name}` that no entry accounts for",
                    start - at
                ),
            });
        }
        at = *end;
        after = Some(name);
    }
    if at < central_start {
        problems.push(format!(
            "{} bytes lie between the last entry and the central directory that no entry accounts for",
            central_start - at
        ));
    }
    problems
}

fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("four bytes"))
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    use zip::write::SimpleFileOptions;

    /// A ZIP of stored `files`, as the `zip` crate writes it.
    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (name, content) in files {
            zip.start_file(*name, options).unwrap();
            zip.write_all(content).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn read(bytes: Vec<u8>) -> Result<(Vec<Entry>, Vec<String>), String> {
        read_structure(&mut Cursor::new(bytes))
    }

    fn positions(bytes: &[u8], needle: &[u8]) -> Vec<usize> {
        (0..=bytes.len() - needle.len())
            .filter(|&at| bytes[at..].starts_with(needle))
            .collect()
    }

    /// Replaces `from` by `to` at the given occurrences (0 is the local
    /// header's name, 1 the central directory's).
    fn rename(mut bytes: Vec<u8>, from: &str, to: &str, which: &[usize]) -> Vec<u8> {
        let at = positions(&bytes, from.as_bytes());
        for &i in which {
            bytes[at[i]..at[i] + to.len()].copy_from_slice(to.as_bytes());
        }
        bytes
    }

    #[test]
    fn a_plain_zip_has_its_entries_where_the_directory_says() {
        let (entries, problems) = read(zip_of(&[("a.txt", b"abc"), ("m/b.txt", b"de")])).unwrap();
        assert_eq!(problems, Vec::<String>::new());
        let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["a.txt", "m/b.txt"]);
        assert_eq!((entries[0].size, entries[0].data_start), (3, 35));
    }

    #[test]
    fn zip64_sizes_and_end_records_are_read() {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().large_file(true);
        zip.start_file("big.bin", options).unwrap();
        zip.write_all(b"abc").unwrap();
        let (entries, problems) = read(zip.finish().unwrap().into_inner()).unwrap();
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(entries[0].size, 3);

        // More entries than the 16-bit count holds.
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for i in 0..70_000 {
            zip.start_file(format!("{i}"), options).unwrap();
        }
        let (entries, problems) = read(zip.finish().unwrap().into_inner()).unwrap();
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(entries.len(), 70_000);
    }

    #[test]
    fn a_name_given_twice_or_differing_only_in_case_is_caught() {
        let bytes = zip_of(&[("a.txt", b"abc"), ("b.txt", b"de")]);
        let (_, problems) = read(rename(bytes.clone(), "b.txt", "a.txt", &[0, 1])).unwrap();
        assert!(
            problems[0].contains("`a.txt` is in the ZIP twice"),
            "{problems:?}"
        );
        let (_, problems) = read(rename(bytes, "b.txt", "A.TXT", &[0, 1])).unwrap();
        assert!(
            problems[0].contains("`A.TXT` and `a.txt` would be the same file"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_local_name_that_is_not_the_central_one_is_caught() {
        let bytes = zip_of(&[("a.txt", b"abc"), ("b.txt", b"de")]);
        let (entries, problems) = read(rename(bytes, "b.txt", "c.txt", &[0])).unwrap();
        assert_eq!(entries.len(), 1);
        assert!(
            problems[0].starts_with("`b.txt` is named `c.txt` in its local header"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_symbolic_link_is_caught() {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.add_symlink("index.html", "/etc/passwd", SimpleFileOptions::default())
            .unwrap();
        let (_, problems) = read(zip.finish().unwrap().into_inner()).unwrap();
        assert!(
            problems[0].starts_with("`index.html` is a symbolic link (mode 120"),
            "{problems:?}"
        );
    }

    #[test]
    fn an_entry_that_runs_past_the_data_is_caught() {
        let mut bytes = zip_of(&[("a.txt", b"abc")]);
        let central = positions(&bytes, &CENTRAL_SIGNATURE.to_le_bytes())[0];
        bytes[central + 20..central + 28].copy_from_slice(&[0, 1, 0, 0, 0, 1, 0, 0]);
        bytes[14 + 4..14 + 12].copy_from_slice(&[0, 1, 0, 0, 0, 1, 0, 0]);
        let (_, problems) = read(bytes).unwrap();
        assert!(
            problems[0].contains("`a.txt` runs past the end of the ZIP's data"),
            "{problems:?}"
        );
    }

    #[test]
    fn bytes_before_the_zip_or_after_its_end_record_are_caught() {
        let bytes = zip_of(&[("a.txt", b"abc")]);
        let mut prefixed = b"MZ".to_vec();
        prefixed.extend_from_slice(&bytes);
        assert!(read(prefixed).unwrap_err().contains("bytes were added"));
        let mut suffixed = bytes.clone();
        suffixed.push(0);
        assert!(read(suffixed)
            .unwrap_err()
            .contains("no end of central directory"));
        assert!(read(bytes[..bytes.len() / 2].to_vec()).is_err());
    }

    #[test]
    fn overlapping_and_hidden_bytes_are_caught() {
        let mut ranges = vec![
            (0, 100, "a".to_string()),
            (50, 80, "b".to_string()),
            (90, 120, "c".to_string()),
        ];
        let problems = overlaps(&mut ranges);
        assert_eq!(problems.len(), 2);
        assert!(problems[0].starts_with("`b` overlaps `a`"), "{problems:?}");
        assert!(problems[1].starts_with("`c` overlaps `a`"), "{problems:?}");
        let ranges = [(10, 20, "a".to_string()), (30, 40, "b".to_string())];
        let problems = gaps(&ranges, 50);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[1].starts_with("10 bytes lie between `a` and `b`"));
    }
}
