//! A module's page: its steps (clips with their subtitles and transcript,
//! questions, exercises, pauses), the agenda and the trainer's notes, with
//! the player's data embedded so that nothing is fetched from disk.

use anyhow::Result;
use minijinja::{context, Environment, Value};

use super::{clock, inline_json, played_name, poster_name, subtitles_name, Link, Site};
use crate::package::labels::Labels;
use crate::project::{Module, StepKind};
use crate::texts::reviews::ReviewState;

impl Site<'_> {
    pub(super) fn module(
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
                                href: format!("../{}", played_name(files, id, lab)),
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
                            video => format!("../{}", played_name(files, id, &label)),
                            media_type => if files.has_video() { "video/mp4" } else { "audio/mp4" },
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
                "step_of": ui.step_of, "end": ui.end, "media_missing": ui.media_missing,
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

    /// The link to a module's reel, saying which language it is heard in
    /// when that is not the page's.
    pub(super) fn reel_link(
        &self,
        module: &Module,
        language: &str,
        ui: &Labels,
        root: &str,
    ) -> Option<Value> {
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
    pub(super) fn next_module(&self, module: &Module, language: &str) -> Option<Value> {
        let modules = &self.selection.modules;
        let at = modules.iter().position(|m| m.id == module.id)?;
        let next = modules.get(at + 1)?;
        Some(context! {
            href => format!("{}.{language}.html", next.id),
            title => self.r(next.file.title.get_or_any(language).map_or("", String::as_str)),
        })
    }

    pub(super) fn minutes(&self, module: &Module) -> u64 {
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
}
