//! What a recording's own tags say (a title, an artist, a comment, an XMP
//! packet: often a witness's name or a case number) never reaches what
//! ships: clips, audio files, low-bandwidth copies, posters, module reels
//! and the packages that hold them.

use std::io::Read;
use std::path::{Path, PathBuf};

use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_pbutils as pbutils;
use gstreamer_pbutils::prelude::*;

use crate::workshop::workshop;

/// The source's tags: none may be found in any output, in its tags or in
/// its bytes.
const TAGGED: [&str; 7] = [
    "Temoignage-Kofi-Mensah",
    "Inspecteur-Ibrahima-Sall",
    "Dossier-NE-2020-0417",
    "Victime-Fatou-Diallo-Agadez",
    "Piste-Aissata-Toure",
    "Interprete-Moussa-Kante",
    "Camera-Oumar-Sy",
];

/// The sample session remuxed with tags: global ones (title, artist,
/// comment, description, which mp4mux also writes as an XMP packet) and
/// tags on each stream.
fn tagged_session(dir: &Path) -> PathBuf {
    confkit::media::gst::init().unwrap();
    let source =
        crate::harness::repo_root().join("assets/recordings/day2-identification-interpreted.mp4");
    let out = dir.join("tagged.mp4");
    let description = format!(
        "filesrc location={} ! qtdemux name=d \
         d.video_0 ! queue ! h264parse ! taginject tags=\"comment={}\" ! mux.video_0 \
         d.audio_0 ! queue ! aacparse ! taginject tags=\"comment={}\" ! mux.audio_0 \
         d.audio_1 ! queue ! aacparse ! taginject tags=\"title={}\" ! mux.audio_1 \
         mp4mux name=mux ! filesink location={}",
        source.display(),
        TAGGED[6],
        TAGGED[4],
        TAGGED[5],
        out.display()
    );
    let pipeline = gst::parse::launch(&description)
        .unwrap()
        .downcast::<gst::Pipeline>()
        .unwrap();
    // mp4mux forgets its tags as it starts: they are set once it has.
    pipeline.set_state(gst::State::Paused).unwrap();
    let mux = pipeline.by_name("mux").unwrap();
    let setter = mux.dynamic_cast_ref::<gst::TagSetter>().unwrap();
    setter.add_tag::<gst::tags::Title>(&TAGGED[0], gst::TagMergeMode::Replace);
    setter.add_tag::<gst::tags::Artist>(&TAGGED[1], gst::TagMergeMode::Replace);
    setter.add_tag::<gst::tags::Comment>(&TAGGED[2], gst::TagMergeMode::Replace);
    setter.add_tag::<gst::tags::Description>(&TAGGED[3], gst::TagMergeMode::Replace);
    crate::media::play_to_end(pipeline.upcast_ref(), &description);
    out
}

/// Every tag GStreamer reads from a media file (container and streams), as text.
fn read_tags(path: &Path) -> String {
    let discoverer = pbutils::Discoverer::new(gst::ClockTime::from_seconds(30)).unwrap();
    let uri = gst::glib::filename_to_uri(path.canonicalize().unwrap(), None).unwrap();
    let info = discoverer
        .discover_uri(&uri)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    // The file's own tags, then each stream's (containers included).
    #[allow(deprecated)]
    let global = info.tags();
    let containers = info.container_streams().into_iter().map(|c| c.upcast());
    let streams = containers
        .chain(info.stream_list())
        .filter_map(|stream: pbutils::DiscovererStreamInfo| stream.tags());
    global
        .into_iter()
        .chain(streams)
        .map(|tags| tags.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The markers of a JPEG's segments up to the picture data.
fn jpeg_markers(bytes: &[u8]) -> Vec<u8> {
    assert_eq!(&bytes[..2], [0xff, 0xd8], "not a JPEG");
    let mut markers = Vec::new();
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xff {
        let marker = bytes[at + 1];
        markers.push(marker);
        if marker == 0xda {
            break;
        }
        at += 2 + u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize;
    }
    markers
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Checks one output: its bytes, and for media its tags and boxes.
fn assert_untagged(name: &str, bytes: &[u8], file: Option<&Path>) {
    for tagged in TAGGED {
        assert!(
            !contains(bytes, tagged),
            "{name} holds the source's tag {tagged:?}"
        );
    }
    assert!(!contains(bytes, "xmpmeta"), "{name} holds an XMP packet");
    if name.ends_with(".mp4") || name.ends_with(".m4a") {
        let boxes = crate::clips::top_level_boxes(bytes);
        assert!(!boxes.iter().any(|b| b == "uuid"), "{name}: {boxes:?}");
    }
    if name.ends_with(".jpg") {
        let markers = jpeg_markers(bytes);
        // APP1 holds EXIF or XMP, COM a comment: only JFIF's APP0 and the picture's tables.
        assert!(
            !markers
                .iter()
                .any(|m| *m == 0xe1 || *m == 0xfe || (0xe2..=0xef).contains(m)),
            "{name}: markers {markers:x?}"
        );
    }
    if let Some(file) = file {
        let tags = read_tags(file);
        for tagged in TAGGED {
            assert!(!tags.contains(tagged), "{name}: {tags}");
        }
        for tag in ["title", "artist", "comment", "description"] {
            assert!(
                !tags.contains(&format!("{tag}=")),
                "{name} has a {tag}: {tags}"
            );
        }
    }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// A recording whose tags name people, cut and packaged through confkit's
/// real pipeline: every clip, audio file, low-bandwidth copy, poster, reel
/// part and reel carries none of them, nor does any file of any package.
#[test]
fn no_tag_of_a_source_reaches_what_ships() {
    let project = workshop();
    let root = project.path();
    let source = tagged_session(root);
    // The source does hold what must not ship: the test reads what it must.
    let source_bytes = std::fs::read(&source).unwrap();
    assert!(
        contains(&source_bytes, "xmpmeta"),
        "the source has an XMP packet"
    );
    let source_tags = read_tags(&source);
    for tagged in &TAGGED[..4] {
        assert!(source_tags.contains(tagged), "{tagged} in {source_tags}");
    }
    std::fs::rename(&source, root.join("assets/recordings/case.mp4")).unwrap();
    // One clip is enough, in one module.
    project
        .write(
            "assets/clips.toml",
            "[[clip]]\nid = \"interview\"\nrecording = \"case\"\nstart = \"00:00:03\"\nend = \"00:00:09\"\ntitle.fr = \"L'entretien\"\ntitle.en = \"The interview\"\nmodules = [\"identification\"]\nchapters = [\"niger\"]\nclearance = \"institutional\"\n",
        )
        .write(
            "assets/modules/identification.toml",
            "title.fr = \"Identifier les victimes\"\ntitle.en = \"Identifying victims\"\naudience = [\"border-police\", \"social-affairs\"]\nobjectives.fr = [\"Connaître les techniques d'entretien.\"]\nobjectives.en = [\"Know the interview techniques.\"]\n\n[[step]]\nclip = \"interview\"\n",
        );
    let clips = project.run(&["clips"]);
    assert_eq!(clips.code, 0, "{}", clips.stderr);
    let package = project.run(&["package"]);
    assert_eq!(package.code, 0, "{}", package.stderr);

    let mut outputs = Vec::new();
    files_under(&root.join(".confkit/clips"), &mut outputs);
    files_under(&root.join(".confkit/reels"), &mut outputs);
    outputs.retain(|p| {
        p.extension()
            .is_some_and(|e| e == "mp4" || e == "m4a" || e == "jpg")
    });
    let names: Vec<String> = outputs
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for wanted in [
        "interview.fr.mp4",
        "interview.en.mp4",
        "interview.fr.low.mp4",
        "interview.fr.m4a",
        "interview.en.m4a",
        "interview.jpg",
    ] {
        assert!(names.iter().any(|n| n == wanted), "{wanted} in {names:?}");
    }
    assert!(
        names.iter().any(|n| n.starts_with("identification.")),
        "a reel in {names:?}"
    );
    for output in &outputs {
        let name = output.display().to_string();
        assert_untagged(&name, &std::fs::read(output).unwrap(), Some(output));
    }
    // The audio keeps its language: confkit writes that tag itself.
    let english =
        confkit::media::probe::probe(&root.join(".confkit/clips/interview/interview.en.mp4"))
            .unwrap();
    assert_eq!(english.audio[0].language.as_deref(), Some("en"));

    // Every file of every package, media or not.
    let mut zips = 0;
    for entry in std::fs::read_dir(root.join("packages")).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "zip") {
            continue;
        }
        zips += 1;
        let mut archive = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        for i in 0..archive.len() {
            let mut file = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).unwrap();
            let name = format!("{}:{}", path.display(), file.name());
            assert_untagged(&name, &bytes, None);
        }
    }
    assert_eq!(zips, 2);
}
