//! The offline site of one package, rendered from view values with the
//! templates in `site/` (embedded in the binary), every text escaped by the
//! template engine and redacted before it gets there. Pages in each of the
//! package's languages; the module player's data is embedded in its page,
//! so nothing is fetched when it is opened from disk.

mod chapter_page;
mod home_page;
mod module_page;

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use minijinja::{context, Environment, Value};
use serde::Serialize;

use super::clipfiles::ClipFiles;
use super::labels::{labels, Labels};
use crate::privacy::redact::Redactor;
use crate::project::{Chapter, Toolkit};
use crate::selection::Selection;

/// The typeface's style sheet, made for each package (`font.rs`).
pub const FONTS_CSS: &str = "assets/fonts.css";

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

/// The name in the package of the file the player plays for `clip` in
/// the audio version `label`: its video, or its audio-only file where the
/// package carries no video.
pub fn played_name(files: &ClipFiles, clip: &str, label: &str) -> String {
    if files.has_video() {
        video_name(clip, label)
    } else {
        audio_name(clip, label)
    }
}

/// The audio-only file's name in the package.
pub fn audio_name(clip: &str, label: &str) -> String {
    format!("media/{clip}.{label}.m4a")
}

/// The poster's name in the package.
pub fn poster_name(clip: &str) -> String {
    format!("media/{clip}.jpg")
}

/// A module's page's name in the package, in `language`.
pub fn module_name(module: &str, language: &str) -> String {
    format!("modules/{module}.{language}.html")
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
    /// Whether the package carries the conference's logo.
    pub logo: bool,
    /// What each volume after the first holds, when the package is split.
    pub volumes: Vec<super::volumes::VolumeNote>,
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
                    module_name(&module.id, language),
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
            logo => self.logo.then_some(super::logo::LOGO),
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
