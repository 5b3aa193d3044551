//! Text as the redaction list sees it. A name can be disguised without
//! changing what a reader sees: a zero-width space or a soft hyphen inside
//! it, accents (precomposed or combining), a Cyrillic or Greek letter that
//! looks Latin, full-width letters, odd case. Folding removes all of that:
//! compatibility decomposition (NFKD), combining marks and format
//! characters dropped, confusable letters mapped to their Latin look-alike
//! (Unicode's confusables, UTS #39), lower case. Every folded byte remembers
//! which bytes of the original it came from, so that a match in the folded
//! text redacts the right part of the original.

use std::ops::Range;

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// A text folded for matching, with the way back to the original.
#[derive(Debug, Clone)]
pub struct Folded {
    /// The folded text.
    pub text: String,
    /// For each byte of `text`, the byte range of the original character it
    /// comes from.
    origin: Vec<Range<usize>>,
}

impl Folded {
    /// Folds `original`.
    pub fn new(original: &str) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len());
        let mut pieces = Vec::new();
        for (at, c) in original.char_indices() {
            let range = at..at + c.len_utf8();
            pieces.clear();
            fold_char(c, &mut pieces);
            for piece in &pieces {
                let before = text.len();
                text.push(*piece);
                origin.extend(std::iter::repeat_n(range.clone(), text.len() - before));
            }
        }
        Folded { text, origin }
    }

    /// The range of the original text that the folded `range` comes from.
    pub fn original(&self, range: Range<usize>) -> Range<usize> {
        if range.is_empty() || range.start >= self.origin.len() {
            let at = self
                .origin
                .get(range.start)
                .map_or_else(|| self.origin.last().map_or(0, |r| r.end), |r| r.start);
            return at..at;
        }
        let last = (range.end - 1).min(self.origin.len() - 1);
        self.origin[range.start].start..self.origin[last].end
    }
}

/// One character folded: nothing for a character that shows nothing.
fn fold_char(c: char, out: &mut Vec<char>) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    if is_invisible(c) {
        return;
    }
    let mut decomposed = Vec::new();
    decompose_compatible(c, |d| decomposed.push(d));
    for d in decomposed {
        if is_combining_mark(d) || is_invisible(d) {
            continue;
        }
        if d.is_ascii() {
            out.push(d.to_ascii_lowercase());
            continue;
        }
        match look_alike(d) {
            Some(latin) => out.extend(latin.chars().flat_map(char::to_lowercase)),
            None => out.extend(d.to_lowercase()),
        }
    }
}

/// Characters that change nothing a reader sees: format characters (zero
/// width spaces and joiners, soft hyphen, direction marks, the byte-order
/// mark, invisible operators), variation selectors, the combining grapheme
/// joiner, and the fillers some scripts use as blanks.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}' | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// The Latin letters a letter of another script is drawn like, from
/// Unicode's confusables table; `None` when it is not confusable with Latin.
fn look_alike(c: char) -> Option<String> {
    if !c.is_alphabetic() {
        return None;
    }
    let mut buffer = [0u8; 4];
    let skeleton: String = unicode_security::skeleton(c.encode_utf8(&mut buffer)).collect();
    (skeleton != c.to_string() && skeleton.chars().all(|s| s.is_ascii_alphabetic()))
        .then_some(skeleton)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(text: &str) -> String {
        Folded::new(text).text
    }

    #[test]
    fn disguises_that_show_the_same_name_fold_alike() {
        for disguised in [
            "Amina Bello",
            "AMINA BELLO",
            "Ami\u{200B}na Bello",
            "Ami\u{00AD}na Bel\u{2060}lo",
            "Aminà Bèllo",
            "Amina\u{0300} Be\u{0301}llo",
            "\u{0410}mina Bello",
            "Amin\u{0430} B\u{0435}llo",
            "Ａｍｉｎａ Ｂｅｌｌｏ",
        ] {
            assert_eq!(fold(disguised), "amina bello", "{disguised:?}");
        }
    }

    #[test]
    fn digits_and_punctuation_are_kept() {
        assert_eq!(fold("NE 2020-0417, l’État"), "ne 2020-0417, l’etat");
    }

    #[test]
    fn a_folded_range_maps_back_to_the_original_bytes() {
        let original = "Mme \u{0410}mi\u{200B}nà B.";
        let folded = Folded::new(original);
        let start = folded.text.find("amina").unwrap();
        let range = folded.original(start..start + "amina".len());
        assert_eq!(&original[range], "\u{0410}mi\u{200B}nà");
    }
}
