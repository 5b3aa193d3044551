//! Transcription with the real base model and whisper.cpp, calibrated on
//! what that model can honestly do with espeak-ng voices: English almost word
//! for word; the language switch found; nothing invented over silence.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use confkit::media::decode::decode_speech_audio;
use confkit::speech::transcribe::{resolve_model, Recogniser, TranscribeOptions, Transcript};
use confkit::timecode::Timecode;

use crate::harness::repo_root;

/// whisper.cpp uses every core: one transcription at a time keeps the
/// tests from starving each other.
pub(crate) static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn recogniser() -> Recogniser {
    let model = resolve_model("base")
        .expect("the base model is installed by `scripts/fetch-model` (make test does it)");
    Recogniser::load(&model).unwrap()
}

fn transcribe(recogniser: &Recogniser, path: &Path, options: &TranscribeOptions) -> Transcript {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    recogniser.transcribe(path, options, &mut |_| {}).unwrap()
}

pub(crate) fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// The reference sentences of a sample session in one language.
pub(crate) fn reference(session: &str, language: &str) -> String {
    let timing =
        std::fs::read_to_string(repo_root().join(format!("scripts/samples/{session}.timing.tsv")))
            .unwrap();
    timing
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            (fields.get(3) == Some(&language)).then(|| fields[4].to_string())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn sample(name: &str) -> PathBuf {
    repo_root().join("assets/recordings").join(name)
}

#[test]
fn english_is_transcribed_nearly_word_for_word_with_provenance() {
    let recogniser = recogniser();
    let transcript = transcribe(
        &recogniser,
        &sample("day1-regional-study.mp4"),
        &TranscribeOptions::default(),
    );
    assert_eq!(transcript.languages(), ["en"]);
    let heard: HashSet<String> = transcript
        .segments
        .iter()
        .flat_map(|s| words(&s.text))
        .collect();
    let expected = words(&reference("day1-regional-study", "en"));
    let found = expected.iter().filter(|w| heard.contains(*w)).count();
    let recall = found as f64 / expected.len() as f64;
    assert!(
        recall > 0.75,
        "{:.0} % of the reference words heard",
        recall * 100.0
    );

    assert_eq!(transcript.source.sha256.len(), 64);
    assert_eq!(
        transcript.model.sha256,
        "479340cdab579696cff766b4a3d8db49ef601fce410f3249ab6d6a9a04700e4c"
    );
    for segment in &transcript.segments {
        assert!(segment.start < segment.end, "{segment:?}");
        assert!(!segment.words.is_empty());
        for word in &segment.words {
            assert!(
                word.start >= segment.start && word.end <= segment.end + Timecode::from_millis(50),
                "{word:?} in {segment:?}"
            );
        }
    }
}

#[test]
fn a_session_that_switches_language_gets_each_part_in_its_own() {
    let recogniser = recogniser();
    let options = TranscribeOptions {
        allowed_languages: vec!["fr".into(), "en".into()],
        ..TranscribeOptions::default()
    };
    let transcript = transcribe(&recogniser, &sample("day2-referral-mixed.mp4"), &options);
    // The speakers switch to English at 39.7 s (scripts/samples/day2-referral-mixed.timing.tsv).
    let switch = Timecode::from_millis(39_720);
    let french: Vec<_> = transcript
        .segments
        .iter()
        .filter(|s| s.end <= switch)
        .collect();
    let english: Vec<_> = transcript
        .segments
        .iter()
        .filter(|s| s.start >= switch)
        .collect();
    assert!(
        !french.is_empty() && !english.is_empty(),
        "{:#?}",
        transcript.segments
    );
    assert!(french.iter().all(|s| s.language == "fr"), "{french:#?}");
    assert!(english.iter().all(|s| s.language == "en"), "{english:#?}");
    assert_eq!(transcript.languages(), ["fr", "en"]);
}

#[test]
fn nothing_is_invented_over_a_silent_minute() {
    let dir = tempfile::tempdir().unwrap();
    // Twelve seconds of the English session, a silent minute, the same again.
    let mut speech = Vec::new();
    decode_speech_audio(&sample("day1-regional-study.mp4"), 0, |chunk| {
        speech.extend_from_slice(chunk);
        Ok(())
    })
    .unwrap();
    speech.truncate(12 * 16_000);
    let mut samples: Vec<i16> = speech.iter().map(|s| (s * 32_767.0) as i16).collect();
    samples.extend(std::iter::repeat_n(0, 60 * 16_000));
    samples.extend(speech.iter().map(|s| (s * 32_767.0) as i16));
    let wav = dir.path().join("silent-minute.wav");
    std::fs::write(&wav, confkit::media::wav::pcm16_mono_wav(&samples, 16_000)).unwrap();

    let transcript = transcribe(&recogniser(), &wav, &TranscribeOptions::default());
    let (quiet_from, quiet_to) = (Timecode::from_millis(13_000), Timecode::from_millis(71_000));
    let invented: Vec<_> = transcript
        .segments
        .iter()
        .filter(|s| s.start < quiet_to && s.end > quiet_from)
        .collect();
    assert!(invented.is_empty(), "text over silence: {invented:#?}");
    assert!(
        transcript.segments.iter().any(|s| s.end <= quiet_from),
        "the speech before is heard"
    );
    assert!(
        transcript.segments.iter().any(|s| s.start >= quiet_to),
        "the speech after is heard"
    );
}

/// `confkit transcribe` in a project fills `transcripts/`, does nothing the
/// second time, and never overwrites a file someone corrected.
#[test]
fn project_transcripts_keep_human_corrections() {
    let project = crate::harness::ProjectTest::conference("");
    project
        .copy_sample("day1-regional-study.mp4", "assets/recordings/study.mp4")
        .write(
            "assets/recordings.toml",
            "[[recording]]\nid = \"study\"\nfile = \"assets/recordings/study.mp4\"\ntitle.fr = \"É\"\ntitle.en = \"S\"\nlanguages = [\"en\"]\n",
        )
        .write("assets/glossary.toml", "[[term]]\ntext.fr = \"Libye\"\ntext.en = \"Libya\"\n");
    let root = project.path();

    let first = {
        let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        project.run(&["transcribe"])
    };
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first.stderr.contains("transcripts: 1 made, 0 up to date"),
        "{}",
        first.stderr
    );
    let vtt = root.join("transcripts/study.en.vtt");
    for ext in ["json", "vtt", "srt"] {
        assert!(
            root.join(format!("transcripts/study.en.{ext}")).is_file(),
            "{ext}"
        );
    }

    let second = project.run(&["transcribe"]);
    assert!(
        second.stderr.contains("transcripts: 0 made, 1 up to date"),
        "{}",
        second.stderr
    );

    // A correction, as a reviewer would make it in a subtitle editor.
    let corrected = std::fs::read_to_string(&vtt).unwrap().replacen(
        "Mediterranean",
        "Méditerranée (corrigé)",
        1,
    );
    std::fs::write(&vtt, &corrected).unwrap();
    let third = project.run(&["transcribe"]);
    assert!(
        third.stderr.contains("1 corrected by hand and kept"),
        "{}",
        third.stderr
    );
    assert_eq!(std::fs::read_to_string(&vtt).unwrap(), corrected);

    // The recording is replaced by a new edit: the correction is still kept,
    // and reported as needing a look against the new recording.
    project.copy_sample("day2-referral-mixed.mp4", "assets/recordings/study.mp4");
    let fourth = project.run(&["transcribe"]);
    assert!(
        fourth.stderr.contains(
            "transcripts/study.en.* were corrected by hand, but the recording changed since"
        ),
        "{}",
        fourth.stderr
    );
    assert_eq!(std::fs::read_to_string(&vtt).unwrap(), corrected);
}
