//! `assets/modules/<id>.toml`: thematic training modules, played step by step
//! by a trainer in a workshop.

use serde::{Deserialize, Serialize};

use super::{Clearance, Localized, Located};

/// One module; its id is the file name without `.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleFile {
    /// Title per language.
    pub title: Localized,
    /// What the module is about, per language.
    #[serde(default)]
    pub summary: Localized,
    /// Position in lists of modules (lower first).
    #[serde(default)]
    pub order: u32,
    /// Roles (from `assets/institutions.toml`) whose institutions receive it.
    #[serde(default)]
    pub audience: Vec<Located<String>>,
    /// Guide chapters the module relies on.
    #[serde(default)]
    pub chapters: Vec<Located<String>>,
    /// Who may see it.
    #[serde(default)]
    pub clearance: Clearance,
    /// What participants should be able to do afterwards, per language.
    pub objectives: Localized<Vec<String>>,
    /// Advice for the trainer, hidden from participants, per language.
    #[serde(default)]
    pub trainer_notes: Localized,
    /// The steps, in the order they are played.
    #[serde(default, rename = "step")]
    pub steps: Vec<Located<Step>>,
}

/// One step of a module: exactly one of a clip, a question, an exercise or a pause.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// A clip to play.
    pub clip: Option<Located<String>>,
    /// A question for discussion, per language.
    pub question: Option<Localized>,
    /// An exercise, per language.
    pub exercise: Option<Localized>,
    /// A pause for the trainer to speak, per language.
    pub pause: Option<Localized>,
    /// Minutes planned for a question, an exercise or a pause.
    #[serde(default)]
    pub minutes: u32,
}

/// What a step does, once validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind<'a> {
    /// Play a clip.
    Clip(&'a str),
    /// Discuss a question.
    Question(&'a Localized),
    /// Do an exercise.
    Exercise(&'a Localized),
    /// The trainer speaks.
    Pause(&'a Localized),
}

impl Step {
    /// Every kind the step declares; a valid step declares exactly one.
    pub fn kinds(&self) -> Vec<StepKind<'_>> {
        let mut kinds = Vec::new();
        if let Some(clip) = &self.clip {
            kinds.push(StepKind::Clip(clip.as_str()));
        }
        if let Some(q) = &self.question {
            kinds.push(StepKind::Question(q));
        }
        if let Some(e) = &self.exercise {
            kinds.push(StepKind::Exercise(e));
        }
        if let Some(p) = &self.pause {
            kinds.push(StepKind::Pause(p));
        }
        kinds
    }
}

/// A loaded module: its id and its file's content.
#[derive(Debug, Clone)]
pub struct Module {
    /// The file name without `.toml`.
    pub id: String,
    /// Where it was read from, relative to the project root.
    pub path: std::path::PathBuf,
    /// Index of its source in the toolkit, for diagnostics.
    pub source: usize,
    /// The content.
    pub file: ModuleFile,
}
