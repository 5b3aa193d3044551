//! Checks of the glossary and the redaction list.

use std::collections::BTreeMap;

use super::{Checker, Wanted};

pub(super) fn check(c: &mut Checker<'_>) {
    let src = c.tk.files.glossary;
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (n, term) in c.tk.glossary.iter().enumerate() {
        let label = term.text.get_or_any("fr").cloned().unwrap_or_default();
        let owner = format!("glossary term `{label}`");
        c.localized(
            src,
            term.span(),
            &owner,
            "text",
            &term.text,
            Wanted::EveryLanguage,
        );
        c.localized(
            src,
            term.span(),
            &owner,
            "expansion",
            &term.expansion,
            Wanted::Optional,
        );
        for lang in term.text.languages() {
            let text = term
                .text
                .get(lang)
                .map(|t| t.trim().to_lowercase())
                .unwrap_or_default();
            if text.is_empty() {
                c.error(
                    src,
                    term.span(),
                    format!("{owner}: `text.{lang}` is empty"),
                    "write the term, or remove the language",
                );
                continue;
            }
            if let Some(first) = seen.insert((lang.to_string(), text.clone()), n) {
                let _ = first;
                c.warning(
                    src,
                    term.span(),
                    format!("the glossary lists `{text}` ({lang}) twice"),
                    "merge the two entries, or tell them apart in `note`",
                );
            }
        }
    }

    let src = c.tk.files.redactions;
    for name in &c.tk.redactions.names {
        if name.text.trim().chars().count() < 2 {
            c.error(
                src,
                name.text.span(),
                "a redacted name is empty or one character long".into(),
                "write the whole name; a short one would blank out ordinary words",
            );
        }
    }
    check_manual_spans(c);
    for pattern in &c.tk.redactions.patterns {
        if let Err(e) = regex::Regex::new(&pattern.regex) {
            let reason = e
                .to_string()
                .lines()
                .last()
                .unwrap_or_default()
                .trim()
                .to_string();
            c.error(
                src,
                pattern.regex.span(),
                format!("redaction pattern `{}` is not a valid regular expression: {reason}", pattern.regex.as_str()),
                "see https://docs.rs/regex/latest/regex/#syntax; in TOML, write patterns in single quotes so that `\\d` stays as it is",
            );
        } else if regex::Regex::new(&pattern.regex).is_ok_and(|r| r.is_match("")) {
            c.error(
                src,
                pattern.regex.span(),
                format!(
                    "redaction pattern `{}` matches empty text",
                    pattern.regex.as_str()
                ),
                "make the pattern match at least one character",
            );
        }
    }
}

/// Each span listed by hand names a recording and fits inside it: a span
/// that misses its recording would bleep nothing, silently.
fn check_manual_spans(c: &mut Checker<'_>) {
    let src = c.tk.files.redactions;
    for span in &c.tk.redactions.spans {
        let Some(recording) = c.tk.recording(&span.recording) else {
            let known: Vec<String> = c.tk.recordings.iter().map(|r| r.id.to_string()).collect();
            c.error(
                src,
                span.recording.span(),
                format!(
                    "the span to bleep names unknown recording `{}`",
                    span.recording.as_str()
                ),
                &format!(
                    "use one of the ids of `assets/recordings.toml`: {}",
                    known.join(", ")
                ),
            );
            continue;
        };
        if *span.end <= *span.start {
            c.error(
                src,
                span.end.span(),
                format!(
                    "the span to bleep ends ({}) before it starts ({})",
                    *span.end, *span.start
                ),
                "`end` must come after `start`",
            );
        }
        let length =
            c.tk.headers
                .get(recording.id.as_str())
                .and_then(|h| h.duration);
        if let Some(length) = length.filter(|&l| *span.start >= l) {
            c.error(
                src,
                span.start.span(),
                format!(
                    "the span to bleep starts at {} but recording `{}` lasts {length}",
                    *span.start,
                    recording.id.as_str()
                ),
                "give the time on the recording's own timeline (hh:mm:ss.mmm)",
            );
        }
    }
}
