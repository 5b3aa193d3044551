//! Text redaction: the names and patterns of `assets/redactions.toml`
//! replaced wherever text is shipped (transcripts, subtitles, guide pages,
//! module pages, package files).

use std::ops::Range;

use anyhow::{Context, Result};
use regex::{Regex, RegexBuilder};

use crate::project::RedactionsFile;
use crate::text::edit_distance;

/// The redaction list, compiled.
#[derive(Debug, Clone)]
pub struct Redactor {
    replacement: String,
    /// Each name as lower-case letters and digits, to spot a misspelt one.
    names: Vec<(String, String)>,
    /// One expression per name or pattern, with what it stands for.
    rules: Vec<(Regex, String)>,
}

/// A redacted span found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Byte range in the text.
    pub range: Range<usize>,
    /// The name, or `pattern REGEX`, that matched.
    pub rule: String,
}

impl Redactor {
    /// Compiles the list; names match whole words without regard to case,
    /// patterns as written (also without regard to case).
    pub fn new(file: &RedactionsFile) -> Result<Redactor> {
        let mut rules = Vec::new();
        let mut names = Vec::new();
        for name in &file.names {
            let words: Vec<String> = name.text.split_whitespace().map(regex::escape).collect();
            if words.is_empty() {
                continue;
            }
            // Any run of spaces (or a line break in a subtitle) between the words.
            let expression = format!(r"\b{}\b", words.join(r"\s+"));
            let regex = RegexBuilder::new(&expression)
                .case_insensitive(true)
                .build()
                .with_context(|| format!("the redacted name `{}`", name.text.as_str()))?;
            rules.push((regex, name.text.to_string()));
            names.push((letters(&name.text), name.text.to_string()));
        }
        for pattern in &file.patterns {
            let regex = RegexBuilder::new(&pattern.regex)
                .case_insensitive(true)
                .build()
                .with_context(|| format!("the redaction pattern `{}`", pattern.regex.as_str()))?;
            rules.push((regex, format!("pattern {}", pattern.regex.as_str())));
        }
        Ok(Redactor {
            replacement: file.replacement.clone(),
            names,
            rules,
        })
    }

    /// True when the list is empty.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Every redacted span in `text`, in order, overlapping ones merged.
    pub fn find(&self, text: &str) -> Vec<Finding> {
        let mut findings: Vec<Finding> = self
            .rules
            .iter()
            .flat_map(|(regex, rule)| {
                regex.find_iter(text).map(move |m| Finding {
                    range: m.range(),
                    rule: rule.clone(),
                })
            })
            .collect();
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

    /// Runs of `words` that look like a redacted name misspelt, as a speech
    /// model writes a name it does not know ("Aminabelo" for "Amina
    /// Bello"): (first word, last word + 1, the name). Exact matches are
    /// [`Redactor::find`]'s.
    pub fn near_misses(&self, words: &[&str]) -> Vec<(usize, usize, String)> {
        let mut found: Vec<(usize, usize, String)> = Vec::new();
        for (name, original) in &self.names {
            let n = name.chars().count();
            if n < 6 {
                continue;
            }
            let tolerance = n / 5;
            let longest = original.split_whitespace().count() + 2;
            for first in 0..words.len() {
                if found.iter().any(|(a, b, _)| (*a..*b).contains(&first)) {
                    continue;
                }
                let mut joined = String::new();
                for (last, word) in words.iter().enumerate().take(first + longest).skip(first) {
                    joined.push_str(&letters(word));
                    if joined.chars().count() > n + tolerance {
                        break;
                    }
                    if joined.chars().count() + tolerance >= n
                        && edit_distance(&joined, name) <= tolerance
                    {
                        found.push((first, last + 1, original.clone()));
                        break;
                    }
                }
            }
        }
        found.sort();
        found
    }

    /// `text` with every redacted span replaced.
    pub fn redact(&self, text: &str) -> String {
        let findings = self.find(text);
        if findings.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for finding in findings {
            out.push_str(&text[at..finding.range.start]);
            out.push_str(&self.replacement);
            at = finding.range.end;
        }
        out.push_str(&text[at..]);
        out
    }
}

/// Lower-case letters and digits only.
fn letters(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
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

    #[test]
    fn a_misspelt_name_is_spotted() {
        let r = redactor();
        let words = [
            "call",
            "Aminabelo,",
            "one",
            "Amina",
            "Belo",
            "and",
            "Aminata",
        ];
        assert_eq!(
            r.near_misses(&words),
            [
                (1, 2, "Amina Bello".to_string()),
                (3, 5, "Amina Bello".to_string())
            ]
        );
        assert!(r.near_misses(&["the", "border", "post"]).is_empty());
    }
}
