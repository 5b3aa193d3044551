//! The guide's state, chapter by chapter, for the meeting that validates it:
//! which fact sheet fields are filled, which are marked to complete, which
//! are absent, and which languages the chapter lacks.

use serde::Serialize;

use crate::project::{ChapterKind, Fact, Toolkit, FACT_FIELDS};

/// The state of one fact sheet field in one chapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldState {
    /// Filled in every language the chapter has.
    Filled,
    /// Marked `to_complete` in at least one language.
    ToComplete,
    /// Not in the front matter at all.
    Absent,
}

/// One row of the table.
#[derive(Debug, Serialize)]
pub struct ChapterRow {
    /// The chapter's id.
    pub id: String,
    /// Country or body.
    pub kind: &'static str,
    /// Each field, in the fact sheet's order.
    pub fields: Vec<(&'static str, FieldState)>,
    /// How many fields are filled.
    pub filled: usize,
    /// The conference languages it has a text in.
    pub languages: Vec<String>,
    /// The conference languages it has no text in.
    pub missing_languages: Vec<String>,
}

/// The table, in the guide's order.
pub fn guide_status(toolkit: &Toolkit) -> Vec<ChapterRow> {
    toolkit
        .chapters
        .iter()
        .map(|chapter| {
            let fields: Vec<(&'static str, FieldState)> = FACT_FIELDS
                .iter()
                .enumerate()
                .map(|(n, name)| {
                    let states: Vec<Option<&Fact>> = chapter
                        .texts
                        .iter()
                        .map(|t| t.front.facts.fields()[n].1.map(|f| &**f))
                        .collect();
                    let state = if states.is_empty() || states.iter().all(Option::is_none) {
                        FieldState::Absent
                    } else if states.iter().all(|s| matches!(s, Some(Fact::Known(_)))) {
                        FieldState::Filled
                    } else {
                        FieldState::ToComplete
                    };
                    (*name, state)
                })
                .collect();
            let languages: Vec<String> = chapter.texts.iter().map(|t| t.language.clone()).collect();
            ChapterRow {
                id: chapter.id().to_string(),
                kind: match chapter.entry.kind {
                    ChapterKind::Country => "country",
                    ChapterKind::Body => "body",
                },
                filled: fields
                    .iter()
                    .filter(|(_, s)| *s == FieldState::Filled)
                    .count(),
                fields,
                missing_languages: toolkit
                    .languages()
                    .iter()
                    .filter(|l| !languages.contains(l))
                    .cloned()
                    .collect(),
                languages,
            }
        })
        .collect()
}

/// The table as text: one line per chapter, one column per field
/// (`x` filled, `?` to complete, `-` absent).
pub fn write_table(rows: &[ChapterRow], out: &mut String) {
    use std::fmt::Write;
    let _ = writeln!(
        out,
        "{:<20} {:<8} {}  filled  languages",
        "chapter",
        "kind",
        (1..=FACT_FIELDS.len())
            .map(|n| n.to_string())
            .collect::<String>()
    );
    for row in rows {
        let cells: String = row
            .fields
            .iter()
            .map(|(_, state)| match state {
                FieldState::Filled => 'x',
                FieldState::ToComplete => '?',
                FieldState::Absent => '-',
            })
            .collect();
        let missing = if row.missing_languages.is_empty() {
            String::new()
        } else {
            format!(" (missing: {})", row.missing_languages.join(", "))
        };
        let _ = writeln!(
            out,
            "{:<20} {:<8} {cells}  {}/{}     {}{missing}",
            row.id,
            row.kind,
            row.filled,
            FACT_FIELDS.len(),
            row.languages.join("+"),
        );
    }
    let _ = writeln!(out, "\nfields: x filled, ? to complete, - absent");
    for (n, name) in FACT_FIELDS.iter().enumerate() {
        let _ = writeln!(out, "  {} {}", n + 1, name.replace('_', " "));
    }
}
