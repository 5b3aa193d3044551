//! A build killed outright (SIGKILL: a power cut, an impatient user) in the
//! middle of transcription, and again in the middle of packaging: the next
//! run finishes, redoes only what was not finished, leaves every output
//! whole, and a transcript someone corrected survives both.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::workshop::workshop;

/// Starts `confkit ARGS` in `dir`, waits for a progress line containing
/// `moment`, lets it work `after` longer, then kills it.
fn kill_during(dir: &Path, args: &[&str], moment: &str, after: Duration) {
    // whisper.cpp uses every core: one run with the model at a time.
    let _turn = crate::transcribe::ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let mut child = Command::new(env!("CARGO_BIN_EXE_confkit"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut seen = Vec::new();
    for line in BufReader::new(stderr).lines() {
        let line = line.unwrap();
        let found = line.contains(moment);
        seen.push(line);
        if found {
            break;
        }
    }
    std::thread::sleep(after);
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(
        status.code().is_none(),
        "the run ended before it could be killed: {seen:#?}"
    );
}

/// No half-written file anywhere in the project.
fn assert_no_partial_files(dir: &Path) {
    for folder in [
        "transcripts",
        "packages",
        ".confkit/transcripts",
        ".confkit/packages",
    ] {
        for entry in std::fs::read_dir(dir.join(folder))
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            assert!(
                !name.contains(".partial"),
                "{folder}/{name} was left half-written"
            );
        }
    }
}

#[test]
fn a_build_killed_midway_resumes_and_leaves_only_whole_files() {
    let project = workshop();
    let root = project.path();
    // Machine transcripts to make, and one the reviewer already corrected.
    std::fs::remove_file(root.join("transcripts/case.fr.vtt")).unwrap();
    let corrected = std::fs::read_to_string(root.join("transcripts/case.en.vtt")).unwrap();

    kill_during(
        root,
        &["build"],
        "transcript case.fr",
        Duration::from_secs(2),
    );
    assert!(
        !root.join("transcripts/case.fr.vtt").exists(),
        "a transcript was written whole before the kill: the kill came too late to test anything"
    );

    // Packaging: let the transcripts and clips finish, kill while the
    // packages' module reels are encoded.
    kill_during(
        root,
        &["build"],
        "reels of ne-police",
        Duration::from_millis(300),
    );
    assert!(root.join("transcripts/case.fr.vtt").is_file());

    let rerun = project.run(&["build"]);
    assert_eq!(rerun.code, 0, "{}", rerun.stderr);
    // Finished work is not redone.
    assert!(
        rerun
            .stderr
            .contains("transcripts: 0 made, 1 up to date, 1 corrected by hand and kept"),
        "{}",
        rerun.stderr
    );
    assert!(
        rerun.stderr.contains("clips: 0 cut, 2 up to date"),
        "{}",
        rerun.stderr
    );
    assert!(rerun.stderr.contains("packages: "), "{}", rerun.stderr);
    assert_no_partial_files(root);

    // Every output is whole.
    let verify = project.run(&["verify", "packages/ne-police.zip", "packages/ne-social.zip"]);
    assert_eq!(verify.code, 0, "{}", verify.stderr);
    confkit::subtitles::read_cues(&root.join("transcripts/case.fr.vtt")).unwrap();
    let json = std::fs::read_to_string(root.join("transcripts/case.fr.json")).unwrap();
    serde_json::from_str::<confkit::speech::transcribe::Transcript>(&json).unwrap();
    assert_eq!(
        std::fs::read_to_string(root.join("transcripts/case.en.vtt")).unwrap(),
        corrected
    );

    // And a run after that does nothing at all.
    let again = project.run(&["build"]);
    assert!(
        again.stderr.contains("packages: 0 made, 2 up to date"),
        "{}",
        again.stderr
    );
}
