//! The offline site of one package, rendered from view values with the
//! templates in `site/` (embedded in the binary), every text escaped by the
//! template engine and redacted before it gets there. Pages in each of the
//! package's languages; the module player's data is embedded in its page,
//! so nothing is fetched when it is opened from disk.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use minijinja::{context, Environment, Value};
use serde::Serialize;

use super::clipfiles::ClipFiles;
use super::labels::{labels, Labels};
use crate::guide::markdown::to_html;
use crate::privacy::redact::Redactor;
use crate::project::{Chapter, Fact, Module, StepKind, Toolkit};
use crate::selection::Selection;
use crate::texts::reviews::ReviewState;

/// The site's static files: name in the package, content.
pub const ASSETS: [(&str, &str); 2] = [
    ("assets/style.css", include_str!("site/style.css")),
    ("assets/player.js", include_str!("site/player.js")),
];

fn environment() -> Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    for (name, source) in [
        ("layout.html", include_str!("site/layout.html")),
        ("index.html", include_str!("site/index.html")),
        ("chapter.html", include_str!("site/chapter.html")),
        ("module.html", include_str!("site/module.html")),
    ] {
        env.add_template(name, source)
            .with_context(|| format!("the template {name}"))?;
    }
    Ok(env)
}

/// Where media files go in the package.
pub fn video_name(clip: &str, label: &str) -> String {
    format!("media/{clip}.{label}.mp4")
}

/// The audio-only file's name in the package.
pub fn audio_name(clip: &str, label: &str) -> String {
    format!("media/{clip}.{label}.m4a")
}

/// The poster's name in the package.
pub fn poster_name(clip: &str) -> String {
    format!("media/{clip}.jpg")
}

/// A clip's subtitle file's name in the package.
pub fn subtitles_name(clip: &str, language: &str) -> String {
    format!("subtitles/{clip}.{language}.vtt")
}

fn home_name(languages: &[String], language: &str) -> String {
    if languages.first().map(String::as_str) == Some(language) {
        "index.html".into()
    } else {
        format!("index.{language}.html")
    }
}

#[derive(Serialize)]
struct Switch {
    href: String,
    lang: String,
    label: String,
}

#[derive(Serialize)]
struct Link {
    href: String,
    label: String,
}

/// Everything the pages of a package need.
pub struct Site<'a> {
    /// The project.
    pub toolkit: &'a Toolkit,
    /// What the institution receives.
    pub selection: &'a Selection<'a>,
    /// The files of each selected clip, by clip id.
    pub clips: &'a BTreeMap<String, ClipFiles>,
    /// The redaction list.
    pub redactor: &'a Redactor,
    /// The institution's name per language.
    pub institution: &'a crate::project::Localized,
    /// Each module's reel: module id -> its name in the package.
    pub reels: BTreeMap<String, String>,
}

impl Site<'_> {
    /// Every page: (name in the package, HTML).
    pub fn render(&self) -> Result<Vec<(String, String)>> {
        let env = environment()?;
        let mut pages = Vec::new();
        for language in &self.selection.languages {
            let ui = labels(language);
            pages.push((
                home_name(&self.selection.languages, language),
                self.home(&env, language, &ui)?,
            ));
            for module in &self.selection.modules {
                pages.push((
                    format!("modules/{}.{language}.html", module.id),
                    self.module(&env, module, language, &ui)?,
                ));
            }
            for chapter in &self.selection.chapters {
                if chapter.text(language).is_some() {
                    pages.push((
                        format!("guide/{}.{language}.html", chapter.id()),
                        self.chapter(&env, chapter, language, &ui)?,
                    ));
                }
            }
        }
        Ok(pages)
    }

    fn r(&self, text: &str) -> String {
        self.redactor.redact(text)
    }

    fn conference(&self, language: &str) -> String {
        self.toolkit
            .config
            .as_ref()
            .and_then(|c| c.conference.title.get_or_any(language))
            .map(|t| self.r(t))
            .unwrap_or_default()
    }

    /// The links to the same page in the package's other languages.
    fn switch(&self, language: &str, page: impl Fn(&str) -> Option<String>) -> Vec<Switch> {
        self.selection
            .languages
            .iter()
            .filter(|l| l.as_str() != language)
            .filter_map(|l| {
                Some(Switch {
                    href: page(l)?,
                    lang: l.clone(),
                    label: labels(l).language_name(l).to_string(),
                })
            })
            .collect()
    }

    fn base(&self, language: &str, ui: &Labels, root: &str, title: String) -> Value {
        context! {
            lang => language,
            ui => ui,
            root => root,
            home => home_name(&self.selection.languages, language),
            conference => self.conference(language),
            title => title,
        }
    }

    /// The chapter's page in `language`, or in another of the package's
    /// languages when it has none in this one.
    fn chapter_href(
        &self,
        chapter: &Chapter,
        language: &str,
        root: &str,
    ) -> Option<(String, String)> {
        std::iter::once(language)
            .chain(self.selection.languages.iter().map(String::as_str))
            .chain(chapter.texts.iter().map(|t| t.language.as_str()))
            .find(|l| chapter.text(l).is_some() && self.selection.languages.iter().any(|p| p == l))
            .map(|l| {
                (
                    format!("{root}guide/{}.{l}.html", chapter.id()),
                    l.to_string(),
                )
            })
    }

    fn home(&self, env: &Environment<'_>, language: &str, ui: &Labels) -> Result<String> {
        let modules: Vec<Value> = self
            .selection
            .modules
            .iter()
            .map(|m| {
                context! {
                    href => format!("modules/{}.{language}.html", m.id),
                    title => self.r(m.file.title.get_or_any(language).map_or("", String::as_str)),
                    summary => self.r(m.file.summary.get_or_any(language).map_or("", String::as_str)),
                    steps => m.file.steps.len(),
                    minutes => self.minutes(m),
                    reel => self.reels.get(&m.id),
                }
            })
            .collect();
        let chapters: Vec<Value> = self
            .selection
            .chapters
            .iter()
            .filter_map(|c| {
                let (href, lang) = self.chapter_href(c, language, "")?;
                let title = c.text(&lang).map(|t| self.r(&t.front.title)).unwrap_or_default();
                Some(context! { href, lang, title, note => self.r(c.entry.note.get_or_any(language).map_or("", String::as_str)) })
            })
            .collect();
        let clips: Vec<Value> = self
            .selection
            .clips
            .iter()
            .map(|clip| {
                let id = clip.id.as_str();
                let files = &self.clips[id];
                let mut links: Vec<Link> = files
                    .cues
                    .iter()
                    .map(|(l, _)| Link {
                        href: subtitles_name(id, l),
                        label: format!(
                            "{} ({})",
                            ui.subtitles_file,
                            labels(language).language_name(l)
                        ),
                    })
                    .collect();
                links.extend(files.audio.iter().map(|(l, _)| Link {
                    href: audio_name(id, &files.label_for(l)),
                    label: format!("{} ({})", ui.audio_file, labels(language).language_name(l)),
                }));
                context! {
                    title => self.r(clip.title.get_or_any(language).map_or("", String::as_str)),
                    duration => clip.duration().to_string(),
                    links,
                }
            })
            .collect();
        let institution = self.r(self
            .institution
            .get_or_any(language)
            .map_or("", String::as_str));
        let languages = &self.selection.languages;
        let switch = self.switch(language, |l| Some(home_name(languages, l)));
        let title = self.conference(language);
        Ok(env.get_template("index.html")?.render(context! {
            ..self.base(language, ui, "", title),
            ..context! { institution, modules, chapters, clips, switch },
        })?)
    }

    fn minutes(&self, module: &Module) -> u64 {
        let mut millis = 0;
        for step in &module.file.steps {
            for kind in step.kinds() {
                match kind {
                    StepKind::Clip(id) => {
                        if let Some(clip) =
                            self.selection.clips.iter().find(|c| c.id.as_str() == id)
                        {
                            millis += clip.duration().as_millis();
                        }
                    }
                    _ => millis += u64::from(step.minutes) * 60_000,
                }
            }
        }
        millis.div_ceil(60_000)
    }

    fn chapter(
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
                body => to_html(&text.body, self.redactor),
                switch,
            },
        })?)
    }

    fn module(
        &self,
        env: &Environment<'_>,
        module: &Module,
        language: &str,
        ui: &Labels,
    ) -> Result<String> {
        let file = &module.file;
        let text = |l: &crate::project::Localized| {
            self.r(l.get_or_any(language).map_or("", String::as_str))
        };
        let mut steps: Vec<Value> = Vec::new();
        let mut data_steps: Vec<serde_json::Value> = Vec::new();
        for step in &file.steps {
            for kind in step.kinds() {
                match kind {
                    StepKind::Clip(id) => {
                        // A clip the institution may not see is left out of its module.
                        let Some(clip) = self.selection.clips.iter().find(|c| c.id.as_str() == id)
                        else {
                            continue;
                        };
                        let files = &self.clips[id];
                        let label = files.label_for(language);
                        let other_audio: Vec<Link> = files
                            .videos
                            .iter()
                            .filter(|(l, lab, _)| l != language && *lab != label)
                            .map(|(l, lab, _)| Link {
                                href: format!("../{}", video_name(id, lab)),
                                label: format!("{} {}", ui.listen_in, ui.language_name(l)),
                            })
                            .collect();
                        let unreviewed: Vec<String> = files
                            .unreviewed
                            .iter()
                            .map(|(l, state)| {
                                let how = match state {
                                    ReviewState::Draft => ui.unreviewed_draft,
                                    _ => ui.unreviewed_machine,
                                };
                                format!("{} ({how})", ui.language_name(l))
                            })
                            .collect();
                        steps.push(context! {
                            kind => "clip",
                            unreviewed => (!unreviewed.is_empty()).then(|| unreviewed.join(", ")),
                            heading => text(&clip.title),
                            title => text(&clip.title),
                            speaker => clip.speaker.as_deref().map(|s| self.r(s)),
                            clip => id,
                            video => format!("../{}", video_name(id, &label)),
                            poster => format!("../{}", poster_name(id)),
                            other_audio,
                        });
                        let cues: serde_json::Map<String, serde_json::Value> = files
                            .cues
                            .iter()
                            .map(|(l, cues)| {
                                let list: Vec<serde_json::Value> = cues
                                    .iter()
                                    .map(|c| {
                                        serde_json::json!([
                                            c.start.as_secs_f64(),
                                            c.end.as_secs_f64(),
                                            c.text
                                        ])
                                    })
                                    .collect();
                                (l.clone(), serde_json::Value::Array(list))
                            })
                            .collect();
                        data_steps
                            .push(serde_json::json!({ "kind": "clip", "clip": id, "cues": cues }));
                    }
                    StepKind::Question(q) => {
                        steps.push(context! { kind => "question", heading => ui.question, text => text(q), minutes => step.minutes });
                        data_steps.push(serde_json::json!({ "kind": "question" }));
                    }
                    StepKind::Exercise(e) => {
                        steps.push(context! { kind => "exercise", heading => ui.exercise, text => text(e), minutes => step.minutes });
                        data_steps.push(serde_json::json!({ "kind": "exercise" }));
                    }
                    StepKind::Pause(p) => {
                        steps.push(context! { kind => "pause", heading => ui.pause, text => text(p), minutes => step.minutes });
                        data_steps.push(serde_json::json!({ "kind": "pause" }));
                    }
                }
            }
        }
        let languages = self.toolkit.languages().to_vec();
        let mut subtitle_options: Vec<Link> = languages
            .iter()
            .map(|l| Link {
                href: l.clone(),
                label: ui.language_name(l).to_string(),
            })
            .collect();
        if languages.len() > 1 {
            subtitle_options.push(Link {
                href: "both".into(),
                label: ui.both.into(),
            });
        }
        subtitle_options.push(Link {
            href: "off".into(),
            label: ui.off.into(),
        });
        let subtitle_options: Vec<Value> = subtitle_options
            .into_iter()
            .map(|o| context! { value => o.href, label => o.label })
            .collect();
        let data = serde_json::json!({
            "lang": language,
            "languages": languages,
            "ui": { "show_notes": ui.show_notes, "hide_notes": ui.hide_notes },
            "steps": data_steps,
        });
        let chapters: Vec<Value> = file
            .chapters
            .iter()
            .filter_map(|id| {
                self.selection
                    .chapters
                    .iter()
                    .find(|c| c.id() == id.as_str())
            })
            .filter_map(|c| {
                let (href, lang) = self.chapter_href(c, language, "../")?;
                Some(context! { href, title => c.text(&lang).map(|t| self.r(&t.front.title)) })
            })
            .collect();
        let id = module.id.clone();
        let switch = self.switch(language, |l| Some(format!("{id}.{l}.html")));
        let objectives: Vec<String> = file
            .objectives
            .get_or_any(language)
            .into_iter()
            .flatten()
            .map(|o| self.r(o))
            .collect();
        Ok(env.get_template("module.html")?.render(context! {
            ..self.base(language, ui, "../", text(&file.title)),
            ..context! {
                summary => text(&file.summary),
                objectives,
                chapters,
                steps,
                notes => text(&file.trainer_notes),
                subtitle_options,
                subtitles_default => language,
                reel => self.reels.get(&module.id).map(|r| format!("../{r}")),
                data => inline_json(&data),
                switch,
            },
        })?)
    }
}

/// JSON that is safe inside a `<script>` element.
fn inline_json(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
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
