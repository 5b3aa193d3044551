//! What a recording holds, read from the container's header without
//! decoding anything, so that `confkit check` can test every clip against
//! its recording in a fraction of a second: how long it lasts and how many
//! video and audio tracks it has. ISO media (MP4, M4A, MOV) and WAV are read
//! here; other containers are left to the media engine's probe.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

pub use crate::project::Header;
use crate::timecode::Timecode;

/// Reads `path`'s header: `None` for a container this reader does not parse
/// (WebM, Ogg, MP3 ...); the error says in words what is wrong with the file
/// (empty, truncated, not media).
pub fn read_header(path: &Path) -> Result<Option<Header>, String> {
    let mut file = File::open(path).map_err(|e| format!("cannot open it: {e}"))?;
    let len = file.metadata().map_err(|e| e.to_string())?.len();
    if len == 0 {
        return Err("the file is empty (0 bytes)".into());
    }
    let mut magic = [0u8; 12];
    let n = read_up_to(&mut file, &mut magic).map_err(|e| e.to_string())?;
    let magic = &magic[..n];
    if magic.len() >= 8 && &magic[4..8] == b"ftyp" {
        iso_header(&mut file, len).map(Some)
    } else if magic.len() >= 12 && &magic[..4] == b"RIFF" && &magic[8..12] == b"WAVE" {
        let duration = wav_duration(&mut file, len)?;
        Ok(Some(Header {
            duration: Some(duration),
            video_tracks: 0,
            audio_tracks: 1,
        }))
    } else {
        Ok(None)
    }
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// An ISO base media box header: its type and the byte range of its content.
struct BoxHeader {
    kind: [u8; 4],
    content_start: u64,
    end: u64,
}

fn next_box(file: &mut File, at: u64, limit: u64) -> Result<Option<BoxHeader>, String> {
    if at + 8 > limit {
        return Ok(None);
    }
    file.seek(SeekFrom::Start(at)).map_err(|e| e.to_string())?;
    let mut header = [0u8; 8];
    if read_up_to(file, &mut header).map_err(|e| e.to_string())? < 8 {
        return Err("the file is truncated (a box header is cut short)".into());
    }
    let size32 = u32::from_be_bytes(header[..4].try_into().expect("4 bytes"));
    let kind: [u8; 4] = header[4..8].try_into().expect("4 bytes");
    let (size, header_len) = match size32 {
        0 => (limit - at, 8),
        1 => {
            let mut large = [0u8; 8];
            if read_up_to(file, &mut large).map_err(|e| e.to_string())? < 8 {
                return Err("the file is truncated (a box header is cut short)".into());
            }
            (u64::from_be_bytes(large), 16)
        }
        n => (u64::from(n), 8),
    };
    if size < header_len || at + size > limit {
        return Err(format!(
            "the file is truncated or damaged: box `{}` claims {size} bytes at offset {at} but only {} remain",
            String::from_utf8_lossy(&kind),
            limit - at
        ));
    }
    Ok(Some(BoxHeader {
        kind,
        content_start: at + header_len,
        end: at + size,
    }))
}

fn find_box(
    file: &mut File,
    start: u64,
    end: u64,
    kind: &[u8; 4],
) -> Result<Option<BoxHeader>, String> {
    let mut at = start;
    while let Some(header) = next_box(file, at, end)? {
        if &header.kind == kind {
            return Ok(Some(header));
        }
        at = header.end;
    }
    Ok(None)
}

fn iso_header(file: &mut File, len: u64) -> Result<Header, String> {
    // Every top-level box is walked, so that a file cut short after its
    // `moov` (a copy that stopped early) is caught here too.
    let mut moov = None;
    let mut at = 0;
    while let Some(header) = next_box(file, at, len)? {
        if &header.kind == b"moov" {
            moov = Some((header.content_start, header.end));
        }
        at = header.end;
    }
    let (start, end) =
        moov.ok_or("the file has no `moov` box: it is truncated, or still being written")?;
    let duration = iso_duration(file, start, end)?;
    let (mut video_tracks, mut audio_tracks) = (0, 0);
    let mut at = start;
    while let Some(trak) = next_box(file, at, end)? {
        at = trak.end;
        if &trak.kind != b"trak" {
            continue;
        }
        let Some(mdia) = find_box(file, trak.content_start, trak.end, b"mdia")? else {
            continue;
        };
        let Some(hdlr) = find_box(file, mdia.content_start, mdia.end, b"hdlr")? else {
            continue;
        };
        // version and flags (4 bytes), pre_defined (4), then the handler type.
        let mut content = [0u8; 12];
        file.seek(SeekFrom::Start(hdlr.content_start))
            .map_err(|e| e.to_string())?;
        if read_up_to(file, &mut content).map_err(|e| e.to_string())? == 12 {
            match &content[8..12] {
                b"vide" => video_tracks += 1,
                b"soun" => audio_tracks += 1,
                _ => {}
            }
        }
    }
    Ok(Header {
        duration: Some(duration),
        video_tracks,
        audio_tracks,
    })
}

fn iso_duration(file: &mut File, moov_start: u64, moov_end: u64) -> Result<Timecode, String> {
    let mvhd = find_box(file, moov_start, moov_end, b"mvhd")?
        .ok_or("the file's `moov` box has no `mvhd` header: it is damaged")?;
    file.seek(SeekFrom::Start(mvhd.content_start))
        .map_err(|e| e.to_string())?;
    let mut content = vec![0u8; (mvhd.end - mvhd.content_start).min(40) as usize];
    read_up_to(file, &mut content).map_err(|e| e.to_string())?;
    let be32 = |at: usize| {
        content
            .get(at..at + 4)
            .map(|b| u32::from_be_bytes(b.try_into().expect("4")))
    };
    let be64 = |at: usize| {
        content
            .get(at..at + 8)
            .map(|b| u64::from_be_bytes(b.try_into().expect("8")))
    };
    let (timescale, duration) = match content.first() {
        Some(0) => (be32(12), be32(16).map(u64::from)),
        Some(1) => (be32(20), be64(24)),
        _ => (None, None),
    };
    match (timescale, duration) {
        (Some(scale), Some(units)) if scale > 0 && units > 0 && units != u64::from(u32::MAX) => Ok(
            Timecode::from_millis((u128::from(units) * 1000 / u128::from(scale)) as u64),
        ),
        _ => Err("the file's `mvhd` header gives no duration (a fragmented or damaged MP4)".into()),
    }
}

fn wav_duration(file: &mut File, len: u64) -> Result<Timecode, String> {
    let mut byte_rate = None;
    let mut at = 12;
    while at + 8 <= len {
        file.seek(SeekFrom::Start(at)).map_err(|e| e.to_string())?;
        let mut header = [0u8; 8];
        read_up_to(file, &mut header).map_err(|e| e.to_string())?;
        let size = u64::from(u32::from_le_bytes(header[4..8].try_into().expect("4")));
        match &header[..4] {
            b"fmt " => {
                let mut fmt = [0u8; 12];
                read_up_to(file, &mut fmt).map_err(|e| e.to_string())?;
                byte_rate = Some(u32::from_le_bytes(fmt[8..12].try_into().expect("4")));
            }
            b"data" => {
                let rate = byte_rate
                    .filter(|&r| r > 0)
                    .ok_or("the WAV file has no usable `fmt ` chunk before its data")?;
                // Streamed WAV files leave the size at its maximum: use what is there.
                let available = len - (at + 8);
                let size = if size == u64::from(u32::MAX) || size > available {
                    available
                } else {
                    size
                };
                return Ok(Timecode::from_millis(size * 1000 / u64::from(rate)));
            }
            _ => {}
        }
        at += 8 + size + (size & 1);
    }
    Err("the WAV file has no `data` chunk: it is truncated".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn mp4_box(kind: &[u8; 4], content: &[u8]) -> Vec<u8> {
        let mut b = ((content.len() + 8) as u32).to_be_bytes().to_vec();
        b.extend_from_slice(kind);
        b.extend_from_slice(content);
        b
    }

    fn write_temp(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        f
    }

    fn mvhd(millis: u32) -> Vec<u8> {
        let mut mvhd = vec![0u8; 100];
        mvhd[12..16].copy_from_slice(&1000u32.to_be_bytes());
        mvhd[16..20].copy_from_slice(&millis.to_be_bytes());
        mp4_box(b"mvhd", &mvhd)
    }

    fn trak(handler: &[u8; 4]) -> Vec<u8> {
        let mut hdlr = vec![0u8; 8];
        hdlr.extend_from_slice(handler);
        hdlr.extend_from_slice(&[0; 13]);
        mp4_box(b"trak", &mp4_box(b"mdia", &mp4_box(b"hdlr", &hdlr)))
    }

    #[test]
    fn reads_wav_duration() {
        let f = write_temp(&crate::media::wav::pcm16_mono_wav(&[0; 24_000], 8000));
        assert_eq!(
            read_header(f.path()).unwrap(),
            Some(Header {
                duration: Some(Timecode::from_millis(3000)),
                video_tracks: 0,
                audio_tracks: 1
            })
        );
    }

    #[test]
    fn reads_mp4_duration_and_tracks() {
        let mut file = mp4_box(b"ftyp", b"isom\0\0\0\0");
        file.extend(mp4_box(b"free", &[0; 10]));
        let mut moov = mvhd(65_500);
        for handler in [b"vide", b"soun", b"soun", b"text"] {
            moov.extend(trak(handler));
        }
        file.extend(mp4_box(b"moov", &moov));
        file.extend(mp4_box(b"mdat", &[0; 100]));
        let f = write_temp(&file);
        assert_eq!(
            read_header(f.path()).unwrap(),
            Some(Header {
                duration: Some(Timecode::from_millis(65_500)),
                video_tracks: 1,
                audio_tracks: 2
            })
        );
    }

    #[test]
    fn broken_files_say_what_is_wrong() {
        let empty = write_temp(b"");
        assert!(read_header(empty.path()).unwrap_err().contains("empty"));
        let mut truncated = mp4_box(b"ftyp", b"isom\0\0\0\0");
        truncated.extend_from_slice(&1000u32.to_be_bytes());
        truncated.extend_from_slice(b"mdat");
        let f = write_temp(&truncated);
        assert!(read_header(f.path()).unwrap_err().contains("truncated"));
        let no_moov = write_temp(&mp4_box(b"ftyp", b"isom\0\0\0\0"));
        assert!(read_header(no_moov.path())
            .unwrap_err()
            .contains("no `moov`"));
        let other = write_temp(b"\x1aE\xdf\xa3 matroska");
        assert_eq!(read_header(other.path()).unwrap(), None);
    }

    /// A copy that stopped early: the header is whole, the media data is not.
    #[test]
    fn a_file_cut_after_its_header_is_truncated() {
        let mut file = mp4_box(b"ftyp", b"isom\0\0\0\0");
        file.extend(mp4_box(b"moov", &[mvhd(10_000), trak(b"soun")].concat()));
        let mdat = mp4_box(b"mdat", &[7; 1000]);
        file.extend_from_slice(&mdat[..600]);
        let f = write_temp(&file);
        let err = read_header(f.path()).unwrap_err();
        assert!(
            err.contains("truncated or damaged: box `mdat` claims 1008 bytes"),
            "{err}"
        );
    }
}
