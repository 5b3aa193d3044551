//! Fuzzing of the parsers people feed by hand: SRT and WebVTT subtitles,
//! XLIFF from translation tools, and the TOML project files. Each target
//! mutates real documents (deletes, inserts, repeats and swaps pieces) and
//! checks that the parser never panics, that its errors point inside the
//! document, and that what it accepts survives a write and a read.
//!
//! Not part of `make test`: the targets run for a bounded time from
//! `scripts/bench-fuzz` (`make bench`):
//!
//!     CONFKIT_FUZZ_SECONDS=60 cargo test --release --test fuzz -- --ignored

use std::path::Path;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// How long each target runs.
fn budget() -> Duration {
    let seconds = std::env::var("CONFKIT_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    Duration::from_secs(seconds)
}

/// One change to a document.
#[derive(Debug, Clone)]
enum Mutation {
    Delete { at: f64, len: usize },
    Insert { at: f64, text: String },
    Repeat { at: f64, len: usize },
    Swap { a: f64, b: f64, len: usize },
}

/// Pieces that matter to the formats, mixed with anything at all.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("-->".to_string()),
        Just("\n\n".to_string()),
        Just("\r\n".to_string()),
        Just("\u{feff}".to_string()),
        Just(":".to_string()),
        Just(",".to_string()),
        Just("<".to_string()),
        Just("&".to_string()),
        Just("\"".to_string()),
        Just("[[".to_string()),
        Just("]]".to_string()),
        Just("=".to_string()),
        Just("99:99:99.999".to_string()),
        // Long runs, where a parser that looks ahead from every character
        // takes time quadratic in the run (a `<` searching for its `>`).
        Just("<".repeat(4_096)),
        Just("&".repeat(4_096)),
        Just("-->".repeat(1_024)),
        Just((0..512).map(|n| format!(" a{n}=\"\"")).collect::<String>()),
        "\\PC{0,12}",
        ".{0,4}",
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (0.0..1.0, 1usize..40).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (0.0..1.0, piece()).prop_map(|(at, text)| Mutation::Insert { at, text }),
        (0.0..1.0, 1usize..200).prop_map(|(at, len)| Mutation::Repeat { at, len }),
        (0.0..1.0, 0.0..1.0, 1usize..60).prop_map(|(a, b, len)| Mutation::Swap { a, b, len }),
    ]
}

/// `seed` with `mutations` applied, on characters (the parsers take text).
fn mutate(seed: &str, mutations: &[Mutation]) -> String {
    let mut chars: Vec<char> = seed.chars().collect();
    let index = |at: f64, len: usize| ((at * len as f64) as usize).min(len);
    for m in mutations {
        let n = chars.len();
        match m {
            Mutation::Delete { at, len } => {
                let from = index(*at, n);
                chars.drain(from..(from + len).min(n));
            }
            Mutation::Insert { at, text } => {
                let from = index(*at, n);
                chars.splice(from..from, text.chars());
            }
            Mutation::Repeat { at, len } => {
                let from = index(*at, n);
                let piece: Vec<char> = chars[from..(from + len).min(n)].to_vec();
                chars.splice(from..from, piece);
            }
            Mutation::Swap { a, b, len } => {
                let (a, b) = (index(*a, n), index(*b, n));
                let (a, b) = (a.min(b), a.max(b));
                if a + len <= b && b + len <= n {
                    for i in 0..*len {
                        chars.swap(a + i, b + i);
                    }
                }
            }
        }
    }
    chars.into_iter().collect()
}

/// Runs `check` on mutations of `seeds` (given the index of the seed
/// mutated) until the budget is spent; returns the number of inputs tried.
fn fuzz(
    name: &str,
    seeds: &[String],
    check: impl Fn(usize, &str) -> Result<(), TestCaseError>,
) -> u64 {
    let strategy = (0..seeds.len(), proptest::collection::vec(mutation(), 0..8));
    let deadline = Instant::now() + budget();
    let mut tried = 0;
    while Instant::now() < deadline {
        let mut runner = TestRunner::new(Config {
            cases: 256,
            failure_persistence: None,
            ..Config::default()
        });
        let result = runner.run(&strategy, |(seed, mutations)| {
            check(seed, &mutate(&seeds[seed], &mutations))
        });
        if let Err(e) = result {
            panic!("{name}: {e}");
        }
        tried += 256;
    }
    eprintln!("fuzz {name}: {tried} inputs in {:?}, no failure", budget());
    tried
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Checks that an error's line and column lie inside `text`.
fn inside(text: &str, line: usize, column: usize) -> Result<(), TestCaseError> {
    let lines: Vec<&str> = text.lines().collect();
    prop_assert!(
        line >= 1 && line <= lines.len().max(1),
        "line {line} of {}",
        lines.len()
    );
    let width = lines.get(line - 1).map_or(0, |l| l.chars().count());
    prop_assert!(
        column >= 1 && column <= width + 1,
        "column {column} of {width}"
    );
    Ok(())
}

const VTT: &str = "WEBVTT\n\nNOTE made by hand\n\n1\n00:00:01.000 --> 00:00:04.500 line:90%\n<v Orateur>Bonjour &amp; bienvenue\nà Niamey\n\n00:05.000 --> 00:07.000\n<i>Merci</i>\n";
const SRT: &str = "1\r\n00:00:01,000 --> 00:00:02,000\r\nHello\r\n\r\n2\r\n00:00:03,000 --> 00:00:04,250\r\nWorld, <b>again</b>\r\n";

#[test]
#[ignore = "fuzzing runs from scripts/bench-fuzz, for a bounded time"]
fn subtitles() {
    use confkit::subtitles::{parse_cues, write_srt, write_vtt};
    let seeds = [VTT.to_string(), SRT.to_string()];
    fuzz("subtitles", &seeds, |_, text| {
        for srt in [false, true] {
            match parse_cues(text, srt) {
                Err(e) => inside(text, e.line, e.column)?,
                Ok(cues) => {
                    for cue in &cues {
                        prop_assert!(cue.start < cue.end, "{cue:?}");
                    }
                    // What was accepted is written and read back the same.
                    prop_assert_eq!(&parse_cues(&write_vtt(&cues), false).unwrap(), &cues);
                    // SRT has no way to write `<` or `>` as text.
                    if !cues.iter().any(|c| c.text.contains(['<', '>'])) {
                        prop_assert_eq!(&parse_cues(&write_srt(&cues), true).unwrap(), &cues);
                    }
                }
            }
        }
        Ok(())
    });
}

#[test]
#[ignore = "fuzzing runs from scripts/bench-fuzz, for a bounded time"]
fn xliff() {
    use confkit::translate::xliff::{read, write};
    let v12 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n  <file original=\"transcripts/x.fr.vtt\" source-language=\"fr\" target-language=\"en\" datatype=\"plaintext\">\n    <header><note>Relire</note></header>\n    <body>\n      <trans-unit id=\"1\" resname=\"00:00:01.000 --> 00:00:03.000\">\n        <source>Bonjour &amp; bienvenue</source>\n        <target state=\"final\">Hello &amp; welcome</target>\n        <note>traite = trafficking</note>\n      </trans-unit>\n      <trans-unit id=\"2\" resname=\"00:00:04.000 --> 00:00:06.000\">\n        <source>Merci</source>\n      </trans-unit>\n    </body>\n  </file>\n</xliff>\n";
    let v20 = "<?xml version=\"1.0\"?>\n<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\" srcLang=\"fr\" trgLang=\"en\">\n <file id=\"f1\" original=\"transcripts/x.fr.vtt\">\n  <unit id=\"1\" name=\"00:00:01.000 --> 00:00:03.000\">\n   <segment state=\"translated\"><source>Bonjour</source><target>Hello</target></segment>\n  </unit>\n </file>\n</xliff>\n";
    let seeds = [v12.to_string(), v20.to_string()];
    fuzz("xliff", &seeds, |_, text| {
        match read(text) {
            Err(e) => prop_assert!(
                e.offset <= text.len(),
                "offset {} of {}",
                e.offset,
                text.len()
            ),
            Ok(document) => {
                // What was accepted is written and read back the same.
                let again = read(&write(&document)).map_err(|e| {
                    TestCaseError::fail(format!("its own XLIFF does not read: {}", e.message))
                })?;
                prop_assert_eq!(again.units.len(), document.units.len());
                for (a, b) in again.units.iter().zip(&document.units) {
                    prop_assert_eq!(
                        (&a.time, &a.source, &a.target),
                        (&b.time, &b.source, &b.target)
                    );
                }
            }
        }
        Ok(())
    });
}

/// The Niamey project's own files, one at a time replaced by a mutation of
/// itself, in a copy without media: loading and checking never panics, and
/// every problem in a project file points inside it.
#[test]
#[ignore = "fuzzing runs from scripts/bench-fuzz, for a bounded time"]
fn project_files() {
    let files = [
        "confkit.toml",
        "assets/recordings.toml",
        "assets/clips.toml",
        "assets/institutions.toml",
        "assets/glossary.toml",
        "assets/guide.toml",
        "assets/redactions.toml",
    ];
    let copy = tempfile::tempdir().unwrap();
    for dir in ["assets/modules", "assets/guide"] {
        std::fs::create_dir_all(copy.path().join(dir)).unwrap();
        for entry in std::fs::read_dir(repo().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, copy.path().join(dir).join(path.file_name().unwrap())).unwrap();
        }
    }
    let seeds: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(repo().join(f)).unwrap())
        .collect();
    for (file, seed) in files.iter().zip(&seeds) {
        std::fs::write(copy.path().join(file), seed).unwrap();
    }
    fuzz("project files", &seeds, |n, text| {
        // The mutated file replaces its original; the others stay as they are.
        let target = copy.path().join(files[n]);
        std::fs::write(&target, text).unwrap();
        let (_, diagnostics) = confkit::project::Toolkit::check(copy.path());
        std::fs::write(&target, &seeds[n]).unwrap();
        for d in diagnostics.iter() {
            let Some(location) = &d.location else {
                continue;
            };
            if location.file == Path::new(files[n]) {
                if let (Some(line), Some(column)) = (location.line, location.column) {
                    inside(text, line, column)?;
                }
            }
        }
        Ok(())
    });
}
