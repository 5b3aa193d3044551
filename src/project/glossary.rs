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

impl Term {
    /// True when `text` says the term in `language`, or its spelled-out form.
    pub fn said_in(&self, text: &str, language: &str) -> bool {
        [self.text.get(language), self.expansion.get(language)]
            .into_iter()
            .flatten()
            .any(|phrase| mentions(text, phrase))
    }
}

/// True when `text` holds `phrase` as whole words, ignoring case.
pub fn mentions(text: &str, phrase: &str) -> bool {
    let (text, phrase) = (text.to_lowercase(), phrase.trim().to_lowercase());
    if phrase.is_empty() {
        return false;
    }
    text.match_indices(&phrase).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn terms_are_found_as_whole_words() {
        assert!(mentions("Le rôle de l'OIM au Niger", "oim"));
        assert!(mentions(
            "La Traite des personnes, enfin.",
            "traite des personnes"
        ));
        assert!(!mentions("Les passeurs", "passeur"));
        assert!(!mentions("anything", ""));
    }
}
