//! The media engine on real files made with GStreamer: probe, decode, and
//! the errors users see for broken input.

use std::path::{Path, PathBuf};

use confkit::media::decode::{decode_speech_audio, decode_speech_audio_with, Decoder, SPEECH_RATE};
use confkit::media::probe::probe;
use gstreamer as gst;
use gstreamer::prelude::*;

/// Runs a gst-launch style pipeline that ends in `filesink location=OUT` to EOS.
pub(crate) fn make_media(dir: &Path, name: &str, pipeline: &str) -> PathBuf {
    confkit::media::gst::init().unwrap();
    let out = dir.join(name);
    let description = pipeline.replace("OUT", &out.display().to_string());
    let pipeline = gst::parse::launch(&description).unwrap();
    play_to_end(&pipeline, &description);
    out
}

/// Plays `pipeline` (made from `description`) to its end, then stops it.
pub(crate) fn play_to_end(pipeline: &gst::Element, description: &str) {
    pipeline.set_state(gst::State::Playing).unwrap();
    let bus = pipeline.bus().unwrap();
    for message in bus.iter_timed(gst::ClockTime::from_seconds(60)) {
        match message.view() {
            gst::MessageView::Eos(_) => break,
            gst::MessageView::Error(e) => panic!("{description}: {}", e.error()),
            _ => {}
        }
    }
    pipeline.set_state(gst::State::Null).unwrap();
}

/// Two seconds of video with two AAC tracks: track 0 silent and tagged
/// French, track 1 a 440 Hz tone tagged English.
fn two_track_video(dir: &Path) -> PathBuf {
    make_media(
        dir,
        "two-tracks.mp4",
        "videotestsrc num-buffers=50 ! video/x-raw,width=320,height=180,framerate=25/1 ! x264enc ! mp4mux name=mux ! filesink location=OUT \
         audiotestsrc wave=silence num-buffers=94 samplesperbuffer=1024 ! audio/x-raw,rate=48000,channels=1 ! taginject tags=\"language-code=fra\" ! voaacenc ! mux. \
         audiotestsrc wave=sine freq=440 num-buffers=94 samplesperbuffer=1024 ! audio/x-raw,rate=48000,channels=1 ! taginject tags=\"language-code=eng\" ! voaacenc ! mux.",
    )
}

fn decode_all(decoder: Option<Decoder>, path: &Path, track: usize) -> Vec<f32> {
    let mut all = Vec::new();
    let collect = |chunk: &[f32]| {
        all.extend_from_slice(chunk);
        Ok(())
    };
    match decoder {
        None => decode_speech_audio(path, track, collect).unwrap(),
        Some(d) => decode_speech_audio_with(d, path, track, collect).unwrap(),
    };
    all
}

fn rms(samples: &[f32]) -> f32 {
    (samples.iter().map(|s| s * s).sum::<f32>() / samples.len().max(1) as f32).sqrt()
}

#[test]
fn probe_shows_streams_and_language_tags() {
    let dir = tempfile::tempdir().unwrap();
    let info = probe(&two_track_video(dir.path())).unwrap();
    assert_eq!(info.video.len(), 1);
    assert_eq!((info.video[0].width, info.video[0].height), (320, 180));
    assert_eq!(info.video[0].frame_rate, Some(25.0));
    assert_eq!(info.audio.len(), 2);
    let languages: Vec<_> = info.audio.iter().map(|a| a.language.as_deref()).collect();
    assert_eq!(languages, [Some("fr"), Some("en")]);
    assert!(info
        .audio
        .iter()
        .all(|a| a.channels == 1 && a.rate == 48_000));
    let duration = info.duration.unwrap().as_millis();
    assert!((1900..=2100).contains(&duration), "{duration} ms");
    let text = info.to_text();
    assert!(
        text.contains("audio 1: MPEG-4 AAC, 1 channel, 48000 Hz, language en"),
        "{text}"
    );
}

#[test]
fn decode_picks_the_asked_audio_track() {
    let dir = tempfile::tempdir().unwrap();
    let video = two_track_video(dir.path());
    let silent = decode_all(None, &video, 0);
    let tone = decode_all(None, &video, 1);
    for samples in [&silent, &tone] {
        let secs = samples.len() as f64 / f64::from(SPEECH_RATE);
        assert!((1.9..=2.1).contains(&secs), "{secs} s decoded");
    }
    assert!(
        rms(&silent) < 0.001,
        "track 0 is silence, rms {}",
        rms(&silent)
    );
    assert!(rms(&tone) > 0.1, "track 1 is a tone, rms {}", rms(&tone));

    let err = decode_speech_audio(&video, 2, |_| Ok(()))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("has 2 audio tracks; there is no track 2"),
        "{err}"
    );
}

#[test]
fn symphonia_and_gstreamer_give_the_same_samples() {
    let dir = tempfile::tempdir().unwrap();
    // A stereo 44.1 kHz tone with a second, quieter tone, as WAV and FLAC.
    for (name, encoder) in [("tone.wav", "wavenc"), ("tone.flac", "flacenc")] {
        let file = make_media(
            dir.path(),
            name,
            &format!(
                "audiomixer name=mix ! audio/x-raw,rate=44100,channels=2 ! audioconvert ! {encoder} ! filesink location=OUT \
                 audiotestsrc wave=sine freq=300 volume=0.5 num-buffers=130 ! mix. \
                 audiotestsrc wave=sine freq=1200 volume=0.2 num-buffers=130 ! mix."
            ),
        );
        let by_symphonia = decode_all(Some(Decoder::Symphonia), &file, 0);
        let by_gstreamer = decode_all(Some(Decoder::GStreamer), &file, 0);
        let (a, b) = (by_symphonia.len() as i64, by_gstreamer.len() as i64);
        assert!((a - b).abs() <= 160, "{name}: {a} vs {b} samples");
        // Skip the first and last 50 ms, where the two resamplers' filters ramp differently.
        let n = a.min(b) as usize;
        let (x, y) = (&by_symphonia[800..n - 800], &by_gstreamer[800..n - 800]);
        // The two resamplers differ by a fraction of a sample in phase: compare
        // the waveforms by correlation and their levels, not sample by sample.
        let dot: f32 = x.iter().zip(y).map(|(p, q)| p * q).sum();
        let correlation = dot / (x.len() as f32 * rms(x) * rms(y));
        assert!(correlation > 0.99, "{name}: correlation {correlation}");
        let level = rms(x) / rms(y);
        assert!(
            (0.98..=1.02).contains(&level),
            "{name}: levels differ by {level}"
        );
    }
}

#[test]
fn six_channel_48khz_input_becomes_16khz_mono() {
    let dir = tempfile::tempdir().unwrap();
    let wav = make_media(
        dir.path(),
        "six.wav",
        "audiotestsrc wave=sine num-buffers=100 samplesperbuffer=960 ! audio/x-raw,rate=48000,channels=6 ! audioconvert ! wavenc ! filesink location=OUT",
    );
    let info = probe(&wav).unwrap();
    assert_eq!((info.audio[0].channels, info.audio[0].rate), (6, 48_000));
    for decoder in [Decoder::Symphonia, Decoder::GStreamer] {
        let samples = decode_all(Some(decoder), &wav, 0);
        assert!(
            (31_500..=32_500).contains(&samples.len()),
            "{decoder:?}: {} samples for 2 s",
            samples.len()
        );
        assert!(rms(&samples) > 0.05, "{decoder:?}");
    }
}

#[test]
fn a_video_without_audio_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let video = make_media(
        dir.path(),
        "silent-film.mp4",
        "videotestsrc num-buffers=25 ! video/x-raw,width=160,height=90,framerate=25/1 ! x264enc ! mp4mux ! filesink location=OUT",
    );
    let info = probe(&video).unwrap();
    assert!(info.audio.is_empty());
    assert!(info.to_text().contains("no audio stream"));
    let err = decode_speech_audio(&video, 0, |_| Ok(()))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("silent-film.mp4` has no audio stream"),
        "{err}"
    );
}

#[test]
fn broken_files_are_named_with_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.mp4");
    std::fs::write(&empty, b"").unwrap();
    let random = dir.path().join("random.mp4");
    std::fs::write(
        &random,
        (0..20_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect::<Vec<u8>>(),
    )
    .unwrap();
    let whole = two_track_video(dir.path());
    let bytes = std::fs::read(&whole).unwrap();
    let truncated = dir.path().join("truncated.mp4");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let truncated_wav = dir.path().join("truncated.wav");
    std::fs::write(&truncated_wav, &b"RIFF\x24\x00\x00\x00WAVEfmt "[..]).unwrap();

    let cases = [
        (&empty, "empty.mp4` is empty (0 bytes)"),
        (
            &random,
            "random.mp4` is not a media file GStreamer can read",
        ),
        (&truncated, "truncated.mp4` cannot be read"),
        (&truncated_wav, "truncated.wav` cannot be read"),
    ];
    for (path, expected) in cases {
        let err = format!("{:#}", probe(path).unwrap_err());
        assert!(err.contains(expected), "{}: {err}", path.display());
        let err = format!(
            "{:#}",
            decode_speech_audio(path, 0, |_| Ok(())).unwrap_err()
        );
        assert!(
            err.contains(path.file_name().unwrap().to_str().unwrap()),
            "decode error names the file: {err}"
        );
    }
}
