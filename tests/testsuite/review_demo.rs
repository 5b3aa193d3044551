//! The demo's review on the Niamey project (Niger's institutions): the
//! staff's corrections and the translator's XLIFF applied by
//! `scripts/demo-review` with the real commands; what the review queue
//! flags and does not; the release gate; and the text that ships, measured
//! against the sample's own sentences.

use std::path::Path;

use serde_json::Value;

use crate::browser::Engine;
use crate::harness::{entries, repo_root, ProjectTest};
use crate::standards::a_platform_tracks_each_module;
use crate::trainer::search_lands_on_the_clip;

/// The Niamey project with only Niger's institutions (fewer packages).
fn niger_project() -> ProjectTest {
    let project = ProjectTest::empty();
    project.copy_from_repo(&["confkit.toml", "assets"]);
    let institutions =
        std::fs::read_to_string(repo_root().join("assets/institutions.toml")).unwrap();
    let mut blocks = institutions.split("\n[[institution]]\n");
    let mut kept = blocks.next().unwrap().to_string();
    for block in blocks.filter(|b| b.contains("country = \"niger\"")) {
        kept.push_str("\n[[institution]]\n");
        kept.push_str(block);
    }
    project.write("assets/institutions.toml", &kept);
    std::fs::create_dir_all(project.path().join("transcripts")).unwrap();
    project
}

fn demo_review(project: &ProjectTest) {
    let run = std::process::Command::new("bash")
        .arg(repo_root().join("scripts/demo-review"))
        .arg(env!("CARGO_BIN_EXE_confkit"))
        .arg(project.path())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

fn review(project: &ProjectTest, args: &[&str]) -> Value {
    let mut all = vec!["review", "--json"];
    all.extend(args);
    let run = project.run(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

/// The kinds of flag that say the text is wrong, not only hard to read.
const WRONG: [&str; 4] = ["mixed-script", "wrong-language", "number-mismatch", "loop"];

#[test]
fn the_demo_review_releases_the_reference_text() {
    let project = niger_project();
    demo_review(&project);

    // Signed-off text raises none of the flags that say it is wrong.
    let queue = review(&project, &[]);
    for cue in queue["queue"].as_array().unwrap() {
        if cue["state"] == "reviewed" {
            for flag in cue["flags"].as_array().unwrap() {
                assert!(!WRONG.contains(&flag["kind"].as_str().unwrap()), "{cue:#}");
            }
        }
    }

    // Mistakes put into a transcript are each flagged, with why.
    let english = project
        .path()
        .join("transcripts/day2-referral-mixed.en.vtt");
    let corrected = std::fs::read_to_string(&english).unwrap();
    let damaged = corrected
        .replace("Ordinance 2010-86", "Ordinance 2012-86")
        .replace("mechanisms", "mechanismsационary")
        .replace(
            "victims of trafficking",
            "victims of trafficking, the victims, the victims, the victims",
        )
        .replace(
            "The aim is to prevent them",
            "Il s'agit d'éviter qu'ils soient de nouveau ciblés par les réseaux",
        );
    assert_ne!(damaged, corrected);
    std::fs::write(&english, &damaged).unwrap();
    let queue = review(&project, &["day2-referral-mixed"]);
    let flags: Vec<(String, String)> = queue["queue"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["language"] == "en")
        .flat_map(|c| c["flags"].as_array().unwrap().clone())
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (kind, said) in [
        ("number-mismatch", "says 2012"),
        ("mixed-script", "Cyrillic"),
        ("loop", "the victims"),
        ("wrong-language", "reads as French"),
    ] {
        assert!(
            flags
                .iter()
                .any(|(k, reason)| k == kind && reason.contains(said)),
            "no {kind} flag saying {said:?}: {flags:#?}"
        );
    }
    std::fs::write(&english, &corrected).unwrap();

    // The release refuses the draft, naming it; the rest is released.
    let run = project.run(&["build", "--release"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "clip `identification-interview`: en (draft) from recording `day2-identification-interpreted`"
        ),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("from recording `day1-opening`"),
        "{}",
        run.stderr
    );
    let released = std::fs::read_dir(project.path().join("packages"))
        .unwrap()
        .count();
    assert!(
        released > 0,
        "the packages without the draft's clips are released"
    );

    let run = project.run(&[
        "review",
        "mark",
        "day2-identification-interpreted",
        "--by",
        "A. Reviewer",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = project.run(&["package", "--release"]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // What ships says what was said, and an interpretation's subtitles
    // start with the floor sentence they translate.
    let mut measured = 0;
    for zip in std::fs::read_dir(project.path().join("packages"))
        .unwrap()
        .flatten()
    {
        measured += assert_subtitles_match_the_reference(&project, &zip.path());
        assert_interpretation_starts_with_the_floor(&zip.path());
    }
    assert!(measured >= 8, "only {measured} subtitle tracks measured");

    // A trainer's search in the border police's package, in both browsers.
    let site = tempfile::tempdir().unwrap();
    let zip = project.path().join("packages/niger-border-police.zip");
    zip::ZipArchive::new(std::fs::File::open(&zip).unwrap())
        .unwrap()
        .extract(site.path())
        .unwrap();
    for engine in [Engine::Chromium, Engine::Firefox] {
        search_lands_on_the_clip(site.path(), engine);
    }

    // A learning platform that imported it tracks two of its modules, one
    // after the other in one session, each as its own SCO.
    let mut modules: Vec<String> = std::fs::read_dir(site.path().join("modules"))
        .unwrap()
        .flatten()
        .map(|e| format!("modules/{}", e.file_name().to_string_lossy()))
        .filter(|name| name.ends_with(".fr.html"))
        .collect();
    modules.sort();
    assert!(modules.len() >= 2, "{modules:?}");
    let two: Vec<&str> = modules.iter().take(2).map(String::as_str).collect();
    a_platform_tracks_each_module(site.path(), &two, Engine::Chromium);

    // For a slow link, the same package in the light profile: at least
    // three times smaller, and it still verifies and searches.
    let full = std::fs::metadata(&zip).unwrap().len();
    let path = project.path().join("assets/institutions.toml");
    let institutions = std::fs::read_to_string(&path).unwrap().replace(
        "id = \"niger-border-police\"\n",
        "id = \"niger-border-police\"\nprofile = \"light\"\n",
    );
    std::fs::write(&path, institutions).unwrap();
    let run = project.run(&["package", "--release"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let light = std::fs::metadata(&zip).unwrap().len();
    assert!(
        light * 3 <= full,
        "the light package is {light} bytes, the full one {full}: not three times smaller"
    );
    eprintln!(
        "niger-border-police: full {full} bytes, light {light} ({:.1}x)",
        full as f64 / light as f64
    );
    let run = project.run(&["verify", zip.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let site = tempfile::tempdir().unwrap();
    zip::ZipArchive::new(std::fs::File::open(&zip).unwrap())
        .unwrap()
        .extract(site.path())
        .unwrap();
    search_lands_on_the_clip(site.path(), Engine::Chromium);
}

/// In each clip cut from a recording with an interpretation, every floor
/// sentence inside the clip has a subtitle in the interpreted language
/// starting within 0.5 s of it (the interpreter speaks 2.5-3.4 s later).
fn assert_interpretation_starts_with_the_floor(zip: &Path) {
    let files = entries(zip);
    let clips = std::fs::read_to_string(repo_root().join("assets/clips.toml")).unwrap();
    let clips: toml::Value = toml::from_str(&clips).unwrap();
    for (recording, interpreted) in [
        ("day2-identification-interpreted", "en"),
        ("day1-regional-study", "fr"),
    ] {
        let timing = std::fs::read_to_string(
            repo_root().join(format!("scripts/samples/{recording}.timing.tsv")),
        )
        .unwrap();
        let floor: Vec<f64> = timing
            .lines()
            .skip(1)
            .map(|row| row.split('\t').collect::<Vec<_>>())
            .filter(|f| f[2] == "0")
            .map(|f| f[0].parse().unwrap())
            .collect();
        for clip in clips["clip"].as_array().unwrap() {
            if clip["recording"].as_str() != Some(recording) {
                continue;
            }
            let id = clip["id"].as_str().unwrap();
            let name = format!("subtitles/{id}.{interpreted}.vtt");
            let Some((_, vtt)) = files.iter().find(|(n, _)| *n == name) else {
                continue;
            };
            let (start, end) = (
                seconds(clip["start"].as_str().unwrap()),
                seconds(clip["end"].as_str().unwrap()),
            );
            let starts: Vec<f64> = String::from_utf8_lossy(vtt)
                .lines()
                .filter_map(|l| l.split_once(" --> "))
                .map(|(s, _)| start + seconds(s.trim()))
                .collect();
            for sentence in floor.iter().filter(|s| **s >= start - 0.05 && **s < end) {
                let nearest = starts
                    .iter()
                    .map(|s| (s - sentence).abs())
                    .fold(f64::MAX, f64::min);
                assert!(
                    nearest <= 0.5,
                    "{id}: no {interpreted} subtitle starts within 0.5 s of the floor sentence at {sentence} s ({nearest:.2} s off): {starts:?}"
                );
            }
        }
    }
}

/// The sentences of `recording` in `language` said inside `start..end` of
/// the floor: sentence n of a session's language files goes with sentence n
/// of its floor.
fn reference(recording: &str, language: &str, start: f64, end: f64) -> Option<String> {
    let samples = repo_root().join("scripts/samples");
    let timing = std::fs::read_to_string(samples.join(format!("{recording}.timing.tsv"))).ok()?;
    let floor: Vec<(f64, f64, String, String)> = timing
        .lines()
        .skip(1)
        .map(|row| row.split('\t').collect::<Vec<_>>())
        .filter(|f| f[2] == "0")
        .map(|f| {
            (
                f[0].parse().unwrap(),
                f[1].parse().unwrap(),
                f[3].to_string(),
                f[4].to_string(),
            )
        })
        .collect();
    let lines: Option<Vec<String>> =
        std::fs::read_to_string(samples.join(format!("{recording}.{language}.txt")))
            .ok()
            .map(|t| t.lines().map(str::to_string).collect());
    // A floor that switches language has no line-by-line version in one.
    if floor
        .iter()
        .any(|(_, _, spoken_in, _)| spoken_in != &floor[0].2)
    {
        return reference_of_switching_floor(&floor, language, start, end);
    }
    let mut said = Vec::new();
    for (n, (s, e, spoken_in, text)) in floor.iter().enumerate() {
        if *s < start - 0.05 || *e > end + 0.05 {
            continue;
        }
        if spoken_in == language {
            said.push(text.clone());
        } else {
            // Another language on the floor: its version in this one, line by line.
            said.push(lines.as_ref()?.get(n)?.clone());
        }
    }
    Some(said.join(" "))
}

/// A switching floor's subtitles in one of its languages show each
/// sentence as spoken: only a span said wholly in `language` is measured.
fn reference_of_switching_floor(
    floor: &[(f64, f64, String, String)],
    language: &str,
    start: f64,
    end: f64,
) -> Option<String> {
    let inside: Vec<&(f64, f64, String, String)> = floor
        .iter()
        .filter(|(s, e, _, _)| *s >= start - 0.05 && *e <= end + 0.05)
        .collect();
    inside.iter().all(|(_, _, l, _)| l == language).then(|| {
        inside
            .iter()
            .map(|(_, _, _, t)| t.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    })
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        // The redacted name and case number are said in the reference, not shown.
        .filter(|w| !["amina", "bello", "ne", "2020", "0417"].contains(&w.as_str()))
        .collect()
}

/// Word error rate: edits to turn `heard` into `reference`, over its words.
fn word_error_rate(reference: &[String], heard: &[String]) -> f64 {
    let mut row: Vec<usize> = (0..=heard.len()).collect();
    for (i, r) in reference.iter().enumerate() {
        let mut next = vec![i + 1; heard.len() + 1];
        for (j, h) in heard.iter().enumerate() {
            next[j + 1] = (row[j] + usize::from(r != h))
                .min(row[j + 1] + 1)
                .min(next[j] + 1);
        }
        row = next;
    }
    row[heard.len()] as f64 / reference.len().max(1) as f64
}

/// Checks every clip's subtitles in `zip` against the reference; returns
/// how many tracks it measured.
fn assert_subtitles_match_the_reference(project: &ProjectTest, zip: &Path) -> usize {
    let files = entries(zip);
    let manifest: Value =
        serde_json::from_slice(&files.iter().find(|(n, _)| n == "manifest.json").unwrap().1)
            .unwrap();
    let clips = std::fs::read_to_string(project.path().join("assets/clips.toml")).unwrap();
    let clips: toml::Value = toml::from_str(&clips).unwrap();
    let mut measured = 0;
    for clip in manifest["clips"].as_array().unwrap() {
        let id = clip["id"].as_str().unwrap();
        let recording = clip["recording"].as_str().unwrap();
        let entry = clips["clip"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"].as_str() == Some(id))
            .unwrap();
        let time = |key: &str| seconds(entry[key].as_str().unwrap());
        for track in clip["subtitles"].as_array().unwrap() {
            let language = track["language"].as_str().unwrap();
            assert_eq!(track["review"], "reviewed", "{zip:?} {id} {language}");
            let Some(expected) = reference(recording, language, time("start"), time("end")) else {
                continue;
            };
            let name = format!("subtitles/{id}.{language}.vtt");
            let Some((_, vtt)) = files.iter().find(|(n, _)| *n == name) else {
                continue;
            };
            let shown: String = String::from_utf8_lossy(vtt)
                .lines()
                .filter(|l| !l.contains("-->") && *l != "WEBVTT")
                .collect::<Vec<_>>()
                .join(" ");
            let rate = word_error_rate(&words(&expected), &words(&shown));
            // Redaction may take a short word beside what it hides ("is").
            assert!(
                rate <= 0.05,
                "{id} in {language}: word error rate {rate:.3}\nexpected: {expected}\nshown: {shown}"
            );
            measured += 1;
        }
    }
    measured
}

fn seconds(timecode: &str) -> f64 {
    timecode.split(':').fold(0.0, |total, part| {
        total * 60.0 + part.parse::<f64>().unwrap()
    })
}
