//! The practical guide: `assets/guide.toml` lists the chapters (one per
//! country or body) and `assets/guide/<id>.<lang>.md` holds each chapter's
//! text in one language: a TOML front matter with the fact sheet, then prose
//! in Markdown.

use std::fmt;
use std::path::PathBuf;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::{Clearance, Localized, Located};

/// The whole of `assets/guide.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GuideFile {
    /// The guide's title per language.
    #[serde(default)]
    pub title: Localized,
    /// The chapters, in the guide's order.
    #[serde(default, rename = "chapter")]
    pub chapters: Vec<ChapterEntry>,
}

/// One chapter of the guide, as listed in `assets/guide.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChapterEntry {
    /// Unique id; the text is in `assets/guide/<id>.<lang>.md`.
    pub id: Located<String>,
    /// A country, or a regional or international body.
    pub kind: ChapterKind,
    /// ISO 3166-1 alpha-2 code, for countries.
    pub country_code: Option<Located<String>>,
    /// Countries next to it on the migration routes (chapter ids).
    #[serde(default)]
    pub neighbours: Vec<Located<String>>,
    /// Who may see it.
    #[serde(default)]
    pub clearance: Clearance,
    /// A remark on its place in the conference (e.g. observer status), per language.
    #[serde(default)]
    pub note: Localized,
}

/// A country or a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChapterKind {
    /// A state.
    Country,
    /// A regional or international organisation.
    Body,
}

/// The front matter of `assets/guide/<id>.<lang>.md`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChapterFront {
    /// The chapter title in this language.
    pub title: String,
    /// The structured fact sheet.
    #[serde(default)]
    pub facts: FactSheet,
}

/// The fact sheet the conference validates for each country or body.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FactSheet {
    /// The contact structure or agency.
    pub contact_structure: Option<Located<Fact>>,
    /// The supervising ministry.
    pub supervising_ministry: Option<Located<Fact>>,
    /// The mandate.
    pub mandate: Option<Located<Fact>>,
    /// The legal framework.
    pub legal_framework: Option<Located<Fact>>,
    /// The communication chain.
    pub communication_chain: Option<Located<Fact>>,
    /// The referral mechanism.
    pub referral_mechanism: Option<Located<Fact>>,
    /// Key contacts.
    pub key_contacts: Option<Located<Fact>>,
}

/// The fact sheet fields, in the order shown to people.
pub const FACT_FIELDS: [&str; 7] = [
    "contact_structure",
    "supervising_ministry",
    "mandate",
    "legal_framework",
    "communication_chain",
    "referral_mechanism",
    "key_contacts",
];

impl FactSheet {
    /// Each field's name with its value, in [`FACT_FIELDS`] order.
    pub fn fields(&self) -> [(&'static str, Option<&Located<Fact>>); 7] {
        [
            ("contact_structure", self.contact_structure.as_ref()),
            ("supervising_ministry", self.supervising_ministry.as_ref()),
            ("mandate", self.mandate.as_ref()),
            ("legal_framework", self.legal_framework.as_ref()),
            ("communication_chain", self.communication_chain.as_ref()),
            ("referral_mechanism", self.referral_mechanism.as_ref()),
            ("key_contacts", self.key_contacts.as_ref()),
        ]
    }

    /// How many fields hold a fact.
    pub fn filled_count(&self) -> usize {
        self.fields()
            .iter()
            .filter(|(_, f)| matches!(f.map(|f| &**f), Some(Fact::Known(_))))
            .count()
    }
}

/// One fact sheet field: known, or marked for the validation meeting to complete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Fact {
    /// The fact, in Markdown.
    Known(String),
    /// Not known yet; the text says what to ask (`{ to_complete = "..." }`).
    ToComplete {
        /// What is needed to complete it.
        to_complete: String,
    },
}

impl<'de> Deserialize<'de> for Fact {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Fact, D::Error> {
        struct FactVisitor;

        impl<'de> Visitor<'de> for FactVisitor {
            type Value = Fact;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a text, or `{ to_complete = \"what is needed\" }` when the fact is not known yet")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Fact, E> {
                Ok(Fact::Known(v.to_string()))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fact, A::Error> {
                let mut note = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key != "to_complete" {
                        return Err(de::Error::custom(format!(
                            "unknown key `{key}`; a fact is a text or `{{ to_complete = \"what is needed\" }}`"
                        )));
                    }
                    note = Some(map.next_value::<String>()?);
                }
                note.map(|to_complete| Fact::ToComplete { to_complete })
                    .ok_or_else(|| de::Error::missing_field("to_complete"))
            }
        }

        deserializer.deserialize_any(FactVisitor)
    }
}

/// A chapter's text in one language.
#[derive(Debug, Clone)]
pub struct ChapterText {
    /// The language, from the file name.
    pub language: String,
    /// Where it was read from, relative to the project root.
    pub path: PathBuf,
    /// Index of its source in the toolkit, for diagnostics.
    pub source: usize,
    /// The front matter.
    pub front: ChapterFront,
    /// The Markdown after the front matter.
    pub body: String,
}

/// A chapter: its entry in `assets/guide.toml` and its texts.
#[derive(Debug, Clone)]
pub struct Chapter {
    /// The entry.
    pub entry: ChapterEntry,
    /// One text per language found, in the conference's language order.
    pub texts: Vec<ChapterText>,
}

impl Chapter {
    /// The chapter's id.
    pub fn id(&self) -> &str {
        &self.entry.id
    }

    /// The text in `lang`, if written.
    pub fn text(&self, lang: &str) -> Option<&ChapterText> {
        self.texts.iter().find(|t| t.language == lang)
    }
}

/// A Markdown file split into its `+++` TOML front matter and its body.
#[derive(Debug, PartialEq, Eq)]
pub struct FrontMatter<'a> {
    /// The file's text with everything but the front matter blanked out
    /// (newlines kept), so that TOML spans are offsets in the whole file.
    pub toml: String,
    /// The Markdown after the closing `+++`.
    pub body: &'a str,
}

/// Splits `text` at its `+++` fences; `None` when it has no front matter.
pub fn split_front_matter(text: &str) -> Option<FrontMatter<'_>> {
    let text_start = text.strip_prefix('\u{feff}').map_or(0, |_| 3);
    let rest = &text[text_start..];
    let first_line_end = rest.find('\n')?;
    if rest[..first_line_end].trim_end() != "+++" {
        return None;
    }
    let toml_start = text_start + first_line_end + 1;
    let mut offset = toml_start;
    for line in text[toml_start..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let blank = |s: &str| -> String {
                s.bytes()
                    .map(|b| if b == b'\n' { '\n' } else { ' ' })
                    .collect()
            };
            let toml =
                blank(&text[..toml_start]) + &text[toml_start..offset] + &blank(&text[offset..]);
            return Some(FrontMatter {
                toml,
                body: &text[offset + line.len()..],
            });
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_keeps_offsets_of_the_whole_file() {
        let text = "+++\ntitle = \"Niger\"\n+++\n# Présentation\n";
        let fm = split_front_matter(text).unwrap();
        assert_eq!(fm.body, "# Présentation\n");
        assert_eq!(fm.toml.len(), text.len());
        assert_eq!(fm.toml.find("title"), text.find("title"));
        let front: ChapterFront = toml::from_str(&fm.toml).unwrap();
        assert_eq!(front.title, "Niger");
    }

    #[test]
    fn no_front_matter_without_both_fences() {
        assert_eq!(split_front_matter("# Titre\n"), None);
        assert_eq!(split_front_matter("+++\ntitle = \"x\"\n"), None);
    }

    #[test]
    fn facts_are_texts_or_marked_to_complete() {
        let front: ChapterFront = toml::from_str(
            "title = \"Mali\"\n[facts]\nmandate = \"Coordonner\"\nlegal_framework = { to_complete = \"loi à citer\" }\n",
        )
        .unwrap();
        assert_eq!(front.facts.filled_count(), 1);
        assert_eq!(
            *front.facts.legal_framework.unwrap(),
            Fact::ToComplete {
                to_complete: "loi à citer".into()
            }
        );
        let err =
            toml::from_str::<ChapterFront>("title = \"x\"\n[facts]\nmandate = { todo = \"x\" }\n")
                .unwrap_err();
        assert!(err.to_string().contains("unknown key `todo`"), "{err}");
    }
}
