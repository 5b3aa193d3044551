//! The inputs real projects bring: broken, odd and very long media,
//! subtitle files from other tools, project files with mistakes. Each is
//! named with what is wrong and where; the other items are built; nothing
//! is left half-written.

use std::path::{Path, PathBuf};

use crate::harness::{repo_root, run_in, ProjectTest};
use crate::media::make_media;
use crate::transcribe::{reference, words, ONE_AT_A_TIME};
use crate::workshop::workshop;

/// The sample recording of English speech (53 s).
fn english_sample() -> PathBuf {
    repo_root().join("assets/recordings/day1-regional-study.mp4")
}

/// Bytes no media reader recognises.
fn noise(len: u32) -> Vec<u8> {
    (0..len)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect()
}

/// Files under `dir`, at any depth, whose names mark them half-written.
fn partial_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(partial_files(&path));
        } else if confkit::fs::is_partial(&entry.file_name().to_string_lossy()) {
            found.push(path);
        }
    }
    found
}

/// Asserts that one line of `output` holds every part, in any order.
fn assert_line(output: &str, parts: &[&str]) {
    assert!(
        output
            .lines()
            .any(|line| parts.iter().all(|part| line.contains(part))),
        "no line with {parts:?} in:\n{output}"
    );
}

fn recording(id: &str, file: &str) -> String {
    format!("\n[[recording]]\nid = \"{id}\"\nfile = \"assets/recordings/{file}\"\ntitle.fr = \"{id}\"\ntitle.en = \"{id}\"\nlanguages = [\"fr\"]\nclearance = \"institutional\"\n")
}

fn append(path: &Path, text: &str) {
    let mut content = std::fs::read_to_string(path).unwrap();
    content.push_str(text);
    std::fs::write(path, content).unwrap();
}

/// A conference with one good recording (named with accents and spaces)
/// and five that cannot be used: the errors name each file at its line in
/// recordings.toml, and the build makes everything that does not need them.
#[test]
fn broken_recordings_are_named_and_the_rest_is_built() {
    let project = workshop();
    let dir = project.path();
    let recordings = dir.join("assets/recordings");
    let good = "Séance 2 — cas d'école.mp4";
    std::fs::rename(recordings.join("case.mp4"), recordings.join(good)).unwrap();
    let toml = dir.join("assets/recordings.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("recordings/case.mp4", &format!("recordings/{good}")),
    )
    .unwrap();

    std::fs::write(recordings.join("empty.mp4"), b"").unwrap();
    std::fs::write(recordings.join("random.mp4"), noise(50_000)).unwrap();
    let whole = std::fs::read(recordings.join(good)).unwrap();
    std::fs::write(
        recordings.join("truncated.mp4"),
        &whole[..whole.len() * 3 / 5],
    )
    .unwrap();
    make_media(
        &recordings,
        "mute.mp4",
        "videotestsrc num-buffers=250 ! video/x-raw,width=320,height=180,framerate=25/1 ! x264enc ! mp4mux ! filesink location=OUT",
    );
    std::fs::copy(
        repo_root().join("assets/recordings/day1-regional-study.fr.m4a"),
        recordings.join("sound.m4a"),
    )
    .unwrap();
    for (id, file) in [
        ("empty", "empty.mp4"),
        ("random", "random.mp4"),
        ("truncated", "truncated.mp4"),
        ("mute", "mute.mp4"),
        ("sound", "sound.m4a"),
    ] {
        append(&toml, &recording(id, file));
    }
    append(
        &dir.join("assets/clips.toml"),
        "\n[[clip]]\nid = \"from-sound\"\nrecording = \"sound\"\nstart = \"00:00:01\"\nend = \"00:00:06\"\ntitle.fr = \"Son\"\ntitle.en = \"Sound\"\nmodules = [\"referral\"]\nclearance = \"institutional\"\n\n\
[[clip]]\nid = \"from-mute\"\nrecording = \"mute\"\nstart = \"00:00:01\"\nend = \"00:00:06\"\ntitle.fr = \"Muet\"\ntitle.en = \"Mute\"\nclearance = \"institutional\"\n",
    );
    project.write(
        "assets/modules/referral.toml",
        "title.fr = \"Orienter\"\ntitle.en = \"Referral\"\naudience = [\"social-affairs\"]\nobjectives.fr = [\"Orienter.\"]\nobjectives.en = [\"Refer.\"]\n\n[[step]]\nclip = \"from-sound\"\n",
    );
    // Transcripts as reviewers leave them, so that no speech work is needed.
    for language in ["fr", "en"] {
        project.write(
            &format!("transcripts/sound.{language}.vtt"),
            "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nÉtude régionale\n",
        );
    }
    let corrected = std::fs::read(dir.join("transcripts/case.fr.vtt")).unwrap();

    let check = project.run(&["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    for parts in [
        &["assets/recordings.toml:", "recording `empty`: `assets/recordings/empty.mp4` cannot be read: the file is empty (0 bytes)"][..],
        &["assets/recordings.toml:", "recording `random`: `assets/recordings/random.mp4` is not a media file GStreamer can read"],
        &["assets/recordings.toml:", "recording `truncated`: `assets/recordings/truncated.mp4` cannot be read", "truncated"],
        &["assets/recordings.toml:", "recording `mute`: `assets/recordings/mute.mp4` has no audio track"],
        &["assets/clips.toml:", "clip `from-sound`: recording `sound` has no video (`assets/recordings/sound.m4a` is sound only)"],
    ] {
        assert_line(&check.stderr, parts);
    }
    assert!(
        !check.stderr.contains("Séance"),
        "the good recording reads: {}",
        check.stderr
    );

    let build = project.run(&["build"]);
    assert_eq!(build.code, 1, "{}", build.stderr);
    assert_line(
        &build.stderr,
        &[
            "going on without",
            "recording `random`",
            "clip `from-sound`",
        ],
    );
    assert_line(
        &build.stderr,
        &["from-mute: not cut: recording `mute`", "has no audio track"],
    );
    assert_line(&build.stderr, &["clips: 2 cut", "2 failed"]);
    assert_line(
        &build.stderr,
        &["ne-social", "clip `from-sound` cannot be cut"],
    );
    let verify = project.run(&["verify", "packages/ne-police.zip"]);
    assert_eq!(verify.code, 0, "{}", verify.stderr);
    assert!(!dir.join("packages/ne-social.zip").exists());
    assert_eq!(
        std::fs::read(dir.join("transcripts/case.fr.vtt")).unwrap(),
        corrected
    );
    assert_eq!(partial_files(dir), Vec::<PathBuf>::new());
}

/// Audio at 8 kHz, and in six channels at 48 kHz, is heard as well as the
/// original; files that hold no usable sound are named with the reason,
/// and the others are transcribed all the same.
#[test]
fn odd_audio_is_transcribed_and_unusable_files_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let sample = english_sample().display().to_string();
    // Named with accents and spaces, as people name files.
    let telephone = dir.path().join("Séance téléphone 8 kHz.wav");
    let made = make_media(
        dir.path(),
        "telephone.wav",
        &format!("filesrc location={sample} ! qtdemux ! aacparse ! avdec_aac ! audioconvert ! audioresample ! audio/x-raw,rate=8000,channels=1 ! wavenc ! filesink location=OUT"),
    );
    std::fs::rename(made, &telephone).unwrap();
    let surround = make_media(
        dir.path(),
        "six-channels.wav",
        &format!("filesrc location={sample} ! qtdemux ! aacparse ! avdec_aac ! audioconvert ! audioresample ! audio/x-raw,rate=48000,channels=6 ! wavenc ! filesink location=OUT"),
    );
    let empty = dir.path().join("vide.mp4");
    std::fs::write(&empty, b"").unwrap();
    let random = dir.path().join("random.mp4");
    std::fs::write(&random, noise(50_000)).unwrap();
    let mute = make_media(
        dir.path(),
        "silent-film.mp4",
        "videotestsrc num-buffers=50 ! video/x-raw,width=160,height=90,framerate=25/1 ! x264enc ! mp4mux ! filesink location=OUT",
    );
    let out = dir.path().join("out");

    let files = [&telephone, &empty, &surround, &random, &mute];
    let mut args = vec![
        "transcribe",
        "--lang",
        "en",
        "--threads",
        "2",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let run = {
        let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        run_in(dir.path(), &args)
    };
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_line(&run.stderr, &["error:", "vide.mp4` is empty (0 bytes)"]);
    assert_line(
        &run.stderr,
        &[
            "error:",
            "random.mp4` is not a media file GStreamer can read",
        ],
    );
    assert_line(
        &run.stderr,
        &["error:", "silent-film.mp4` has no audio stream"],
    );

    let mut written: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(
        written,
        [
            "Séance téléphone 8 kHz.en.json",
            "Séance téléphone 8 kHz.en.srt",
            "Séance téléphone 8 kHz.en.vtt",
            "six-channels.en.json",
            "six-channels.en.srt",
            "six-channels.en.vtt",
        ]
    );
    let expected = words(&reference("day1-regional-study", "en"));
    for name in ["Séance téléphone 8 kHz.en.vtt", "six-channels.en.vtt"] {
        let heard: std::collections::HashSet<String> =
            words(&std::fs::read_to_string(out.join(name)).unwrap())
                .into_iter()
                .collect();
        let found = expected.iter().filter(|w| heard.contains(*w)).count();
        let recall = found as f64 / expected.len() as f64;
        assert!(
            recall > 0.6,
            "{name}: {:.0} % of the words heard",
            recall * 100.0
        );
    }
}

/// Two hours of video, made here: `check` reads its length from the header
/// at once, a clip near the end is cut by seeking, and transcription
/// streams the whole sound through (silence: an empty transcript, whose
/// subtitle files are written all the same).
#[test]
fn a_two_hour_recording_is_checked_cut_and_transcribed() {
    let project = ProjectTest::conference("");
    let recordings = project.path().join("assets/recordings");
    std::fs::create_dir_all(&recordings).unwrap();
    make_media(
        &recordings,
        "plenary.mp4",
        "videotestsrc pattern=smpte num-buffers=7200 ! video/x-raw,format=I420,width=64,height=36,framerate=1/1 ! x264enc speed-preset=ultrafast key-int-max=10 ! h264parse ! mux. \
         audiotestsrc wave=silence samplesperbuffer=16000 num-buffers=7200 ! audio/x-raw,rate=16000,channels=1 ! voaacenc ! mux. \
         mp4mux name=mux ! filesink location=OUT",
    );
    project
        .write("assets/recordings.toml", &recording("plenary", "plenary.mp4"))
        .write(
            "assets/clips.toml",
            "[[clip]]\nid = \"closing\"\nrecording = \"plenary\"\nstart = \"01:59:40\"\nend = \"01:59:50\"\ntitle.fr = \"Clôture\"\ntitle.en = \"Closing\"\nclearance = \"institutional\"\n",
        );
    let status = project.run(&["status"]);
    assert_eq!(status.code, 0, "{}", status.stderr);
    assert!(status.stdout.contains("02:00:00"), "{}", status.stdout);
    let check = project.run(&["check", "--json"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);

    let clips = project.run(&["clips"]);
    assert_eq!(clips.code, 0, "{}", clips.stderr);
    let clip = project.path().join(".confkit/clips/closing");
    let video = std::fs::read_dir(&clip)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "mp4"))
        .expect("a video variant");
    let info = confkit::media::probe::probe(&video).unwrap();
    let length = info.duration.unwrap().as_millis();
    assert!((9_900..=10_100).contains(&length), "{length} ms");

    let out = project.path().join("out");
    let run = {
        let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        project.run(&[
            "transcribe",
            "--lang",
            "fr",
            "--out",
            out.to_str().unwrap(),
            recordings.join("plenary.mp4").to_str().unwrap(),
        ])
    };
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("plenary.none.json")).unwrap())
            .unwrap();
    assert_eq!(json["segments"].as_array().unwrap().len(), 0);
    assert_eq!(
        std::fs::read_to_string(out.join("plenary.none.vtt")).unwrap(),
        "WEBVTT\n"
    );
    assert!(out.join("plenary.none.srt").is_file());
}

/// Subtitle files as other tools save them: an SRT with a byte-order mark,
/// Windows line ends and Latin-1 accents is read as meant, and replaces the
/// WebVTT confkit wrote when someone corrects only the SRT; a bad time or
/// overlapping cues are named at their line and column.
#[test]
fn subtitle_files_from_other_tools() {
    let project = workshop();
    let dir = project.path();
    // Latin-1 "é" is the byte 0xE9.
    let mut srt = b"\xef\xbb\xbf1\r\n00:00:03,262 --> 00:00:10,832\r\nLes acteurs de l'identification, d\xe9j\xe0 form\xe9s\r\n\r\n".to_vec();
    srt.extend_from_slice(b"2\r\n00:00:26,765 --> 00:00:33,184\r\nUne jeune femme, Aminabelo.\r\n");
    std::fs::remove_file(dir.join("transcripts/case.fr.vtt")).unwrap();
    std::fs::write(dir.join("transcripts/case.fr.srt"), &srt).unwrap();
    let cues = confkit::subtitles::read_cues(&dir.join("transcripts/case.fr.srt")).unwrap();
    assert_eq!(cues[0].text, "Les acteurs de l'identification, déjà formés");
    let check = project.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    // Read like any transcript: a misspelt redacted name is pointed out.
    assert_line(
        &check.stderr,
        &[
            "transcripts/case.fr.srt:6:1: warning:",
            "says `Aminabelo.`",
            "sounds like `Amina Bello`",
        ],
    );

    // The SRT is what the package shows: confkit reads it when it is alone.
    let package = {
        let clips = project.run(&["clips"]);
        assert_eq!(clips.code, 0, "{}", clips.stderr);
        project.run(&["package"])
    };
    assert_eq!(package.code, 0, "{}", package.stderr);
    let zip = std::fs::read(dir.join("packages/ne-police.zip")).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut found = false;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        if entry.name().ends_with(".fr.vtt") {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
            found |= text.contains("déjà formés");
        }
    }
    assert!(found, "the corrected French text is in the package");

    project.write(
        "transcripts/case.en.vtt",
        "WEBVTT\n\n00:00:03.262 --> 00:00:10.832\nFront-line actors\n\n00:00:09.000 --> 00:00:12.000\nwho overlap\n\n00:00:26.765 --> 00:00:3x.182\nA young woman\n",
    );
    let check = project.run(&["check"]);
    assert_line(
        &check.stderr,
        &[
            "transcripts/case.en.vtt:9:18: error:",
            "`00:00:3x.182` is not a subtitle time",
        ],
    );
    project.write(
        "transcripts/case.en.vtt",
        "WEBVTT\n\n00:00:03.262 --> 00:00:10.832\nFront-line actors\n\n00:00:09.000 --> 00:00:12.000\nwho overlap\n",
    );
    let check = project.run(&["check"]);
    assert_line(
        &check.stderr,
        &[
            "transcripts/case.en.vtt:3:1: warning:",
            "overlaps the next cue (at 00:00:09) by 1832 ms",
        ],
    );
}

/// Mistakes in project files: a wrong type, an unknown key, a module file
/// named with accents and spaces. Each is named at its line and column.
#[test]
fn project_file_mistakes_are_named_where_they_are() {
    let project = workshop();
    project
        .write(
            "assets/modules/étude de cas.toml",
            "title.fr = \"Étude\"\ntitle.en = \"Case\"\naudience = \"border-police\"\n",
        )
        .write(
            "assets/glossary.toml",
            "[[term]]\ntext.fr = \"traite\"\ntext.en = \"trafficking\"\nsynonyms = [\"traffic\"]\n",
        );
    let check = project.run(&["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert_line(&check.stderr, &["assets/modules/étude de cas.toml:3:12: error: invalid type: string \"border-police\", expected a sequence", "put the value in brackets"]);
    assert_line(
        &check.stderr,
        &["assets/glossary.toml:4:1: error: unknown field `synonyms`"],
    );
    project.write(
        "assets/modules/étude de cas.toml",
        "title.fr = \"Étude\"\ntitle.en = \"Case\"\naudience = [\"border-police\"]\nobjectives.fr = [\"x\"]\nobjectives.en = [\"x\"]\n\n[[step]]\nclip = \"interview\"\n",
    );
    let check = project.run(&["check"]);
    assert_line(&check.stderr, &["assets/modules/étude de cas.toml: error: module `étude de cas`: the file name is not a safe id"]);
    assert!(
        check
            .stderr
            .contains("rename the file to `assets/modules/etude-de-cas.toml`"),
        "{}",
        check.stderr
    );
}
