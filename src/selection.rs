//! What one institution receives: the modules for its role (and any it
//! asks for), the clips of those modules, the guide chapters of its country,
//! its route neighbours, the regional bodies and the modules' chapters, in
//! its languages and within its clearance. What its clearance keeps out is
//! listed with the reason, so that staff can answer "why is this missing?".

use std::collections::BTreeSet;

use serde::Serialize;

use crate::project::{
    Chapter, ChapterKind, Clearance, Clip, Institution, Module, StepKind, Toolkit,
};

/// One institution's share of the project.
#[derive(Debug, Serialize)]
pub struct Selection<'a> {
    /// The institution's id.
    pub institution: String,
    /// Its clearance (its own, else its role's).
    pub clearance: Clearance,
    /// The package's languages, main first (the conference's only).
    pub languages: Vec<String>,
    /// Modules, in the project's order.
    #[serde(serialize_with = "ids_of_modules")]
    pub modules: Vec<&'a Module>,
    /// Clips of those modules, in the order the modules play them.
    #[serde(serialize_with = "ids_of_clips")]
    pub clips: Vec<&'a Clip>,
    /// Guide chapters, in the guide's order.
    #[serde(serialize_with = "ids_of_chapters")]
    pub chapters: Vec<&'a Chapter>,
    /// What was meant for it but its clearance keeps out.
    pub left_out: Vec<LeftOut>,
}

/// Something the institution does not receive, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    /// `module`, `clip` or `chapter`.
    pub kind: &'static str,
    /// Its id.
    pub id: String,
    /// Why, in a sentence.
    pub reason: String,
}

/// The clearance of a clip: its own, never below its recording's.
pub fn clip_clearance(toolkit: &Toolkit, clip: &Clip) -> Clearance {
    let own = clip.clearance.as_ref().map_or(Clearance::Public, |c| **c);
    let recording = toolkit
        .recording(&clip.recording)
        .map_or(Clearance::Public, |r| r.clearance);
    own.max(recording)
}

/// The institution's clearance: its own, else its role's.
pub fn institution_clearance(toolkit: &Toolkit, institution: &Institution) -> Clearance {
    institution.clearance.unwrap_or_else(|| {
        toolkit
            .role(&institution.role)
            .map_or(Clearance::Public, |r| r.clearance)
    })
}

/// Selects what `institution` receives.
pub fn select<'a>(toolkit: &'a Toolkit, institution: &Institution) -> Selection<'a> {
    let clearance = institution_clearance(toolkit, institution);
    let mut left_out: Vec<LeftOut> = Vec::new();
    let refused = |kind: &'static str, id: &str, level: Clearance| LeftOut {
        kind,
        id: id.to_string(),
        reason: format!(
            "{kind} `{id}` is `{level}`; `{}` is cleared for `{clearance}`",
            institution.id.as_str()
        ),
    };

    let modules: Vec<&Module> = toolkit
        .modules
        .iter()
        .filter(|m| {
            m.file
                .audience
                .iter()
                .any(|r| r.as_str() == institution.role.as_str())
                || institution.modules.iter().any(|id| id.as_str() == m.id)
        })
        .filter(|m| {
            let allowed = clearance.allows(m.file.clearance);
            if !allowed {
                left_out.push(refused("module", &m.id, m.file.clearance));
            }
            allowed
        })
        .collect();

    let mut clips: Vec<&Clip> = Vec::new();
    for module in &modules {
        for step in &module.file.steps {
            for kind in step.kinds() {
                let StepKind::Clip(id) = kind else { continue };
                let Some(clip) = toolkit.clip(id) else {
                    continue;
                };
                if clips.iter().any(|c| c.id.as_str() == id)
                    || left_out.iter().any(|l| l.kind == "clip" && l.id == id)
                {
                    continue;
                }
                let level = clip_clearance(toolkit, clip);
                if clearance.allows(level) {
                    clips.push(clip);
                } else {
                    left_out.push(refused("clip", id, level));
                }
            }
        }
    }

    // Its country, the neighbours on the routes, every body, what it asks
    // for, and what its modules rely on.
    let own = institution
        .country
        .as_ref()
        .or(institution.body.as_ref())
        .map(|c| c.to_string());
    let mut wanted: BTreeSet<String> = BTreeSet::new();
    if let Some(own) = &own {
        wanted.insert(own.clone());
        if let Some(chapter) = toolkit.chapter(own) {
            wanted.extend(chapter.entry.neighbours.iter().map(|n| n.to_string()));
        }
    }
    wanted.extend(institution.chapters.iter().map(|c| c.to_string()));
    wanted.extend(
        modules
            .iter()
            .flat_map(|m| m.file.chapters.iter().map(|c| c.to_string())),
    );
    let chapters: Vec<&Chapter> = toolkit
        .chapters
        .iter()
        .filter(|c| c.entry.kind == ChapterKind::Body || wanted.contains(c.id()))
        .filter(|c| {
            let allowed = clearance.allows(c.entry.clearance);
            if !allowed {
                left_out.push(refused("chapter", c.id(), c.entry.clearance));
            }
            allowed
        })
        .collect();

    let languages = institution
        .languages
        .iter()
        .filter(|l| toolkit.languages().contains(l))
        .cloned()
        .collect();
    Selection {
        institution: institution.id.to_string(),
        clearance,
        languages,
        modules,
        clips,
        chapters,
        left_out,
    }
}

fn ids_of_modules<S: serde::Serializer>(modules: &[&Module], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(modules.iter().map(|m| m.id.as_str()))
}

fn ids_of_clips<S: serde::Serializer>(clips: &[&Clip], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(clips.iter().map(|c| c.id.as_str()))
}

fn ids_of_chapters<S: serde::Serializer>(chapters: &[&Chapter], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(chapters.iter().map(|c| c.id()))
}
