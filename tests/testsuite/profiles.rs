//! Package profiles for slow links: `light` (360p clips, no reels) and
//! `audio` (sound and text), set per institution; each package still plays,
//! searches and verifies. The size budget's warning, and the dry run's
//! sizes under each profile.

use std::path::Path;

use crate::browser::{Browser, Engine};
use crate::harness::{entries, ProjectTest};
use crate::workshop::{packaged, FRENCH_CUE};

/// Gives the Niger border police's package `profile`, and remakes it.
fn repackaged(project: &ProjectTest, profile: &str) -> u64 {
    let path = project.path().join("assets/institutions.toml");
    let institutions = std::fs::read_to_string(&path).unwrap();
    let institutions = institutions
        .lines()
        .filter(|l| !l.starts_with("profile = "))
        .flat_map(|l| {
            let mut lines = vec![l.to_string()];
            if l == "id = \"ne-police\"" {
                lines.push(format!("profile = \"{profile}\""));
            }
            lines
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&path, institutions + "\n").unwrap();
    let run = project.run(&["package"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let zip = project.path().join("packages/ne-police.zip");
    let verify = project.run(&["verify", zip.to_str().unwrap()]);
    assert_eq!(
        verify.code, 0,
        "{profile}: {}{}",
        verify.stdout, verify.stderr
    );
    std::fs::metadata(zip).unwrap().len()
}

fn unzip(project: &ProjectTest, into: &Path) {
    let zip = project.path().join("packages/ne-police.zip");
    zip::ZipArchive::new(std::fs::File::open(zip).unwrap())
        .unwrap()
        .extract(into)
        .unwrap();
}

/// The module's first clip plays in Chromium (its time advances), shows
/// the French subtitle at 3 s, and search finds that subtitle; the module
/// page is saved as the screenshot `name`.
fn plays_and_searches(site: &Path, name: &str) -> serde_json::Value {
    let browser = Browser::start(Engine::Chromium);
    browser.open(&site.join("modules/identification.fr.html"));
    let played = browser.run(
        "const v = document.querySelector('#step-1 video'); v.muted = true;
         v.play().then(() => setTimeout(() => {
             v.pause();
             v.addEventListener('seeked', () => setTimeout(() => done({
                 played: v.currentTime, src: v.currentSrc, width: v.videoWidth, height: v.videoHeight,
                 caption: document.querySelector('#step-1 .captions').innerText.trim()}), 200), {once: true});
             v.currentTime = 3.0;
           }, 1200), (e) => done({played: -1, error: String(e)}));",
    );
    assert!(played["played"].as_f64().unwrap_or(-1.0) > 0.3, "{played}");
    assert_eq!(played["caption"], FRENCH_CUE, "{played}");
    crate::trainer::screenshot(&browser, name);
    browser.open_url(&format!(
        "file://{}?q={}",
        site.join("search.fr.html").display(),
        "identification+en+première+ligne"
    ));
    let results = browser.run(
        "setTimeout(() => done([...document.querySelectorAll('#results li a')].map(a => a.getAttribute('href'))), 300);",
    );
    assert!(
        results
            .as_array()
            .unwrap()
            .iter()
            .any(|href| href.as_str().unwrap().contains("#clip=interview")),
        "search does not find the subtitle: {results}"
    );
    played
}

#[test]
fn light_and_audio_profiles_make_small_packages_that_still_play_search_and_verify() {
    let project = packaged();
    let zip = project.path().join("packages/ne-police.zip");
    let full = std::fs::metadata(&zip).unwrap().len();
    let full_names: Vec<String> = entries(&zip).into_iter().map(|(n, _)| n).collect();
    assert!(
        full_names.iter().any(|n| n.starts_with("reels/")),
        "{full_names:?}"
    );

    // Light: 360p clips, no reel, the audio-only files kept.
    let light = repackaged(&project, "light");
    let sizes: Vec<(String, usize)> = entries(&zip)
        .into_iter()
        .map(|(n, b)| (n, b.len()))
        .collect();
    assert!(
        light * 3 <= full,
        "light is {light} bytes against {full} for full: not 3 times smaller: {sizes:?}"
    );
    let names: Vec<String> = entries(&zip).into_iter().map(|(n, _)| n).collect();
    assert!(!names.iter().any(|n| n.starts_with("reels/")), "{names:?}");
    assert!(names.iter().any(|n| n.ends_with(".m4a")), "{names:?}");
    let site = tempfile::tempdir().unwrap();
    unzip(&project, site.path());
    let video = confkit::media::probe::probe(&site.path().join("media/interview.fr.mp4")).unwrap();
    assert_eq!(video.video[0].height, 360);
    let played = plays_and_searches(site.path(), "profile-light-module");
    assert_eq!(played["height"], 360, "{played}");

    // Audio: no video at all; the player plays the sound under the poster.
    let audio = repackaged(&project, "audio");
    assert!(audio < light, "audio {audio} bytes, light {light}");
    let names: Vec<String> = entries(&zip).into_iter().map(|(n, _)| n).collect();
    assert!(!names.iter().any(|n| n.ends_with(".mp4")), "{names:?}");
    let site = tempfile::tempdir().unwrap();
    unzip(&project, site.path());
    let played = plays_and_searches(site.path(), "profile-audio-module");
    assert!(
        played["src"]
            .as_str()
            .unwrap()
            .ends_with("media/interview.fr.m4a"),
        "{played}"
    );
    assert_eq!(played["width"], 0, "{played}");

    eprintln!("ne-police: full {full} bytes, light {light}, audio {audio}");
}

#[test]
fn a_package_over_the_budget_is_warned_about_and_the_dry_run_sizes_every_profile() {
    let project = packaged();
    let config = std::fs::read_to_string(project.path().join("confkit.toml")).unwrap();
    project.write("confkit.toml", &(config + "\n[packages]\nbudget_mb = 1\n"));
    let run = project.run(&["package"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning: package `ne-police` is")
            && run.stderr.contains("over the 1 MB budget of confkit.toml")
            && run.stderr.contains("profile = \"light\""),
        "{}",
        run.stderr
    );

    let dry = project.run(&["package", "--dry-run", "--json"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    let plans: serde_json::Value = serde_json::from_str(&dry.stdout).unwrap();
    let police = plans
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["institution"] == "ne-police")
        .unwrap();
    assert_eq!(police["profile"], "full");
    let bytes = |profile: &str| police["media_bytes"][profile].as_u64().unwrap();
    assert!(
        bytes("full") > bytes("light") && bytes("light") > bytes("audio") && bytes("audio") > 0,
        "{police}"
    );
    let text = project.run(&["package", "--dry-run"]);
    assert!(text.stdout.contains("*full "), "{}", text.stdout);
}
