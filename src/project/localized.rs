//! Text written once per conference language (`title.fr = "..."`,
//! `title.en = "..."`): titles, objectives, questions, trainer notes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A value per language code, e.g. `{ fr = "Traite des personnes", en = "Trafficking in persons" }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Localized<T = String>(BTreeMap<String, T>);

impl<T> Localized<T> {
    /// The value in `lang`, if written.
    pub fn get(&self, lang: &str) -> Option<&T> {
        self.0.get(lang)
    }

    /// The value in the first of `langs` that has one.
    pub fn first_of<'a>(&self, langs: impl IntoIterator<Item = &'a str>) -> Option<&T> {
        langs.into_iter().find_map(|l| self.get(l))
    }

    /// The value in `lang`, else in any language (for a fallback display).
    pub fn get_or_any(&self, lang: &str) -> Option<&T> {
        self.get(lang).or_else(|| self.0.values().next())
    }

    /// The language codes written.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// True when no language is written.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Of `expected`, the languages that have no value.
    pub fn missing<'a>(&self, expected: &'a [String]) -> Vec<&'a str> {
        expected
            .iter()
            .filter(|l| !self.0.contains_key(l.as_str()))
            .map(String::as_str)
            .collect()
    }

    /// The written languages that are not in `expected`.
    pub fn unexpected<'a>(&'a self, expected: &[String]) -> Vec<&'a str> {
        self.languages()
            .filter(|l| !expected.iter().any(|e| e == l))
            .collect()
    }
}

impl<T> FromIterator<(String, T)> for Localized<T> {
    fn from_iter<I: IntoIterator<Item = (String, T)>>(iter: I) -> Self {
        Localized(iter.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dotted_keys_and_reports_gaps() {
        #[derive(Deserialize)]
        struct T {
            title: Localized,
        }
        let t: T = toml::from_str("title.fr = \"Bonjour\"\ntitle.de = \"Hallo\"").unwrap();
        let langs = vec!["fr".to_string(), "en".to_string()];
        assert_eq!(t.title.get("fr").map(String::as_str), Some("Bonjour"));
        assert_eq!(t.title.missing(&langs), vec!["en"]);
        assert_eq!(t.title.unexpected(&langs), vec!["de"]);
        assert_eq!(t.title.get_or_any("en").map(String::as_str), Some("Hallo"));
    }
}
