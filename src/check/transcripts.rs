//! Checks of the files in `transcripts/`: each one is inside the project
//! (not a symbolic link out of it), each subtitle file reads, and each cue
//! keeps to the subtitle rules (reported as warnings, with the line, for
//! the people who correct them).

use std::path::Path;

use super::Checker;
use crate::diagnostic::{Location, SourceText};
use crate::project::check_inside;
use crate::subtitles::rules::{check_cues, CueRules};
use crate::subtitles::{is_srt, parse_cues_with_lines, read_cues, read_subtitle_text};

pub(super) fn check(c: &mut Checker<'_>) {
    let folder = c.tk.root.join("transcripts");
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return;
    };
    // Hidden files are not transcripts (a run killed midway may leave one half-written).
    let mut files: Vec<_> = entries
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    files.sort();
    // What is read from here goes into packages: a file that leads out of
    // the project is an error, and is read by no check.
    files.retain(|path| {
        let Err(reason) = check_inside(&c.tk.root, path) else {
            return true;
        };
        let relative = Path::new("transcripts").join(path.file_name().unwrap_or_default());
        c.d.error(Some(Location::file(relative)), reason);
        false
    });
    for path in &files {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        // The SRT twin of a WebVTT file says the same, or carries an edit
        // the next build copies into the WebVTT: checked there, unless it
        // does not read.
        let checked = ext == "vtt"
            || (ext == "srt"
                && (!path.with_extension("vtt").is_file() || read_cues(path).is_err()));
        if checked {
            check_file(c, path);
        }
    }
}

fn check_file(c: &mut Checker<'_>, path: &Path) {
    let relative = Path::new("transcripts").join(path.file_name().unwrap_or_default());
    let text = match read_subtitle_text(path) {
        Ok(text) => text,
        Err(e) => {
            c.d.error(
                Some(Location::file(&relative)),
                format!("cannot read the file: {e}"),
            );
            return;
        }
    };
    let source = SourceText::new(&relative, text);
    let cues = match parse_cues_with_lines(source.text(), is_srt(path)) {
        Ok(cues) => cues,
        Err(e) => {
            let location = Location {
                file: relative,
                line: Some(e.line),
                column: Some(e.column),
            };
            c.d.error(Some(location), e.message).help = Some("fix the line in a text editor, or delete the file and run `confkit transcribe` again".into());
            return;
        }
    };
    // `<recording>.<lang>.vtt`; a session in two languages gets the stricter French speed.
    let language = relative
        .file_stem()
        .and_then(|s| s.to_str())
        .and_then(|s| s.rsplit_once('.'))
        .map_or("fr", |(_, lang)| if lang == "en" { "en" } else { "fr" });
    let rules = CueRules::for_language(language);
    let plain: Vec<_> = cues.iter().map(|(_, cue)| cue.clone()).collect();
    for rule_break in check_cues(&plain, &rules) {
        let (line, cue) = &cues[rule_break.cue];
        let location = Location {
            file: relative.clone(),
            line: Some(*line),
            column: Some(1),
        };
        c.d.warning(
            Some(location),
            format!("the cue at {}: {}", cue.start, rule_break.message),
        );
    }
}
