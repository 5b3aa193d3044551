//! Problems found in a toolkit project, each tied to the file, line and column
//! where the user can fix it.
//!
//! Loading and validation never stop at the first problem: they push every
//! finding into [`Diagnostics`] so that `confkit check` can show them all in
//! one run, the way a compiler does.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How bad a problem is: errors make `confkit check` fail, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something is missing or worth a look, but the project can still be built.
    Warning,
    /// The project cannot be built as it stands.
    Error,
}

/// A place in a project file, with 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    /// The file, relative to the project root where it is inside it.
    pub file: PathBuf,
    /// 1-based line, when the problem has a position in the file.
    pub line: Option<usize>,
    /// 1-based column in characters, when the problem has a position.
    pub column: Option<usize>,
}

impl Location {
    /// A whole file, with no position inside it.
    pub fn file(path: impl Into<PathBuf>) -> Location {
        Location {
            file: path.into(),
            line: None,
            column: None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// One problem: where, what is wrong, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where the problem is, when it is in a file.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The one item an error keeps out of the build, when it concerns one
    /// item only; the build goes on with the others.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skips: Option<Item>,
}

/// An item of the project that a problem can keep out of a build.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum Item {
    /// A recording whose file cannot be used, with everything cut from it.
    Recording(String),
    /// A clip that cannot be cut.
    Clip(String),
}

impl Diagnostic {
    /// Adds advice on how to fix the problem.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Marks the error as keeping `item` out of the build, and nothing else.
    pub fn skipping(&mut self, item: Item) -> &mut Diagnostic {
        self.skips = Some(item);
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = &self.location {
            write!(f, "{location}: ")?;
        }
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Every problem found so far, in the order found.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records an error and returns it for adding help.
    pub fn error(
        &mut self,
        location: Option<Location>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.push(Severity::Error, location, message)
    }

    /// Records a warning and returns it for adding help.
    pub fn warning(
        &mut self,
        location: Option<Location>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.push(Severity::Warning, location, message)
    }

    fn push(
        &mut self,
        severity: Severity,
        location: Option<Location>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.items.push(Diagnostic {
            severity,
            location,
            message: message.into(),
            help: None,
            skips: None,
        });
        self.items.last_mut().expect("just pushed")
    }

    /// Adds the errors found elsewhere, leaving their warnings.
    pub fn extend_errors(&mut self, other: &Diagnostics) {
        self.items.extend(
            other
                .items
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .cloned(),
        );
    }

    /// Adds findings made elsewhere.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// All findings.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.count(Severity::Error)
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// True when there is no error.
    pub fn is_ok(&self) -> bool {
        self.error_count() == 0
    }

    /// True when an error stops the whole build, not just one item.
    pub fn blocks_build(&self) -> bool {
        self.items
            .iter()
            .any(|d| d.severity == Severity::Error && d.skips.is_none())
    }

    /// The items errors keep out of the build, each with its first error.
    pub fn skipped(&self) -> BTreeMap<Item, String> {
        let mut skipped = BTreeMap::new();
        for d in &self.items {
            if let (Severity::Error, Some(item)) = (d.severity, &d.skips) {
                skipped
                    .entry(item.clone())
                    .or_insert_with(|| d.message.clone());
            }
        }
        skipped
    }

    /// Sorts findings by file and position so that output is stable and
    /// reads top to bottom, file by file.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.location, b.severity, &a.message).cmp(&(&b.location, a.severity, &b.message))
        });
    }

    /// Writes the findings for people, with colour when the stream allows it.
    pub fn write_human(&self, out: &mut dyn Write) -> io::Result<()> {
        let error = anstyle::AnsiColor::Red.on_default().bold();
        let warning = anstyle::AnsiColor::Yellow.on_default().bold();
        let bold = anstyle::Style::new().bold();
        for d in &self.items {
            if let Some(location) = &d.location {
                write!(out, "{bold}{location}:{bold:#} ")?;
            }
            match d.severity {
                Severity::Error => write!(out, "{error}error:{error:#} ")?,
                Severity::Warning => write!(out, "{warning}warning:{warning:#} ")?,
            }
            writeln!(out, "{}", d.message)?;
            if let Some(help) = &d.help {
                writeln!(out, "  help: {help}")?;
            }
        }
        Ok(())
    }

    /// The findings as JSON for tools: counts, then the list.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "errors": self.error_count(),
            "warnings": self.warning_count(),
            "diagnostics": self.items,
        })
    }
}

/// Turns byte offsets into 1-based line and column for one file's text.
#[derive(Debug, Clone)]
pub struct SourceText {
    path: PathBuf,
    text: String,
    line_starts: Vec<usize>,
}

impl SourceText {
    /// Keeps `text`, read from `path` (shown relative to the project root).
    pub fn new(path: impl Into<PathBuf>, text: String) -> SourceText {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceText {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// The path as shown in diagnostics.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The location of byte `offset`; the column counts characters, not bytes.
    pub fn location(&self, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let column = self.text[start..floor_char_boundary(&self.text, offset)]
            .chars()
            .count();
        Location {
            file: self.path.clone(),
            line: Some(line + 1),
            column: Some(column + 1),
        }
    }

    /// The location of a span's start, or the whole file when there is none.
    pub fn at(&self, span: Option<std::ops::Range<usize>>) -> Location {
        match span {
            Some(span) => self.location(span.start),
            None => Location::file(&self.path),
        }
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_one_based_lines_and_columns() {
        let src = SourceText::new("a.toml", "id = 1\nnom = \"é\" x\n".to_string());
        let loc = src.location(0);
        assert_eq!((loc.line, loc.column), (Some(1), Some(1)));
        let loc = src.location(7);
        assert_eq!((loc.line, loc.column), (Some(2), Some(1)));
        // the column counts the accented letter as one character
        let x = src.text().find('x').unwrap();
        assert_eq!(src.location(x).column, Some(11));
        assert_eq!(src.location(x).to_string(), "a.toml:2:11");
    }

    #[test]
    fn human_output_names_place_severity_and_help() {
        let mut d = Diagnostics::default();
        d.error(
            Some(Location {
                file: "assets/clips.toml".into(),
                line: Some(14),
                column: Some(9),
            }),
            "clip `a` ends after its recording",
        )
        .help = Some("shorten it".into());
        d.warning(None, "no recordings yet");
        let mut out = Vec::new();
        d.write_human(&mut anstream::StripStream::new(&mut out))
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "assets/clips.toml:14:9: error: clip `a` ends after its recording\n  help: shorten it\nwarning: no recordings yet\n"
        );
        assert_eq!((d.error_count(), d.warning_count()), (1, 1));
        assert_eq!(d.to_json()["diagnostics"][0]["line"], 14);
    }
}
