//! `confkit check`, and the start of every build: the project is read
//! (every file with serde), then validated: every reference must resolve,
//! every time range must fit its recording (whose header is read here,
//! through the project's cache), every path must stay inside the project and
//! every id must be unique and safe as a file name. Each finding names the
//! file, line and column, and says how to fix it.

mod conference;
mod content;
mod guide;
mod languages;
mod privacy;
mod recipients;
mod recordings;
mod terminology;
mod terms;
mod transcripts;

use std::collections::BTreeMap;
use std::ops::Range;

use crate::diagnostic::{Diagnostics, Location};
use crate::project::{Localized, Located, ProjectErrors, Toolkit, ID_HELP};

impl Toolkit {
    /// Loads and validates the project at `root`; fails with every problem
    /// found when an error stops the whole build. Errors that concern one
    /// item only (a broken recording, a clip that does not fit) leave it in
    /// [`Toolkit::skipped`], and the build goes on with the others.
    pub fn load(root: &std::path::Path) -> Result<Toolkit, ProjectErrors> {
        let (toolkit, diagnostics) = Toolkit::check(root);
        if !diagnostics.blocks_build() {
            Ok(toolkit)
        } else {
            Err(ProjectErrors(diagnostics))
        }
    }

    /// Loads and validates the project at `root`, keeping whatever could be
    /// read, and returns it with every problem found.
    pub fn check(root: &std::path::Path) -> (Toolkit, Diagnostics) {
        let mut diagnostics = Diagnostics::default();
        let mut toolkit = Toolkit::read(root, &mut diagnostics);
        validate(&mut toolkit, &mut diagnostics);
        diagnostics.sort();
        toolkit.skipped = diagnostics.skipped();
        // The recordings' headers read here are not read again next time.
        toolkit.save_cache();
        (toolkit, diagnostics)
    }
}

fn validate(toolkit: &mut Toolkit, diagnostics: &mut Diagnostics) {
    // Headers are read first: clips are checked against their recordings.
    recordings::read_headers(toolkit, diagnostics);
    let mut checker = Checker {
        tk: toolkit,
        d: diagnostics,
    };
    conference::check(&mut checker);
    recordings::check(&mut checker);
    content::check_clips(&mut checker);
    content::check_modules(&mut checker);
    guide::check(&mut checker);
    recipients::check(&mut checker);
    terms::check(&mut checker);
    transcripts::check(&mut checker);
    languages::check(&mut checker);
    terminology::check(&mut checker);
    privacy::check(&mut checker);
}

/// Shared helpers for the checks of each file.
struct Checker<'a> {
    tk: &'a Toolkit,
    d: &'a mut Diagnostics,
}

impl Checker<'_> {
    fn at(&self, source: Option<usize>, span: Range<usize>) -> Option<Location> {
        self.tk.at(source, span)
    }

    fn error(&mut self, source: Option<usize>, span: Range<usize>, message: String, help: &str) {
        let location = self.at(source, span);
        let d = self.d.error(location, message);
        if !help.is_empty() {
            d.help = Some(help.to_string());
        }
    }

    fn warning(&mut self, source: Option<usize>, span: Range<usize>, message: String, help: &str) {
        let location = self.at(source, span);
        let d = self.d.warning(location, message);
        if !help.is_empty() {
            d.help = Some(help.to_string());
        }
    }

    /// Every id is safe as a file name and appears once; `kind` names the
    /// things in messages ("clip", "recording").
    fn unique_ids<'i>(
        &mut self,
        kind: &str,
        ids: impl IntoIterator<Item = (Option<usize>, &'i Located<String>)>,
    ) {
        let mut seen: BTreeMap<&str, Option<Location>> = BTreeMap::new();
        for (source, id) in ids {
            if let Some(reason) = crate::project::unsafe_id_reason(id) {
                self.error(
                    source,
                    id.span(),
                    format!(
                        "{kind} id `{}` is not a safe file name: {reason}",
                        id.as_str()
                    ),
                    &format!("{}; e.g. `{}`", ID_HELP, crate::project::slugify(id)),
                );
            }
            let here = self.at(source, id.span());
            match seen.get(id.as_str()) {
                Some(first) => {
                    let first = first
                        .as_ref()
                        .map_or_else(String::new, |l| format!(" (first at {l})"));
                    self.error(
                        source,
                        id.span(),
                        format!("{kind} id `{}` is used twice{first}", id.as_str()),
                        &format!("give each {kind} its own id"),
                    );
                }
                None => {
                    seen.insert(id.as_str(), here);
                }
            }
        }
    }

    /// Checks a text written per language: each language is a conference
    /// language, and (when `wanted`) every conference language is there.
    fn localized<T>(
        &mut self,
        source: Option<usize>,
        span: Range<usize>,
        owner: &str,
        field: &str,
        text: &Localized<T>,
        wanted: Wanted,
    ) {
        let languages = self.tk.languages().to_vec();
        if languages.is_empty() {
            return;
        }
        for lang in text.unexpected(&languages) {
            self.error(
                source,
                span.clone(),
                format!("{owner}: `{field}.{lang}` is not in a conference language"),
                &format!(
                    "the conference languages are {} (confkit.toml, `languages`); fix the code or add the language there",
                    list(&languages)
                ),
            );
        }
        match wanted {
            Wanted::Optional => {}
            Wanted::EveryLanguage if text.is_empty() => self.error(
                source,
                span,
                format!("{owner} has no `{field}`"),
                &format!("add `{field}.{} = \"...\"`", languages[0]),
            ),
            Wanted::EveryLanguage => {
                for lang in text.missing(&languages) {
                    self.warning(
                        source,
                        span.clone(),
                        format!("{owner} has no {} `{field}`", language_name(lang)),
                        &format!("add `{field}.{lang} = \"...\"`; packages in that language fall back to another"),
                    );
                }
            }
        }
    }

    /// Checks a list of language codes (a recording's or an institution's).
    fn language_codes(&mut self, source: Option<usize>, owner: &str, codes: &Located<Vec<String>>) {
        let languages = self.tk.languages().to_vec();
        if codes.is_empty() {
            self.error(
                source,
                codes.span(),
                format!("{owner} lists no language"),
                &format!(
                    "write e.g. `languages = [\"{}\"]`",
                    languages.first().map_or("fr", String::as_str)
                ),
            );
        }
        if languages.is_empty() {
            return;
        }
        for code in codes.iter() {
            if !languages.contains(code) {
                self.error(
                    source,
                    codes.span(),
                    format!("{owner}: `{code}` is not a conference language"),
                    &format!(
                        "the conference languages are {} (confkit.toml, `languages`)",
                        list(&languages)
                    ),
                );
            }
        }
    }
}

/// How much of a per-language text is expected.
#[derive(Clone, Copy)]
enum Wanted {
    /// May be absent.
    Optional,
    /// At least one language, and a warning for each missing one.
    EveryLanguage,
}

/// `fr` -> `French`, for messages.
fn language_name(code: &str) -> String {
    match code {
        "fr" => "French".into(),
        "en" => "English".into(),
        "ar" => "Arabic".into(),
        "pt" => "Portuguese".into(),
        "es" => "Spanish".into(),
        "it" => "Italian".into(),
        "de" => "German".into(),
        other => format!("`{other}`"),
    }
}

/// `a`, `b` and `c` as a readable list.
fn list<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{}`", s.as_ref())).collect();
    match quoted.as_slice() {
        [] => "none".into(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Of `known`, the one closest to `wrong`, for "did you mean" help.
fn closest<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (crate::text::edit_distance(wrong, k), k))
        .filter(|(d, k)| *d <= (k.len().max(wrong.len()) / 3).max(1))
        .min()
        .map(|(_, k)| k)
}

/// Help for an unknown reference: the closest known id, or where ids are declared.
fn unknown_help<'a>(
    wrong: &str,
    known: impl IntoIterator<Item = &'a str>,
    declared_in: &str,
) -> String {
    match closest(wrong, known) {
        Some(near) => format!("did you mean `{near}`? ids are declared in {declared_in}"),
        None => format!("ids are declared in {declared_in}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_id() {
        assert_eq!(closest("nigr", ["niger", "nigeria", "mali"]), Some("niger"));
        assert_eq!(closest("zzzzzz", ["niger", "mali"]), None);
        assert_eq!(list(&["fr", "en"]), "`fr` and `en`");
    }
}
