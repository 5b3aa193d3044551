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
pub const ASSETS: [(&str, &str); 3] = [
    ("assets/style.css", include_str!("site/style.css")),
    ("assets/player.js", include_str!("site/player.js")),
    ("assets/search.js", include_str!("site/search.js")),
];

fn environment() -> Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    for (name, source) in [
        ("layout.html", include_str!("site/layout.html")),
        ("index.html", include_str!("site/index.html")),
        ("chapter.html", include_str!("site/chapter.html")),
        ("module.html", include_str!("site/module.html")),
        ("search.html", include_str!("site/search.html")),
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
            pages.push((
                format!("search.{language}.html"),
                self.search_page(&env, language, &ui)?,
            ));
            pages.push((
                format!("assets/search-index.{language}.js"),
                format!(
                    "window.CONFKIT_SEARCH = {};\n",
                    inline_json(&serde_json::to_value(self.search_index(language))?)
                ),
            ));
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
            theme => self.theme(),
            lang => language,
            ui => ui,
            root => root,
            home => home_name(&self.selection.languages, language),
            conference => self.short_title(language),
            title => title,
        }
    }

    /// The conference's colours as CSS custom properties; only `#rrggbb`
    /// values reach the page.
    fn theme(&self) -> String {
        let Some(colours) = self.toolkit.config.as_ref().map(|c| &c.conference.colours) else {
            return String::new();
        };
        let hex = |v: &str| {
            v.len() == 7 && v.starts_with('#') && v[1..].bytes().all(|b| b.is_ascii_hexdigit())
        };
        [
            ("--brand", colours.background.as_str()),
            ("--brand-ink", colours.text.as_str()),
            ("--accent", colours.accent.as_str()),
        ]
        .iter()
        .filter(|(_, v)| hex(v))
        .map(|(k, v)| format!("{k}: {v};"))
        .collect::<Vec<_>>()
        .join(" ")
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
                // The module's first clip the institution sees gives its card a picture.
                let poster = m.file.steps.iter().flat_map(|s| s.kinds()).find_map(|k| match k {
                    StepKind::Clip(id) if self.clips.contains_key(id) => Some(poster_name(id)),
                    _ => None,
                });
                context! {
                    href => format!("modules/{}.{language}.html", m.id),
                    title => self.r(m.file.title.get_or_any(language).map_or("", String::as_str)),
                    summary => self.r(m.file.summary.get_or_any(language).map_or("", String::as_str)),
                    steps => m.file.steps.len(),
                    minutes => self.minutes(m),
                    poster,
                    reel => self.reel_link(m, language, ui, ""),
                }
            })
            .collect();
        let total_minutes: u64 = self.selection.modules.iter().map(|m| self.minutes(m)).sum();
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
                context! {
                    title => self.r(clip.title.get_or_any(language).map_or("", String::as_str)),
                    duration => clock(clip.duration().as_secs_f64()),
                    links => self.file_links(id, ui),
                }
            })
            .collect();
        let institution = self.r(self
            .institution
            .get_or_any(language)
            .map_or("", String::as_str));
        let languages = &self.selection.languages;
        let switch = self.switch(language, |l| Some(home_name(languages, l)));
        let short_title = self.short_title(language);
        Ok(env.get_template("index.html")?.render(context! {
            ..self.base(language, ui, "", short_title.clone()),
            ..context! {
                institution, modules, chapters, clips, switch, short_title,
                full_title => self.conference(language),
                total => format!("{total_minutes} min"),
            },
        })?)
    }

    /// A clip's files, each once, named by the language really heard or
    /// written in it.
    fn file_links(&self, id: &str, ui: &Labels) -> Vec<Link> {
        let files = &self.clips[id];
        let heard = |label: &str| {
            label
                .split('-')
                .map(|l| ui.language_name(l))
                .collect::<Vec<_>>()
                .join(" + ")
        };
        let mut labels_seen: Vec<&str> = Vec::new();
        for (_, label, _) in &files.videos {
            if !labels_seen.contains(&label.as_str()) {
                labels_seen.push(label);
            }
        }
        let mut links: Vec<Link> = Vec::new();
        for label in &labels_seen {
            links.push(Link {
                href: video_name(id, label),
                label: format!("{} ({})", ui.video_file, heard(label)),
            });
        }
        for label in &labels_seen {
            links.push(Link {
                href: audio_name(id, label),
                label: format!("{} ({})", ui.audio_file, heard(label)),
            });
        }
        links.extend(files.cues.iter().map(|(l, _)| Link {
            href: subtitles_name(id, l),
            label: format!("{} ({})", ui.subtitles_file, ui.language_name(l)),
        }));
        links
    }

    /// The conference's short title, else its title.
    fn short_title(&self, language: &str) -> String {
        self.toolkit
            .config
            .as_ref()
            .and_then(|c| c.conference.short_title.get_or_any(language))
            .map(|t| self.r(t))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| self.conference(language))
    }

    fn search_page(&self, env: &Environment<'_>, language: &str, ui: &Labels) -> Result<String> {
        let data = serde_json::json!({
            "lang": language,
            "none": ui.search_none,
            "one": ui.search_one,
            "count": ui.search_count,
            "first": ui.search_first,
            "kinds": { "clip": ui.kind_clip, "chapter": ui.kind_chapter, "module": ui.kind_module },
        });
        let switch = self.switch(language, |l| Some(format!("search.{l}.html")));
        Ok(env.get_template("search.html")?.render(context! {
            ..self.base(language, ui, "", ui.search.to_string()),
            ..context! { data => inline_json(&data), switch },
        })?)
    }

    /// The link to a module's reel, saying which language it is heard in
    /// when that is not the page's.
    fn reel_link(&self, module: &Module, language: &str, ui: &Labels, root: &str) -> Option<Value> {
        let name = self.reels.get(&module.id)?;
        let heard = self
            .selection
            .languages
            .first()
            .map_or(language, String::as_str);
        let label = if heard == language {
            ui.reel.to_string()
        } else {
            format!("{} ({} {})", ui.reel, ui.listen_in, ui.language_name(heard))
        };
        Some(context! { href => format!("{root}{name}"), label })
    }

    /// The module after `module` in the package's programme.
    fn next_module(&self, module: &Module, language: &str) -> Option<Value> {
        let modules = &self.selection.modules;
        let at = modules.iter().position(|m| m.id == module.id)?;
        let next = modules.get(at + 1)?;
        Some(context! {
            href => format!("{}.{language}.html", next.id),
            title => self.r(next.file.title.get_or_any(language).map_or("", String::as_str)),
        })
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
                body => super::search::with_heading_ids(&to_html(&text.body, self.redactor)),
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
                        let tracks: Vec<Value> = files
                            .cues
                            .iter()
                            .map(|(l, _)| {
                                context! {
                                    src => format!("../{}", subtitles_name(id, l)),
                                    lang => l,
                                    label => ui.language_name(l),
                                }
                            })
                            .collect();
                        let seconds = clip.duration().as_secs_f64();
                        steps.push(context! {
                            kind => "clip",
                            tracks,
                            time => clock(seconds),
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
                        data_steps.push(serde_json::json!({
                            "kind": "clip", "clip": id, "cues": cues, "seconds": seconds,
                        }));
                    }
                    StepKind::Question(q) => {
                        let seconds = f64::from(step.minutes) * 60.0;
                        steps.push(context! { kind => "question", heading => ui.question, text => text(q), time => clock(seconds) });
                        data_steps
                            .push(serde_json::json!({ "kind": "question", "seconds": seconds }));
                    }
                    StepKind::Exercise(e) => {
                        let seconds = f64::from(step.minutes) * 60.0;
                        steps.push(context! { kind => "exercise", heading => ui.exercise, text => text(e), time => clock(seconds) });
                        data_steps
                            .push(serde_json::json!({ "kind": "exercise", "seconds": seconds }));
                    }
                    StepKind::Pause(p) => {
                        let seconds = f64::from(step.minutes) * 60.0;
                        steps.push(context! { kind => "pause", heading => ui.pause, text => text(p), time => clock(seconds) });
                        data_steps.push(serde_json::json!({ "kind": "pause", "seconds": seconds }));
                    }
                }
            }
        }
        let languages = self.toolkit.languages().to_vec();
        let language_names: serde_json::Map<String, serde_json::Value> = languages
            .iter()
            .map(|l| (l.clone(), ui.language_name(l).into()))
            .collect();
        let total: f64 = data_steps
            .iter()
            .filter_map(|s| s["seconds"].as_f64())
            .sum();
        let data = serde_json::json!({
            "lang": language,
            "languages": languages,
            "module": module.id,
            "ui": {
                "play": ui.play, "pause": ui.pause_video,
                "fullscreen": ui.fullscreen, "exit_fullscreen": ui.exit_fullscreen,
                "step_of": ui.step_of, "end": ui.end,
                "both": ui.both, "off": ui.off, "language_names": language_names,
            },
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
                minutes => (total / 60.0).ceil() as u64,
                total => clock(total),
                reel => self.reel_link(module, language, ui, "../"),
                next_module => self.next_module(module, language),
                data => inline_json(&data),
                switch,
            },
        })?)
    }
}

/// A length as people read it: `0:23`, `4:05`, `1:02:09`.
pub(super) fn clock(seconds: f64) -> String {
    let seconds = seconds.max(0.0).round() as u64;
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
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
