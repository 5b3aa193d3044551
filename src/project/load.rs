//! Reading a project's files: every file is read and parsed on its own, a
//! file that fails is reported at its line and column and the others are
//! still read, so that one typo does not hide the rest.

use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::guide::{split_front_matter, Chapter, ChapterFront, ChapterText, GuideFile};
use super::modules::{Module, ModuleFile};
use super::paths::check_inside;
use super::{
    ClipsFile, Config, FileSources, GlossaryFile, InstitutionsFile, RecordingsFile, RedactionsFile,
    Toolkit, PROJECT_FILE,
};
use crate::diagnostic::{Diagnostics, Location, SourceText};

/// Where each project file lives, relative to the root.
pub(crate) const RECORDINGS_FILE: &str = "assets/recordings.toml";
pub(crate) const CLIPS_FILE: &str = "assets/clips.toml";
pub(crate) const GUIDE_FILE: &str = "assets/guide.toml";
pub(crate) const GUIDE_DIR: &str = "assets/guide";
pub(crate) const MODULES_DIR: &str = "assets/modules";
pub(crate) const INSTITUTIONS_FILE: &str = "assets/institutions.toml";
pub(crate) const GLOSSARY_FILE: &str = "assets/glossary.toml";
pub(crate) const REDACTIONS_FILE: &str = "assets/redactions.toml";

pub(super) fn load(root: &Path, diagnostics: &mut Diagnostics) -> Toolkit {
    let mut reader = Reader {
        root,
        sources: Vec::new(),
        broken: Vec::new(),
        diagnostics,
    };
    let mut files = FileSources::default();
    let config = reader.toml::<Config>(PROJECT_FILE, &mut files.config, true);
    let recordings: RecordingsFile = reader.toml_or_default(RECORDINGS_FILE, &mut files.recordings);
    let clips: ClipsFile = reader.toml_or_default(CLIPS_FILE, &mut files.clips);
    let guide: GuideFile = reader.toml_or_default(GUIDE_FILE, &mut files.guide);
    let institutions: InstitutionsFile =
        reader.toml_or_default(INSTITUTIONS_FILE, &mut files.institutions);
    let glossary: GlossaryFile = reader.toml_or_default(GLOSSARY_FILE, &mut files.glossary);
    let redactions: RedactionsFile = reader.toml_or_default(REDACTIONS_FILE, &mut files.redactions);
    let modules = reader.modules();
    let languages: Vec<String> = config
        .as_ref()
        .map(|c| c.conference.languages.to_vec())
        .unwrap_or_default();
    let chapters = reader.chapters(guide.chapters, &languages);

    Toolkit {
        root: root.to_path_buf(),
        config,
        recordings: recordings.recordings,
        clips: clips.clips,
        modules,
        guide_title: guide.title,
        chapters,
        roles: institutions.roles,
        institutions: institutions.institutions,
        glossary: glossary.terms,
        redactions,
        headers: Default::default(),
        skipped: Default::default(),
        cache: crate::fs::Cache::open(crate::layout::Layout::new(root).cache_file()),
        sources: reader.sources,
        broken: reader.broken,
        files,
    }
}

struct Reader<'a> {
    root: &'a Path,
    sources: Vec<SourceText>,
    /// Files that exist but could not be read or parsed.
    broken: Vec<PathBuf>,
    diagnostics: &'a mut Diagnostics,
}

impl Reader<'_> {
    /// Reads a file as UTF-8 into a new source; `None` (and an error) when
    /// it cannot be, or when it is not really inside the project (a
    /// symbolic link out of it): such a file is not even read.
    fn read(&mut self, relative: &Path) -> Option<usize> {
        if let Err(reason) = check_inside(self.root, relative) {
            self.broken.push(relative.to_path_buf());
            self.diagnostics
                .error(Some(Location::file(relative)), reason);
            return None;
        }
        let bytes = match fs::read(self.root.join(relative)) {
            Ok(bytes) => bytes,
            Err(e) => {
                self.broken.push(relative.to_path_buf());
                self.diagnostics.error(
                    Some(Location::file(relative)),
                    format!("cannot read the file: {e}"),
                );
                return None;
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let location =
                    SourceText::new(relative, String::from_utf8_lossy(e.as_bytes()).into_owned())
                        .location(e.utf8_error().valid_up_to());
                self.broken.push(relative.to_path_buf());
                self.diagnostics
                    .error(Some(location), "the file is not valid UTF-8")
                    .help = Some(
                    "save it as UTF-8 (most editors offer it under \"Save as\" or \"Encoding\")"
                        .into(),
                );
                return None;
            }
        };
        self.sources.push(SourceText::new(relative, text));
        Some(self.sources.len() - 1)
    }

    /// Parses `toml` (the text of source `index`, or a blanked copy of it) as `T`.
    fn parse<T: DeserializeOwned>(&mut self, index: usize, toml: &str) -> Option<T> {
        match toml::from_str::<T>(toml) {
            Ok(value) => Some(value),
            Err(e) => {
                let source = &self.sources[index];
                self.broken.push(source.path().to_path_buf());
                let location = source.at(e.span());
                self.diagnostics
                    .error(Some(location), tidy_toml_message(e.message()));
                None
            }
        }
    }

    /// Reads and parses a fixed project file; `source` is set only when it parsed.
    fn toml<T: DeserializeOwned>(
        &mut self,
        relative: &str,
        source: &mut Option<usize>,
        required: bool,
    ) -> Option<T> {
        let path = Path::new(relative);
        if !self.root.join(path).exists() {
            if required {
                self.diagnostics
                    .error(Some(Location::file(path)), "the file is missing")
                    .help = Some("run `confkit new DIR` to see a complete project".into());
            }
            return None;
        }
        let index = self.read(path)?;
        *source = Some(index);
        let text = self.sources[index].text().to_string();
        self.parse(index, &text)
    }

    /// An optional project file: absent is the same as empty.
    fn toml_or_default<T: DeserializeOwned + Default>(
        &mut self,
        relative: &str,
        source: &mut Option<usize>,
    ) -> T {
        self.toml(relative, source, false).unwrap_or_default()
    }

    fn modules(&mut self) -> Vec<Module> {
        let mut modules = Vec::new();
        for path in self.list(MODULES_DIR, "toml") {
            let Some(id) = path
                .file_stem()
                .and_then(|s| s.to_str())
                .map(str::to_string)
            else {
                continue;
            };
            let Some(index) = self.read(&path) else {
                continue;
            };
            let text = self.sources[index].text().to_string();
            if let Some(file) = self.parse::<ModuleFile>(index, &text) {
                modules.push(Module {
                    id,
                    path,
                    source: index,
                    file,
                });
            }
        }
        modules.sort_by(|a, b| (a.file.order, &a.id).cmp(&(b.file.order, &b.id)));
        modules
    }

    fn chapters(
        &mut self,
        entries: Vec<super::ChapterEntry>,
        languages: &[String],
    ) -> Vec<Chapter> {
        let mut chapters: Vec<Chapter> = entries
            .into_iter()
            .map(|entry| Chapter {
                entry,
                texts: Vec::new(),
            })
            .collect();
        for path in self.list(GUIDE_DIR, "md") {
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            let Some((id, language)) = name.rsplit_once('.') else {
                self.diagnostics
                    .warning(
                        Some(Location::file(&path)),
                        "a guide text must be named `<chapter>.<language>.md`; this one is ignored",
                    )
                    .help = Some(format!("rename it, e.g. `{GUIDE_DIR}/{name}.fr.md`"));
                continue;
            };
            let Some(chapter) = chapters.iter_mut().find(|c| *c.entry.id == id) else {
                self.diagnostics
                    .warning(
                        Some(Location::file(&path)),
                        format!(
                            "chapter `{id}` is not listed in {GUIDE_FILE}; this text is ignored"
                        ),
                    )
                    .help = Some(format!(
                    "add `[[chapter]]` with `id = \"{id}\"` to {GUIDE_FILE}, or remove the file"
                ));
                continue;
            };
            let Some(index) = self.read(&path) else {
                continue;
            };
            let text = self.sources[index].text().to_string();
            let Some(front_matter) = split_front_matter(&text) else {
                self.diagnostics
                    .error(
                        Some(Location {
                            file: path.clone(),
                            line: Some(1),
                            column: Some(1),
                        }),
                        "the chapter has no front matter",
                    )
                    .help = Some(
                    "start the file with a `+++` line, then `title = \"...\"` and the `[facts]` table, then a closing `+++` line"
                        .into(),
                );
                continue;
            };
            let body = front_matter.body.to_string();
            if let Some(front) = self.parse::<ChapterFront>(index, &front_matter.toml) {
                chapter.texts.push(ChapterText {
                    language: language.to_string(),
                    path,
                    source: index,
                    front,
                    body,
                });
            }
        }
        let rank = |lang: &str| {
            languages
                .iter()
                .position(|l| l == lang)
                .unwrap_or(usize::MAX)
        };
        for chapter in &mut chapters {
            chapter.texts.sort_by(|a, b| {
                (rank(&a.language), &a.language).cmp(&(rank(&b.language), &b.language))
            });
        }
        chapters
    }

    /// The files with extension `ext` in a project folder, sorted, relative to the root.
    fn list(&mut self, dir: &str, ext: &str) -> Vec<PathBuf> {
        let entries = match fs::read_dir(self.root.join(dir)) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
            Err(e) => {
                self.diagnostics.error(
                    Some(Location::file(dir)),
                    format!("cannot list the folder: {e}"),
                );
                return Vec::new();
            }
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == ext))
            .filter_map(|p| p.file_name().map(|n| Path::new(dir).join(n)))
            .collect();
        paths.sort();
        paths
    }
}

/// toml's messages end with a newline and sometimes name serde internals.
fn tidy_toml_message(message: &str) -> String {
    let message = message
        .trim()
        .replace("$__toml_private_datetime", "date")
        .replace('\n', "; ");
    if let Some(field) = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next())
    {
        return message.replacen(
            &format!("unknown field `{field}`"),
            &format!("unknown field `{field}` (a typo, or a field confkit does not know)"),
            1,
        );
    }
    if message.starts_with("invalid type") {
        if message.ends_with("expected a sequence") {
            return format!(
                "{message}: this field takes a list; put the value in brackets, e.g. `[\"fr\"]`"
            );
        }
        if message.ends_with("expected a string") {
            return format!("{message}: put the text in double quotes");
        }
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_messages_say_what_may_be_wrong() {
        let m = tidy_toml_message("unknown field `titel`, expected one of `id`, `title`\n");
        assert_eq!(
            m,
            "unknown field `titel` (a typo, or a field confkit does not know), expected one of `id`, `title`"
        );
    }
}
