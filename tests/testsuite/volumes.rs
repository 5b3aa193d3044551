//! A package split into volumes for e-mail: each volume under the size,
//! each verifying on its own, the first saying what the others hold, and
//! all of them unpacked together playing as one package.

use crate::browser::{Browser, Engine};
use crate::harness::entries;
use crate::workshop::packaged;

#[test]
fn a_package_split_for_email_verifies_volume_by_volume_and_plays_unpacked_together() {
    let project = packaged();
    let packages = project.path().join("packages");
    let whole = std::fs::metadata(packages.join("ne-police.zip"))
        .unwrap()
        .len();
    assert!(
        whole > 2_000_000,
        "the package is {whole} bytes: too small to split"
    );

    let run = project.run(&["package", "--split", "1.5MB"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut volumes: Vec<std::path::PathBuf> = std::fs::read_dir(&packages)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("ne-police.")
        })
        .collect();
    volumes.sort();
    let names: Vec<String> = volumes
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(names.len() >= 2, "{names:?}");
    assert_eq!(names[0], "ne-police.2.zip");
    assert!(names.contains(&"ne-police.zip".to_string()), "{names:?}");

    let site = tempfile::tempdir().unwrap();
    for volume in &volumes {
        let size = std::fs::metadata(volume).unwrap().len();
        assert!(size <= 1_500_000, "{} is {size} bytes", volume.display());
        // Each verifies alone, with nothing beside it.
        let alone = tempfile::tempdir().unwrap();
        let copy = alone.path().join(volume.file_name().unwrap());
        std::fs::copy(volume, &copy).unwrap();
        let verify = project.run(&["verify", copy.to_str().unwrap()]);
        assert_eq!(
            verify.code,
            0,
            "{}: {}{}",
            volume.display(),
            verify.stdout,
            verify.stderr
        );
        zip::ZipArchive::new(std::fs::File::open(volume).unwrap())
            .unwrap()
            .extract(site.path())
            .unwrap();
    }
    // Beside each other, each volume's records of the others are checked.
    for volume in &volumes {
        let verify = project.run(&["verify", volume.to_str().unwrap()]);
        assert_eq!(
            verify.code,
            0,
            "{}: {}{}",
            volume.display(),
            verify.stdout,
            verify.stderr
        );
    }
    // Another package's ZIP given the name of a volume is caught.
    let swapped = tempfile::tempdir().unwrap();
    std::fs::copy(
        packages.join("ne-police.zip"),
        swapped.path().join("ne-police.zip"),
    )
    .unwrap();
    std::fs::copy(
        packages.join("ne-social.zip"),
        swapped.path().join("ne-police.2.zip"),
    )
    .unwrap();
    let first_alone = swapped.path().join("ne-police.zip");
    let verify = project.run(&["verify", first_alone.to_str().unwrap()]);
    assert_ne!(verify.code, 0, "{}{}", verify.stdout, verify.stderr);
    assert!(
        format!("{}{}", verify.stdout, verify.stderr)
            .contains("is not in `ne-police.2.zip` as this volume's manifest names it"),
        "{}{}",
        verify.stdout,
        verify.stderr
    );

    // Later volumes hold media only; the first says what each holds.
    for (name, _) in entries(&packages.join("ne-police.2.zip")) {
        assert!(
            name.starts_with("media/")
                || name.starts_with("reels/")
                || ["manifest.json", "SHA256SUMS"].contains(&name.as_str()),
            "{name}"
        );
    }
    let home = std::fs::read_to_string(site.path().join("index.html")).unwrap();
    for name in names.iter().filter(|n| *n != "ne-police.zip") {
        assert!(
            home.contains(name.as_str()),
            "index.html does not name {name}"
        );
    }
    let readme = std::fs::read_to_string(site.path().join("README.txt")).unwrap();
    assert!(
        readme.contains(&format!("COMES IN {} PARTS", names.len())),
        "{readme}"
    );

    // The first volume alone says what is missing, over the picture.
    let browser = Browser::start(Engine::Chromium);
    let first = tempfile::tempdir().unwrap();
    zip::ZipArchive::new(std::fs::File::open(packages.join("ne-police.zip")).unwrap())
        .unwrap()
        .extract(first.path())
        .unwrap();
    let in_first: Vec<String> = entries(&packages.join("ne-police.zip"))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    // The module's clips are steps 1 and 3; one of their videos is elsewhere.
    let (step, _) = [(1, "interview"), (3, "case-study")]
        .into_iter()
        .find(|(_, clip)| !in_first.contains(&format!("media/{clip}.fr.mp4")))
        .expect("the first volume holds every video of the module: nothing to miss");
    browser.open_url(&format!(
        "file://{}#step={step}",
        first
            .path()
            .join("modules/identification.fr.html")
            .display()
    ));
    let said = browser.run(&format!(
        "setTimeout(() => done((document.querySelector('#step-{step} .missing') || {{}}).textContent || ''), 1000);"
    ));
    assert!(
        said.as_str().unwrap().contains("plusieurs parties"),
        "nothing says the clip of step {step} is in another part: {said}"
    );
    crate::trainer::screenshot(&browser, "volume-1-alone-module");
    browser.open(&first.path().join("index.html"));
    crate::trainer::screenshot(&browser, "volume-1-home");

    // Unpacked into one folder, the module plays its clips, wherever they were.
    browser.open(&site.path().join("modules/identification.fr.html"));
    let played = browser.run(
        "const v = document.querySelector('#step-1 video'); v.muted = true;
         v.play().then(() => setTimeout(() => done({time: v.currentTime}), 1200),
                       (e) => done({time: -1, error: String(e)}));",
    );
    assert!(played["time"].as_f64().unwrap_or(-1.0) > 0.3, "{played}");

    // A volume lost from packages/ is made again, not taken as current.
    std::fs::remove_file(packages.join("ne-police.2.zip")).unwrap();
    let run = project.run(&["package", "--split", "1.5MB"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(packages.join("ne-police.2.zip").is_file(), "{}", run.stderr);

    // Made again without the split, the package is one ZIP again.
    let run = project.run(&["package"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let left: Vec<String> = std::fs::read_dir(&packages)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("ne-police."))
        .collect();
    assert_eq!(left, ["ne-police.zip"]);
}
