//! What the two languages must agree on at the same moment: numbers and
//! dates, acronyms, and the glossary's terms. "13,800 deaths" in English
//! against "3 000 et 800" in French is a mistake in one of them.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use super::flags::{language_name, Flag, FlagKind};
use crate::privacy::numbers::spoken_numbers;
use crate::project::{mentions, Term};
use crate::subtitles::Cue;

/// The other language is searched this far either side of a cue: cues of
/// two languages split a sentence at different places.
const WINDOW_MS: u64 = 3_000;

/// Digits, with the thousands grouped by a space, a narrow space, a comma
/// or a full stop ("13 800", "13,800"), or plain ("2014", "0417").
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d{1,3}(?:[ \u{a0}\u{202f},.]\d{3})+(?:[.,]\d+)?\b|\d+(?:[.,]\d+)?").unwrap()
});

/// Two or more capitals, with digits or hyphenated parts: ECOWAS, ANLTP-TIM.
static ACRONYM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\p{Lu}[\p{Lu}\d]+(?:-[\p{Lu}\d]+)*\b").unwrap());

/// The numbers a text says, in digits or in words, as plain digits with
/// the thousands joined ("13800"); number words below ten ("un", "a",
/// "one") are left out, they are as often articles as numbers.
pub fn numbers(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for m in NUMBER.find_iter(text) {
        let number = m.as_str();
        let value = if is_grouped(number) {
            number.chars().filter(char::is_ascii_digit).collect()
        } else {
            // A decimal: "62,5" and "62.5" are the same.
            number.replace(',', ".")
        };
        found.insert(value.trim_start_matches('0').to_string());
    }
    let folded = crate::privacy::fold::Folded::new(text);
    let words: Vec<&str> = folded
        .text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    for (first, end, digits) in spoken_numbers(&words) {
        let small = end - first == 1 && digits.len() == 1;
        if !small {
            found.insert(digits.trim_start_matches('0').to_string());
        }
    }
    found.remove("");
    found
}

/// True when separators in `number` group thousands ("13,800", "185 051")
/// rather than mark decimals ("62,5").
fn is_grouped(number: &str) -> bool {
    let parts: Vec<&str> = number
        .split([' ', '\u{a0}', '\u{202f}', ',', '.'])
        .collect();
    parts.len() > 1 && parts[1..].iter().all(|p| p.len() == 3)
}

/// The acronyms of a text, each once.
fn acronyms(text: &str) -> Vec<&str> {
    let mut found: Vec<&str> = Vec::new();
    for m in ACRONYM.find_iter(text) {
        if !found.contains(&m.as_str()) {
            found.push(m.as_str());
        }
    }
    found
}

/// The other language's text around `cue`; `None` when it says nothing
/// there, so that nothing can be compared.
fn around(cue: &Cue, other: &[Cue]) -> Option<String> {
    let from = cue.start.as_millis().saturating_sub(WINDOW_MS);
    let to = cue.end.as_millis() + WINDOW_MS;
    let text: Vec<String> = other
        .iter()
        .filter(|o| o.end.as_millis() >= from && o.start.as_millis() <= to)
        .map(|o| o.text.replace('\n', " "))
        .collect();
    (!text.is_empty()).then(|| text.join(" "))
}

/// Flags for each cue of `cues` (in `language`) that says a number, an
/// acronym or a glossary term which `other` (in `other_language`, on the
/// same timeline) does not say around it.
pub fn disagreements(
    language: &str,
    cues: &[Cue],
    other_language: &str,
    other: &[Cue],
    glossary: &[&Term],
) -> Vec<(usize, Flag)> {
    let terms: Vec<&Term> = glossary
        .iter()
        .copied()
        .filter(|t| t.text.get(language).is_some() && t.text.get(other_language).is_some())
        .collect();
    let other_name = language_name(other_language);
    let mut flags = Vec::new();
    for (i, cue) in cues.iter().enumerate() {
        let Some(there) = around(cue, other) else {
            continue;
        };
        let text = cue.text.replace('\n', " ");
        let theirs = numbers(&there);
        let missing: Vec<String> = numbers(&text)
            .into_iter()
            .filter(|n| !theirs.contains(n))
            .collect();
        if !missing.is_empty() {
            let said: Vec<&String> = theirs.iter().collect();
            flags.push((
                i,
                Flag::new(
                    FlagKind::NumberMismatch,
                    format!(
                        "says {}; the {other_name} at the same time says {}",
                        missing.join(", "),
                        if said.is_empty() {
                            "no number".to_string()
                        } else {
                            said.iter()
                                .map(|s| s.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        }
                    ),
                ),
            ));
        }
        for acronym in acronyms(&text) {
            if terms.iter().any(|t| t.said_in(acronym, language)) {
                continue; // the glossary check below knows its pair
            }
            if !mentions(&there, acronym) {
                flags.push((
                    i,
                    Flag::new(
                        FlagKind::AcronymMismatch,
                        format!("says {acronym}; the {other_name} at the same time does not"),
                    ),
                ));
            }
        }
        for term in &terms {
            if term.said_in(&text, language) && !term.said_in(&there, other_language) {
                flags.push((
                    i,
                    Flag::new(
                        FlagKind::Glossary,
                        format!(
                            "says \u{201c}{}\u{201d}; the {other_name} at the same time does not say \u{201c}{}\u{201d} (assets/glossary.toml)",
                            term.text.get(language).map_or("", |s| s.as_str()),
                            term.text.get(other_language).map_or("", |s| s.as_str())
                        ),
                    ),
                ));
            }
        }
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timecode::Timecode;

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn numbers_are_read_the_same_in_both_languages() {
        assert_eq!(
            numbers("avec plus de 13 800 décès enregistrés depuis 2014"),
            set(&["13800", "2014"])
        );
        assert_eq!(
            numbers("with more than 13,800 deaths recorded since 2014"),
            set(&["13800", "2014"])
        );
        assert_eq!(numbers("62 % (185 051)"), set(&["62", "185051"]));
        assert_eq!(numbers("62 percent (185,051)"), set(&["62", "185051"]));
        assert_eq!(numbers("3 000 et 800"), set(&["3000", "800"]));
        assert_eq!(numbers("l'ordonnance 2010-86"), set(&["2010", "86"]));
        assert_eq!(numbers("une jeune femme, a young woman"), set(&[]));
        assert_eq!(numbers("treize mille huit cents"), set(&["13800"]));
    }

    fn cue(start: u64, text: &str) -> Cue {
        Cue {
            start: Timecode::from_millis(start),
            end: Timecode::from_millis(start + 3_000),
            text: text.into(),
        }
    }

    #[test]
    fn a_number_said_differently_is_flagged_on_both_sides() {
        let fr = [cue(0, "plus de 3 000 et 800 décès depuis 2014")];
        let en = [cue(2_000, "more than 13,800 deaths since 2014")];
        let flags = disagreements("fr", &fr, "en", &en, &[]);
        assert_eq!(flags.len(), 1, "{flags:?}");
        assert_eq!(flags[0].1.kind, FlagKind::NumberMismatch);
        assert!(
            flags[0].1.reason.contains("3000, 800"),
            "{}",
            flags[0].1.reason
        );
        assert!(flags[0].1.reason.contains("13800"), "{}", flags[0].1.reason);
        let flags = disagreements("en", &en, "fr", &fr, &[]);
        assert_eq!(flags.len(), 1, "{flags:?}");
    }

    #[test]
    fn agreeing_cues_are_not_flagged() {
        let fr = [cue(0, "62 % (185 051) des migrants, selon l'ANLTP-TIM")];
        let en = [cue(
            500,
            "62 percent (185,051) of migrants, according to ANLTP-TIM",
        )];
        assert!(disagreements("fr", &fr, "en", &en, &[]).is_empty());
        // Nothing said in the other language: nothing to compare.
        let later = [cue(60_000, "Thank you.")];
        assert!(disagreements("fr", &fr, "en", &later, &[]).is_empty());
    }
}
