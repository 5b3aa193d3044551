//! `confkit check`: every problem in one run, each with file, line, column
//! and a way to fix it.

use crate::harness::{assert_snapshot, ProjectTest};

/// One project with every kind of problem the loader must catch; the
/// snapshot holds the exact text users see.
#[test]
fn reports_every_problem_in_one_run() {
    let project = ProjectTest::from_fixture("check/every_problem")
        .with_silent_video("assets/recordings/day1-morning.mp4", 10);
    let run = project.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_snapshot("check/every_problem/expected.stderr", &run.stderr);

    for expected in [
        // malformed TOML
        "assets/glossary.toml:1:7: error: invalid table header; expected `.`, `]]`",
        // unknown field
        "assets/modules/referral.toml:1:1: error: unknown field `titel`",
        // a clip ending after its recording
        "assets/clips.toml:5:7: error: clip `identification-1` ends at 00:00:12 but recording `day1-morning` lasts 00:00:10",
        // a missing recording file
        "assets/recordings.toml:11:8: error: recording `day1-afternoon`: file `assets/recordings/day1-afternoon.mp4` does not exist",
        // a module naming an unknown clip
        "assets/modules/identification.toml:10:8: error: module `identification`, step 2: unknown clip `identification-9`",
        // an institution naming an unknown chapter
        "assets/institutions.toml:14:13: error: institution `niger-border-police`: unknown guide chapter `atlantis`",
        // a duplicate id
        "assets/clips.toml:19:6: error: clip id `identification-2` is used twice (first at assets/clips.toml:11:6)",
        // a path escaping the project
        "assets/recordings.toml:18:8: error: recording `secrets`: `../../etc/passwd` leaves the project folder",
        // a logo that is not a PNG or JPEG
        "confkit.toml:8:8: error: the logo `assets/logo.svg` is not a PNG or JPEG image; save it as one of these",
        // an id that is not a safe file name
        "assets/clips.toml:27:6: error: clip id `Entretien 3` is not a safe file name: it contains an upper-case letter `E`",
    ] {
        assert!(run.stderr.contains(expected), "missing {expected:?} in:\n{}", run.stderr);
    }
}

#[test]
fn json_lists_the_same_problems_for_tools() {
    let project = ProjectTest::from_fixture("check/every_problem")
        .with_silent_video("assets/recordings/day1-morning.mp4", 10);
    let human = project.run(&["check"]);
    let run = project.run(&["check", "--json"]);
    assert_eq!(run.code, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let items = json["diagnostics"].as_array().unwrap();
    assert_eq!(
        json["errors"].as_u64().unwrap() as usize,
        human.stderr.matches(": error: ").count()
    );
    assert_eq!(
        items.len(),
        human.stderr.matches(": error: ").count() + human.stderr.matches(": warning: ").count()
    );
    let clip = items
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("ends at 00:00:12"))
        .unwrap();
    assert_eq!(clip["file"], "assets/clips.toml");
    assert_eq!(
        (clip["line"].as_u64(), clip["column"].as_u64()),
        (Some(5), Some(7))
    );
    assert_eq!(clip["severity"], "error");
    assert!(clip["help"].as_str().unwrap().contains("00:00:10"));
}

#[test]
fn a_clean_project_exits_zero() {
    let project = ProjectTest::from_fixture("check/every_problem")
        .with_silent_video("assets/recordings/day1-morning.mp4", 10);
    // Keep only what is right: one recording, one clip, one module, no glossary.
    let root = project.path();
    std::fs::write(
        root.join("assets/recordings.toml"),
        "[[recording]]\nid = \"day1-morning\"\nfile = \"assets/recordings/day1-morning.mp4\"\ntitle.fr = \"Matinée\"\ntitle.en = \"Morning\"\nlanguages = [\"fr\"]\n",
    )
    .unwrap();
    std::fs::write(
        root.join("assets/clips.toml"),
        "[[clip]]\nid = \"identification-1\"\nrecording = \"day1-morning\"\nstart = 2\nend = \"00:00:09.5\"\ntitle.fr = \"Identification\"\ntitle.en = \"Identification\"\nmodules = [\"identification\"]\n",
    )
    .unwrap();
    std::fs::write(
        root.join("assets/modules/identification.toml"),
        "title.fr = \"Identification\"\ntitle.en = \"Identification\"\naudience = [\"border-police\"]\nobjectives.fr = [\"Reconnaître\"]\nobjectives.en = [\"Recognise\"]\n[[step]]\nclip = \"identification-1\"\n",
    )
    .unwrap();
    std::fs::remove_file(root.join("assets/modules/referral.toml")).unwrap();
    std::fs::remove_file(root.join("assets/glossary.toml")).unwrap();
    let institutions = std::fs::read_to_string(root.join("assets/institutions.toml")).unwrap();
    std::fs::write(
        root.join("assets/institutions.toml"),
        institutions.replace("chapters = [\"atlantis\"]\n", ""),
    )
    .unwrap();

    let config = std::fs::read_to_string(root.join("confkit.toml")).unwrap();
    std::fs::write(
        root.join("confkit.toml"),
        config.replace("logo = \"assets/logo.svg\"\n", ""),
    )
    .unwrap();

    let run = project.run(&["check"]);
    assert_eq!(run.stderr, ".: no problems found\n");
    assert_eq!(run.code, 0);
}

#[test]
fn outside_a_project_says_how_to_start_one() {
    let empty = ProjectTest::empty();
    let run = empty.run(&["check"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no confkit.toml in"), "{}", run.stderr);
    assert!(run.stderr.contains("confkit new DIR"), "{}", run.stderr);
}

/// Transcripts people corrected by hand: a broken timing line is an error
/// at its line, a cue that breaks a subtitle rule a warning at its line.
#[test]
fn transcripts_are_checked_against_the_subtitle_rules() {
    let project = ProjectTest::empty();
    let root = project.path();
    std::fs::write(
        root.join("confkit.toml"),
        "[conference]\nid = \"t\"\ntitle.fr = \"T\"\ntitle.en = \"T\"\nstart = 2021-01-27\nend = 2021-01-27\nlanguages = [\"fr\", \"en\"]\n",
    )
    .unwrap();
    std::fs::create_dir(root.join("transcripts")).unwrap();
    std::fs::write(
        root.join("transcripts/day1.en.vtt"),
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nA short line\n\n00:00:03.500 --> 00:00:04.000\nThis cue is far too long to read in half a second on a screen\n",
    )
    .unwrap();
    std::fs::write(
        root.join("transcripts/day2.fr.vtt"),
        "WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\nBonjour\n",
    )
    .unwrap();
    let run = project.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for expected in [
        "transcripts/day1.en.vtt:6:1: warning: the cue at 00:00:03.500: a line of 61 characters (at most 42)",
        "transcripts/day1.en.vtt:6:1: warning: the cue at 00:00:03.500: on screen 500 ms (at least 833 ms)",
        "transcripts/day1.en.vtt:6:1: warning: the cue at 00:00:03.500: reads at 122.0 characters a second (at most 20)",
        "transcripts/day2.fr.vtt:3:18: error: `00:00:0x.000` is not a subtitle time",
    ] {
        assert!(run.stderr.contains(expected), "missing {expected:?} in:\n{}", run.stderr);
    }
    assert!(
        !run.stderr.contains("day1.en.vtt:3:1"),
        "the first cue keeps to the rules:\n{}",
        run.stderr
    );
}

/// A guide chapter, a module or a transcript that is a symbolic link out of
/// the project is an error that names it, and its text is read by no check
/// and goes into no package: a link could otherwise ship any file of the
/// computer to every institution.
#[cfg(unix)]
#[test]
fn files_linked_from_outside_the_project_are_refused() {
    let secret = "Temoin protege Moussa Kante";
    let outside = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = outside.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let chapter = write(
        "chapter.md",
        &format!("+++\ntitle = \"Niger\"\n+++\n\n{secret}\n"),
    );
    let module = write(
        "module.toml",
        &format!("title.fr = \"{secret}\"\ntitle.en = \"{secret}\"\nobjectives.fr = [\"x\"]\nobjectives.en = [\"x\"]\n"),
    );
    let transcript = write(
        "case.en.vtt",
        &format!("WEBVTT\n\n00:00:03.262 --> 00:00:10.832\n{secret}\n"),
    );
    let project = crate::workshop::workshop();
    let root = project.path();
    let links = [
        (&chapter, "assets/guide/niger.en.md"),
        (&module, "assets/modules/outside.toml"),
        (&transcript, "transcripts/case.en.vtt"),
    ];
    for (target, link) in links {
        let _ = std::fs::remove_file(root.join(link));
        std::os::unix::fs::symlink(target, root.join(link)).unwrap();
    }

    let run = project.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for (target, link) in links {
        let expected = format!(
            "{link}: error: `{link}` leads outside the project folder (through a symbolic link, to `{}`)",
            target.canonicalize().unwrap().display()
        );
        assert!(
            run.stderr.contains(&expected),
            "missing {expected:?} in:\n{}",
            run.stderr
        );
    }
    assert!(!run.stderr.contains(secret), "{}", run.stderr);

    let run = project.run(&["package"]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("assets/guide/niger.en.md"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(secret), "{}", run.stderr);
    let packages: Vec<_> = std::fs::read_dir(root.join("packages"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(
        packages,
        Vec::<std::path::PathBuf>::new(),
        "no package is made"
    );
}
