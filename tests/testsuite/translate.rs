//! The second language: whisper's translation into English where nothing
//! better exists, XLIFF for human translators and back, and the
//! terminology check between the two languages.

use std::fs;

use confkit::speech::transcribe::Transcript;
use confkit::subtitles::read_cues;
use confkit::translate::xliff;

use crate::harness::ProjectTest;

/// A bilingual project with one French session and a two-term glossary.
fn french_session() -> ProjectTest {
    let project = ProjectTest::conference("");
    project
        .copy_sample("day1-opening.mp4", "assets/recordings/opening.mp4")
        .write(
            "assets/recordings.toml",
            "[[recording]]\nid = \"opening\"\nfile = \"assets/recordings/opening.mp4\"\ntitle.fr = \"Ouverture\"\ntitle.en = \"Opening\"\nlanguages = [\"fr\"]\n",
        )
        .write(
            "assets/glossary.toml",
            "[[term]]\ntext.fr = \"traite des personnes\"\ntext.en = \"trafficking in persons\"\n\n[[term]]\ntext.fr = \"CEDEAO\"\ntext.en = \"ECOWAS\"\n",
        );
    project
}

const FRENCH: &str = "WEBVTT

00:00:01.000 --> 00:00:04.000
La traite des personnes
est un crime.

00:00:04.500 --> 00:00:07.000
La CEDEAO coopère.

00:00:08.000 --> 00:00:10.000
Merci.
";

/// Fills every unit of the exported file with `translate(n, source)`.
fn translated(path: &std::path::Path, translate: impl Fn(usize, &str) -> Option<String>) -> String {
    let mut document = xliff::read(&fs::read_to_string(path).unwrap()).unwrap();
    for (n, unit) in document.units.iter_mut().enumerate() {
        unit.target = translate(n, &unit.source);
        unit.state = Some("translated".into());
    }
    xliff::write(&document)
}

#[test]
fn a_translators_xliff_comes_back_with_its_times_and_is_checked() {
    let project = french_session();
    let root = project.path();
    project.write("transcripts/opening.fr.vtt", FRENCH);

    let check = project.run(&["check"]);
    assert!(
        check
            .stderr
            .contains("recording `opening` has no `en` text"),
        "{}",
        check.stderr
    );

    let export = project.run(&["translate", "export", "--lang", "en"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    let xlf = root.join("translations/opening.en.xlf");
    crate::standards::assert_valid_xliff(&xlf);
    let document = xliff::read(&fs::read_to_string(&xlf).unwrap()).unwrap();
    assert_eq!(document.original, "transcripts/opening.fr.vtt");
    assert_eq!(
        (
            document.source_language.as_str(),
            document.target_language.as_str()
        ),
        ("fr", "en")
    );
    assert_eq!(document.units.len(), 3);
    assert_eq!(document.units[0].time, "00:00:01.000 --> 00:00:04.000");
    assert_eq!(
        document.units[0].source,
        "La traite des personnes est un crime."
    );
    assert_eq!(
        document.units[0].notes,
        ["traite des personnes = trafficking in persons"]
    );
    assert_eq!(document.units[1].notes, ["CEDEAO = ECOWAS"]);
    assert!(document.units.iter().all(|u| u.target.is_none()));

    // A unit left untranslated: the import refuses the whole file, at the unit.
    fs::write(
        &xlf,
        translated(&xlf, |n, _| (n != 1).then(|| "Thank you.".into())),
    )
    .unwrap();
    let partial = project.run(&["translate", "import", "translations/opening.en.xlf"]);
    assert_eq!(partial.code, 1);
    assert!(
        partial.stderr.contains("translations/opening.en.xlf:")
            && partial
                .stderr
                .contains("1 of 3 subtitles have no translation, the first is unit 2"),
        "{}",
        partial.stderr
    );
    assert!(!root.join("transcripts/opening.en.vtt").exists());

    // Broken XML names the line.
    fs::write(&xlf, "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\">\n<file original=\"x\">\n</body>\n</xliff>\n").unwrap();
    let broken = project.run(&["translate", "import", "translations/opening.en.xlf"]);
    assert_eq!(broken.code, 1);
    assert!(
        broken.stderr.contains("translations/opening.en.xlf:4:"),
        "{}",
        broken.stderr
    );
    assert!(
        broken.stderr.contains("not well-formed"),
        "{}",
        broken.stderr
    );

    // A translation that drops a glossary term.
    project.run(&["translate", "export", "--lang", "en"]);
    let english = [
        "Human trafficking is a crime.",
        "ECOWAS cooperates.",
        "Thank you.",
    ];
    fs::write(&xlf, translated(&xlf, |n, _| Some(english[n].into()))).unwrap();
    let import = project.run(&["translate", "import", "translations/opening.en.xlf"]);
    assert_eq!(import.code, 0, "{}", import.stderr);
    let cues = read_cues(&root.join("transcripts/opening.en.vtt")).unwrap();
    let french = read_cues(&root.join("transcripts/opening.fr.vtt")).unwrap();
    assert_eq!(cues.len(), 3);
    for (en, fr) in cues.iter().zip(&french) {
        assert_eq!((en.start, en.end), (fr.start, fr.end));
    }
    assert_eq!(cues[1].text, "ECOWAS cooperates.");
    assert!(root.join("transcripts/opening.en.srt").is_file());

    let check = project.run(&["check"]);
    assert!(
        !check.stderr.contains("has no `en` text"),
        "{}",
        check.stderr
    );
    assert!(
        check.stderr.contains(
            "transcripts/opening.fr.vtt:3:1: warning: the cue at 00:00:01 says “traite des personnes”, but the `en` text around it does not say “trafficking in persons”"
        ),
        "{}",
        check.stderr
    );
    assert!(!check.stderr.contains("“CEDEAO”"), "{}", check.stderr);

    // The reviewer corrects the English by hand: a new import does not overwrite it...
    let vtt = root.join("transcripts/opening.en.vtt");
    let corrected = fs::read_to_string(&vtt)
        .unwrap()
        .replace("Human trafficking", "Trafficking in persons");
    fs::write(&vtt, &corrected).unwrap();
    let again = project.run(&["translate", "import", "translations/opening.en.xlf"]);
    assert_eq!(again.code, 1);
    assert!(
        again
            .stderr
            .contains("was written or corrected by hand; it is kept"),
        "{}",
        again.stderr
    );
    assert_eq!(fs::read_to_string(&vtt).unwrap(), corrected);
    assert!(!project
        .run(&["check"])
        .stderr
        .contains("“traite des personnes”"));
    // ...unless asked to.
    let replace = project.run(&[
        "translate",
        "import",
        "--replace",
        "translations/opening.en.xlf",
    ]);
    assert_eq!(replace.code, 0, "{}", replace.stderr);
    assert_ne!(fs::read_to_string(&vtt).unwrap(), corrected);

    // Nothing is left to translate into English now; French needs no translator.
    let export = project.run(&["translate", "export", "--lang", "en"]);
    assert!(
        export
            .stderr
            .contains("opening: not exported, it has en from the human translation"),
        "{}",
        export.stderr
    );
    let export = project.run(&["translate", "export", "--lang", "fr"]);
    assert!(
        export
            .stderr
            .contains("opening: not exported, it has fr from the floor"),
        "{}",
        export.stderr
    );
}

/// With the real base model: a French session gets whisper's English, which
/// a translator's work then replaces, and a rebuild keeps it.
#[test]
fn whisper_translates_into_english_until_a_translator_does() {
    let project = french_session();
    let root = project.path();

    let build = {
        let _turn = crate::transcribe::ONE_AT_A_TIME
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        project.run(&["build"])
    };
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        build.stderr.contains("transcripts: 2 made"),
        "{}",
        build.stderr
    );
    let json: Transcript = serde_json::from_str(
        &fs::read_to_string(root.join("transcripts/opening.en.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json.task, "translate");
    assert!(!json.segments.is_empty());
    assert!(json.segments.iter().all(|s| s.language == "en"));
    assert!(!project.run(&["check"]).stderr.contains("has no `en` text"));

    // The export offers whisper's text as a draft for the translator to review.
    let export = project.run(&["translate", "export", "--lang", "en"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    let xlf = root.join("translations/opening.en.xlf");
    let document = xliff::read(&fs::read_to_string(&xlf).unwrap()).unwrap();
    assert!(document
        .units
        .iter()
        .any(|u| u.state.as_deref() == Some("needs-review-translation") && u.target.is_some()));
    fs::write(
        &xlf,
        translated(&xlf, |n, _| Some(format!("Reviewed line {}.", n + 1))),
    )
    .unwrap();
    let import = project.run(&["translate", "import", "translations/opening.en.xlf"]);
    assert_eq!(import.code, 0, "{}", import.stderr);
    assert!(
        import.stderr.contains("replacing the machine translation"),
        "{}",
        import.stderr
    );
    assert!(!root.join("transcripts/opening.en.json").exists());

    let rebuild = project.run(&["build"]);
    assert_eq!(rebuild.code, 0, "{}", rebuild.stderr);
    assert!(
        rebuild.stderr.contains("transcripts: 0 made, 1 up to date"),
        "{}",
        rebuild.stderr
    );
    assert!(fs::read_to_string(root.join("transcripts/opening.en.vtt"))
        .unwrap()
        .contains("Reviewed line 1."));
}

/// A floor that switches between French and English: the sentence at
/// 4.5-7 s is English.
const SWITCHING: &str = "WEBVTT

00:00:01.000 --> 00:00:04.000
La traite des personnes
est un crime.

00:00:04.500 --> 00:00:07.000
Referral comes first.

00:00:08.000 --> 00:00:10.000
Merci.
";

/// What the recogniser said of each stretch's language.
fn switching_transcript() -> String {
    use confkit::speech::transcribe::{ModelRef, Segment, SourceRef};
    use confkit::timecode::Timecode;
    let segment = |start: u64, end: u64, language: &str| Segment {
        start: Timecode::from_millis(start),
        end: Timecode::from_millis(end),
        language: language.into(),
        language_probability: 0.9,
        text: String::new(),
        words: Vec::new(),
    };
    serde_json::to_string(&Transcript {
        source: SourceRef {
            path: "assets/recordings/mixed.mp4".into(),
            sha256: String::new(),
            track: 0,
        },
        model: ModelRef {
            path: "ggml-base-q8_0.bin".into(),
            sha256: String::new(),
        },
        task: "transcribe".into(),
        segments: vec![
            segment(1_000, 4_200, "fr"),
            segment(4_300, 7_200, "en"),
            segment(7_800, 10_000, "fr"),
        ],
    })
    .unwrap()
}

#[test]
fn a_switching_session_sends_only_its_other_language_and_marks_nothing_final() {
    let project = ProjectTest::conference("");
    project
        .copy_sample("day2-referral-mixed.mp4", "assets/recordings/mixed.mp4")
        .write(
            "assets/recordings.toml",
            "[[recording]]\nid = \"mixed\"\nfile = \"assets/recordings/mixed.mp4\"\ntitle.fr = \"Orientation\"\ntitle.en = \"Referral\"\nlanguages = [\"fr\", \"en\"]\n",
        )
        .write("transcripts/mixed.fr-en.vtt", SWITCHING)
        .write("transcripts/mixed.fr-en.json", &switching_transcript());
    let root = project.path();

    let export = project.run(&["translate", "export", "--lang", "en"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    let xlf = root.join("translations/mixed.en.xlf");
    crate::standards::assert_valid_xliff(&xlf);
    let text = fs::read_to_string(&xlf).unwrap();
    let document = xliff::read(&text).unwrap();
    // The file's sources are all French, as it says; the English sentence
    // is not the translator's.
    assert_eq!(document.source_language, "fr");
    let sources: Vec<&str> = document.units.iter().map(|u| u.source.as_str()).collect();
    assert_eq!(sources, ["La traite des personnes est un crime.", "Merci."]);
    assert!(!text.contains("final"), "{text}");
    assert!(document.units.iter().all(|u| u.maxwidth == Some(84)));

    // A translation longer than a subtitle holds is refused, at its unit.
    let long =
        "Trafficking in persons is a crime that every border post along the route must report.";
    fs::write(
        &xlf,
        translated(&xlf, |n, _| {
            Some(if n == 0 {
                long.into()
            } else {
                "Thank you.".into()
            })
        }),
    )
    .unwrap();
    let refused = project.run(&["translate", "import", "translations/mixed.en.xlf"]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    let line = fs::read_to_string(&xlf)
        .unwrap()
        .lines()
        .position(|l| l.contains("<trans-unit id=\"1\""))
        .unwrap()
        + 1;
    assert!(
        refused
            .stderr
            .contains(&format!("translations/mixed.en.xlf:{line}:"))
            && refused
                .stderr
                .contains("unit 1 at 00:00:01.000 --> 00:00:04.000")
            && refused
                .stderr
                .contains(&format!("has {} characters", long.chars().count())),
        "{}",
        refused.stderr
    );
    assert!(!root.join("transcripts/mixed.en.vtt").exists());

    // Translated within bounds, it comes back with the English the floor
    // already said, in its place.
    fs::write(
        &xlf,
        translated(&xlf, |n, _| {
            Some(["Trafficking in persons is a crime.", "Thank you."][n].into())
        }),
    )
    .unwrap();
    let import = project.run(&["translate", "import", "translations/mixed.en.xlf"]);
    assert_eq!(import.code, 0, "{}", import.stderr);
    let cues = read_cues(&root.join("transcripts/mixed.en.vtt")).unwrap();
    let texts: Vec<&str> = cues.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Trafficking in persons is a crime.",
            "Referral comes first.",
            "Thank you."
        ]
    );
}
