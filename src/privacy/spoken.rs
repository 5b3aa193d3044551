//! Redaction of what the speech model wrote, which does not spell a name or
//! a case number the way the redaction list does: "Aminabelo", "a mina
//! bello" or "Amina Belo" for Amina Bello; "any 2020-0417" or "deux mille
//! vingt, zéro quatre un sept" for NE 2020 0417. Names are compared by
//! letters and by sound; patterns are loosened so that their digits are
//! what counts (letters may be heard as any word, separators as any pause),
//! and numbers said in words are read as digits first. A false alarm bleeps
//! a word too many; a miss ships a victim's name.

use std::ops::Range;

use regex::{Regex, RegexBuilder};
use regex_syntax::ast::{self, Ast, ClassSet, ClassSetItem};

use super::fold::Folded;
use super::numbers::spoken_numbers;
use crate::text::edit_distance;

/// The spoken forms of the redaction list.
#[derive(Debug, Clone, Default)]
pub struct SpokenMatcher {
    /// Each name as letters only, as a sound key, and as written.
    names: Vec<(String, String, String)>,
    /// Each pattern loosened for speech, with what it stands for.
    patterns: Vec<(Regex, String)>,
}

impl SpokenMatcher {
    /// The spoken forms of `names` and `patterns`.
    pub fn new<'a>(
        names: impl IntoIterator<Item = &'a str>,
        patterns: impl IntoIterator<Item = &'a str>,
    ) -> SpokenMatcher {
        let names = names
            .into_iter()
            .map(|name| {
                let letters = letters(name);
                (letters.clone(), sound_key(&letters), name.to_string())
            })
            .filter(|(letters, _, _)| !letters.is_empty())
            .collect();
        let patterns = patterns
            .into_iter()
            .filter_map(|pattern| Some((loosen(pattern)?, format!("pattern {pattern}"))))
            .collect();
        SpokenMatcher { names, patterns }
    }

    /// Runs of `words` (as the model wrote them) that say a listed name or
    /// pattern: (first word, last word + 1, what matched), sorted.
    pub fn find(&self, words: &[&str]) -> Vec<(usize, usize, String)> {
        let mut found = self.near_names(words);
        found.extend(self.loose_patterns(words));
        found.sort();
        found.dedup();
        found
    }

    /// Runs of words whose letters, or whose sound, are those of a name,
    /// within a fifth of its length.
    fn near_names(&self, words: &[&str]) -> Vec<(usize, usize, String)> {
        let letters: Vec<String> = words.iter().map(|w| letters(w)).collect();
        let mut found = Vec::new();
        for (name, key, original) in &self.names {
            let n = name.chars().count();
            // Short names would match ordinary words: only exact matches then.
            let tolerance = if n < 6 { 0 } else { n / 5 };
            let longest = original.split_whitespace().count() + 2;
            for first in 0..words.len() {
                let inside = found.iter().any(|(a, b, f): &(usize, usize, String)| {
                    f == original && (*a..*b).contains(&first)
                });
                if letters[first].is_empty() || inside {
                    continue;
                }
                let mut joined = String::new();
                for (last, word) in letters.iter().enumerate().take(first + longest).skip(first) {
                    joined.push_str(word);
                    let length = joined.chars().count();
                    if length > n + tolerance + 2 {
                        break;
                    }
                    let close = (length + tolerance >= n
                        && length <= n + tolerance
                        && edit_distance(&joined, name) <= tolerance)
                        || edit_distance(&sound_key(&joined), key) <= tolerance / 2
                        || misheard_long_name(&joined, name, key);
                    if close {
                        found.push((first, last + 1, original.clone()));
                        break;
                    }
                }
            }
        }
        found
    }

    /// Runs of words where a loosened pattern matches, once numbers said
    /// in words are read as digits.
    fn loose_patterns(&self, words: &[&str]) -> Vec<(usize, usize, String)> {
        if self.patterns.is_empty() {
            return Vec::new();
        }
        let folded: Vec<String> = words.iter().map(|w| Folded::new(w).text).collect();
        let plain: Vec<&str> = folded.iter().map(String::as_str).collect();
        let numbers = spoken_numbers(&plain);
        // The text the patterns see, and for each of its bytes the word.
        let mut text = String::new();
        let mut word_at: Vec<usize> = Vec::new();
        let mut i = 0;
        let mut last_was_number = false;
        while i < plain.len() {
            let number = numbers.iter().find(|(start, _, _)| *start == i);
            let (piece, end, is_number) = match number {
                Some((_, end, digits)) => (digits.as_str(), *end, true),
                None => (
                    plain[i],
                    i + 1,
                    !plain[i].is_empty() && plain[i].bytes().all(|b| b.is_ascii_digit()),
                ),
            };
            // Digits said in groups ("twenty twenty") are one number.
            let same_number = is_number && last_was_number;
            if !text.is_empty() && !same_number {
                text.push(' ');
            }
            text.push_str(piece);
            word_at.resize(text.len(), i);
            last_was_number = is_number;
            i = end;
        }
        let mut found = Vec::new();
        for (regex, rule) in &self.patterns {
            for m in regex.find_iter(&text) {
                if m.as_str().trim().is_empty() {
                    continue;
                }
                let words = words_of(&word_at, m.range(), &numbers);
                found.push((words.start, words.end, rule.clone()));
            }
        }
        found
    }
}

/// The words that the bytes `range` of the pattern text come from, whole
/// number phrases included.
fn words_of(
    word_at: &[usize],
    range: Range<usize>,
    numbers: &[(usize, usize, String)],
) -> Range<usize> {
    let first = word_at[range.start];
    let last = word_at[range.end.saturating_sub(1).max(range.start)];
    let start = numbers
        .iter()
        .find(|(s, e, _)| (*s..*e).contains(&first))
        .map_or(first, |(s, _, _)| *s);
    let end = numbers
        .iter()
        .find(|(s, e, _)| (*s..*e).contains(&last))
        .map_or(last + 1, |(_, e, _)| *e);
    start..end
}

/// `pattern` as speech may write it: a literal letter becomes any word
/// (`\p{L}*`), a literal separator or a class of separators becomes any
/// run of spaces and punctuation. `None` when the pattern says no digit
/// (loosened, it would match anything) or cannot be read.
pub fn loosen(pattern: &str) -> Option<Regex> {
    let parsed = ast::parse::Parser::new().parse(pattern).ok()?;
    let mut replacements: Vec<(Range<usize>, &str)> = Vec::new();
    let mut has_digit = false;
    collect_loose(&parsed, &mut replacements, &mut has_digit);
    if !has_digit {
        return None;
    }
    replacements.sort_by_key(|(r, _)| r.start);
    // A match starts at a word, not inside one.
    let mut loose = String::from(r"\b");
    let mut at = 0;
    for (range, with) in replacements {
        if range.start < at {
            continue;
        }
        loose.push_str(&pattern[at..range.start]);
        loose.push_str(with);
        at = range.end;
    }
    loose.push_str(&pattern[at..]);
    let regex = RegexBuilder::new(&loose)
        .case_insensitive(true)
        .build()
        .ok()?;
    (!regex.is_match("") && !regex.is_match(" ")).then_some(regex)
}

/// A letter of a pattern, heard as a word ("NE" as "any", "N E" as "en e").
const ANY_WORD: &str = r"(?:\b\p{L}{1,4}\b\s?)?";
const ANY_PAUSE: &str = r"(?:[\s\p{P}]*)";

fn collect_loose(node: &Ast, out: &mut Vec<(Range<usize>, &'static str)>, has_digit: &mut bool) {
    let span = |s: &ast::Span| s.start.offset..s.end.offset;
    match node {
        Ast::Literal(literal) => {
            let c = literal.c;
            if c.is_ascii_digit() {
                *has_digit = true;
            } else if c.is_alphabetic() {
                out.push((span(&literal.span), ANY_WORD));
            } else if c.is_whitespace() || c.is_ascii_punctuation() {
                out.push((span(&literal.span), ANY_PAUSE));
            }
        }
        Ast::ClassPerl(class) if class.kind == ast::ClassPerlKind::Digit && !class.negated => {
            *has_digit = true;
        }
        Ast::ClassBracketed(class) if !class.negated => {
            let mut chars = Vec::new();
            if !class_chars(&class.kind, &mut chars) {
                *has_digit = true;
                return;
            }
            if chars.iter().any(char::is_ascii_digit) {
                *has_digit = true;
            } else if chars
                .iter()
                .all(|c| c.is_whitespace() || c.is_ascii_punctuation())
            {
                out.push((span(&class.span), ANY_PAUSE));
            } else if chars.iter().all(|c| c.is_alphabetic()) {
                out.push((span(&class.span), ANY_WORD));
            }
        }
        Ast::Repetition(repetition) => collect_loose(&repetition.ast, out, has_digit),
        Ast::Group(group) => collect_loose(&group.ast, out, has_digit),
        Ast::Alternation(alternation) => {
            for ast in &alternation.asts {
                collect_loose(ast, out, has_digit);
            }
        }
        Ast::Concat(concat) => {
            for ast in &concat.asts {
                collect_loose(ast, out, has_digit);
            }
        }
        _ => {}
    }
}

/// The characters of a simple bracketed class (literals and ranges, the
/// ends of ranges standing for them); false when it holds anything else.
fn class_chars(set: &ClassSet, out: &mut Vec<char>) -> bool {
    fn item_chars(item: &ClassSetItem, out: &mut Vec<char>) -> bool {
        match item {
            ClassSetItem::Literal(literal) => {
                out.push(literal.c);
                true
            }
            ClassSetItem::Range(range) => {
                out.extend([range.start.c, range.end.c]);
                true
            }
            ClassSetItem::Union(union) => union.items.iter().all(|i| item_chars(i, out)),
            _ => false,
        }
    }
    match set {
        ClassSet::Item(item) => item_chars(item, out),
        ClassSet::BinaryOp(_) => false,
    }
}

/// Lower-case letters and digits only, accents and disguises folded.
pub fn letters(text: &str) -> String {
    Folded::new(text)
        .text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// A long name the model heard with its vowels and one consonant wrong
/// ("Aminemelo" for "Amina Bello"): within a third of its letters, and its
/// consonants, as they sound, but one the same.
fn misheard_long_name(joined: &str, name: &str, key: &str) -> bool {
    let consonants = |key: &str| -> String {
        key.chars()
            .filter(|c| !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u'))
            .collect()
    };
    let (n, theirs) = (name.chars().count(), consonants(key));
    n >= 9
        && theirs.chars().count() >= 4
        && edit_distance(joined, name) <= n / 3
        && edit_distance(&consonants(&sound_key(joined)), &theirs) <= 1
}

/// How a run of letters sounds, roughly, in French and English: the
/// spellings of one sound written alike, doubled letters and silent ones
/// dropped ("Bellow", "Belo" and "Bello" give one key).
pub fn sound_key(letters: &str) -> String {
    let mut text = letters.to_string();
    for (from, to) in [
        ("eau", "o"),
        ("ph", "f"),
        ("qu", "k"),
        ("ck", "k"),
        ("ch", "x"),
        ("sh", "x"),
        ("th", "t"),
        ("ou", "u"),
        ("oo", "u"),
        ("ee", "i"),
        ("ea", "i"),
        ("ai", "e"),
        ("ei", "e"),
        ("au", "o"),
        ("ow", "o"),
        ("gu", "g"),
    ] {
        text = text.replace(from, to);
    }
    let mut key = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let mapped = match c {
            'h' => continue,
            'w' => 'v',
            'y' => 'i',
            'z' => 's',
            'q' | 'k' => 'k',
            'c' if matches!(next, Some('e' | 'i' | 'y')) => 's',
            'c' => 'k',
            'x' => 'x',
            other => other,
        };
        if key.ends_with(mapped) {
            continue;
        }
        key.push(mapped);
    }
    // A silent final e ("Belle").
    if key.len() > 3 && key.ends_with('e') {
        key.pop();
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher() -> SpokenMatcher {
        SpokenMatcher::new(["Amina Bello"], [r"NE[ -]?\d{4}[ -]?\d{4}"])
    }

    fn said(words: &str) -> Vec<String> {
        let words: Vec<&str> = words.split_whitespace().collect();
        matcher()
            .find(&words)
            .into_iter()
            .map(|(a, b, _)| words[a..b].join(" "))
            .collect()
    }

    #[test]
    fn a_name_is_found_however_the_model_spelt_it() {
        assert_eq!(said("call her Aminabelo, please"), ["Aminabelo,"]);
        assert_eq!(said("que nous appellerons a mina bello"), ["a mina bello"]);
        assert_eq!(said("Amina Belo was found"), ["Amina Belo"]);
        assert_eq!(said("Ameena Bellow was found"), ["Ameena Bellow"]);
        assert_eq!(said("Aminà Bèllo."), ["Aminà Bèllo."]);
        assert!(said("the border post at Niamey").is_empty());
        assert!(said("Aminata Diallo").is_empty());
        // As the model heard the sample's English interpreter.
        assert_eq!(
            said("whom we will call Aminemelo, one I meant"),
            ["Aminemelo,"]
        );
        assert!(said("an animal bellowed at the border").is_empty());
        assert!(said("the migrants were mentioned").is_empty());
    }

    #[test]
    fn a_case_number_is_found_in_digits_or_in_words() {
        assert_eq!(said("number: any 2020-0417."), ["any 2020-0417."]);
        assert_eq!(said("le numéro NE 2020 0417."), ["NE 2020 0417."]);
        assert_eq!(said("dossier 2020 0417"), ["2020 0417"]);
        assert_eq!(
            said("numéro N E deux mille vingt zéro quatre cent dix-sept"),
            ["N E deux mille vingt zéro quatre cent dix-sept"]
        );
        assert_eq!(
            said("is N E twenty twenty oh four one seven"),
            ["N E twenty twenty oh four one seven"]
        );
        assert!(said("in 2021 we met 400 officers").is_empty());
    }

    #[test]
    fn a_pattern_without_digits_is_not_loosened() {
        assert!(loosen("Bello").is_none());
        assert!(loosen(r"[A-Z]+").is_none());
        assert!(loosen(r"NE-\d+").is_some());
    }

    #[test]
    fn spellings_of_one_sound_share_a_key() {
        assert_eq!(sound_key("bellow"), sound_key("belo"));
        assert_eq!(sound_key("ameena"), sound_key("amina"));
        assert_eq!(sound_key("philippe"), sound_key("filipe"));
    }
}
