//! `assets/redactions.toml`: names and patterns that must never reach a
//! transcript, a subtitle or a package (victims, witnesses, case numbers).

use serde::{Deserialize, Serialize};

use super::Located;

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
