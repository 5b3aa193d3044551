//! The guide's state for the validation meeting, and the suggestions that
//! pair clips with chapters and modules from what the clips say.

use crate::harness::{repo_root, run_in, ProjectTest};

#[test]
fn guide_status_shows_each_field_and_niger_is_the_richest() {
    let run = run_in(&repo_root(), &["guide", "status", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 24);
    let niger = rows.iter().find(|r| r["id"] == "niger").unwrap();
    assert_eq!(niger["filled"], 5);
    assert_eq!(
        niger["fields"][0],
        serde_json::json!(["contact_structure", "filled"])
    );
    assert_eq!(
        niger["fields"][1],
        serde_json::json!(["supervising_ministry", "to-complete"])
    );
    assert_eq!(niger["missing_languages"], serde_json::json!([]));
    for row in rows.iter().filter(|r| r["id"] != "niger") {
        assert!(row["filled"].as_u64() < niger["filled"].as_u64(), "{row}");
    }
    let table = run_in(&repo_root(), &["guide", "status"]);
    assert!(
        table
            .stdout
            .contains("niger                country  x?xxxx?  5/7     fr+en"),
        "{}",
        table.stdout
    );
}

#[test]
fn a_chapter_in_one_language_is_reported() {
    let project = ProjectTest::conference("");
    project
        .write("assets/guide.toml", "[[chapter]]\nid = \"mali\"\nkind = \"country\"\ncountry_code = \"ML\"\n")
        .write(
            "assets/guide/mali.fr.md",
            "+++\ntitle = \"Mali\"\n[facts]\nmandate = \"Coordonner.\"\nlegal_framework = { to_complete = \"la loi\" }\n+++\n\nTexte.\n",
        );
    let run = project.run(&["guide", "status", "--json"]);
    let rows: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(rows[0]["missing_languages"], serde_json::json!(["en"]));
    assert_eq!(
        rows[0]["fields"][2],
        serde_json::json!(["mandate", "filled"])
    );
    assert_eq!(
        rows[0]["fields"][3],
        serde_json::json!(["legal_framework", "to-complete"])
    );
    assert_eq!(
        rows[0]["fields"][6],
        serde_json::json!(["key_contacts", "absent"])
    );
    let check = project.run(&["check"]);
    assert!(check.stderr.contains("mali"), "{}", check.stderr);
}

/// The Niger mechanism clip with its chapters taken away: what it says
/// (the reviewed transcript, from the sample's own script) points back to
/// Niger's chapter.
#[test]
fn suggestions_come_from_what_the_clip_says_with_reasons() {
    let project = ProjectTest::empty();
    project.copy_from_repo(&[
        "confkit.toml",
        "assets/guide.toml",
        "assets/guide",
        "assets/glossary.toml",
        "assets/recordings.toml",
        "assets/recordings",
    ]);
    project.write(
        "assets/clips.toml",
        "[[clip]]\nid = \"mechanism\"\nrecording = \"day2-referral-mixed\"\nstart = \"00:00:00.500\"\nend = \"00:00:39.020\"\ntitle.fr = \"Extrait\"\ntitle.en = \"Excerpt\"\n",
    );
    // The words of the session, as a reviewed transcript.
    let timing =
        std::fs::read_to_string(repo_root().join("scripts/samples/day2-referral-mixed.timing.tsv"))
            .unwrap();
    let mut vtt = String::from("WEBVTT\n");
    for line in timing.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let at = |s: &str| {
            let ms = (s.parse::<f64>().unwrap() * 1000.0) as u64;
            format!(
                "00:{:02}:{:02}.{:03}",
                ms / 60_000,
                ms / 1000 % 60,
                ms % 1000
            )
        };
        vtt.push_str(&format!(
            "\n{} --> {}\n{}\n",
            at(fields[0]),
            at(fields[1]),
            fields[4]
        ));
    }
    project.write("transcripts/day2-referral-mixed.fr-en.vtt", &vtt);

    let run = project.run(&["suggest", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let suggestions: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let first = suggestions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "chapter")
        .expect("a chapter is suggested");
    assert_eq!(first["id"], "niger", "{suggestions:#}");
    let reasons = first["reasons"].to_string();
    assert!(reasons.contains("mentions Niger"), "{reasons}");
    assert!(reasons.to_lowercase().contains("anltp-tim"), "{reasons}");
    // Nothing was applied.
    assert_eq!(
        std::fs::read_to_string(project.path().join("assets/clips.toml"))
            .unwrap()
            .matches("chapters")
            .count(),
        0
    );
}
