//! A guide chapter's page: its fact sheet, each field known or marked as
//! to be completed, then its text with anchors for search results.

use anyhow::{Context, Result};
use minijinja::{context, Environment, Value};

use super::Site;
use crate::guide::markdown::to_html;
use crate::package::labels::Labels;
use crate::project::{Chapter, Fact};

impl Site<'_> {
    pub(super) fn chapter(
        &self,
        env: &Environment<'_>,
        chapter: &Chapter,
        language: &str,
        ui: &Labels,
    ) -> Result<String> {
        let text = chapter.text(language).context("the chapter's text")?;
        let facts: Vec<Value> = text
            .front
            .facts
            .fields()
            .iter()
            .map(|(name, fact)| {
                let (html, missing) = match fact.map(|f| &**f) {
                    Some(Fact::Known(known)) => (to_html(known, self.redactor), String::new()),
                    Some(Fact::ToComplete { to_complete }) => (String::new(), self.r(to_complete)),
                    None => (String::new(), String::new()),
                };
                context! { label => fact_label(name, language), html, missing }
            })
            .collect();
        let id = chapter.id().to_string();
        let switch = self.switch(language, |l| {
            chapter.text(l).map(|_| format!("{id}.{l}.html"))
        });
        let title = self.r(&text.front.title);
        Ok(env.get_template("chapter.html")?.render(context! {
            ..self.base(language, ui, "../", title),
            ..context! {
                note => self.r(chapter.entry.note.get_or_any(language).map_or("", String::as_str)),
                facts,
                body => crate::package::search::with_heading_ids(&to_html(&text.body, self.redactor)),
                switch,
            },
        })?)
    }
}

/// A fact sheet field's label.
fn fact_label(field: &str, language: &str) -> &'static str {
    let en = language == "en";
    match field {
        "contact_structure" => {
            if en {
                "Contact structure or agency"
            } else {
                "Structure ou agence de contact"
            }
        }
        "supervising_ministry" => {
            if en {
                "Supervising ministry"
            } else {
                "Ministère de tutelle"
            }
        }
        "mandate" => {
            if en {
                "Mandate"
            } else {
                "Mandat"
            }
        }
        "legal_framework" => {
            if en {
                "Legal framework"
            } else {
                "Cadre juridique"
            }
        }
        "communication_chain" => {
            if en {
                "Communication chain"
            } else {
                "Chaîne de communication"
            }
        }
        "referral_mechanism" => {
            if en {
                "Referral mechanism"
            } else {
                "Mécanisme d'orientation"
            }
        }
        _ => {
            if en {
                "Key contacts"
            } else {
                "Contacts clés"
            }
        }
    }
}
