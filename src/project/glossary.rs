//! `assets/glossary.toml`: the conference's terms in each language, used as
//! the speech model's prompt, to check terminology, and for translators.

use serde::{Deserialize, Serialize};

use super::{Localized, Located};

/// The whole of `assets/glossary.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryFile {
    /// One entry per term.
    #[serde(default, rename = "term")]
    pub terms: Vec<Located<Term>>,
}

/// A term and its equivalents.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The term in each language (`fr = "traite des personnes"`, `en = "trafficking in persons"`).
    pub text: Localized,
    /// The spelled-out form of an acronym, per language.
    #[serde(default)]
    pub expansion: Localized,
    /// A remark for translators.
    #[serde(default)]
    pub note: Option<String>,
}
