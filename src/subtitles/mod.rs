//! Subtitle files as people and subtitle editors write them (WebVTT, SRT):
//! reading them with errors that name the line, and writing them back.

pub mod rules;

use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::timecode::Timecode;

/// One subtitle: a time range and its text (lines separated by `\n`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    /// When it appears.
    pub start: Timecode,
    /// When it disappears.
    pub end: Timecode,
    /// The text, without markup; lines separated by `\n`.
    pub text: String,
}

/// Reads a `.vtt` or `.srt` file.
pub fn read_cues(path: &Path) -> Result<Vec<Cue>> {
    let text =
        read_subtitle_text(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    parse_cues(&text, is_srt(path))
        .map_err(|e| anyhow::anyhow!("{}:{}:{}: {}", path.display(), e.line, e.column, e.message))
}

/// The text of a subtitle file: UTF-8, else Latin-1 (subtitle editors on
/// Windows still save it: it is read as such rather than refused).
pub fn read_subtitle_text(path: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(path)?;
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|e| e.into_bytes().iter().map(|&b| char::from(b)).collect()))
}

/// True for an SRT file (by its extension); WebVTT otherwise.
pub fn is_srt(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("srt"))
}

/// Where a subtitle file stops making sense, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong and how to write it.
    pub message: String,
}

impl ParseError {
    fn at(line: usize, column: usize, message: String) -> ParseError {
        ParseError {
            line: line.max(1),
            column: column.max(1),
            message,
        }
    }
}

/// Parses WebVTT (or SRT when `srt`).
pub fn parse_cues(text: &str, srt: bool) -> Result<Vec<Cue>, ParseError> {
    Ok(parse_cues_with_lines(text, srt)?
        .into_iter()
        .map(|(_, cue)| cue)
        .collect())
}

/// Like [`parse_cues`], with each cue's 1-based timing line.
pub fn parse_cues_with_lines(text: &str, srt: bool) -> Result<Vec<(usize, Cue)>, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let mut i = 0;
    if !srt {
        match lines.first() {
            Some(first) if first.starts_with("WEBVTT") => i = 1,
            _ => {
                return Err(ParseError::at(
                    1,
                    1,
                    "a WebVTT file starts with a `WEBVTT` line".into(),
                ))
            }
        }
    }
    let mut cues = Vec::new();
    while i < lines.len() {
        let line = lines[i].trim();
        if line.is_empty() {
            i += 1;
            continue;
        }
        // WebVTT blocks that are not cues.
        if !srt && (line.starts_with("NOTE") || line == "STYLE" || line == "REGION") {
            while i < lines.len() && !lines[i].trim().is_empty() {
                i += 1;
            }
            continue;
        }
        // An identifier (SRT's counter, an optional WebVTT id) before the timing line.
        if !line.contains("-->") {
            i += 1;
            if i >= lines.len() || !lines[i].contains("-->") {
                return Err(ParseError::at(
                    if i < lines.len() { i + 1 } else { i },
                    1,
                    format!(
                        "expected a timing line `00:00:01.000 --> 00:00:04.000` after `{}`",
                        excerpt(line)
                    ),
                ));
            }
        }
        let timing_line = i + 1;
        let (start, end) =
            parse_timing(lines[i]).map_err(|(column, m)| ParseError::at(timing_line, column, m))?;
        if end <= start {
            return Err(ParseError::at(
                timing_line,
                end_column(lines[i]),
                format!("the cue ends ({end}) before it starts ({start})"),
            ));
        }
        i += 1;
        let mut text_lines = Vec::new();
        while i < lines.len() && !lines[i].trim().is_empty() {
            // A line of markup alone (`<i></i>`) is no line of text.
            let text = strip_tags(lines[i], !srt).trim().to_string();
            if !text.is_empty() {
                text_lines.push(text);
            }
            i += 1;
        }
        cues.push((
            timing_line,
            Cue {
                start,
                end,
                text: text_lines.join("\n"),
            },
        ));
    }
    Ok(cues)
}

/// The start and end of a timing line; the error is (column, message).
fn parse_timing(line: &str) -> Result<(Timecode, Timecode), (usize, String)> {
    let Some((start, rest)) = line.split_once("-->") else {
        return Err((
            1,
            format!(
                "`{}` is not a timing line: write `00:00:01.000 --> 00:00:04.000`",
                excerpt(line)
            ),
        ));
    };
    let start_column = line.chars().take_while(|c| c.is_whitespace()).count() + 1;
    let start = parse_time(start.trim()).map_err(|m| (start_column, m))?;
    let end_text = rest.split_whitespace().next().unwrap_or_default();
    let end = parse_time(end_text).map_err(|m| (end_column(line), m))?;
    Ok((start, end))
}

/// The 1-based column where a timing line's end time starts.
fn end_column(line: &str) -> usize {
    match line.find("-->") {
        Some(arrow) => {
            let after = &line[arrow + 3..];
            let spaces = after.chars().take_while(|c| c.is_whitespace()).count();
            line[..arrow].chars().count() + 3 + spaces + 1
        }
        None => 1,
    }
}

fn parse_time(text: &str) -> Result<Timecode, String> {
    let normalised = text.replace(',', ".");
    let parts = normalised.split(':').count();
    let valid_shape = (2..=3).contains(&parts) && normalised.contains('.');
    match normalised.parse::<Timecode>() {
        Ok(t) if valid_shape => Ok(t),
        _ => Err(format!(
            "`{}` is not a subtitle time; write `00:01:02.500` (or `00:01:02,500` in SRT)",
            excerpt(text)
        )),
    }
}

/// The start of a piece of a line quoted in an error: enough to find it,
/// not the whole of a line that may run to megabytes.
fn excerpt(text: &str) -> String {
    const LONGEST: usize = 60;
    match text.char_indices().nth(LONGEST) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// Removes markup (`<v Speaker>`, `<i>`, `<00:01.000>`) and, in WebVTT,
/// decodes entities (SRT has none: `&amp;` there is what someone typed). A
/// `<` that no `>` closes is text someone typed (`x < y`).
///
/// One pass over the line: whether a `>` follows a `<` is read from where
/// the line's last `>` is, not searched for again at every `<` (time
/// quadratic in the line: 400 kB of `<` took seconds, twice that four
/// times as long).
fn strip_tags(line: &str, entities: bool) -> String {
    let last_close = line.rfind('>');
    let mut out = String::with_capacity(line.len());
    let mut in_tag = false;
    for (at, c) in line.char_indices() {
        match c {
            '<' if !in_tag && last_close.is_none_or(|close| close < at) => out.push(c),
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    if !entities {
        return out;
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// The text of the cue showing at `t`, if any.
pub fn text_at(cues: &[Cue], t: Timecode) -> Option<&str> {
    cues.iter()
        .find(|c| c.start <= t && t < c.end)
        .map(|c| c.text.as_str())
}

/// Writes cues as WebVTT.
pub fn write_vtt(cues: &[Cue]) -> String {
    let mut out = String::from("WEBVTT\n");
    for cue in cues {
        out.push_str(&format!(
            "\n{} --> {}\n{}\n",
            vtt_time(cue.start),
            vtt_time(cue.end),
            escape_vtt(&cue.text)
        ));
    }
    out
}

/// Writes cues as SRT.
pub fn write_srt(cues: &[Cue]) -> String {
    let mut out = String::new();
    for (n, cue) in cues.iter().enumerate() {
        out.push_str(&format!(
            "{}\n{} --> {}\n{}\n\n",
            n + 1,
            vtt_time(cue.start).replace('.', ","),
            vtt_time(cue.end).replace('.', ","),
            cue.text
        ));
    }
    out
}

/// `HH:MM:SS.mmm`, as WebVTT writes a time.
pub fn vtt_time(t: Timecode) -> String {
    let ms = t.as_millis();
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

fn escape_vtt(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Checks that `cues` are in order and do not overlap; for `--burn`.
pub fn check_order(cues: &[Cue], path: &Path) -> Result<()> {
    for pair in cues.windows(2) {
        if pair[1].start < pair[0].start {
            bail!(
                "`{}`: the cue at {} comes after the one at {}; sort the cues by time",
                path.display(),
                pair[1].start,
                pair[0].start
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_webvtt_with_ids_notes_and_markup() {
        let vtt = "\u{feff}WEBVTT\r\n\r\nNOTE made by hand\r\n\r\n1\r\n00:00:01.000 --> 00:00:04.500 line:90%\r\n<v Orateur>Bonjour &amp; bienvenue\r\nà Niamey\r\n\r\n00:05.000 --> 00:07.000\r\n<i>Merci</i>\r\n";
        let cues = parse_cues(vtt, false).unwrap();
        assert_eq!(cues.len(), 2);
        assert_eq!(cues[0].text, "Bonjour & bienvenue\nà Niamey");
        assert_eq!(
            (cues[0].start.as_millis(), cues[0].end.as_millis()),
            (1000, 4500)
        );
        assert_eq!(cues[1].text, "Merci");
        assert_eq!(
            text_at(&cues, Timecode::from_millis(4_000)),
            Some("Bonjour & bienvenue\nà Niamey")
        );
        assert_eq!(text_at(&cues, Timecode::from_millis(4_600)), None);
    }

    #[test]
    fn reads_srt() {
        let srt =
            "1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\n00:00:03,000 --> 00:00:04,250\nWorld\n";
        let cues = parse_cues(srt, true).unwrap();
        assert_eq!(cues[1].end.as_millis(), 4250);
    }

    #[test]
    fn errors_name_the_line_and_column() {
        let e = parse_cues("WEBVTT\n\n00:00:01.000 --> 00:00:xx\nBonjour\n", false).unwrap_err();
        assert_eq!((e.line, e.column), (3, 18));
        assert!(
            e.message.contains("`00:00:xx` is not a subtitle time"),
            "{}",
            e.message
        );
        let e =
            parse_cues("WEBVTT\n\n 00:0x:01.000 --> 00:00:02.000\nBonjour\n", false).unwrap_err();
        assert_eq!((e.line, e.column), (3, 2));
        let e =
            parse_cues("WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nBonjour\n", false).unwrap_err();
        assert_eq!((e.line, e.column), (3, 18));
        assert!(e.message.contains("ends"), "{}", e.message);
        let e = parse_cues("1\n00:00:01,000 -> 00:00:02,000\nx\n", true).unwrap_err();
        assert_eq!((e.line, e.column), (2, 1));
        assert_eq!(parse_cues("1\n", false).unwrap_err().line, 1);
    }

    /// Lines people never mean to write but files can hold (a paste gone
    /// wrong, a broken export) are read in time linear in their length:
    /// each `<` used to search the rest of its line for a `>`, and this
    /// test took 8 s instead of a few milliseconds. It asserts what is
    /// read, never how long it took: a slower machine is not a failure.
    #[test]
    fn pathological_lines_parse_in_linear_time() {
        const LONG: usize = 400_000;
        let cue = |text: &str| format!("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n{text}\n");
        let read = |text: &str, srt: bool| {
            let file = if srt {
                format!("1\n00:00:01,000 --> 00:00:04,000\n{text}\n")
            } else {
                cue(text)
            };
            let cues = parse_cues(&file, srt).unwrap();
            assert_eq!(cues.len(), 1);
            cues.into_iter().next().unwrap().text
        };
        // `<` that nothing closes is text, in WebVTT and in SRT.
        let opens = "<".repeat(LONG);
        assert_eq!(read(&opens, false), opens);
        assert_eq!(read(&opens, true), opens);
        // Closed once at the very end: one tag, no text.
        assert_eq!(read(&format!("{opens}>"), false), "");
        // Tags left open inside a tag, then closed.
        assert_eq!(read(&format!("{}>", "<b".repeat(LONG / 2)), false), "");
        assert_eq!(read(&"<b>x".repeat(LONG / 4), false), "x".repeat(LONG / 4));
        // Ampersands: text, or entities decoded once.
        let ampersands = "&".repeat(LONG);
        assert_eq!(read(&ampersands, false), ampersands);
        assert_eq!(read(&"&amp;".repeat(LONG / 5), false), "&".repeat(LONG / 5));
        assert_eq!(
            read(&"&amp;lt;".repeat(LONG / 8), false),
            "&lt;".repeat(LONG / 8)
        );
        // Arrows: text inside a cue; where a timing line belongs, an error
        // at the line that quotes only its start.
        let arrows = "-->".repeat(LONG / 3);
        assert_eq!(read(&arrows, false), arrows);
        let e = parse_cues(&format!("WEBVTT\n\n{arrows}\n"), false).unwrap_err();
        assert_eq!((e.line, e.column), (3, 1));
        assert!(e.message.len() < 200, "{}", e.message);
        let e = parse_cues(&format!("WEBVTT\n\n{opens}\nBonjour\n"), false).unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.message.len() < 200, "{}", e.message);
    }

    #[test]
    fn writes_what_it_reads() {
        let cues = vec![Cue {
            start: Timecode::from_millis(1_000),
            end: Timecode::from_millis(3_723_250),
            text: "A < B\nligne 2".into(),
        }];
        let vtt = write_vtt(&cues);
        assert_eq!(
            vtt,
            "WEBVTT\n\n00:00:01.000 --> 01:02:03.250\nA &lt; B\nligne 2\n"
        );
        assert_eq!(parse_cues(&vtt, false).unwrap(), cues);
    }
}
