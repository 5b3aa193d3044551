//! One entry's content read as a stream: its stored bytes are inflated as
//! they are read, never past the size its header declares (a ZIP bomb
//! stops there, whatever it would inflate to), and its CRC-32 is checked
//! at the end. Only the small text files that verify must read whole are
//! ever held in memory, and only up to [`TEXT_LIMIT`].

use std::io::{self, BufReader, Read, Seek, SeekFrom};

use sha2::{Digest, Sha256};

use super::structure::{Entry, Method};

/// The largest text file verify reads whole (the manifest, the checksums,
/// a page whose links it follows).
pub(crate) const TEXT_LIMIT: u64 = 16 << 20;

/// An entry's content, checked against its declared size and CRC-32.
pub(crate) struct Content<R> {
    inner: R,
    declared: u64,
    read: u64,
    crc: crc32fast::Hasher,
    expected_crc: u32,
    finished: bool,
}

impl<R: Read> Read for Content<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        if n == 0 {
            if !self.finished {
                self.finish()?;
            }
            return Ok(0);
        }
        self.read += n as u64;
        if self.read > self.declared {
            return Err(invalid(format!(
                "it inflates beyond the {} bytes its header declares",
                self.declared
            )));
        }
        self.crc.update(&buf[..n]);
        Ok(n)
    }
}

impl<R> Content<R> {
    fn finish(&mut self) -> io::Result<()> {
        self.finished = true;
        if self.read != self.declared {
            return Err(invalid(format!(
                "it ends after {} bytes; its header declares {}",
                self.read, self.declared
            )));
        }
        if self.crc.clone().finalize() != self.expected_crc {
            return Err(invalid(
                "it is damaged: its CRC-32 does not match its header".into(),
            ));
        }
        Ok(())
    }
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// Opens `entry`'s content in `reader`.
pub(crate) fn open<'a, R: Read + Seek>(
    reader: &'a mut R,
    entry: &Entry,
) -> io::Result<Content<Box<dyn Read + 'a>>> {
    reader.seek(SeekFrom::Start(entry.data_start))?;
    let stored = BufReader::with_capacity(64 << 10, reader.take(entry.compressed_size));
    let inner: Box<dyn Read + 'a> = match entry.method {
        Method::Stored => Box::new(stored),
        Method::Deflated => Box::new(flate2::bufread::DeflateDecoder::new(stored)),
    };
    Ok(Content {
        inner,
        declared: entry.size,
        read: 0,
        crc: crc32fast::Hasher::new(),
        expected_crc: entry.crc32,
        finished: false,
    })
}

/// The SHA-256 of `entry`'s content, read as a stream.
pub(crate) fn sha256<R: Read + Seek>(reader: &mut R, entry: &Entry) -> io::Result<String> {
    let mut content = open(reader, entry)?;
    let mut hash = Sha256::new();
    io::copy(&mut content, &mut hash)?;
    Ok(format!("{:x}", hash.finalize()))
}

/// `entry`'s content whole, when it is at most [`TEXT_LIMIT`] bytes.
pub(crate) fn read_text<R: Read + Seek>(reader: &mut R, entry: &Entry) -> io::Result<Vec<u8>> {
    if entry.size > TEXT_LIMIT {
        return Err(invalid(format!(
            "it declares {} bytes; verify reads text files of at most {} MiB",
            entry.size,
            TEXT_LIMIT >> 20
        )));
    }
    let mut bytes = Vec::with_capacity(entry.size as usize);
    open(reader, entry)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    /// `content` deflated, as the entry that holds it at the start of a buffer.
    fn deflated(content: &[u8], declared: u64) -> (Cursor<Vec<u8>>, Entry) {
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(content).unwrap();
        let bytes = encoder.finish().unwrap();
        let entry = Entry {
            name: "a.txt".into(),
            is_folder: false,
            method: Method::Deflated,
            crc32: crc32fast::hash(content),
            compressed_size: bytes.len() as u64,
            size: declared,
            data_start: 0,
        };
        (Cursor::new(bytes), entry)
    }

    #[test]
    fn content_that_matches_its_header_is_hashed() {
        let (mut zip, entry) = deflated(b"abc", 3);
        assert_eq!(
            sha256(&mut zip, &entry).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn content_is_never_read_past_its_declared_size() {
        let big = vec![0; 10 << 20];
        let (mut zip, entry) = deflated(&big, 1 << 20);
        let error = sha256(&mut zip, &entry).unwrap_err().to_string();
        assert!(
            error.contains("inflates beyond the 1048576 bytes"),
            "{error}"
        );
    }

    #[test]
    fn content_shorter_than_declared_or_damaged_is_caught() {
        let (mut zip, entry) = deflated(b"abc", 4);
        let error = sha256(&mut zip, &entry).unwrap_err().to_string();
        assert!(error.contains("ends after 3 bytes"), "{error}");
        let (mut zip, mut entry) = deflated(b"abc", 3);
        entry.crc32 ^= 1;
        let error = sha256(&mut zip, &entry).unwrap_err().to_string();
        assert!(error.contains("CRC-32"), "{error}");
    }

    #[test]
    fn large_text_is_not_read_whole() {
        let (mut zip, mut entry) = deflated(b"abc", 3);
        assert_eq!(read_text(&mut zip, &entry).unwrap(), b"abc");
        entry.size = TEXT_LIMIT + 1;
        let error = read_text(&mut zip, &entry).unwrap_err().to_string();
        assert!(error.contains("at most 16 MiB"), "{error}");
    }
}
