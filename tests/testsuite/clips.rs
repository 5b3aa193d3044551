//! Cutting clips with the real GStreamer: frame accuracy, players'
//! requirements, audio tracks, burned subtitles, variants, posters, title
//! cards and what happens on bad input.

use std::path::{Path, PathBuf};

use confkit::media::cut::{cut_clip, BurnIn, ClipJob, EncodeSettings, Output, SeparateAudio};
use confkit::media::decode::decode_speech_audio;
use confkit::media::frames::{frame_at, mean_luma, title_card, write_poster};
use confkit::media::probe::probe;
use confkit::timecode::Timecode;
use image::RgbImage;

use crate::harness::repo_root;
use crate::media::make_media;

fn sample(name: &str) -> PathBuf {
    repo_root().join("assets/recordings").join(name)
}

fn ms(millis: u64) -> Timecode {
    Timecode::from_millis(millis)
}

fn job<'a>(input: &'a Path, start: u64, end: u64, output: &'a Path) -> ClipJob<'a> {
    ClipJob {
        input,
        start: ms(start),
        end: ms(end),
        audio_track: None,
        audio_file: None,
        output,
        settings: EncodeSettings {
            preset: "veryfast".into(),
            ..EncodeSettings::default()
        },
        kind: Output::Video,
        burn: None,
        bleep: Vec::new(),
    }
}

/// The top-level boxes of an MP4's bytes, in file order.
pub(crate) fn top_level_boxes(bytes: &[u8]) -> Vec<String> {
    let mut at = 0;
    let mut kinds = Vec::new();
    while at + 8 <= bytes.len() {
        let size = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        kinds.push(String::from_utf8_lossy(&bytes[at + 4..at + 8]).into_owned());
        if size < 8 {
            break;
        }
        at += size;
    }
    kinds
}

/// Mean absolute difference of two pictures over rows `rows`, per channel value.
fn difference(a: &RgbImage, b: &RgbImage, rows: std::ops::Range<u32>) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let mut sum = 0u64;
    let mut n = 0u64;
    for y in rows {
        for x in 0..a.width() {
            for c in 0..3 {
                sum += u64::from(a.get_pixel(x, y)[c].abs_diff(b.get_pixel(x, y)[c]));
                n += 1;
            }
        }
    }
    sum as f64 / n as f64
}

#[test]
fn a_clip_is_frame_accurate_and_plays_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    // A moving ball: every frame differs from the next.
    let source = make_media(
        dir.path(),
        "ball.mp4",
        "videotestsrc pattern=ball num-buffers=250 ! video/x-raw,width=320,height=240,framerate=25/1 ! x264enc key-int-max=100 ! mp4mux ! filesink location=OUT",
    );
    let clip = dir.path().join("clip.mp4");
    cut_clip(&job(&source, 3_000, 5_000, &clip)).unwrap();

    let info = probe(&clip).unwrap();
    let duration = info.duration.unwrap().as_millis();
    assert!(
        duration.abs_diff(2_000) <= 40,
        "asked 2 s, got {duration} ms (one frame is 40 ms)"
    );
    assert_eq!(info.video[0].codec, "H.264 (Main Profile)");
    assert_eq!((info.video[0].width, info.video[0].height), (320, 240));
    // faststart: the index comes before the media data.
    let boxes = top_level_boxes(&std::fs::read(&clip).unwrap());
    let (moov, mdat) = (
        boxes.iter().position(|b| b == "moov"),
        boxes.iter().position(|b| b == "mdat"),
    );
    assert!(moov.unwrap() < mdat.unwrap(), "{boxes:?}");

    // The clip's first frame is the source's frame at 3.000 s, not its neighbours.
    let first = frame_at(&clip, ms(0)).unwrap();
    let scores: Vec<f64> = [2_960, 3_000, 3_040]
        .iter()
        .map(|&t| difference(&first, &frame_at(&source, ms(t)).unwrap(), 0..240))
        .collect();
    assert!(
        scores[1] < scores[0] && scores[1] < scores[2],
        "first frame matches {scores:?}"
    );
}

#[test]
fn the_asked_audio_track_or_file_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let recording = sample("day2-identification-interpreted.mp4");
    let clip = dir.path().join("en.mp4");
    cut_clip(&ClipJob {
        audio_track: Some(1),
        ..job(&recording, 3_262, 26_065, &clip)
    })
    .unwrap();
    let info = probe(&clip).unwrap();
    assert_eq!(
        info.audio.len(),
        1,
        "one audio track per file: browsers ignore the others"
    );
    assert_eq!(info.audio[0].language.as_deref(), Some("en"));
    assert_eq!(info.audio[0].codec, "MPEG-4 AAC");

    // The regional study's French interpretation is a file of its own.
    let recording = sample("day1-regional-study.mp4");
    let interpretation = sample("day1-regional-study.fr.m4a");
    let clip = dir.path().join("fr.mp4");
    cut_clip(&ClipJob {
        audio_file: Some(SeparateAudio {
            path: &interpretation,
            offset: Timecode::ZERO,
        }),
        ..job(&recording, 500, 10_500, &clip)
    })
    .unwrap();
    let info = probe(&clip).unwrap();
    assert_eq!(info.audio[0].language.as_deref(), Some("fr"));
    assert_eq!(info.video.len(), 1);
    let duration = info.duration.unwrap().as_millis();
    assert!(duration.abs_diff(10_000) <= 40, "{duration} ms");

    let mut energy = 0.0f64;
    decode_speech_audio(&clip, 0, |chunk| {
        energy += chunk.iter().map(|s| f64::from(s * s)).sum::<f64>();
        Ok(())
    })
    .unwrap();
    assert!(
        energy > 1.0,
        "the French interpretation is heard in the clip"
    );
}

#[test]
fn burned_subtitles_show_inside_cues_only() {
    let dir = tempfile::tempdir().unwrap();
    let fr = dir.path().join("fr.vtt");
    let en = dir.path().join("en.vtt");
    std::fs::write(&fr, "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nL'identification des victimes aux postes frontières repose sur des techniques d'entretien communes\n").unwrap();
    std::fs::write(&en, "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nIdentifying victims at border posts relies on common interview techniques\n").unwrap();
    let recording = sample("day2-identification-interpreted.mp4");
    let clean = dir.path().join("clean.mp4");
    let burned = dir.path().join("burned.mp4");
    cut_clip(&job(&recording, 3_262, 11_262, &clean)).unwrap();
    cut_clip(&ClipJob {
        burn: Some(BurnIn::from_files(&[&fr, &en]).unwrap()),
        ..job(&recording, 3_262, 11_262, &burned)
    })
    .unwrap();

    let lower_third = 240..360;
    let inside = difference(
        &frame_at(&clean, ms(2_500)).unwrap(),
        &frame_at(&burned, ms(2_500)).unwrap(),
        lower_third.clone(),
    );
    let outside = difference(
        &frame_at(&clean, ms(6_500)).unwrap(),
        &frame_at(&burned, ms(6_500)).unwrap(),
        lower_third,
    );
    assert!(
        inside > 8.0,
        "the subtitles change the lower third inside a cue ({inside:.1})"
    );
    assert!(outside < 1.5, "and leave it alone outside ({outside:.1})");
    let top = difference(
        &frame_at(&clean, ms(2_500)).unwrap(),
        &frame_at(&burned, ms(2_500)).unwrap(),
        0..100,
    );
    assert!(top < 1.5, "the text stays at the bottom ({top:.1})");
}

#[test]
fn variants_scale_and_audio_only() {
    let dir = tempfile::tempdir().unwrap();
    let recording = sample("day1-opening.mp4");
    let small = dir.path().join("small.mp4");
    cut_clip(&ClipJob {
        settings: EncodeSettings {
            height: 180,
            video_kbps: Some(150),
            audio_kbps: 48,
            preset: "veryfast".into(),
            ..EncodeSettings::default()
        },
        ..job(&recording, 13_000, 20_000, &small)
    })
    .unwrap();
    let info = probe(&small).unwrap();
    assert_eq!((info.video[0].width, info.video[0].height), (320, 180));

    let audio = dir.path().join("radio.m4a");
    cut_clip(&ClipJob {
        kind: Output::AudioOnly,
        ..job(&recording, 13_000, 20_000, &audio)
    })
    .unwrap();
    let info = probe(&audio).unwrap();
    assert!(info.video.is_empty());
    assert_eq!(info.audio.len(), 1);

    // A 6-channel 48 kHz source becomes stereo at most.
    let six = make_media(
        dir.path(),
        "six.wav",
        "audiotestsrc wave=sine num-buffers=200 samplesperbuffer=960 ! audio/x-raw,rate=48000,channels=6 ! audioconvert ! wavenc ! filesink location=OUT",
    );
    let from_six = dir.path().join("six.m4a");
    cut_clip(&ClipJob {
        kind: Output::AudioOnly,
        ..job(&six, 1_000, 3_000, &from_six)
    })
    .unwrap();
    assert!(probe(&from_six).unwrap().audio[0].channels <= 2);
}

#[test]
fn posters_skip_black_frames_and_title_cards_use_the_conference_colours() {
    let dir = tempfile::tempdir().unwrap();
    // 1.2 s of black, then colour bars.
    let fade = make_media(
        dir.path(),
        "fade.mp4",
        "concat name=c ! videoconvert ! x264enc ! mp4mux ! filesink location=OUT \
         videotestsrc pattern=black num-buffers=30 ! video/x-raw,width=320,height=240,framerate=25/1 ! c. \
         videotestsrc pattern=smpte num-buffers=100 ! video/x-raw,width=320,height=240,framerate=25/1 ! c.",
    );
    let poster = dir.path().join("poster.jpg");
    write_poster(&fade, 160, &poster).unwrap();
    let image = image::open(&poster).unwrap().to_rgb8();
    assert_eq!(image.dimensions(), (160, 120));
    assert!(
        mean_luma(&image) > 40.0,
        "the poster is not the black opening ({})",
        mean_luma(&image)
    );

    let colours = confkit::project::Colours::default();
    let card = title_card(
        &[
            "Identification des victimes aux postes frontières",
            "Identifying victims at border posts",
        ],
        &colours,
        640,
        360,
    )
    .unwrap();
    assert_eq!(card.dimensions(), (640, 360));
    let corner = card.get_pixel(5, 5);
    assert!(
        corner[0].abs_diff(0x0b) <= 4
            && corner[1].abs_diff(0x3c) <= 4
            && corner[2].abs_diff(0x6f) <= 4,
        "{corner:?}"
    );
    let text_pixels = card
        .pixels()
        .filter(|p| p[0] > 200 && p[1] > 200 && p[2] > 200)
        .count();
    let accent_pixels = card
        .pixels()
        .filter(|p| p[0] > 200 && p[1] > 140 && p[2] < 80)
        .count();
    assert!(
        text_pixels > 500 && accent_pixels > 300,
        "white French title and amber English title: {text_pixels}, {accent_pixels}"
    );
}

#[test]
fn bad_input_fails_clearly_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out").join("clip.mp4");
    let listing = || {
        std::fs::read_dir(dir.path().join("out"))
            .map(|d| d.count())
            .unwrap_or(0)
    };

    let recording = sample("day1-opening.mp4");
    let err = cut_clip(&job(&recording, 70_000, 90_000, &out))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("lasts 00:01:14.720; the clip 00:01:10-00:01:30 does not fit"),
        "{err}"
    );

    let audio_only = sample("day1-regional-study.fr.m4a");
    let err = cut_clip(&job(&audio_only, 0, 5_000, &out))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("day1-regional-study.fr.m4a` has no video stream"),
        "{err}"
    );

    let err = cut_clip(&ClipJob {
        audio_track: Some(3),
        ..job(&recording, 0, 5_000, &out)
    })
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("has 1 audio track; there is no track 3"),
        "{err}"
    );

    let corrupt = dir.path().join("corrupt.mp4");
    std::fs::write(
        &corrupt,
        b"\0\0\0\x20ftypisom\0\0\0\0isomiso2avc1mp41\0\0\x10\0mdat garbage",
    )
    .unwrap();
    let err = format!(
        "{:#}",
        cut_clip(&job(&corrupt, 0, 1_000, &out)).unwrap_err()
    );
    assert!(err.contains("corrupt.mp4` cannot be read"), "{err}");

    assert!(!out.exists());
    assert_eq!(listing(), 0, "no temporary file is left behind");
}

/// `confkit clips` on a project: every audio language gets its files, and a
/// rerun with nothing changed cuts nothing.
#[test]
fn the_clips_stage_makes_every_variant_once() {
    let project = crate::harness::ProjectTest::conference("[video]\npreset = \"veryfast\"\n");
    project
        .copy_sample("day2-identification-interpreted.mp4", "assets/recordings/session.mp4")
        .write(
            "assets/recordings.toml",
            "[[recording]]\nid = \"session\"\nfile = \"assets/recordings/session.mp4\"\ntitle.fr = \"S\"\ntitle.en = \"S\"\nlanguages = [\"fr\"]\n\
             [[recording.track]]\nindex = 0\nrole = \"floor\"\n[[recording.track]]\nindex = 1\nrole = \"interpretation\"\nlanguage = \"en\"\n",
        )
        .write(
            "assets/clips.toml",
            "[[clip]]\nid = \"interview\"\nrecording = \"session\"\nstart = \"00:00:03.262\"\nend = 8\ntitle.fr = \"Entretien\"\ntitle.en = \"Interview\"\n",
        );
    let root = project.path();

    let run = project.run(&["clips"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("clips: 1 cut, 0 up to date, 0 failed"),
        "{}",
        run.stderr
    );
    let dir = root.join(".confkit/clips/interview");
    for file in [
        "interview.fr.mp4",
        "interview.en.mp4",
        "interview.fr.low.mp4",
        "interview.fr.m4a",
        "interview.en.m4a",
        "interview.jpg",
    ] {
        assert!(dir.join(file).is_file(), "{file} missing");
    }
    assert_eq!(
        probe(&dir.join("interview.en.mp4")).unwrap().audio[0]
            .language
            .as_deref(),
        Some("en")
    );

    let again = project.run(&["clips"]);
    assert!(
        again.stderr.contains("clips: 0 cut, 1 up to date"),
        "{}",
        again.stderr
    );
}

/// Ctrl-C in the middle of a cut: confkit stops, says so, and leaves neither
/// the clip nor its temporary file.
#[test]
fn ctrl_c_leaves_nothing_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let source = make_media(
        dir.path(),
        "long.mp4",
        "videotestsrc pattern=ball num-buffers=750 ! video/x-raw,width=640,height=360,framerate=25/1 ! x264enc speed-preset=ultrafast ! mp4mux ! filesink location=OUT",
    );
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let out = out_dir.join("clip.mp4");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_confkit"))
        .args([
            "clip",
            source.to_str().unwrap(),
            "--start",
            "0",
            "--end",
            "30",
            "--out",
            out.to_str().unwrap(),
        ])
        .current_dir(dir.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the temporary file exists, then interrupt.
    let started = std::time::Instant::now();
    while std::fs::read_dir(&out_dir).unwrap().count() == 0 && started.elapsed().as_secs() < 30 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// `confkit build` cuts a recording's clips as soon as its transcripts are
/// done, while the next recording is transcribed: the cutter takes the
/// recordings in the order they come, then the rest, each clip once.
#[test]
fn clips_are_cut_recording_by_recording_each_once() {
    let project = crate::harness::ProjectTest::conference("[video]\npreset = \"ultrafast\"\n");
    let recording = |id: &str| {
        format!("[[recording]]\nid = \"{id}\"\nfile = \"assets/recordings/opening.mp4\"\ntitle.fr = \"S\"\ntitle.en = \"S\"\nlanguages = [\"fr\"]\n\n")
    };
    let clip = |id: &str, recording: &str| {
        format!("[[clip]]\nid = \"{id}\"\nrecording = \"{recording}\"\nstart = 1\nend = 2\ntitle.fr = \"C\"\ntitle.en = \"C\"\n\n")
    };
    project
        .copy_sample("day1-opening.mp4", "assets/recordings/opening.mp4")
        .write(
            "assets/recordings.toml",
            &(recording("morning") + &recording("afternoon")),
        )
        .write(
            "assets/clips.toml",
            &(clip("welcome", "morning") + &clip("closing", "afternoon")),
        );
    let toolkit = confkit::project::Toolkit::load(project.path()).unwrap();
    let out = toolkit.layout().clips();
    let mut cutter = confkit::build::clips::ClipCutter::new(&toolkit);
    let mut seen = Vec::new();
    let mut within = Vec::new();
    let mut note = |p: confkit::build::Progress| match p.within {
        None => seen.push((p.done, p.what)),
        Some(fraction) => within.push(fraction),
    };
    cutter.cut_recording("afternoon", &mut note);
    cutter.cut_recording("afternoon", &mut note);
    cutter.cut_rest(&mut note);
    // Each clip says how far into it the cutting is, up to the end.
    assert!(
        within.windows(2).filter(|w| w[1] < w[0]).count() <= 1,
        "{within:?}"
    );
    assert_eq!(
        within.iter().filter(|f| **f == 1.0).count(),
        2,
        "{within:?}"
    );
    assert_eq!(
        seen,
        [
            (1, "clip closing".to_string()),
            (2, "clip welcome".to_string())
        ]
    );
    let report = cutter.finish();
    assert_eq!(report.made, ["closing", "welcome"]);
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    for id in ["closing", "welcome"] {
        assert!(out.join(id).join(format!("{id}.fr.mp4")).is_file());
    }
}
