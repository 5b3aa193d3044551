//! Checks of clips (`assets/clips.toml`) and modules (`assets/modules/*.toml`):
//! what they point at exists, ranges fit their recordings, nothing is more
//! open than what it contains.

use super::{unknown_help, Checker, Wanted};
use crate::diagnostic::Item;
use crate::project::load::{
    CLIPS_FILE, GUIDE_FILE, INSTITUTIONS_FILE, MODULES_DIR, RECORDINGS_FILE,
};
use crate::project::{Clearance, Located, StepKind};
use crate::selection::clip_clearance;

pub(super) fn check_clips(c: &mut Checker<'_>) {
    let src = c.tk.files.clips;
    c.unique_ids("clip", c.tk.clips.iter().map(|clip| (src, &clip.id)));
    for clip in &c.tk.clips {
        let owner = format!("clip `{}`", clip.id.as_str());
        c.localized(
            src,
            clip.id.span(),
            &owner,
            "title",
            &clip.title,
            Wanted::EveryLanguage,
        );
        c.localized(
            src,
            clip.id.span(),
            &owner,
            "summary",
            &clip.summary,
            Wanted::Optional,
        );

        if *clip.end <= *clip.start {
            c.error(
                src,
                clip.end.span(),
                format!(
                    "{owner} ends at {} but starts at {}",
                    *clip.end, *clip.start
                ),
                "`end` must come after `start`",
            );
        }
        match c.tk.recording(&clip.recording) {
            Some(recording) => {
                if let Some(header) = c.tk.headers.get(recording.id.as_str()) {
                    let skip = Item::Clip(clip.id.to_string());
                    if let Some(length) = header.duration.filter(|&l| *clip.end > l) {
                        c.d.error(
                            c.at(src, clip.end.span()),
                            format!(
                                "{owner} ends at {} but recording `{}` lasts {length}",
                                *clip.end,
                                recording.id.as_str()
                            ),
                        )
                        .skipping(skip.clone())
                        .help = Some(format!("set `end` to {length} or earlier"));
                    }
                    if header.video_tracks == 0 {
                        c.d.error(
                            c.at(src, clip.recording.span()),
                            format!(
                                "{owner}: recording `{}` has no video (`{}` is sound only), and clips are cut as video",
                                recording.id.as_str(),
                                recording.file.as_str()
                            ),
                        )
                        .skipping(skip)
                        .help = Some("cut the clip from the session's video recording".into());
                    }
                }
                let clearance = clip.clearance.as_ref().map_or(Clearance::Public, |c| **c);
                if clearance < recording.clearance {
                    let span = clip
                        .clearance
                        .as_ref()
                        .map_or_else(|| clip.id.span(), Located::span);
                    c.error(
                        src,
                        span,
                        format!("{owner} is `{clearance}` but recording `{}` is `{}`", recording.id.as_str(), recording.clearance),
                        &format!("a clip cannot be more open than its recording: set `clearance = \"{}\"` or higher", recording.clearance),
                    );
                }
            }
            None if !c.tk.is_broken(RECORDINGS_FILE) => {
                let known = c.tk.recordings.iter().map(|r| r.id.as_str());
                let help = unknown_help(&clip.recording, known, RECORDINGS_FILE);
                c.error(
                    src,
                    clip.recording.span(),
                    format!("{owner}: unknown recording `{}`", clip.recording.as_str()),
                    &help,
                );
            }
            None => {}
        }
        for module in &clip.modules {
            match c.tk.module(module) {
                None => unknown_module(c, src, &owner, module),
                Some(m)
                    if !m
                        .file
                        .steps
                        .iter()
                        .any(|s| s.clip.as_ref().is_some_and(|id| **id == *clip.id)) =>
                {
                    c.warning(
                        src,
                        module.span(),
                        format!(
                            "{owner} names module `{}`, but the module has no step that plays it",
                            module.as_str()
                        ),
                        &format!(
                            "add `[[step]]` with `clip = \"{}\"` to {}",
                            clip.id.as_str(),
                            m.path.display()
                        ),
                    );
                }
                Some(_) => {}
            }
        }
        for chapter in &clip.chapters {
            unknown_chapter(c, src, &owner, chapter);
        }
    }
    check_overlapping_clearances(c);
}

/// A clip that overlaps a clip of the same recording cleared for fewer
/// people shares some of its speech: its subtitles stop at its edge, but
/// the words spoken in the shared stretch are in both.
fn check_overlapping_clearances(c: &mut Checker<'_>) {
    let src = c.tk.files.clips;
    let clips = &c.tk.clips;
    let mut found = Vec::new();
    for open in clips {
        for strict in clips {
            if open.recording.as_str() != strict.recording.as_str()
                || *open.start >= *strict.end
                || *open.end <= *strict.start
            {
                continue;
            }
            let (a, b) = (clip_clearance(c.tk, open), clip_clearance(c.tk, strict));
            if a < b {
                found.push((
                    open.id.span(),
                    open.id.to_string(),
                    a,
                    strict.id.to_string(),
                    b,
                ));
            }
        }
    }
    for (span, open, a, strict, b) in found {
        c.warning(
            src,
            span,
            format!("clip `{open}` (`{a}`) overlaps clip `{strict}` (`{b}`): what is said in both is shipped with the wider clearance"),
            &format!("end one clip where the other starts, or give `{open}` the clearance `{b}`"),
        );
    }
}

pub(super) fn check_modules(c: &mut Checker<'_>) {
    for module in &c.tk.modules {
        let src = Some(module.source);
        let owner = format!("module `{}`", module.id);
        let whole = 0..0;
        if let Some(reason) = crate::project::unsafe_id_reason(&module.id) {
            c.error(
                src,
                whole.clone(),
                format!("{owner}: the file name is not a safe id: {reason}"),
                &format!(
                    "rename the file to `{MODULES_DIR}/{}.toml`",
                    crate::project::slugify(&module.id)
                ),
            );
        }
        let file = &module.file;
        c.localized(
            src,
            whole.clone(),
            &owner,
            "title",
            &file.title,
            Wanted::EveryLanguage,
        );
        c.localized(
            src,
            whole.clone(),
            &owner,
            "summary",
            &file.summary,
            Wanted::Optional,
        );
        c.localized(
            src,
            whole.clone(),
            &owner,
            "objectives",
            &file.objectives,
            Wanted::EveryLanguage,
        );
        c.localized(
            src,
            whole.clone(),
            &owner,
            "trainer_notes",
            &file.trainer_notes,
            Wanted::Optional,
        );
        if file.steps.is_empty() {
            c.warning(
                src,
                whole.clone(),
                format!("{owner} has no steps"),
                "add `[[step]]` entries: a clip, a question, an exercise or a pause",
            );
        }
        for role in &file.audience {
            if c.tk.role(role).is_none() && !c.tk.is_broken(INSTITUTIONS_FILE) {
                let help = unknown_help(
                    role,
                    c.tk.roles.iter().map(|r| r.id.as_str()),
                    INSTITUTIONS_FILE,
                );
                c.error(
                    src,
                    role.span(),
                    format!("{owner}: unknown role `{}` in `audience`", role.as_str()),
                    &help,
                );
            }
        }
        for chapter in &file.chapters {
            unknown_chapter(c, src, &owner, chapter);
        }
        for (n, step) in file.steps.iter().enumerate() {
            let step_owner = format!("{owner}, step {}", n + 1);
            let kinds = step.kinds();
            match kinds.as_slice() {
                [] => c.error(src, step.span(), format!("{step_owner} is empty"), "give it one of `clip`, `question`, `exercise` or `pause`"),
                [_] => {}
                _ => c.error(
                    src,
                    step.span(),
                    format!("{step_owner} has {} kinds at once", kinds.len()),
                    "give each step one of `clip`, `question`, `exercise` or `pause`; split it into several steps",
                ),
            }
            for kind in kinds {
                match kind {
                    StepKind::Clip(id) => {
                        let located = step.clip.as_ref().expect("a clip step has a clip");
                        match c.tk.clip(id) {
                            // A module may play a clip that part of its audience may not
                            // see: clearance is settled per institution, when its package
                            // is selected.
                            Some(_) => {}
                            None if !c.tk.is_broken(CLIPS_FILE) => {
                                let help = unknown_help(
                                    id,
                                    c.tk.clips.iter().map(|c| c.id.as_str()),
                                    CLIPS_FILE,
                                );
                                c.error(
                                    src,
                                    located.span(),
                                    format!("{step_owner}: unknown clip `{id}`"),
                                    &help,
                                );
                            }
                            None => {}
                        }
                    }
                    StepKind::Question(text) => c.localized(
                        src,
                        step.span(),
                        &step_owner,
                        "question",
                        text,
                        Wanted::EveryLanguage,
                    ),
                    StepKind::Exercise(text) => c.localized(
                        src,
                        step.span(),
                        &step_owner,
                        "exercise",
                        text,
                        Wanted::EveryLanguage,
                    ),
                    StepKind::Pause(text) => c.localized(
                        src,
                        step.span(),
                        &step_owner,
                        "pause",
                        text,
                        Wanted::EveryLanguage,
                    ),
                }
            }
        }
    }
}

pub(super) fn unknown_module(
    c: &mut Checker<'_>,
    src: Option<usize>,
    owner: &str,
    module: &Located<String>,
) {
    let broken = format!("{MODULES_DIR}/{}.toml", module.as_str());
    if c.tk.is_broken(&broken) {
        return;
    }
    let help = unknown_help(
        module,
        c.tk.modules.iter().map(|m| m.id.as_str()),
        &format!("{MODULES_DIR}/ (one file per module)"),
    );
    c.error(
        src,
        module.span(),
        format!("{owner}: unknown module `{}`", module.as_str()),
        &help,
    );
}

pub(super) fn unknown_chapter(
    c: &mut Checker<'_>,
    src: Option<usize>,
    owner: &str,
    chapter: &Located<String>,
) {
    if c.tk.chapter(chapter).is_some() || c.tk.is_broken(GUIDE_FILE) {
        return;
    }
    let help = unknown_help(chapter, c.tk.chapters.iter().map(|c| c.id()), GUIDE_FILE);
    c.error(
        src,
        chapter.span(),
        format!("{owner}: unknown guide chapter `{}`", chapter.as_str()),
        &help,
    );
}
