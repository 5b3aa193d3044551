//! `assets/redactions.toml`: names and patterns that must never reach a
//! transcript, a subtitle or a package (victims, witnesses, case numbers).

use serde::{Deserialize, Serialize};

use super::Located;
use crate::timecode::Timecode;

/// The whole of `assets/redactions.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RedactionsFile {
    /// What replaces a redacted span in text.
    #[serde(default = "default_replacement")]
    pub replacement: String,
    /// Exact names, matched without regard to case.
    #[serde(default, rename = "name")]
    pub names: Vec<RedactedName>,
    /// Regular expressions (e.g. case numbers).
    #[serde(default, rename = "pattern")]
    pub patterns: Vec<RedactedPattern>,
    /// Spans of recordings bleeped by hand, in every audio version.
    #[serde(default, rename = "span")]
    pub spans: Vec<RedactedSpan>,
}

fn default_replacement() -> String {
    "[…]".into()
}

impl Default for RedactionsFile {
    fn default() -> RedactionsFile {
        RedactionsFile {
            replacement: default_replacement(),
            names: Vec::new(),
            patterns: Vec::new(),
            spans: Vec::new(),
        }
    }
}

/// A name to redact.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RedactedName {
    /// The name as it may be written.
    pub text: Located<String>,
    /// Why (kept in the project, never shipped).
    #[serde(default)]
    pub reason: Option<String>,
}

/// A pattern to redact.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RedactedPattern {
    /// A regular expression (Rust `regex` syntax).
    pub regex: Located<String>,
    /// Why (kept in the project, never shipped).
    #[serde(default)]
    pub reason: Option<String>,
}

/// A span of a recording to bleep whatever its transcripts say: a name
/// nobody could match, a detail that identifies someone.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RedactedSpan {
    /// The recording's id.
    pub recording: Located<String>,
    /// Start, on the recording's timeline.
    pub start: Located<Timecode>,
    /// End, on the recording's timeline.
    pub end: Located<Timecode>,
    /// Why (kept in the project, never shipped).
    #[serde(default)]
    pub reason: Option<String>,
}
