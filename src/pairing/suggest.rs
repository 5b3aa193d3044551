//! Suggestions of guide chapters and modules for each clip, from what is
//! said in it (its transcripts in every language, its title and summary):
//! the countries and bodies it names, the glossary terms it shares with a
//! chapter or module, and a BM25 text similarity. Each suggestion carries
//! its reasons; none is applied: staff add the ones they accept to
//! `assets/clips.toml`.

use serde::Serialize;

use super::bm25::Index;
use crate::project::{mentions, Clip, Toolkit};
use crate::subtitles::read_cues;

/// One suggestion.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    /// The clip.
    pub clip: String,
    /// `chapter` or `module`.
    pub kind: &'static str,
    /// The chapter's or module's id.
    pub id: String,
    /// Higher is stronger.
    pub score: f64,
    /// Why, for people to judge ("mentions Niger", "shares 'ANLTP-TIM'").
    pub reasons: Vec<String>,
}

/// Weight of a named country or body, and of a shared glossary term,
/// against BM25's scale (a rare shared word scores about 1 to 3).
const NAME_WEIGHT: f64 = 3.0;
const TERM_WEIGHT: f64 = 1.0;
/// Below this a match is noise.
const MIN_SCORE: f64 = 2.0;
/// At most this many suggestions of each kind per clip.
const PER_KIND: usize = 3;

/// What is said in `clip`: the text of every transcript of its recording
/// between its start and end, with its titles and summaries.
pub fn clip_text(toolkit: &Toolkit, clip: &Clip) -> String {
    let mut text: Vec<String> = clip
        .title
        .languages()
        .chain(clip.summary.languages())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .flat_map(|l| [clip.title.get(l), clip.summary.get(l)])
        .flatten()
        .cloned()
        .collect();
    let prefix = format!("{}.", clip.recording.as_str());
    let folder = toolkit.root.join("transcripts");
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            name.starts_with(&prefix) && name.ends_with(".vtt")
        })
        .collect();
    files.sort();
    for file in files {
        for cue in read_cues(&file).unwrap_or_default() {
            if cue.end > *clip.start && cue.start < *clip.end {
                text.push(cue.text.replace('\n', " "));
            }
        }
    }
    text.join("\n")
}

/// Every suggestion for `clips` (all clips when empty), best first per clip.
pub fn suggest(toolkit: &Toolkit, clips: &[String]) -> Vec<Suggestion> {
    // One document per chapter and per module, in every language.
    let mut targets: Vec<(&'static str, String, Vec<String>, String)> = Vec::new();
    for chapter in &toolkit.chapters {
        let names: Vec<String> = chapter
            .texts
            .iter()
            .map(|t| t.front.title.clone())
            .collect();
        let text = chapter
            .texts
            .iter()
            .map(|t| {
                let facts: Vec<String> = t
                    .front
                    .facts
                    .fields()
                    .iter()
                    .filter_map(|(_, f)| match f.map(|f| &**f) {
                        Some(crate::project::Fact::Known(text)) => Some(text.clone()),
                        _ => None,
                    })
                    .collect();
                format!("{}\n{}\n{}", t.front.title, facts.join("\n"), t.body)
            })
            .collect::<Vec<_>>()
            .join("\n");
        targets.push(("chapter", chapter.id().to_string(), names, text));
    }
    for module in &toolkit.modules {
        let file = &module.file;
        let mut text: Vec<String> = Vec::new();
        for language in toolkit.languages() {
            text.extend(file.title.get(language).cloned());
            text.extend(file.summary.get(language).cloned());
            text.extend(file.objectives.get(language).into_iter().flatten().cloned());
            text.extend(file.trainer_notes.get(language).cloned());
            for step in &file.steps {
                for part in [&step.question, &step.exercise, &step.pause]
                    .into_iter()
                    .flatten()
                {
                    text.extend(part.get(language).cloned());
                }
            }
        }
        targets.push(("module", module.id.clone(), Vec::new(), text.join("\n")));
    }
    let index = Index::new(&targets.iter().map(|t| t.3.clone()).collect::<Vec<_>>());
    // Each glossary term (either language), weighted ln(N / number of targets that say it).
    let mut term_weights: Vec<(String, f64)> = Vec::new();
    for term in &toolkit.glossary {
        for language in term.text.languages() {
            let Some(text) = term.text.get(language) else {
                continue;
            };
            if term_weights.iter().any(|(t, _)| t == text) {
                continue;
            }
            let df = targets.iter().filter(|t| mentions(&t.3, text)).count();
            if df > 0 {
                term_weights.push((text.clone(), (targets.len() as f64 / df as f64).ln()));
            }
        }
    }

    let mut suggestions = Vec::new();
    for clip in &toolkit.clips {
        if !clips.is_empty() && !clips.iter().any(|c| c == clip.id.as_str()) {
            continue;
        }
        let said = clip_text(toolkit, clip);
        let mut found: Vec<Suggestion> = Vec::new();
        for (n, (kind, id, names, text)) in targets.iter().enumerate() {
            let declared = match *kind {
                "chapter" => clip.chapters.iter().any(|c| c.as_str() == id),
                _ => clip.modules.iter().any(|m| m.as_str() == id),
            };
            if declared {
                continue;
            }
            let mut reasons = Vec::new();
            let mut score = 0.0;
            let named: Vec<&String> = names.iter().filter(|name| mentions(&said, name)).collect();
            if let Some(name) = named.first() {
                score += NAME_WEIGHT;
                reasons.push(format!("mentions {name}"));
            }
            // A term most chapters and modules say tells little: weigh it by its rarity.
            let mut shared: Vec<(f64, &str)> = Vec::new();
            for (term, weight) in &term_weights {
                if *weight > 0.0 && mentions(&said, term) && mentions(text, term) {
                    shared.push((*weight, term.as_str()));
                }
            }
            shared.sort_by(|a, b| b.0.total_cmp(&a.0));
            if !shared.is_empty() {
                score += TERM_WEIGHT * shared.iter().take(4).map(|(w, _)| w).sum::<f64>();
                let quoted: Vec<String> = shared
                    .iter()
                    .take(4)
                    .map(|(_, t)| format!("\u{201c}{t}\u{201d}"))
                    .collect();
                reasons.push(format!("both say {}", quoted.join(", ")));
            }
            let (similarity, words) = index.score(n, &said);
            score += similarity;
            if similarity > 0.5 {
                reasons.push(format!(
                    "similar words: {}",
                    words.into_iter().take(5).collect::<Vec<_>>().join(", ")
                ));
            }
            if score >= MIN_SCORE {
                found.push(Suggestion {
                    clip: clip.id.to_string(),
                    kind,
                    id: id.clone(),
                    score: (score * 10.0).round() / 10.0,
                    reasons,
                });
            }
        }
        found.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        for kind in ["chapter", "module"] {
            suggestions.extend(
                found
                    .iter()
                    .filter(|s| s.kind == kind)
                    .take(PER_KIND)
                    .cloned(),
            );
        }
    }
    suggestions
}
