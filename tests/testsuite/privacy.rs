//! Redaction in clips' audio and in the project's files, and clearance in
//! what each institution receives.

use std::path::Path;

use confkit::media::decode::decode_speech_audio;

use crate::harness::{repo_root, run_in, ProjectTest};

/// The sample session with the fictitious case, and transcripts as a
/// reviewer leaves them: the name the model misheard written out in full.
fn interpreted_session() -> ProjectTest {
    let project = ProjectTest::conference("");
    project
        .copy_sample("day2-identification-interpreted.mp4", "assets/recordings/case.mp4")
        .write(
            "assets/recordings.toml",
            "[[recording]]\nid = \"case\"\nfile = \"assets/recordings/case.mp4\"\ntitle.fr = \"Cas\"\ntitle.en = \"Case\"\nlanguages = [\"fr\"]\n\n[[recording.track]]\nindex = 0\nrole = \"floor\"\n\n[[recording.track]]\nindex = 1\nrole = \"interpretation\"\nlanguage = \"en\"\n",
        )
        .write(
            "assets/clips.toml",
            "[[clip]]\nid = \"case-study\"\nrecording = \"case\"\nstart = \"00:00:20\"\nend = \"00:00:36\"\ntitle.fr = \"Étude de cas\"\ntitle.en = \"Case study\"\n",
        )
        .write(
            "assets/redactions.toml",
            "[[name]]\ntext = \"Amina Bello\"\n\n[[pattern]]\nregex = 'NE[ -]?\\d{4}[ -]?\\d{4}'\n",
        )
        .write(
            "transcripts/case.fr.vtt",
            "WEBVTT\n\n00:00:18.463 --> 00:00:25.796\nLes acteurs de l'identification\nen première ligne.\n\n00:00:26.765 --> 00:00:33.184\nUne jeune femme, que nous\nappellerons Amina Bello.\n",
        )
        .write(
            "transcripts/case.en.vtt",
            "WEBVTT\n\n00:00:18.463 --> 00:00:26.065\nFront-line identification actors.\n\n00:00:26.765 --> 00:00:34.182\nA young woman, whom we\nwill call Amina Bello.\n",
        );
    project
}

/// The share of a 1 kHz tone in the signal between `from` and `to` seconds,
/// and the signal's RMS level.
pub(crate) fn tone_share(samples: &[f32], from: f64, to: f64) -> (f64, f64) {
    let window = 1_600; // 100 ms at 16 kHz: 1 kHz falls on bin 100.
    let (mut tone, mut total, mut count) = (0.0, 0.0, 0usize);
    let first = (from * 16_000.0) as usize;
    let last = ((to * 16_000.0) as usize).min(samples.len());
    for block in samples[first..last].chunks_exact(window) {
        let (mut re, mut im, mut energy) = (0.0f64, 0.0f64, 0.0f64);
        for (n, &x) in block.iter().enumerate() {
            let phase = 2.0 * std::f64::consts::PI * 100.0 * n as f64 / window as f64;
            re += f64::from(x) * phase.cos();
            im += f64::from(x) * phase.sin();
            energy += f64::from(x) * f64::from(x);
        }
        tone += 2.0 * (re * re + im * im) / window as f64;
        total += energy;
        count += window;
    }
    (
        tone / total.max(1e-12),
        (total / count.max(1) as f64).sqrt(),
    )
}

pub(crate) fn decode(path: &Path) -> Vec<f32> {
    let mut samples = Vec::new();
    decode_speech_audio(path, 0, |chunk| {
        samples.extend_from_slice(chunk);
        Ok(())
    })
    .unwrap();
    samples
}

#[test]
fn a_redacted_name_is_bleeped_in_every_audio_version_of_a_clip() {
    let project = interpreted_session();
    let run = project.run(&["clips"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dir = project.path().join(".confkit/clips/case-study");
    // The name is said from 26.8 s (6.8 s into the clip) to 33.2 s (French
    // floor) and 34.2 s (English interpretation).
    for file in [
        "case-study.fr.mp4",
        "case-study.en.mp4",
        "case-study.fr.m4a",
        "case-study.fr.low.mp4",
    ] {
        let samples = decode(&dir.join(file));
        let (share, level) = tone_share(&samples, 7.0, 13.0);
        assert!(
            share > 0.8 && level > 0.05,
            "{file}: the name's span is not bleeped (tone {share:.2}, level {level:.3})"
        );
        let (share, level) = tone_share(&samples, 0.5, 5.5);
        assert!(
            share < 0.2 && level > 0.01,
            "{file}: the speech before it is bleeped too (tone {share:.2}, level {level:.3})"
        );
    }
}

#[test]
fn a_redacted_name_in_a_shipped_file_fails_the_check() {
    let project = interpreted_session();
    let clean = project.run(&["check"]);
    assert_eq!(clean.code, 0, "{}", clean.stderr);
    project.write(
        "assets/guide.toml",
        "[[chapter]]\nid = \"niger\"\nkind = \"country\"\ncountry_code = \"NE\"\n",
    );
    project.write(
        "assets/guide/niger.fr.md",
        "+++\ntitle = \"Niger\"\n+++\n\nLe cas de Mme amina  bello, dossier NE-2020-0417.\n",
    );
    project.write(
        "assets/guide/niger.en.md",
        "+++\ntitle = \"Niger\"\n+++\n\nText.\n",
    );
    project.write(
        "transcripts/case.en.vtt",
        "WEBVTT\n\n00:00:26.765 --> 00:00:34.182\nA young woman, whom we\nwill call Aminabelo.\n",
    );
    let run = project.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("assets/guide/niger.fr.md:5:15: error: `amina  bello` is on the redaction list (Amina Bello)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("`NE-2020-0417` is on the redaction list"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("transcripts/case.en.vtt:3:1: warning: the cue at 00:00:26.765 says `Aminabelo.`, which sounds like `Amina Bello` on the redaction list"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_institution_receives_only_what_its_clearance_allows_and_is_told_why() {
    let run = run_in(&repo_root(), &["package", "--dry-run", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let plans: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let plan = |id: &str| {
        plans
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["institution"] == id)
            .unwrap_or_else(|| panic!("no plan for {id}"))
            .clone()
    };
    let clips = |id: &str| -> Vec<String> {
        plan(id)["clips"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect()
    };
    // The case study is for law enforcement only.
    assert!(clips("niger-border-police").contains(&"identification-case-study".to_string()));
    assert!(!clips("niger-social-affairs").contains(&"identification-case-study".to_string()));
    assert!(!clips("niger-focal-point").contains(&"identification-case-study".to_string()));
    assert_eq!(
        plan("niger-focal-point")["left_out"][0]["reason"],
        "clip `identification-case-study` is `law-enforcement`; `niger-focal-point` is cleared for `institutional`"
    );
    for institution in plans.as_array().unwrap() {
        assert!(institution["languages"]
            .as_array()
            .is_some_and(|l| !l.is_empty()));
    }
}

#[test]
fn a_module_asked_for_still_leaves_out_the_clips_above_the_clearance() {
    let project = ProjectTest::empty();
    let root = project.path();
    // The Niamey project, with its social-affairs ministry in Niger asking
    // for the identification module, whose case study is law-enforcement.
    project.copy_from_repo(&[
        "confkit.toml",
        "assets/recordings.toml",
        "assets/recordings",
        "assets/clips.toml",
        "assets/guide.toml",
        "assets/guide",
        "assets/modules",
        "assets/glossary.toml",
        "assets/redactions.toml",
    ]);
    let institutions = std::fs::read_to_string(repo_root().join("assets/institutions.toml"))
        .unwrap()
        .replacen(
            "id = \"niger-social-affairs\"",
            "id = \"niger-social-affairs\"\nmodules = [\"identification-border-posts\"]",
            1,
        );
    project.write("assets/institutions.toml", &institutions);
    let run = run_in(root, &["package", "--dry-run", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let plans: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let plan = plans
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["institution"] == "niger-social-affairs")
        .unwrap();
    assert!(plan["modules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m == "identification-border-posts"));
    assert!(plan["clips"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "identification-interview"));
    assert!(!plan["clips"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "identification-case-study"));
    assert_eq!(
        plan["left_out"],
        serde_json::json!([{
            "kind": "clip",
            "id": "identification-case-study",
            "reason": "clip `identification-case-study` is `law-enforcement`; `niger-social-affairs` is cleared for `institutional`"
        }])
    );
}
