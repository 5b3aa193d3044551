//! Rebuilds through the library's one build plan: with nothing changed a
//! build reads no media (it hashes and probes nothing, cuts and packs
//! nothing); moving one clip's end re-cuts that clip and repacks only the
//! packages that hold it; correcting a transcript repacks the packages
//! that show it. Asserted on what the build counted, never on time.

use confkit::pipeline::{BuildOptions, BuildReport, Silent, Stage};
use confkit::project::Toolkit;

use crate::workshop::workshop;

fn build(root: &std::path::Path) -> BuildReport {
    let report = Toolkit::build(&BuildOptions::new(root), &mut Silent);
    assert!(report.ok, "{report:#?}");
    report
}

fn made(report: &BuildReport) -> (Vec<String>, Vec<String>, Vec<String>) {
    let clips = report.clips.as_ref().unwrap().made.clone();
    let packages = report.packages.as_ref().unwrap();
    let made = packages.made.iter().map(|m| m.0.clone()).collect();
    (clips, made, packages.fresh.clone())
}

#[test]
fn a_rebuild_does_only_what_changed() {
    let project = workshop();
    let root = project.path();

    let first = build(root);
    let (clips, packages, _) = made(&first);
    assert_eq!(clips, ["interview", "case-study"]);
    assert_eq!(packages, ["ne-police", "ne-social"]);
    assert!(first.work.files_hashed > 0 && first.work.facts_read > 0);
    // Every stage ran and was timed.
    let stages: Vec<Stage> = first.stages.iter().map(|s| s.stage).collect();
    for stage in [
        Stage::Check,
        Stage::Plan,
        Stage::Transcripts,
        Stage::Clips,
        Stage::Reels,
        Stage::Packages,
    ] {
        assert!(stages.contains(&stage), "{stages:?}");
    }

    // Nothing changed: no media file is read, nothing is made.
    let second = build(root);
    assert_eq!(second.work.files_hashed, 0, "{:#?}", second.work);
    assert_eq!(second.work.bytes_hashed, 0);
    assert_eq!(second.work.facts_read, 0, "{:#?}", second.work);
    assert!(second.work.remembered > 0);
    let transcripts = second.transcripts.as_ref().unwrap();
    assert!(transcripts.made.is_empty() && transcripts.failed.is_empty());
    let (clips, packages, fresh) = made(&second);
    assert!(
        clips.is_empty() && packages.is_empty(),
        "{clips:?} {packages:?}"
    );
    assert_eq!(fresh, ["ne-police", "ne-social"]);
    assert_eq!(second.clips.as_ref().unwrap().title_cards, 0);

    // The case study ends a second earlier: only the police may see it.
    let clips_toml = std::fs::read_to_string(root.join("assets/clips.toml")).unwrap();
    project.write(
        "assets/clips.toml",
        &clips_toml.replace("end = \"00:00:36\"", "end = \"00:00:35\""),
    );
    let third = build(root);
    let (clips, packages, fresh) = made(&third);
    assert_eq!(clips, ["case-study"]);
    assert_eq!(packages, ["ne-police"]);
    assert_eq!(fresh, ["ne-social"]);
    // Only the new cut and its reel were read, not the recording.
    let recording = std::path::absolute(root.join("assets/recordings/case.mp4")).unwrap();
    assert!(!third.work.read.contains(&recording), "{:#?}", third.work);
    assert!(
        third
            .work
            .read
            .iter()
            .all(|p| p.to_string_lossy().contains("case-study")
                || p.to_string_lossy().contains("reels")),
        "{:#?}",
        third.work
    );

    // A reviewer corrects the English transcript: both packages show it,
    // no clip is cut again (no listed name moved).
    let english = std::fs::read_to_string(root.join("transcripts/case.en.vtt")).unwrap();
    project.write(
        "transcripts/case.en.vtt",
        &english.replace(
            "Front-line identification actors",
            "Front-line identification officers",
        ),
    );
    let fourth = build(root);
    let (clips, packages, _) = made(&fourth);
    assert!(clips.is_empty(), "{clips:?}");
    assert_eq!(packages, ["ne-police", "ne-social"]);
}

/// The same build through the command line reports its stages' times.
#[test]
fn build_json_reports_each_stage() {
    let project = workshop();
    let run = project.run(&["--json", "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let stages: Vec<&str> = report["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stage"].as_str().unwrap())
        .collect();
    for stage in ["check", "plan", "transcripts", "clips", "reels", "packages"] {
        assert!(stages.contains(&stage), "{stages:?}");
    }
    assert!(report["stages"][0]["seconds"].as_f64().unwrap() >= 0.0);
    assert_eq!(report["ok"], true);
    assert!(report["work"]["files_hashed"].as_u64().unwrap() > 0);
}
