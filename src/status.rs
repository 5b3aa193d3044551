//! `confkit status`: what the project holds and how far each part has come,
//! for staff deciding what to do next.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostic::Diagnostics;
use crate::project::{ChapterKind, StepKind, Toolkit};
use crate::texts::reviews::{recording_reviews, ReviewBook, ReviewState, TextReview};
use crate::texts::sources::{language_texts, TextSource};
use crate::timecode::Timecode;

/// Everything `confkit status` shows.
#[derive(Debug, Serialize)]
pub struct StatusReport {
    /// The conference title in its main language.
    pub conference: String,
    /// First and last day, `YYYY-MM-DD`.
    pub dates: (String, String),
    /// Working languages, main first.
    pub languages: Vec<String>,
    /// One line per recording.
    pub recordings: Vec<RecordingStatus>,
    /// Number of clips.
    pub clips: usize,
    /// Length of all clips together.
    pub clips_duration: Timecode,
    /// One line per module.
    pub modules: Vec<ModuleStatus>,
    /// One line per guide chapter.
    pub chapters: Vec<ChapterStatus>,
    /// Institutions per role id.
    pub institutions_by_role: BTreeMap<String, usize>,
    /// Institutions whose package exists in `packages/`.
    pub packages_built: usize,
    /// Why `transcripts/reviews.toml` could not be read, when it could not.
    pub reviews_error: Option<String>,
    /// Errors found by `confkit check`.
    pub errors: usize,
    /// Warnings found by `confkit check`.
    pub warnings: usize,
}

/// A recording and its transcripts.
#[derive(Debug, Serialize)]
pub struct RecordingStatus {
    /// Recording id.
    pub id: String,
    /// Length, when read.
    pub duration: Option<Timecode>,
    /// Languages spoken on the floor.
    pub floor: Vec<String>,
    /// Languages of interpretation tracks and files.
    pub interpretation: Vec<String>,
    /// Conference languages with a transcript in `transcripts/`.
    pub transcribed: Vec<String>,
    /// Where the text in each conference language comes from.
    pub text_sources: BTreeMap<String, TextSource>,
    /// The review state of each conference language's text.
    pub review: Vec<TextReview>,
}

/// A module and its length.
#[derive(Debug, Serialize)]
pub struct ModuleStatus {
    /// Module id.
    pub id: String,
    /// Number of steps.
    pub steps: usize,
    /// Number of clip steps.
    pub clips: usize,
    /// Length of its clips plus the minutes planned for the other steps.
    pub duration: Timecode,
}

/// How complete a chapter is.
#[derive(Debug, Serialize)]
pub struct ChapterStatus {
    /// Chapter id.
    pub id: String,
    /// `country` or `body`.
    pub kind: ChapterKind,
    /// Languages it is written in.
    pub languages: Vec<String>,
    /// Fact sheet fields filled, in its main text.
    pub filled: usize,
    /// Fields marked to complete (or absent), in its main text.
    pub to_complete: usize,
}

impl StatusReport {
    /// Gathers the report; `diagnostics` are those of loading `toolkit`.
    pub fn gather(toolkit: &Toolkit, diagnostics: &Diagnostics) -> StatusReport {
        let languages = toolkit.languages().to_vec();
        let (conference, dates) = match &toolkit.config {
            Some(config) => {
                let c = &config.conference;
                let title = c
                    .short_title
                    .first_of(languages.iter().map(String::as_str))
                    .or_else(|| c.title.first_of(languages.iter().map(String::as_str)))
                    .cloned()
                    .unwrap_or_else(|| c.id.to_string());
                (title, (c.start.to_string(), c.end.to_string()))
            }
            None => (
                "(confkit.toml could not be read)".into(),
                Default::default(),
            ),
        };
        // `transcripts/<recording>.<languages>.<ext>`, `fr-en` for a session that switches.
        let transcript_labels: Vec<(String, String)> =
            std::fs::read_dir(toolkit.path("transcripts"))
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|entry| {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    let (stem, ext) = name.rsplit_once('.')?;
                    ["json", "vtt", "srt"].contains(&ext).then_some(())?;
                    let (id, label) = stem.rsplit_once('.')?;
                    Some((id.to_string(), label.to_string()))
                })
                .collect();
        // Without the marks, nothing counts as reviewed.
        let (book, book_error) = match ReviewBook::load(&toolkit.root) {
            Ok(book) => (book, None),
            Err(e) => (ReviewBook::default(), Some(format!("{e:#}"))),
        };
        let recordings = toolkit
            .recordings
            .iter()
            .map(|r| RecordingStatus {
                id: r.id.to_string(),
                duration: toolkit.headers.get(r.id.as_str()).and_then(|h| h.duration),
                floor: r.languages.to_vec(),
                interpretation: r
                    .tracks
                    .iter()
                    .filter_map(|t| t.language.as_ref().map(|l| l.to_string()))
                    .chain(r.interpretation.iter().map(|i| i.language.to_string()))
                    .collect(),
                transcribed: languages
                    .iter()
                    .filter(|lang| {
                        transcript_labels.iter().any(|(id, label)| {
                            id == r.id.as_str() && label.split('-').any(|l| l == lang.as_str())
                        })
                    })
                    .cloned()
                    .collect(),
                text_sources: language_texts(toolkit, r)
                    .into_iter()
                    .map(|t| (t.language, t.source))
                    .collect(),
                review: recording_reviews(toolkit, &book, r),
            })
            .collect();
        let modules = toolkit
            .modules
            .iter()
            .map(|m| {
                let mut clips = 0;
                let mut duration = Timecode::ZERO;
                for step in &m.file.steps {
                    if let Some(StepKind::Clip(id)) = step.kinds().first() {
                        clips += 1;
                        duration =
                            duration + toolkit.clip(id).map_or(Timecode::ZERO, |c| c.duration());
                    } else {
                        duration =
                            duration + Timecode::from_millis(u64::from(step.minutes) * 60_000);
                    }
                }
                ModuleStatus {
                    id: m.id.clone(),
                    steps: m.file.steps.len(),
                    clips,
                    duration,
                }
            })
            .collect();
        let chapters = toolkit
            .chapters
            .iter()
            .map(|ch| {
                let main = ch.texts.first();
                let filled = main.map_or(0, |t| t.front.facts.filled_count());
                ChapterStatus {
                    id: ch.id().to_string(),
                    kind: ch.entry.kind,
                    languages: ch.texts.iter().map(|t| t.language.clone()).collect(),
                    filled,
                    to_complete: 7 - filled,
                }
            })
            .collect();
        let mut institutions_by_role = BTreeMap::new();
        for i in &toolkit.institutions {
            *institutions_by_role.entry(i.role.to_string()).or_insert(0) += 1;
        }
        let packages_built = toolkit
            .institutions
            .iter()
            .filter(|i| {
                toolkit
                    .path("packages")
                    .join(format!("{}.zip", i.id.as_str()))
                    .is_file()
            })
            .count();
        StatusReport {
            conference,
            dates,
            languages,
            recordings,
            clips: toolkit.clips.len(),
            clips_duration: toolkit.clips.iter().map(|c| c.duration()).sum(),
            modules,
            chapters,
            institutions_by_role,
            packages_built,
            reviews_error: book_error,
            errors: diagnostics.error_count(),
            warnings: diagnostics.warning_count(),
        }
    }

    /// The report as aligned text for a terminal.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let w = &mut out;
        let _ = writeln!(w, "{}", self.conference);
        let _ = writeln!(
            w,
            "{} to {}, languages: {}\n",
            self.dates.0,
            self.dates.1,
            self.languages.join(", ")
        );

        let total: Timecode = self.recordings.iter().filter_map(|r| r.duration).sum();
        let _ = writeln!(w, "Recordings: {} ({total})", self.recordings.len());
        for r in &self.recordings {
            let duration = r
                .duration
                .map_or_else(|| "--:--:--".to_string(), |d| d.to_string());
            let interpretation = if r.interpretation.is_empty() {
                String::new()
            } else {
                format!(", interpretation {}", r.interpretation.join("+"))
            };
            let missing: Vec<&str> = self
                .languages
                .iter()
                .filter(|l| !r.transcribed.contains(l))
                .map(String::as_str)
                .collect();
            let transcripts = if missing.is_empty() {
                let sources: Vec<String> = r
                    .text_sources
                    .iter()
                    .map(|(language, source)| match source {
                        TextSource::Missing if r.floor.contains(language) => {
                            format!("{language} only where spoken on the floor")
                        }
                        source => format!("{language} {}", source.describe()),
                    })
                    .collect();
                format!("transcribed ({})", sources.join(", "))
            } else {
                format!("no transcript in {}", missing.join(", "))
            };
            let _ = writeln!(
                w,
                "  {:<32} {duration}  floor {}{interpretation}; {transcripts}",
                r.id,
                r.floor.join("+")
            );
            // Languages in the same state are said together: "fr, en reviewed by X".
            let mut groups: Vec<(Vec<&str>, String)> = Vec::new();
            for t in r.review.iter().filter(|t| t.state != ReviewState::Missing) {
                let how = match (&t.by, t.state) {
                    (Some(by), ReviewState::Reviewed) => format!("reviewed by {by}"),
                    (_, state) => state.describe().to_string(),
                };
                match groups.iter_mut().find(|(_, h)| *h == how) {
                    Some((languages, _)) => languages.push(&t.language),
                    None => groups.push((vec![&t.language], how)),
                }
            }
            let states: Vec<String> = groups
                .iter()
                .map(|(languages, how)| format!("{} {how}", languages.join(", ")))
                .collect();
            if !states.is_empty() {
                let _ = writeln!(w, "  {:<32} review: {}", "", states.join("; "));
            }
        }

        if let Some(error) = &self.reviews_error {
            let _ = writeln!(w, "  error: {error}");
        }
        let _ = writeln!(w, "\nClips: {} ({})", self.clips, self.clips_duration);
        let _ = writeln!(w, "\nModules: {}", self.modules.len());
        for m in &self.modules {
            let clips = if m.clips == 1 { "clip " } else { "clips" };
            let _ = writeln!(
                w,
                "  {:<44} {:>2} steps, {:>2} {clips}, about {} min",
                m.id,
                m.steps,
                m.clips,
                m.duration.as_millis().div_ceil(60_000)
            );
        }

        let countries = self
            .chapters
            .iter()
            .filter(|c| c.kind == ChapterKind::Country)
            .count();
        let _ = writeln!(
            w,
            "\nGuide: {} chapters ({countries} countries, {} bodies); fact sheet fields filled in the main text:",
            self.chapters.len(),
            self.chapters.len() - countries
        );
        for c in &self.chapters {
            let bar: String = "#".repeat(c.filled) + &".".repeat(c.to_complete);
            let _ = writeln!(
                w,
                "  {:<32} [{bar}] {}/7  {}",
                c.id,
                c.filled,
                c.languages.join("+")
            );
        }

        let institutions: usize = self.institutions_by_role.values().sum();
        let _ = writeln!(
            w,
            "\nInstitutions: {institutions}, packages built: {}",
            self.packages_built
        );
        for (role, n) in &self.institutions_by_role {
            let _ = writeln!(w, "  {role:<32} {n}");
        }
        let _ = writeln!(
            w,
            "\nCheck: {} error{}, {} warning{}{}",
            self.errors,
            if self.errors == 1 { "" } else { "s" },
            self.warnings,
            if self.warnings == 1 { "" } else { "s" },
            if self.errors + self.warnings > 0 {
                " (run `confkit check` for details)"
            } else {
                ""
            }
        );
        out
    }
}
