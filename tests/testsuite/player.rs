//! The module player in real browsers (headless Chromium and Firefox ESR),
//! opening a package's page from `file://` with the network cut.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::browser::{in_both_browsers, Browser, Engine};
use crate::workshop::{packaged, ENGLISH_CUE, FRENCH_CUE};

fn unzip(zip: &Path, into: &Path) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    archive.extract(into).unwrap();
}

/// The workshop project's package for the Niger border police, unpacked
/// as a trainer unpacks it: made once for all the browser tests, which
/// only read it.
pub(crate) fn unpacked() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let project = packaged();
        let site = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("workshop-site");
        if site.exists() {
            std::fs::remove_dir_all(&site).unwrap();
        }
        unzip(&project.path().join("packages/ne-police.zip"), &site);
        // The variants no package of this profile carries, for the media checks.
        let variants = cut_variants();
        if variants.exists() {
            std::fs::remove_dir_all(variants).unwrap();
        }
        std::fs::create_dir_all(variants).unwrap();
        for clip in std::fs::read_dir(project.path().join(".confkit/clips"))
            .unwrap()
            .flatten()
        {
            for file in std::fs::read_dir(clip.path()).unwrap().flatten() {
                if file
                    .path()
                    .extension()
                    .is_some_and(|x| x == "mp4" || x == "m4a")
                {
                    std::fs::copy(file.path(), variants.join(file.file_name())).unwrap();
                }
            }
        }
        site
    })
}

/// Every variant confkit cut of the workshop project's clips, kept beside
/// [`unpacked`] (which makes them).
pub(crate) fn cut_variants() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("workshop-variants"))
}

in_both_browsers!(the_module_player_works_offline_from_disk);

fn the_module_player_works_offline_from_disk(engine: Engine) {
    let site = unpacked();
    let browser = Browser::start(engine);
    browser.open(&site.join("modules/identification.fr.html"));

    // The clip plays: its time advances.
    let played = browser.run(
        "const v = document.querySelector('#step-1 video'); v.muted = true;
         v.play().then(() => setTimeout(() => done({time: v.currentTime, error: v.error && v.error.code}), 1500),
                       (e) => done({time: -1, error: String(e)}));",
    );
    assert!(
        played["time"].as_f64().unwrap_or(-1.0) > 0.3,
        "the video does not play: {played}"
    );

    // At 3 s into the clip the French subtitle shows, and its transcript line is highlighted.
    let seek = "const v = document.querySelector('#step-1 video'); v.pause();
         v.addEventListener('seeked', () => setTimeout(() => done({
             caption: document.querySelector('#step-1 .captions').innerText,
             current: ((document.querySelector('#step-1 .transcript li.current button') || {}).lastChild || {}).textContent || '',
             lang: (document.querySelector('#step-1 .captions p') || {}).lang || ''}), 200), {once: true});
         v.currentTime = 3.0;";
    let french = browser.run(seek);
    assert_eq!(
        french["caption"].as_str().unwrap().trim(),
        FRENCH_CUE,
        "{french}"
    );
    assert_eq!(
        french["current"].as_str().unwrap().trim(),
        FRENCH_CUE,
        "{french}"
    );
    assert_eq!(french["lang"], "fr");

    // Choosing English in the player's captions menu shows the English subtitle.
    browser.click("#step-1 .cc");
    browser.click("#step-1 .menu button[data-value=en]");
    let english = browser.run(
        "setTimeout(() => done({caption: document.querySelector('#step-1 .captions').innerText,
                                current: (document.querySelector('#step-1 .transcript li.current button') || {}).lastChild.textContent || ''}), 200);",
    );
    assert_eq!(
        english["caption"].as_str().unwrap().trim(),
        ENGLISH_CUE,
        "{english}"
    );
    assert_eq!(
        english["current"].as_str().unwrap().trim(),
        ENGLISH_CUE,
        "{english}"
    );

    // Its transcripts were corrected but never signed off: the clip says so,
    // on the picture and under it, where a trainer sees it.
    let mark = browser.run(
        "const badge = document.querySelector('#step-1 .unreviewed-badge');
         const note = document.querySelector('#step-1 .unreviewed');
         const shown = (e) => !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
         done({badge: badge ? badge.innerText : '', note: note ? note.innerText : '',
               shown: shown(badge) && shown(note)});",
    );
    assert_eq!(mark["shown"], true, "{mark}");
    assert_eq!(
        mark["badge"], "Transcription automatique, non relue",
        "{mark}"
    );
    assert!(
        mark["note"].as_str().unwrap().contains("brouillon"),
        "{mark}"
    );

    browser.run("document.querySelector('#step-1 .stage').scrollIntoView(); done(null);");
    let screenshot =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("player-{engine:?}.png"));
    browser.screenshot(&screenshot);
    eprintln!("screenshot of the player: {}", screenshot.display());

    // The right arrow moves to the next step, the discussion question.
    browser.run("document.activeElement.blur(); done(null);");
    browser.key("\u{E014}");
    let step = browser.run(
        "setTimeout(() => done({first: document.getElementById('step-1').hidden,
                                second: document.getElementById('step-2').hidden,
                                position: document.getElementById('position').innerText}), 200);",
    );
    assert_eq!(step["first"], true, "{step}");
    assert_eq!(step["second"], false, "{step}");
    assert_eq!(step["position"], "Étape 2 sur 3", "{step}");
}
