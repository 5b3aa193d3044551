//! The Niamey toolkit project in the repository root: the embedded default
//! every new user sees first must check clean and say what it holds.

use crate::harness::{repo_root, run_in};

/// Clean but for the subtitle-rule warnings of `transcripts/`, which exist
/// only once `make demo` (or `confkit transcribe`) has run here.
#[test]
fn the_niamey_project_checks_clean() {
    let run = run_in(&repo_root(), &["check", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let problems: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            // What `make demo` transcribed is a draft: its rule breaks and the
            // languages still to translate are for people to work through.
            let draft = d["file"]
                .as_str()
                .is_some_and(|f| f.starts_with("transcripts/"))
                || d["message"].as_str().is_some_and(|m| {
                    m.contains("(no interpretation, no translation)")
                        || m.contains("no interpretation into")
                });
            !draft || d["severity"] == "error"
        })
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn status_shows_the_niamey_project() {
    let run = run_in(&repo_root(), &["status", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let status: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(status["dates"][0], "2021-01-27");
    assert_eq!(status["languages"], serde_json::json!(["fr", "en"]));

    let recordings = status["recordings"].as_array().unwrap();
    assert!(recordings.len() >= 4);
    assert!(
        recordings.iter().all(|r| r["duration"].is_string()),
        "every sample recording has a duration"
    );
    let with_interpretation = recordings
        .iter()
        .filter(|r| !r["interpretation"].as_array().unwrap().is_empty())
        .count();
    assert!(
        with_interpretation >= 2,
        "a second audio track and a separate file"
    );

    // Niger's fact sheet is the richest: the seed gives facts about it only.
    let chapters = status["chapters"].as_array().unwrap();
    let filled = |id: &str| {
        chapters.iter().find(|c| c["id"] == id).unwrap()["filled"]
            .as_u64()
            .unwrap()
    };
    let niger = filled("niger");
    assert!(niger >= 3, "niger has {niger} facts");
    for chapter in chapters.iter().filter(|c| c["id"] != "niger") {
        assert!(chapter["filled"].as_u64().unwrap() < niger, "{chapter}");
        assert_eq!(
            chapter["languages"],
            serde_json::json!(["fr", "en"]),
            "{chapter}"
        );
    }

    // Every country of the seed, five national roles each (Algeria, an observer, has no focal point).
    let by_role = &status["institutions_by_role"];
    assert_eq!(by_role["border-police"], 19);
    assert_eq!(by_role["focal-point"], 18);

    let text = run_in(&repo_root(), &["status"]).stdout;
    assert!(
        text.contains("Guide: 24 chapters (19 countries, 5 bodies)"),
        "{text}"
    );
}
