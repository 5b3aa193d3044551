//! Redaction tried as an attacker would: a listed name disguised in every
//! field it can enter by, and every route by which a clip or a package
//! could leave without its redaction. Each disguise is either an error of
//! `confkit check` at its file and line, or absent from every file of
//! every package; each failure route is refused, naming the clip.

use confkit::privacy::fold::Folded;

use crate::harness::{entries, ProjectTest};
use crate::workshop::{packaged, workshop};

/// Ways to write "Amina Bello" that a reader still reads as the name.
const DISGUISES: [(&str, &str); 8] = [
    ("zero-width space", "Ami\u{200B}na Bello"),
    ("soft hyphen", "Ami\u{00AD}na Bel\u{00AD}lo"),
    ("accents", "Aminà Bèllo"),
    ("combining accents", "Amina\u{0300} Be\u{0301}llo"),
    ("Cyrillic letters", "\u{0410}min\u{0430} B\u{0435}llo"),
    ("hyphen", "Amina-Bello"),
    ("no space", "AminaBello"),
    ("full-width letters", "Ａｍｉｎａ Ｂｅｌｌｏ"),
];

/// Panics if any file of any package in `project` shows the name, read as
/// folded text (so that a disguise in the output is caught too).
fn assert_no_package_shows_the_name(project: &ProjectTest) {
    let packages = project.path().join("packages");
    let mut seen = 0;
    for zip in std::fs::read_dir(&packages).unwrap().flatten() {
        seen += 1;
        for (name, bytes) in entries(&zip.path()) {
            let text = Folded::new(&String::from_utf8_lossy(&bytes)).text;
            let letters: String = text.chars().filter(|c| c.is_alphanumeric()).collect();
            assert!(
                !letters.contains("aminabello") && !text.contains("bello"),
                "{}: {name} shows the name",
                zip.path().display()
            );
        }
    }
    assert!(seen > 0, "no package in {}", packages.display());
}

#[test]
fn every_disguise_of_a_listed_name_in_a_project_file_is_an_error_of_check() {
    let project = workshop();
    let clean = project.run(&["check"]);
    assert_eq!(clean.code, 0, "{}", clean.stderr);
    let clips = std::fs::read_to_string(project.path().join("assets/clips.toml")).unwrap();
    let module =
        std::fs::read_to_string(project.path().join("assets/modules/identification.toml")).unwrap();
    let institutions =
        std::fs::read_to_string(project.path().join("assets/institutions.toml")).unwrap();
    let chapter = std::fs::read_to_string(project.path().join("assets/guide/niger.fr.md")).unwrap();
    let recordings =
        std::fs::read_to_string(project.path().join("assets/recordings.toml")).unwrap();
    let mut disguises: Vec<(&str, String)> = DISGUISES
        .iter()
        .map(|(what, name)| (*what, name.to_string()))
        .collect();
    // Only a reader of the TOML sees these as the name.
    disguises.push(("TOML escape", "\\u0041mina Bello".into()));
    for (what, name) in &disguises {
        project
            .write(
                "assets/clips.toml",
                &clips.replace(
                    "title.fr = \"L'entretien\"",
                    &format!("title.fr = \"{name}\""),
                ),
            )
            .write(
                "assets/modules/identification.toml",
                &module.replace(
                    "trainer_notes.fr = \"Insister sur la confidentialité.\"",
                    &format!("trainer_notes.fr = \"Le cas de {name}.\""),
                ),
            )
            .write(
                "assets/institutions.toml",
                &institutions.replace(
                    "name.fr = \"Ministère des affaires sociales\"",
                    &format!("name.fr = \"Ministère de {name}\""),
                ),
            )
            .write(
                "assets/guide/niger.fr.md",
                &chapter
                    .replace("Le texte", &format!("Le texte sur {name}"))
                    .replace(
                        "contact_structure = \"ANLTP-TIM\"",
                        &format!("contact_structure = \"ANLTP-TIM, {name}\""),
                    ),
            )
            .write(
                "assets/recordings.toml",
                &recordings.replace(
                    "title.fr = \"Cas\"",
                    &format!("title.fr = \"Cas de {name}\""),
                ),
            );
        let run = project.run(&["check"]);
        assert_eq!(run.code, 1, "{what}: {}", run.stderr);
        for at in [
            "assets/recordings.toml:",
            "assets/clips.toml:",
            "assets/modules/identification.toml:",
            "assets/institutions.toml:",
        ] {
            assert!(
                run.stderr
                    .lines()
                    .any(|l| l.starts_with(at) && l.contains("is on the redaction list")),
                "{what}: no error at {at}\n{}",
                run.stderr
            );
        }
        // The chapter's front matter is TOML; its body, Markdown, which
        // reads no escape: there the text is not the name.
        let chapter_errors = run
            .stderr
            .lines()
            .filter(|l| {
                l.starts_with("assets/guide/niger.fr.md:") && l.contains("is on the redaction list")
            })
            .count();
        let expected = if *what == "TOML escape" { 1 } else { 2 };
        assert_eq!(
            chapter_errors, expected,
            "{what}: the chapter's front matter and body\n{}",
            run.stderr
        );
    }
    // Markdown markup between the words, or around them, does not hide them.
    for markup in [
        "Amina *Bello*",
        "**Amina** _Bello_",
        "[Amina](https://example.org) Bello",
    ] {
        project.write("assets/clips.toml", &clips).write(
            "assets/guide/niger.fr.md",
            &chapter.replace("Le texte", &format!("Le texte sur {markup}")),
        );
        let run = project.run(&["check"]);
        assert!(
            run.stderr
                .lines()
                .any(|l| l.starts_with("assets/guide/niger.fr.md:")
                    && l.contains("is on the redaction list")),
            "{markup}: {}",
            run.stderr
        );
    }
}

#[test]
fn every_disguise_of_a_listed_name_in_a_transcript_is_absent_from_every_package() {
    let project = workshop();
    // The case-study clip runs from 20 s to 36 s; the interview from 3 s to 12 s.
    let mut fr = String::from("WEBVTT\n\n00:00:03.262 --> 00:00:10.832\nLes acteurs, dont Amina\n\n00:00:10.900 --> 00:00:11.900\nBello, en première ligne.\n");
    let mut en = String::from("WEBVTT\n\n00:00:03.262 --> 00:00:10.832\nFront-line actors, such as\n\n00:00:10.900 --> 00:00:11.900\nAmina Bello herself.\n");
    for (n, (_, name)) in DISGUISES.iter().enumerate() {
        let at = 20_000 + n as u64 * 1_500;
        let time = |ms: u64| format!("00:00:{:02}.{:03}", ms / 1000, ms % 1000);
        let cue = |text: &str| format!("\n{} --> {}\n{text}\n", time(at), time(at + 1_200));
        fr.push_str(&cue(&format!("Nous l'appellerons {name}.")));
        en.push_str(&cue(&format!("We will call her {name}.")));
    }
    // The speech model's own spellings.
    fr.push_str("\n00:00:33.000 --> 00:00:34.500\nQue nous appellerons a mina bello.\n");
    en.push_str("\n00:00:33.000 --> 00:00:34.500\nWhom we will call Aminabelo.\n");
    project
        .write("transcripts/case.fr.vtt", &fr)
        .write("transcripts/case.en.vtt", &en);
    let clips = project.run(&["clips"]);
    assert_eq!(clips.code, 0, "{}", clips.stderr);
    let package = project.run(&["package"]);
    assert_eq!(package.code, 0, "{}", package.stderr);
    assert_no_package_shows_the_name(&project);
    // What is left around the name is still there.
    let police = entries(&project.path().join("packages/ne-police.zip"));
    let interview = police
        .iter()
        .find(|(n, _)| n == "subtitles/interview.fr.vtt")
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .unwrap();
    assert!(interview.contains("Les acteurs, dont […]"), "{interview}");
    assert!(interview.contains("[…], en première ligne."), "{interview}");
    // The search index, scanned above with every other file, is built from
    // the redacted lines, and a search for the name finds nothing.
    let index = police
        .iter()
        .find(|(n, _)| n == "assets/search-index.fr.js")
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .expect("the package has a French search index");
    assert!(index.contains("Les acteurs, dont […]"), "{index}");
}

#[test]
fn translators_receive_no_listed_name() {
    let project = workshop();
    // No interpretation: English is for translators to write.
    let recordings =
        std::fs::read_to_string(project.path().join("assets/recordings.toml")).unwrap();
    let floor_only = &recordings[..recordings.find("\n[[recording.track]]\nindex = 1").unwrap()];
    project.write("assets/recordings.toml", floor_only);
    std::fs::remove_file(project.path().join("transcripts/case.en.vtt")).unwrap();
    project.write(
        "transcripts/case.fr.vtt",
        "WEBVTT\n\n00:00:26.765 --> 00:00:33.184\nUne jeune femme, que nous\nappellerons Ami\u{200B}na Bello.\n",
    );
    let run = project.run(&["translate", "export", "--lang", "en", "--out", "xliff"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut seen = 0;
    for file in std::fs::read_dir(project.path().join("xliff"))
        .unwrap()
        .flatten()
    {
        seen += 1;
        let text = std::fs::read_to_string(file.path()).unwrap();
        assert!(
            !Folded::new(&text).text.contains("bello"),
            "{}",
            file.path().display()
        );
        assert!(text.contains("appellerons […]"), "{text}");
    }
    assert_eq!(seen, 1);
}

#[test]
fn a_clip_is_not_cut_while_an_audio_version_has_no_readable_transcript() {
    let project = workshop();
    std::fs::remove_file(project.path().join("transcripts/case.en.vtt")).unwrap();
    let run = project.run(&["clips"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: case-study: `transcripts/case.en` has no transcript"),
        "{}",
        run.stderr
    );
    assert!(!project.path().join(".confkit/clips/case-study").exists());
    let run = project.run(&["package"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("clip `interview`: `transcripts/case.en` has no transcript"),
        "{}",
        run.stderr
    );
    assert!(!project.path().join("packages/ne-police.zip").exists());

    // A damaged transcript is no better than none.
    project
        .write(
            "transcripts/case.en.vtt",
            "WEBVTT\n\n00:00:03.262 --> 00:00:10.832\nActors.\n",
        )
        .write("transcripts/case.fr.json", "{\"segments\": [");
    let run = project.run(&["clips"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("`transcripts/case.fr.json` is damaged"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_transcript_of_other_media_is_refused() {
    let project = workshop();
    // A corrected transcript kept while the recording was replaced.
    project.write(
        "transcripts/case.fr.json",
        r#"{"source": {"path": "assets/recordings/case.mp4", "sha256": "0f0e", "track": 0},
            "model": {"path": "m", "sha256": ""}, "task": "transcribe",
            "segments": [{"start": "00:00:03.262", "end": "00:00:10.832", "language": "fr",
                          "language_probability": 1.0, "text": "Les acteurs", "words": []}]}"#,
    );
    let run = project.run(&["clips"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("`transcripts/case.fr.json` was made from other media than `assets/recordings/case.mp4` is now"),
        "{}",
        run.stderr
    );
    assert!(!project.path().join(".confkit/clips/interview").exists());
}

#[test]
fn a_package_alone_refuses_clips_cut_before_a_correction_and_withdraws_the_old_zip() {
    let project = packaged();
    let zip = project.path().join("packages/ne-police.zip");
    assert!(zip.is_file());
    // A reviewer finds the name in a line the clips were cut without.
    let en = std::fs::read_to_string(project.path().join("transcripts/case.en.vtt")).unwrap();
    project.write(
        "transcripts/case.en.vtt",
        &format!("{en}\n00:00:22.000 --> 00:00:24.000\nAmina Bello again.\n"),
    );
    let run = project.run(&["package"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("clip `case-study` was cut before its recording, its transcripts or the redaction list changed"),
        "{}",
        run.stderr
    );
    assert!(
        !zip.exists(),
        "the old package is still there, looking current"
    );
    // It is set aside, not lost.
    assert!(project
        .path()
        .join(".confkit/withdrawn/ne-police.zip")
        .is_file());
    assert!(run.stderr.contains("the previous package is withdrawn to"));
    // The clips stage cuts it again, and the package is made.
    let clips = project.run(&["clips"]);
    assert_eq!(clips.code, 0, "{}", clips.stderr);
    let run = project.run(&["package"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(zip.is_file());
}

#[test]
fn a_subtitle_straddling_a_clip_edge_keeps_only_the_words_inside() {
    let project = workshop();
    // The interview clip ends at 12 s; this cue runs on into what follows.
    let fr = std::fs::read_to_string(project.path().join("transcripts/case.fr.vtt")).unwrap();
    project.write(
        "transcripts/case.fr.vtt",
        &fr.replace(
            "00:00:26.765",
            "00:00:11.000 --> 00:00:13.000\nun deux trois quatre\n\n00:00:26.765",
        ),
    );
    assert_eq!(project.run(&["clips"]).code, 0);
    let run = project.run(&["package"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let social = entries(&project.path().join("packages/ne-social.zip"));
    let vtt = social
        .iter()
        .find(|(n, _)| n == "subtitles/interview.fr.vtt")
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .unwrap();
    assert!(vtt.contains("un deux"), "{vtt}");
    assert!(!vtt.contains("trois") && !vtt.contains("quatre"), "{vtt}");
}
