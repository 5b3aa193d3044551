//! The home page of a package: the conference, the suggested programme,
//! the modules as cards with their posters, the guide's chapters, and the
//! box of offline videos with each file named by the language in it.

use anyhow::Result;
use minijinja::{context, Environment, Value};

use super::{audio_name, clock, home_name, poster_name, subtitles_name, video_name, Link, Site};
use crate::package::labels::Labels;
use crate::project::StepKind;

impl Site<'_> {
    pub(super) fn home(
        &self,
        env: &Environment<'_>,
        language: &str,
        ui: &Labels,
    ) -> Result<String> {
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
                    href => super::module_name(&m.id, language),
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
        let volumes: Vec<Value> = self
            .volumes
            .iter()
            .map(|note| {
                let mut held = Vec::new();
                let clips: Vec<String> = note
                    .clips
                    .iter()
                    .filter_map(|id| self.toolkit.clip(id))
                    .map(|c| self.r(c.title.get_or_any(language).map_or("", String::as_str)))
                    .collect();
                if !clips.is_empty() {
                    held.push(format!(
                        "{}{} {}",
                        ui.volume_clips,
                        ui.colon,
                        clips.join(", ")
                    ));
                }
                let reels: Vec<String> = note
                    .reels
                    .iter()
                    .filter_map(|id| self.toolkit.module(id))
                    .map(|m| self.r(m.file.title.get_or_any(language).map_or("", String::as_str)))
                    .collect();
                if !reels.is_empty() {
                    held.push(format!(
                        "{}{} {}",
                        ui.volume_reels,
                        ui.colon,
                        reels.join(", ")
                    ));
                }
                context! {
                    name => note.name,
                    size => ui.size(note.bytes),
                    held => held.join(" · "),
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
                institution, modules, chapters, clips, switch, short_title, volumes,
                full_title => self.conference(language),
                total => format!("{total_minutes} min"),
            },
        })?)
    }

    /// A clip's files, each once, named by the language really heard or
    /// written in it.
    pub(super) fn file_links(&self, id: &str, ui: &Labels) -> Vec<Link> {
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
        for label in labels_seen.iter().filter(|_| files.has_video()) {
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
}
