//! XLIFF, the exchange format of translation tools: confkit writes XLIFF 1.2
//! (one `trans-unit` per subtitle, its time in `resname`) and reads back 1.2
//! or 2.0 (`unit` / `segment`, its time in `name`), whichever the
//! translator's tool saves. Errors carry the byte offset of the element at
//! fault, for a line and column.

use std::collections::HashSet;

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// One subtitle to translate.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// Its number in the file, from 1.
    pub id: String,
    /// `HH:MM:SS.mmm --> HH:MM:SS.mmm`, its time in the recording.
    pub time: String,
    /// The text, on one line.
    pub source: String,
    /// The translation, when there is one.
    pub target: Option<String>,
    /// How far the translation has come (`new`, `needs-review-translation`, `final`).
    pub state: Option<String>,
    /// Remarks for the translator (glossary terms).
    pub notes: Vec<String>,
    /// The most characters its translation may have (`maxwidth`), as the
    /// file says.
    pub maxwidth: Option<usize>,
    /// Byte offset of the unit in the file it was read from.
    pub offset: usize,
}

/// The part of an XLIFF file confkit writes and reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The transcript it was made from (`transcripts/<recording>.<lang>.vtt`).
    pub original: String,
    /// The language of the sources.
    pub source_language: String,
    /// The language of the translations.
    pub target_language: String,
    /// A remark for the translator about the whole file.
    pub note: String,
    /// The subtitles in order.
    pub units: Vec<Unit>,
}

/// An error at a byte offset.
#[derive(Debug, Clone, PartialEq)]
pub struct XliffError {
    /// Where in the file.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The document as XLIFF 1.2.
pub fn write(document: &Document) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n");
    out.push_str(&format!(
        "  <file original=\"{}\" source-language=\"{}\" target-language=\"{}\" datatype=\"plaintext\" tool-id=\"confkit\">\n",
        escape(&document.original),
        escape(&document.source_language),
        escape(&document.target_language)
    ));
    out.push_str("    <header>\n");
    out.push_str("      <tool tool-id=\"confkit\" tool-name=\"confkit\"/>\n");
    out.push_str(&format!("      <note>{}</note>\n", escape(&document.note)));
    out.push_str("    </header>\n    <body>\n");
    for unit in &document.units {
        out.push_str(&format!(
            "      <trans-unit id=\"{}\" resname=\"{}\"{} size-unit=\"char\">\n",
            escape(&unit.id),
            escape(&unit.time),
            unit.maxwidth
                .map_or_else(String::new, |width| format!(" maxwidth=\"{width}\""))
        ));
        out.push_str(&format!(
            "        <source>{}</source>\n",
            escape(&unit.source)
        ));
        if let Some(target) = &unit.target {
            let state = unit.state.as_deref().unwrap_or("translated");
            out.push_str(&format!(
                "        <target state=\"{}\">{}</target>\n",
                escape(state),
                escape(target)
            ));
        }
        for note in &unit.notes {
            out.push_str(&format!(
                "        <note from=\"glossary\">{}</note>\n",
                escape(note)
            ));
        }
        out.push_str("      </trans-unit>\n");
    }
    out.push_str("    </body>\n  </file>\n</xliff>\n");
    out
}

/// Reads an XLIFF 1.2 or 2.0 document with one `file`.
pub fn read(text: &str) -> Result<Document, XliffError> {
    let mut reader = Reader::from_str(text);
    let mut document = Document {
        original: String::new(),
        source_language: String::new(),
        target_language: String::new(),
        note: String::new(),
        units: Vec::new(),
    };
    let mut version = None;
    let mut files = 0;
    // The unit being read, and the element whose text is being gathered.
    let mut unit: Option<Unit> = None;
    let mut gathering: Option<(&'static str, String)> = None;
    let mut depth_in_target = 0usize;
    loop {
        let offset = reader.buffer_position() as usize;
        // The reader's position may fall inside a character (it skips a
        // byte-order mark on its own terms): no space to skip then.
        let at = offset + text.get(offset..).map_or(0, leading_space);
        let event = reader.read_event().map_err(|e| XliffError {
            offset: reader.error_position() as usize,
            message: format!("this is not well-formed XML: {e}"),
        })?;
        match event {
            Event::Start(e) | Event::Empty(e) if gathering.is_some() => {
                // Inline markup inside a source or target (`<g>`, `<mrk>`, `<x/>`): keep its text only.
                if matches!(
                    local(&e).as_str(),
                    "g" | "mrk" | "pc" | "sc" | "ec" | "x" | "ph"
                ) {
                    depth_in_target += 1;
                } else {
                    return Err(XliffError {
                        offset: at,
                        message: format!("`<{}>` is not expected inside a text", local(&e)),
                    });
                }
            }
            Event::Start(e) => match local(&e).as_str() {
                "xliff" => {
                    let attributes = Attributes::read(&e, at)?;
                    let v = attributes.get("version")?.unwrap_or_default();
                    if v != "1.2" && !v.starts_with("2.") {
                        return Err(XliffError {
                            offset: at,
                            message: format!(
                                "XLIFF version `{v}` is not supported: confkit reads 1.2 and 2.x"
                            ),
                        });
                    }
                    if let Some(source) = attributes.get("srcLang")? {
                        document.source_language = source;
                    }
                    if let Some(target) = attributes.get("trgLang")? {
                        document.target_language = target;
                    }
                    version = Some(v);
                }
                "file" => {
                    files += 1;
                    if files > 1 {
                        return Err(XliffError {
                            offset: at,
                            message: "the document holds more than one `<file>`: confkit exports one recording per document".into(),
                        });
                    }
                    let attributes = Attributes::read(&e, at)?;
                    document.original = attributes.get("original")?.unwrap_or_default();
                    if let Some(source) = attributes.get("source-language")? {
                        document.source_language = source;
                    }
                    if let Some(target) = attributes.get("target-language")? {
                        document.target_language = target;
                    }
                }
                "trans-unit" | "unit" => {
                    let attributes = Attributes::read(&e, at)?;
                    let id = attributes.get("id")?.unwrap_or_default();
                    let time = match attributes.get("resname")? {
                        Some(time) => Some(time),
                        None => attributes.get("name")?,
                    };
                    let maxwidth = attributes
                        .get("maxwidth")?
                        .and_then(|w| w.trim().parse().ok());
                    unit = Some(Unit {
                        id,
                        time: time.unwrap_or_default(),
                        source: String::new(),
                        target: None,
                        state: None,
                        notes: Vec::new(),
                        maxwidth,
                        offset: at,
                    });
                }
                "source" if unit.is_some() => gathering = Some(("source", String::new())),
                "target" if unit.is_some() => {
                    let state = Attributes::read(&e, at)?.get("state")?;
                    if let (Some(unit), Some(state)) = (unit.as_mut(), state) {
                        unit.state = Some(state);
                    }
                    gathering = Some(("target", String::new()));
                }
                "note" if unit.is_some() => gathering = Some(("note", String::new())),
                "segment" => {
                    let state = Attributes::read(&e, at)?.get("state")?;
                    if let (Some(unit), Some(state)) = (unit.as_mut(), state) {
                        unit.state = Some(state);
                    }
                }
                _ => {}
            },
            Event::Empty(e) if local(&e) == "target" => {
                if let Some(unit) = unit.as_mut() {
                    unit.target = Some(String::new());
                }
            }
            Event::Text(t) => {
                if let Some((_, text)) = gathering.as_mut() {
                    let piece = t.unescape().map_err(|e| XliffError {
                        offset: at,
                        message: format!("a character reference is wrong: {e}"),
                    })?;
                    text.push_str(&piece);
                }
            }
            Event::CData(t) => {
                if let Some((_, text)) = gathering.as_mut() {
                    text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if depth_in_target > 0 {
                    depth_in_target -= 1;
                    continue;
                }
                match name.as_str() {
                    "source" | "target" | "note" => {
                        if let (Some((kind, text)), Some(unit)) = (gathering.take(), unit.as_mut())
                        {
                            let text = one_line(&text);
                            match kind {
                                "source" => unit.source = text,
                                "target" => unit.target = Some(text),
                                _ => unit.notes.push(text),
                            }
                        }
                    }
                    "trans-unit" | "unit" => document.units.extend(unit.take()),
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if version.is_none() {
        return Err(XliffError {
            offset: 0,
            message: "this is not an XLIFF document: it has no `<xliff version=...>` element"
                .into(),
        });
    }
    if files == 0 {
        return Err(XliffError {
            offset: 0,
            message: "the document holds no `<file>`".into(),
        });
    }
    Ok(document)
}

/// The element's name without its namespace prefix.
fn local(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).into_owned()
}

/// The attributes of one element, each read once. quick-xml's own check
/// for a repeated attribute compares each one with all those before it,
/// and looking up each attribute read them all again: an element with tens
/// of thousands of attributes took time quadratic in its length.
struct Attributes<'e> {
    element: String,
    at: usize,
    all: Vec<Attribute<'e>>,
}

impl<'e> Attributes<'e> {
    /// Reads the attributes of `e`, found at byte `at`; a repeated one is an error.
    fn read(e: &'e BytesStart<'_>, at: usize) -> Result<Attributes<'e>, XliffError> {
        let element = local(e);
        let mut seen = HashSet::new();
        let mut all = Vec::new();
        for attribute in e.attributes().with_checks(false) {
            let attribute = attribute.map_err(|err| XliffError {
                offset: at,
                message: format!("an attribute of `<{element}>` is wrong: {err}"),
            })?;
            if !seen.insert(attribute.key.into_inner()) {
                return Err(XliffError {
                    offset: at,
                    message: format!(
                        "`<{element}>` has the attribute `{}` twice",
                        String::from_utf8_lossy(attribute.key.as_ref())
                    ),
                });
            }
            all.push(attribute);
        }
        Ok(Attributes { element, at, all })
    }

    /// The value of the attribute `name` (without its namespace prefix).
    fn get(&self, name: &str) -> Result<Option<String>, XliffError> {
        let Some(attribute) = self
            .all
            .iter()
            .find(|a| a.key.local_name().as_ref() == name.as_bytes())
        else {
            return Ok(None);
        };
        let value = attribute.unescape_value().map_err(|err| XliffError {
            offset: self.at,
            message: format!(
                "the value of `{name}` in `<{}>` is wrong: {err}",
                self.element
            ),
        })?;
        Ok(Some(value.into_owned()))
    }
}

fn leading_space(text: &str) -> usize {
    text.len() - text.trim_start().len()
}

/// Text on one line, its runs of white space made single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Document {
        Document {
            original: "transcripts/day1-opening.fr.vtt".into(),
            source_language: "fr".into(),
            target_language: "en".into(),
            note: "Séance d'ouverture".into(),
            units: vec![
                Unit {
                    id: "1".into(),
                    time: "00:00:01.000 --> 00:00:03.500".into(),
                    source: "La traite des personnes & le <trafic> « illicite »".into(),
                    target: None,
                    state: None,
                    notes: vec!["traite des personnes = trafficking in persons".into()],
                    maxwidth: Some(84),
                    offset: 0,
                },
                Unit {
                    id: "2".into(),
                    time: "00:00:04.000 --> 00:00:06.000".into(),
                    source: "CEDEAO".into(),
                    target: Some("ECOWAS".into()),
                    state: Some("needs-review-translation".into()),
                    notes: Vec::new(),
                    maxwidth: None,
                    offset: 0,
                },
            ],
        }
    }

    #[test]
    fn what_is_written_reads_back() {
        let written = write(&sample());
        let mut read_back = read(&written).unwrap();
        for unit in &mut read_back.units {
            unit.offset = 0;
        }
        let mut expected = sample();
        expected.note = String::new();
        assert_eq!(read_back, expected);
    }

    #[test]
    fn xliff_2_with_inline_markup_reads() {
        let text = r#"<?xml version="1.0"?>
<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="fr" trgLang="en">
  <file id="f1" original="transcripts/x.fr.vtt">
    <unit id="1" name="00:00:01.000 --> 00:00:02.000">
      <segment state="final">
        <source>Bonjour</source>
        <target>Good <pc id="b">morning</pc>
           everyone</target>
      </segment>
    </unit>
  </file>
</xliff>"#;
        let document = read(text).unwrap();
        assert_eq!(document.source_language, "fr");
        assert_eq!(document.target_language, "en");
        assert_eq!(document.units.len(), 1);
        assert_eq!(
            document.units[0].target.as_deref(),
            Some("Good morning everyone")
        );
        assert_eq!(document.units[0].time, "00:00:01.000 --> 00:00:02.000");
        assert_eq!(document.units[0].state.as_deref(), Some("final"));
    }

    /// An element with 50,000 attributes (400 kB) reads in time linear in
    /// its length: each attribute used to be compared with every one
    /// before it, once per attribute looked up, and this test would run
    /// for minutes. A repeated attribute is still refused.
    #[test]
    fn an_element_with_very_many_attributes_reads_in_linear_time() {
        let many: String = (0..50_000).map(|n| format!(" a{n}=\"\"")).collect();
        let text = format!(
            "<xliff version=\"1.2\"{many}><file original=\"x\"{many}><body><trans-unit id=\"1\"{many}><source{many}>Bonjour &amp;{}</source></trans-unit></body></file></xliff>",
            "&amp;".repeat(80_000)
        );
        let document = read(&text).unwrap();
        assert_eq!(document.original, "x");
        assert_eq!(document.units.len(), 1);
        assert_eq!(document.units[0].time, "");
        assert_eq!(
            document.units[0].source,
            format!("Bonjour &{}", "&".repeat(80_000))
        );
        let error = read("<xliff version=\"1.2\" version=\"2.0\"></xliff>").unwrap_err();
        assert!(error.message.contains("`version` twice"), "{error:?}");
    }

    #[test]
    fn broken_xml_names_where() {
        let text =
            "<xliff version=\"1.2\">\n  <file original=\"a\">\n    <body>\n  </file>\n</xliff>";
        let error = read(text).unwrap_err();
        assert!(error.message.contains("not well-formed"), "{error:?}");
        assert!(error.offset > 20, "{error:?}");
        let error = read("<html></html>").unwrap_err();
        assert!(error.message.contains("not an XLIFF"), "{error:?}");
    }
}
