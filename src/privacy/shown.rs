//! The text a reader is shown, which is not the text a file holds: a TOML
//! string may spell a letter as `\u0041`, and Markdown emphasis or a link
//! may sit between the words of a name. Each piece of shown text keeps the
//! byte offset it starts at in the file, so that a name found in it is
//! reported at its line.

use pulldown_cmark::{Event, Parser, TagEnd};

/// The strings of a TOML file as its reader gets them, escapes decoded,
/// each with the offset of its value in the file. Empty when the file does
/// not parse (that is reported elsewhere).
pub fn toml_strings(text: &str) -> Vec<(usize, String)> {
    let Ok(document) = toml_edit::ImDocument::parse(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    table_strings(document.as_table(), &mut out);
    out
}

fn table_strings(table: &toml_edit::Table, out: &mut Vec<(usize, String)>) {
    for (_, item) in table.iter() {
        item_strings(item, out);
    }
}

fn item_strings(item: &toml_edit::Item, out: &mut Vec<(usize, String)>) {
    match item {
        toml_edit::Item::Value(value) => value_strings(value, out),
        toml_edit::Item::Table(table) => table_strings(table, out),
        toml_edit::Item::ArrayOfTables(tables) => {
            for table in tables.iter() {
                table_strings(table, out);
            }
        }
        toml_edit::Item::None => {}
    }
}

fn value_strings(value: &toml_edit::Value, out: &mut Vec<(usize, String)>) {
    match value {
        toml_edit::Value::String(string) => {
            let at = value.span().map_or(0, |s| s.start);
            out.push((at, string.value().clone()));
        }
        toml_edit::Value::Array(array) => {
            for v in array.iter() {
                value_strings(v, out);
            }
        }
        toml_edit::Value::InlineTable(table) => {
            for (_, v) in table.iter() {
                value_strings(v, out);
            }
        }
        _ => {}
    }
}

/// The text of a Markdown document as rendered, one piece per block, its
/// inline text joined whatever markup stands between, each with the offset
/// where the block's text starts.
pub fn markdown_blocks(text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut block: Option<(usize, String)> = None;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::Html(t) => {
                block
                    .get_or_insert_with(|| (range.start, String::new()))
                    .1
                    .push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, b)) = &mut block {
                    b.push(' ');
                }
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::HtmlBlock,
            ) => out.extend(block.take()),
            _ => {}
        }
    }
    out.extend(block);
    out
}

/// The text of an HTML page as a browser shows it: tags dropped without a
/// trace (so that `Amina <em>Bel</em>lo` reads as the name it shows; words
/// of two blocks run together, which can only find more), character
/// references read, then the attribute values (titles, alternative text,
/// links) after it. Script and style are kept as text: a name must not hide
/// there either.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut attributes = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        push_decoded(&rest[..open], &mut out);
        match rest[open..].find('>') {
            Some(close) => {
                let tag = &rest[open + 1..open + close];
                for value in tag.split(['"', '\'']).skip(1).step_by(2) {
                    attributes.push('\n');
                    push_decoded(value, &mut attributes);
                }
                rest = &rest[open + close + 1..];
            }
            None => {
                push_decoded(&rest[open..], &mut out);
                rest = "";
            }
        }
    }
    push_decoded(rest, &mut out);
    out.push_str(&attributes);
    out
}

/// The words of `html` as a reader sees them, each block apart from the
/// next (inline tags join, as [`html_text`] does): what a search index of
/// the page holds, and no more.
pub fn html_words(html: &str) -> String {
    const INLINE: [&str; 12] = [
        "a", "abbr", "b", "code", "em", "i", "mark", "small", "span", "strong", "sub", "sup",
    ];
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        push_decoded(&rest[..open], &mut out);
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[open + 1..open + close].trim_start_matches('/');
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if !INLINE.contains(&name.as_str()) {
            out.push(' ');
        }
        rest = &rest[open + close + 1..];
    }
    push_decoded(rest, &mut out);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` with its character references (`&amp;`, `&#233;`, `&#x41;`) read.
fn push_decoded(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[..e];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                "shy" => '\u{AD}',
                _ => {
                    let number = name.strip_prefix('#')?;
                    let value = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(value)?
                }
            };
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_words_keep_blocks_apart_and_inline_runs_together() {
        assert_eq!(
            html_words("<h2 id=\"s-1\">Cadre</h2><p>Mme A&#109;ina <em>Bel</em>lo &amp; co</p><td>a</td><td>b</td>"),
            "Cadre Mme Amina Bello & co a b"
        );
    }

    #[test]
    fn toml_escapes_are_decoded() {
        let strings = toml_strings("[a]\ntitle = \"\\u0041mina\"\nlist = ['x', \"B\\u0065llo\"]\n");
        assert_eq!(
            strings,
            [
                (12, "Amina".to_string()),
                (33, "x".to_string()),
                (38, "Bello".to_string())
            ]
        );
    }

    #[test]
    fn html_is_read_as_shown() {
        assert_eq!(
            html_text("<p>Mme A&#109;ina <em>Bel</em>&#x6C;o &amp; co</p>"),
            "Mme Amina Bello & co"
        );
        assert!(html_text("<img alt=\"Amina\">").contains("Amina"));
    }

    #[test]
    fn markdown_markup_between_words_is_gone() {
        let blocks = markdown_blocks("# Title\n\nMme [Amina](x) *Bello*, `a`.\n");
        assert_eq!(blocks[1], (9, "Mme Amina Bello, a.".to_string()));
    }
}
