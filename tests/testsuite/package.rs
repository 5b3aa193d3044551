//! The per-institution ZIP: deterministic, verifiable, importable as SCORM
//! 1.2, without a redacted name anywhere, and without what the
//! institution's clearance keeps out.

use std::collections::BTreeSet;

use quick_xml::events::Event;

use crate::harness::entries;
use crate::workshop::packaged;

#[test]
fn the_same_inputs_give_the_same_bytes_and_verify_catches_damage() {
    let project = packaged();
    let zip = project.path().join("packages/ne-police.zip");
    let first = std::fs::read(&zip).unwrap();
    // A rebuild from scratch gives the same bytes.
    std::fs::remove_dir_all(project.path().join("packages")).unwrap();
    std::fs::remove_dir_all(project.path().join(".confkit/packages")).unwrap();
    let again = project.run(&["package"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        std::fs::read(&zip).unwrap() == first,
        "the second build differs"
    );
    // Nothing changed: nothing is written.
    let third = project.run(&["package"]);
    assert!(
        third.stderr.contains("packages: 0 made, 2 up to date"),
        "{}",
        third.stderr
    );

    let verify = project.run(&["verify", "packages/ne-police.zip", "packages/ne-social.zip"]);
    assert_eq!(verify.code, 0, "{}", verify.stderr);

    // Entries: sorted, media stored, text deflated, fixed time.
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    let names: Vec<String> = archive.file_names().map(String::from).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    for i in 0..archive.len() {
        let entry = archive.by_index(i).unwrap();
        let stored = entry.compression() == zip::CompressionMethod::Stored;
        assert_eq!(
            stored,
            entry.name().ends_with(".mp4")
                || entry.name().ends_with(".m4a")
                || entry.name().ends_with(".jpg")
                || entry.name().ends_with(".png"),
            "{}",
            entry.name()
        );
        let time = entry.last_modified().unwrap();
        assert_eq!((time.year(), time.month(), time.day()), (1980, 1, 1));
    }

    // One byte changed in a page.
    let damaged = project.path().join("packages/damaged.zip");
    let mut bytes = first.clone();
    let mut rewritten = zip::ZipWriter::new(std::fs::File::create(&damaged).unwrap());
    for (name, content) in entries(&zip) {
        let mut content = content;
        if name == "index.html" {
            let last = content.len() - 2;
            content[last] ^= 0x20;
        }
        rewritten
            .start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut rewritten, &content).unwrap();
    }
    rewritten.finish().unwrap();
    let run = project.run(&["verify", "packages/damaged.zip"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("`index.html` does not match its checksum in the manifest"),
        "{}",
        run.stderr
    );

    // Cut short.
    bytes.truncate(bytes.len() / 2);
    std::fs::write(project.path().join("packages/short.zip"), &bytes).unwrap();
    let run = project.run(&["verify", "packages/short.zip"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("is not a readable ZIP"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_scorm_manifest_has_what_scorm_1_2_requires() {
    let project = packaged();
    let zip = project.path().join("packages/ne-police.zip");
    let files = entries(&zip);
    let names: BTreeSet<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    let xml = String::from_utf8(
        files
            .iter()
            .find(|(n, _)| n == "imsmanifest.xml")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut root, mut schema_version, mut default, mut organizations) =
        (String::new(), String::new(), String::new(), Vec::new());
    let (mut items, mut resources, mut hrefs) = (Vec::new(), Vec::new(), BTreeSet::new());
    let mut in_version = false;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                let attr = |key: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == key.as_bytes())
                        .map(|a| a.unescape_value().unwrap().into_owned())
                };
                if root.is_empty() {
                    root = name.clone();
                }
                match name.as_str() {
                    "schemaversion" => in_version = true,
                    "organizations" => default = attr("default").unwrap_or_default(),
                    "organization" => organizations.push(attr("identifier").unwrap()),
                    "item" => items.push(attr("identifierref").unwrap()),
                    "resource" => resources.push((
                        attr("identifier").unwrap(),
                        attr("adlcp:scormtype").unwrap(),
                        attr("href").unwrap_or_default(),
                    )),
                    "file" => {
                        hrefs.insert(attr("href").unwrap());
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_version => {
                schema_version = t.unescape().unwrap().into_owned();
                in_version = false;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(root, "manifest");
    assert_eq!(schema_version, "1.2");
    assert!(
        organizations.contains(&default),
        "{default} {organizations:?}"
    );
    // The home page, then the module, which the platform tracks as a SCO.
    let launched: Vec<(&str, &str)> = items
        .iter()
        .map(|item| {
            let (_, scormtype, href) = resources.iter().find(|(id, _, _)| id == item).unwrap();
            assert!(names.contains(href.as_str()), "{href}");
            (scormtype.as_str(), href.as_str())
        })
        .collect();
    assert_eq!(
        launched,
        [
            ("asset", "index.html"),
            ("sco", "modules/identification.fr.html")
        ]
    );
    for name in &names {
        if *name != "imsmanifest.xml" {
            assert!(
                hrefs.contains(*name),
                "{name} is not listed in imsmanifest.xml"
            );
        }
    }
}

#[test]
fn no_package_carries_a_redacted_name_or_what_its_clearance_keeps_out() {
    let project = packaged();
    for package in ["ne-police", "ne-social"] {
        for (name, bytes) in entries(&project.path().join(format!("packages/{package}.zip"))) {
            let text = String::from_utf8_lossy(&bytes).to_lowercase();
            assert!(
                !text.contains("amina bello") && !text.contains("amina\nbello"),
                "{package}: {name} carries the name"
            );
            if name.ends_with(".html") {
                assert!(
                    !text.contains("<script>alert"),
                    "{package}: {name} lets a chapter's script through"
                );
                assert!(
                    !text.contains("<aux>"),
                    "{package}: {name} does not escape a title"
                );
            }
        }
    }
    let police: Vec<String> = entries(&project.path().join("packages/ne-police.zip"))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let social: Vec<String> = entries(&project.path().join("packages/ne-social.zip"))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert!(
        police.contains(&"media/case-study.fr.mp4".to_string()),
        "{police:?}"
    );
    assert!(
        police.contains(&"media/case-study.en.mp4".to_string()),
        "{police:?}"
    );
    assert!(police.contains(&"index.en.html".to_string()));
    assert!(
        !social.iter().any(|n| n.contains("case-study")),
        "{social:?}"
    );
    assert!(
        social.contains(&"media/interview.fr.mp4".to_string()),
        "{social:?}"
    );
    // The subtitles keep the text, with the name replaced.
    let subtitles = entries(&project.path().join("packages/ne-police.zip"))
        .into_iter()
        .find(|(n, _)| n == "subtitles/case-study.fr.vtt")
        .unwrap()
        .1;
    assert!(String::from_utf8(subtitles)
        .unwrap()
        .contains("appellerons […]."));

    // The conference's logo is in every page's header, at header size, and
    // the name in its metadata (checked above with every file) stayed home.
    let files = entries(&project.path().join("packages/ne-police.zip"));
    let logo = &files
        .iter()
        .find(|(n, _)| n == "assets/logo.png")
        .unwrap()
        .1;
    let logo = image::load_from_memory(logo).unwrap();
    assert_eq!((logo.width(), logo.height()), (480, 160));
    for (name, bytes) in files.iter().filter(|(n, _)| n.ends_with(".html")) {
        // The template engine writes `/` as `&#x2f;` in attributes.
        let root = "..&#x2f;".repeat(name.matches('/').count());
        assert!(
            String::from_utf8_lossy(bytes).contains(&format!(
                "<img class=\"logo\" src=\"{root}assets&#x2f;logo.png\" alt=\"\">"
            )),
            "{name} has no logo"
        );
    }
}

/// Mean absolute difference of two pictures of the same size, 0 to 255.
fn difference(a: &image::RgbImage, b: &image::RgbImage) -> f64 {
    let total: u64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    total as f64 / a.as_raw().len() as f64
}

#[test]
fn each_module_comes_as_one_reel_with_its_title_card_and_its_clips() {
    use confkit::media::frames::frame_at;
    use confkit::timecode::Timecode;

    let project = packaged();
    let dir = tempfile::tempdir().unwrap();
    zip::ZipArchive::new(
        std::fs::File::open(project.path().join("packages/ne-police.zip")).unwrap(),
    )
    .unwrap()
    .extract(dir.path())
    .unwrap();
    let reel = dir.path().join("reels/identification.fr.mp4");
    let info = confkit::media::probe::probe(&reel).unwrap();
    // 4 s of title card, the 9 s interview, 10 s of the question's card,
    // then the 16 s case study.
    let duration = info.duration.unwrap().as_secs_f64();
    assert!((duration - 39.0).abs() < 0.5, "{duration}");
    assert_eq!(info.video[0].height, 720);

    let card = image::open(
        project
            .path()
            .join(".confkit/modules/identification.title.jpg"),
    )
    .unwrap()
    .to_rgb8();
    let at = |s: u64| frame_at(&reel, Timecode::from_millis(s)).unwrap();
    let lower =
        |image: &image::RgbImage| image::imageops::crop_imm(image, 0, 560, 1280, 160).to_image();
    let title = at(1_500);
    assert!(
        difference(&title, &card) < 12.0,
        "the reel does not open on the title card"
    );
    // 3 s into the interview, with the subtitles burned in: not the card,
    // and not the clip without subtitles either.
    let clip = frame_at(
        &project
            .path()
            .join(".confkit/clips/interview/interview.fr.mp4"),
        Timecode::from_millis(3_000),
    )
    .unwrap();
    let inside = at(7_000);
    let clip = image::imageops::resize(&clip, 1280, 720, image::imageops::FilterType::Triangle);
    // For people to look at.
    inside
        .save(std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("reel.png"))
        .unwrap();
    // The slide and the card look alike (dark blue, white text): a small difference still tells them apart.
    assert!(
        difference(&inside, &card) > 5.0,
        "the clip does not follow the card"
    );
    assert!(
        difference(&lower(&inside), &lower(&clip)) > 15.0,
        "no subtitles burned into the reel"
    );
    // The discussion question is on the screen after the interview: a
    // session run from a TV keeps it.
    let question = image::open(
        project
            .path()
            .join(".confkit/modules/identification.step2.jpg"),
    )
    .unwrap()
    .to_rgb8();
    assert!(
        difference(&at(18_000), &question) < 12.0,
        "the question's card does not follow the interview"
    );
    // The page links it.
    let page = std::fs::read_to_string(dir.path().join("modules/identification.fr.html")).unwrap();
    assert!(
        page.contains("reels&#x2f;identification.fr.mp4")
            || page.contains("reels/identification.fr.mp4"),
        "{page}"
    );
}
