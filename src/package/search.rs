//! The package's offline search: every transcript line in each language,
//! the guide's chapters section by section, and the modules, in one index
//! per page language, embedded as a script (a page opened from disk may not
//! `fetch` a local file). It holds only what the pages show, taken after
//! redaction: cue texts as the subtitles ship, chapters from their rendered
//! HTML, module texts redacted.

use serde::Serialize;

use super::site::Site;
use crate::privacy::shown::html_words;
use crate::project::StepKind;

/// One thing a search can find.
#[derive(Debug, Serialize)]
pub struct Entry {
    /// What it is: `clip`, `chapter` or `module`.
    pub kind: &'static str,
    /// The language of its text.
    pub lang: String,
    /// The text searched and shown.
    pub text: String,
    /// Where it is: the clip, chapter or module's title.
    pub place: String,
    /// The time in the clip, `0:23`, for a transcript line.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub at: String,
    /// The page (from the package's root) that opens on it.
    pub href: String,
}

/// The chapter sections of a rendered chapter body: its headings carry
/// `id="s-N"` (see [`with_heading_ids`]); the text before the first is
/// section `""`.
fn sections(html: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    let mut current = (String::new(), String::new());
    loop {
        let next = next_heading(rest);
        let (body, tail) = match next {
            Some(at) => rest.split_at(at),
            None => (rest, ""),
        };
        let words = html_words(body);
        if !words.is_empty() || !current.1.is_empty() {
            out.push((current.0.clone(), current.1.clone(), words));
        }
        if tail.is_empty() {
            break;
        }
        let end = tail.find("</h").unwrap_or(tail.len());
        let open_end = tail.find('>').unwrap_or(0);
        let id = tail[..open_end]
            .split("id=\"")
            .nth(1)
            .and_then(|v| v.split('"').next())
            .unwrap_or("")
            .to_string();
        current = (id, html_words(&tail[..end]));
        rest = tail[end..]
            .find('>')
            .map_or("", |close| &tail[end + close + 1..]);
    }
    out
}

/// Where the next `<h1>`..`<h6>` of `html` opens.
fn next_heading(html: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = html[from..].find("<h") {
        let at = from + at;
        if html[at + 2..]
            .chars()
            .next()
            .is_some_and(|c| ('1'..='6').contains(&c))
        {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// `html` with `id="s-1"`, `id="s-2"`... on its headings, so that a search
/// result can open a chapter at one.
pub fn with_heading_ids(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut n = 0;
    let mut rest = html;
    while let Some(at) = rest.find("<h") {
        let level = rest[at + 2..].chars().next();
        let plain = rest[at + 3..].starts_with('>');
        out.push_str(&rest[..at]);
        match level {
            Some(c) if ('1'..='6').contains(&c) && plain => {
                n += 1;
                out.push_str(&format!("<h{c} id=\"s-{n}\">"));
                rest = &rest[at + 4..];
            }
            _ => {
                out.push_str("<h");
                rest = &rest[at + 2..];
            }
        }
    }
    out.push_str(rest);
    out
}

impl Site<'_> {
    /// The search index for the pages in `language`: its links open pages
    /// in that language where there is one.
    pub fn search_index(&self, language: &str) -> Vec<Entry> {
        let mut entries = Vec::new();
        let local = |l: &crate::project::Localized| {
            self.redactor
                .redact(l.get_or_any(language).map_or("", String::as_str))
        };
        for module in &self.selection.modules {
            let href = super::site::module_name(&module.id, language);
            let place = local(&module.file.title);
            let mut texts = vec![place.clone(), local(&module.file.summary)];
            texts.extend(
                module
                    .file
                    .objectives
                    .get_or_any(language)
                    .into_iter()
                    .flatten()
                    .map(|o| self.redactor.redact(o)),
            );
            let module_entry = |text: String, href: String| Entry {
                kind: "module",
                lang: language.to_string(),
                text,
                place: place.clone(),
                at: String::new(),
                href,
            };
            for text in texts.into_iter().filter(|t| !t.is_empty()) {
                entries.push(module_entry(text, href.clone()));
            }
            let mut number = 0;
            for step in &module.file.steps {
                for kind in step.kinds() {
                    let text = match kind {
                        StepKind::Clip(id) => {
                            if self.clips.contains_key(id) {
                                number += 1;
                            }
                            continue;
                        }
                        StepKind::Question(t) | StepKind::Exercise(t) | StepKind::Pause(t) => {
                            local(t)
                        }
                    };
                    number += 1;
                    entries.push(module_entry(text, format!("{href}#step={number}")));
                }
            }
        }
        for clip in &self.selection.clips {
            let id = clip.id.as_str();
            let Some(files) = self.clips.get(id) else {
                continue;
            };
            let place = local(&clip.title);
            // The first module that plays the clip opens it; else its video.
            let page = self
                .selection
                .modules
                .iter()
                .find(|m| {
                    m.file
                        .steps
                        .iter()
                        .flat_map(|s| s.kinds())
                        .any(|k| matches!(k, StepKind::Clip(c) if c == id))
                })
                .map(|m| format!("{}#clip={id}&t=", super::site::module_name(&m.id, language)));
            let video = super::site::played_name(files, id, &files.label_for(language));
            for (lang, cues) in &files.cues {
                for cue in cues {
                    let seconds = cue.start.as_secs_f64();
                    // Rounded up: a time just before the cue would show the one before.
                    let opens = (seconds * 100.0).ceil() / 100.0;
                    let href = match &page {
                        Some(page) => format!("{page}{opens:.2}"),
                        None => format!("{video}#t={opens:.2}"),
                    };
                    entries.push(Entry {
                        kind: "clip",
                        lang: lang.clone(),
                        text: cue.text.replace('\n', " "),
                        place: place.clone(),
                        at: super::site::clock(seconds),
                        href,
                    });
                }
            }
        }
        for chapter in &self.selection.chapters {
            for text in &chapter.texts {
                let lang = text.language.as_str();
                if !self.selection.languages.iter().any(|l| l == lang) {
                    continue;
                }
                let page = format!("guide/{}.{lang}.html", chapter.id());
                let title = self.redactor.redact(&text.front.title);
                let body =
                    with_heading_ids(&crate::guide::markdown::to_html(&text.body, self.redactor));
                for (id, heading, words) in sections(&body) {
                    let place = if heading.is_empty() {
                        title.clone()
                    } else {
                        format!("{title} · {heading}")
                    };
                    let href = if id.is_empty() {
                        page.clone()
                    } else {
                        format!("{page}#{id}")
                    };
                    for text in [heading, words].into_iter().filter(|t| !t.is_empty()) {
                        entries.push(Entry {
                            kind: "chapter",
                            lang: lang.to_string(),
                            text,
                            place: place.clone(),
                            at: String::new(),
                            href: href.clone(),
                        });
                    }
                }
            }
        }
        entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_ids_in_order_and_sections_follow_them() {
        let html = with_heading_ids(
            "<p>Intro</p><hr /><h2>Cadre</h2><p>Loi <em>n°</em> 1</p><h3>Contacts</h3><p>x</p>",
        );
        assert_eq!(
            html,
            "<p>Intro</p><hr /><h2 id=\"s-1\">Cadre</h2><p>Loi <em>n°</em> 1</p><h3 id=\"s-2\">Contacts</h3><p>x</p>"
        );
        assert_eq!(
            sections(&html),
            [
                ("".into(), "".into(), "Intro".into()),
                ("s-1".into(), "Cadre".into(), "Loi n° 1".into()),
                ("s-2".into(), "Contacts".into(), "x".into()),
            ]
        );
    }

    #[test]
    fn a_heading_with_attributes_or_an_hr_is_left_alone() {
        assert_eq!(
            with_heading_ids("<hr /><h2 class=\"x\">a</h2>"),
            "<hr /><h2 class=\"x\">a</h2>"
        );
    }
}
