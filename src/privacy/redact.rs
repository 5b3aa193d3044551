//! Text redaction: the names and patterns of `assets/redactions.toml`
//! replaced wherever text is shipped (transcripts, subtitles, guide pages,
//! module pages, package files).

use std::ops::Range;

use anyhow::{Context, Result};
use regex::{Regex, RegexBuilder};

use super::fold::Folded;
use super::spoken::SpokenMatcher;
use crate::project::RedactionsFile;

/// The redaction list, compiled.
#[derive(Debug, Clone)]
pub struct Redactor {
    replacement: String,
    /// One expression per name, matched on folded text, with the name.
    names: Vec<(Regex, String)>,
    /// One expression per pattern, matched on the text as written and
    /// folded, with what it stands for.
    patterns: Vec<(Regex, String)>,
    /// The names and patterns as speech may write them.
    spoken: SpokenMatcher,
}

/// A redacted span found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Byte range in the text.
    pub range: Range<usize>,
    /// The name, or `pattern REGEX`, that matched.
    pub rule: String,
}

/// `text` without Markdown's emphasis marks, and for each of its bytes the
/// byte of `text` it comes from.
fn without_emphasis(text: &str) -> (String, Vec<usize>) {
    let mut plain = String::with_capacity(text.len());
    let mut at = Vec::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if matches!(c, '*' | '_' | '~' | '`') {
            continue;
        }
        plain.push(c);
        at.extend(i..i + c.len_utf8());
    }
    (plain, at)
}

/// What may stand between the words of a name and still show it: spaces,
/// line breaks, hyphens, Markdown emphasis, punctuation, or nothing.
const BETWEEN_WORDS: &str = r"[^\p{L}\p{N}]*";

impl Redactor {
    /// Compiles the list; names match whole words without regard to case,
    /// accents, invisible characters, look-alike letters or what separates
    /// their words; patterns as written (also without regard to case).
    pub fn new(file: &RedactionsFile) -> Result<Redactor> {
        let mut names = Vec::new();
        for name in &file.names {
            let folded = Folded::new(&name.text);
            let words: Vec<String> = folded
                .text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(regex::escape)
                .collect();
            if words.is_empty() {
                continue;
            }
            let expression = words.join(BETWEEN_WORDS);
            let regex = RegexBuilder::new(&expression)
                .case_insensitive(true)
                .build()
                .with_context(|| format!("the redacted name `{}`", name.text.as_str()))?;
            names.push((regex, name.text.to_string()));
        }
        let mut patterns = Vec::new();
        for pattern in &file.patterns {
            let regex = RegexBuilder::new(&pattern.regex)
                .case_insensitive(true)
                .build()
                .with_context(|| format!("the redaction pattern `{}`", pattern.regex.as_str()))?;
            patterns.push((regex, format!("pattern {}", pattern.regex.as_str())));
        }
        let spoken = SpokenMatcher::new(
            file.names.iter().map(|n| n.text.as_str()),
            file.patterns.iter().map(|p| p.regex.as_str()),
        );
        Ok(Redactor {
            replacement: file.replacement.clone(),
            names,
            patterns,
            spoken,
        })
    }

    /// True when the list is empty.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && self.patterns.is_empty()
    }

    /// Every redacted span in `text`, in order, overlapping ones merged.
    pub fn find(&self, text: &str) -> Vec<Finding> {
        let folded = Folded::new(text);
        let mut findings = Vec::new();
        for (regex, rule) in &self.names {
            for range in whole_words(regex, &folded.text) {
                findings.push(Finding {
                    range: folded.original(range),
                    rule: rule.clone(),
                });
            }
        }
        for (regex, rule) in &self.patterns {
            for m in regex.find_iter(&folded.text) {
                findings.push(Finding {
                    range: folded.original(m.range()),
                    rule: rule.clone(),
                });
            }
        }
        for (regex, rule) in &self.patterns {
            for m in regex.find_iter(text) {
                findings.push(Finding {
                    range: m.range(),
                    rule: rule.clone(),
                });
            }
        }
        // Emphasis marks between the parts of a number ("**NE** 2020-0417").
        let (plain, at) = without_emphasis(&folded.text);
        for (regex, rule) in &self.patterns {
            for m in regex.find_iter(&plain).filter(|m| !m.is_empty()) {
                findings.push(Finding {
                    range: folded.original(at[m.start()]..at[m.end() - 1] + 1),
                    rule: rule.clone(),
                });
            }
        }
        merge(findings)
    }

    /// Runs of `words`, as a speech model wrote them, that say a listed
    /// name or pattern however it was spelt: (first word, last word + 1,
    /// what matched).
    pub fn find_spoken(&self, words: &[&str]) -> Vec<(usize, usize, String)> {
        self.spoken.find(words)
    }

    /// Every redacted span in the text of a transcript or subtitle: what
    /// [`Redactor::find`] finds, and names and numbers as speech writes them.
    pub fn find_in_speech(&self, text: &str) -> Vec<Finding> {
        let mut findings = self.find(text);
        let words: Vec<(usize, &str)> = text
            .split_whitespace()
            .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
            .collect();
        let plain: Vec<&str> = words.iter().map(|(_, w)| *w).collect();
        // The words' letters, not the punctuation around them.
        let inner = |word: &str| {
            let lead = word.len()
                - word
                    .trim_start_matches(|c: char| !c.is_alphanumeric())
                    .len();
            let trail = word.len() - word.trim_end_matches(|c: char| !c.is_alphanumeric()).len();
            (lead, word.len().saturating_sub(trail).max(lead))
        };
        for (first, last, rule) in self.spoken.find(&plain) {
            let (at, word) = words[first];
            let start = at + inner(word).0;
            let (at, word) = words[last - 1];
            findings.push(Finding {
                range: start..(at + inner(word).1).max(start),
                rule,
            });
        }
        merge(findings)
    }

    /// `text` with every redacted span replaced.
    pub fn redact(&self, text: &str) -> String {
        self.replace(text, self.find(text))
    }

    /// The text of a transcript or subtitle with every redacted span
    /// replaced, names and numbers as speech writes them included.
    pub fn redact_speech(&self, text: &str) -> String {
        self.replace(text, self.find_in_speech(text))
    }

    /// Subtitle texts redacted as one: a name split over two neighbouring
    /// subtitles is found across the break, and each part replaced.
    pub fn redact_subtitles(&self, texts: &[String]) -> Vec<String> {
        let mut joined = String::new();
        let mut ranges = Vec::with_capacity(texts.len());
        for text in texts {
            if !joined.is_empty() {
                joined.push('\n');
            }
            ranges.push(joined.len()..joined.len() + text.len());
            joined.push_str(text);
        }
        let findings = self.find_in_speech(&joined);
        ranges
            .iter()
            .zip(texts)
            .map(|(range, text)| {
                let inside: Vec<Finding> = findings
                    .iter()
                    .filter(|f| f.range.start < range.end && f.range.end > range.start)
                    .map(|f| Finding {
                        range: f.range.start.max(range.start) - range.start
                            ..f.range.end.min(range.end) - range.start,
                        rule: f.rule.clone(),
                    })
                    .collect();
                self.replace(text, inside)
            })
            .collect()
    }

    fn replace(&self, text: &str, findings: Vec<Finding>) -> String {
        if findings.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for finding in findings {
            if finding.range.is_empty() {
                continue;
            }
            out.push_str(&text[at..finding.range.start]);
            out.push_str(&self.replacement);
            at = finding.range.end;
        }
        out.push_str(&text[at..]);
        out
    }
}

/// The matches of `regex` in `text` that are whole words: no letter or
/// digit just before or after (an underscore or an asterisk is not part of
/// a name, whatever `\b` says).
fn whole_words(regex: &Regex, text: &str) -> Vec<Range<usize>> {
    let alphanumeric = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(m) = regex.find_at(text, at) {
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        if !alphanumeric(before) && !alphanumeric(after) && !m.is_empty() {
            found.push(m.range());
            at = m.end();
        } else {
            at = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
        }
        if at >= text.len() {
            break;
        }
    }
    found
}

/// Findings sorted, overlapping ones joined.
fn merge(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by_key(|f| (f.range.start, std::cmp::Reverse(f.range.end)));
    let mut merged: Vec<Finding> = Vec::new();
    for finding in findings {
        match merged.last_mut() {
            Some(last) if finding.range.start < last.range.end => {
                last.range.end = last.range.end.max(finding.range.end);
            }
            _ => merged.push(finding),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::{Located, RedactedName, RedactedPattern};

    fn redactor() -> Redactor {
        Redactor::new(&RedactionsFile {
            replacement: "[…]".into(),
            names: vec![RedactedName {
                text: Located::new("Amina Bello".into(), 0..0),
                reason: None,
            }],
            patterns: vec![RedactedPattern {
                regex: Located::new(r"NE[ -]?\d{4}[ -]?\d{4}".into(), 0..0),
                reason: None,
            }],
            spans: Vec::new(),
        })
        .unwrap()
    }

    #[test]
    fn names_and_patterns_are_replaced_across_case_and_line_breaks() {
        let r = redactor();
        assert_eq!(
            r.redact("Mme AMINA\nBello, dossier ne-2020-0142."),
            "Mme […], dossier […]."
        );
        assert_eq!(r.redact("Aminata Bellow"), "Aminata Bellow");
        assert_eq!(r.find("x amina bello").len(), 1);
    }

    /// A reviewer's name, a title: Markdown emphasis split across a number.
    #[test]
    fn emphasis_inside_a_number_does_not_hide_it() {
        let r = redactor();
        assert_eq!(r.redact("by **NE** 2020-0417, then"), "by **[…], then");
        assert_eq!(r.redact("dossier N_E_ 2020 `0417`."), "dossier […]`.");
        assert_eq!(
            r.redact("**bold** and 2020 alone"),
            "**bold** and 2020 alone"
        );
    }

    #[test]
    fn disguised_names_are_found() {
        let r = redactor();
        for disguised in [
            "Ami\u{200B}na Bello",
            "Ami\u{00AD}na Bello",
            "Aminà Bello",
            "Amina\u{0300} Bello",
            "\u{0410}mina Bello",
            "Amina-Bello",
            "AminaBello",
            "Amina *Bello*",
            "**Amina** _Bello_",
            "Amina\u{00A0}Bello",
        ] {
            let text = format!("Mme {disguised}, présente.");
            let redacted = r.redact(&text);
            assert!(redacted.contains("[…]"), "{disguised:?}");
            let left = Folded::new(&redacted).text;
            assert!(
                !left.contains("amina") && !left.contains("bello"),
                "{disguised:?} gave {redacted:?}"
            );
        }
    }

    #[test]
    fn a_name_split_over_two_subtitles_is_redacted_in_both() {
        let r = redactor();
        let texts = [
            "que nous appellerons Amina".to_string(),
            "Bello, a été".to_string(),
        ];
        assert_eq!(
            r.redact_subtitles(&texts),
            ["que nous appellerons […]", "[…], a été"]
        );
    }

    #[test]
    fn speech_spellings_are_redacted_in_transcripts() {
        let r = redactor();
        assert_eq!(
            r.redact_speech("call Aminabelo, her number any 2020-0417."),
            "call […], her number […]."
        );
    }
}
