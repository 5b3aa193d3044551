//! The module player as a trainer runs it in a room, in headless Chromium
//! with the network cut: a presentation clicker after a mouse click, full
//! screen with the captions, a presenter window driving the audience's, the
//! notes kept off the wall and off the handout, a phone, and the home page's
//! files named by the language really in them. Screenshots are saved under
//! `target/tmp/screenshots/` for people to look at.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::player::{unpacked, Browser};
use crate::workshop::FRENCH_CUE;

const PAGE_DOWN: &str = "\u{E00F}";
const PAGE_UP: &str = "\u{E00E}";
const SPACE: &str = "\u{E00D}";
const ESCAPE: &str = "\u{E00C}";

fn screenshot(browser: &Browser, name: &str) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.png"));
    browser.screenshot(&path);
    eprintln!("screenshot: {}", path.display());
}

/// Where the module is: the visible step's number, from 1.
fn step(browser: &Browser) -> Value {
    browser.run(
        "setTimeout(() => {
           const shown = [...document.querySelectorAll('#steps > .step')].findIndex(s => !s.hidden);
           const v = document.querySelector('#steps > .step:not([hidden]) video');
           done({step: shown + 1, position: document.getElementById('position').innerText,
                 playing: !!v && !v.paused});
         }, 300);",
    )
}

fn on_step(browser: &Browser, expected: u64, what: &str) {
    let at = step(browser);
    assert_eq!(at["step"], expected, "{what}: {at}");
}

#[test]
fn a_trainer_runs_a_module_with_a_clicker_full_screen_and_two_windows() {
    let (_project, site) = unpacked();
    let module = site.path().join("modules/identification.fr.html");
    let browser = Browser::start();
    browser.resize(1366, 768);
    browser.open(&module);

    // The first screen shows the video, and the notes are not on the wall.
    let first = browser.run(
        "setTimeout(() => { const r = document.querySelector('#step-1 video').getBoundingClientRect();
           done({top: r.top, bottom: r.bottom, height: innerHeight, scroll: scrollY,
                 toolbar: document.querySelector('.controls').getBoundingClientRect().height, notes: document.getElementById('notes').hidden,
                 notesShown: document.getElementById('notes').getClientRects().length > 0}); }, 300);",
    );
    assert!(
        first["top"].as_f64().unwrap() < first["height"].as_f64().unwrap() / 2.0
            && first["bottom"].as_f64().unwrap() <= first["height"].as_f64().unwrap(),
        "the video is not whole on the first screen at 1366x768: {first}"
    );
    assert_eq!(first["scroll"], 0, "the page opens scrolled: {first}");
    assert!(
        first["toolbar"].as_f64().unwrap() < 64.0,
        "the toolbar wraps at 1366x768: {first}"
    );
    assert_eq!(
        first["notes"], true,
        "trainer notes show by default: {first}"
    );
    assert_eq!(first["notesShown"], false, "{first}");
    screenshot(&browser, "module-1366x768");

    // A mouse click on "Suivant", then the clicker's keys: Space must not
    // press the button again, PageDown and PageUp move one step.
    browser.click("#next");
    on_step(&browser, 2, "after clicking Suivant");
    browser.key(SPACE);
    on_step(&browser, 2, "Space after a click on Suivant skipped a step");
    browser.key(PAGE_DOWN);
    on_step(&browser, 3, "PageDown");
    browser.key(PAGE_UP);
    on_step(&browser, 2, "PageUp");
    browser.click("#previous");
    on_step(&browser, 1, "after clicking Précédent");

    // Space plays and pauses the clip, whatever was clicked last.
    browser.run("document.querySelector('#step-1 video').muted = true; done(null);");
    browser.key(SPACE);
    assert_eq!(
        step(&browser)["playing"],
        true,
        "Space did not play the clip"
    );
    browser.key(SPACE);
    assert_eq!(
        step(&browser)["playing"],
        false,
        "Space did not pause the clip"
    );

    // Subtitles chosen in the player's menu with the mouse: PageDown still
    // moves on, and does not switch them.
    browser.click("#step-1 .cc");
    browser.click("#step-1 .menu button[data-value=en]");
    browser.key(PAGE_DOWN);
    on_step(&browser, 2, "PageDown after choosing the subtitles");
    browser.key(PAGE_UP);
    let mode = browser.run("done(localStorage.getItem('confkit.captions'));");
    assert_eq!(mode, "en", "PageDown changed the subtitles");
    browser.click("#step-1 .cc");
    browser.click("#step-1 .menu button[data-value=fr]");

    // F puts the player, captions included, full screen; the captions stay
    // inside the picture; Esc leaves.
    browser.run(
        "const v = document.querySelector('#step-1 video'); v.pause();
         v.addEventListener('seeked', () => done(null), {once: true}); v.currentTime = 3.0;",
    );
    browser.key("f");
    let full = browser.run(
        "setTimeout(() => {
           const stage = document.querySelector('#step-1 .stage').getBoundingClientRect();
           const line = document.querySelector('#step-1 .captions p');
           const r = line ? line.getBoundingClientRect() : null;
           done({element: document.fullscreenElement && document.fullscreenElement.id,
                 caption: line ? line.innerText : '',
                 inside: !!r && r.top >= stage.top && r.bottom <= stage.bottom && r.left >= stage.left && r.right <= stage.right,
                 size: line ? parseFloat(getComputedStyle(line).fontSize) : 0,
                 notes: document.getElementById('notes').getClientRects().length > 0});
         }, 800);",
    );
    assert_eq!(
        full["element"], "player",
        "F did not put the player full screen: {full}"
    );
    assert_eq!(
        full["caption"].as_str().unwrap().trim(),
        FRENCH_CUE,
        "{full}"
    );
    assert_eq!(
        full["inside"], true,
        "the caption leaves the picture: {full}"
    );
    assert_eq!(full["notes"], false, "notes on the wall: {full}");
    screenshot(&browser, "module-fullscreen");
    browser.key(ESCAPE);
    let left = browser.run("setTimeout(() => done(document.fullscreenElement === null), 500);");
    assert_eq!(left, true, "Esc did not leave full screen");

    // Where only the video can go full screen (a phone), its text tracks
    // carry the same subtitles, in both languages.
    let tracks = browser.run(
        "setTimeout(() => { const v = document.querySelector('#step-1 video');
           done([...v.textTracks].filter(t => t.cues && t.cues.length).map(t => t.language).sort()); }, 800);",
    );
    assert_eq!(
        tracks,
        json!(["en", "fr"]),
        "no text tracks to fall back on"
    );

    // The handout prints the notes only when asked.
    browser.devtools("Emulation.setEmulatedMedia", json!({"media": "print"}));
    let printed = |browser: &Browser| {
        browser.run(
            "setTimeout(() => done(getComputedStyle(document.getElementById('notes')).display !== 'none'), 200);",
        )
    };
    assert_eq!(
        printed(&browser),
        false,
        "notes printed without being asked"
    );
    browser.devtools("Emulation.setEmulatedMedia", json!({"media": ""}));
    browser.click("#notes-toggle");
    browser.click("#print-notes");
    browser.devtools("Emulation.setEmulatedMedia", json!({"media": "print"}));
    assert_eq!(printed(&browser), true, "notes not printed when asked");
    browser.devtools("Emulation.setEmulatedMedia", json!({"media": ""}));
    browser.click("#notes-toggle");

    // The presenter window drives the audience's: its PageDown moves the
    // room's screen; the room shows no notes, the presenter does.
    let audience = browser.windows()[0].clone();
    browser.click("#presenter-open");
    let opened = wait_for(|| browser.windows().len() == 2);
    assert!(opened, "the presenter window did not open");
    let presenter = browser
        .windows()
        .into_iter()
        .find(|w| *w != audience)
        .unwrap();
    browser.switch_to(&presenter);
    browser.resize(1000, 720);
    let view = browser.run(
        "setTimeout(() => done({presenter: document.documentElement.classList.contains('presenter-view'),
           notes: document.getElementById('notes').getClientRects().length > 0,
           next: document.getElementById('following').innerText}), 800);",
    );
    assert_eq!(view["presenter"], true, "{view}");
    assert_eq!(
        view["notes"], true,
        "the presenter does not see the notes: {view}"
    );
    assert!(
        view["next"].as_str().unwrap().contains("Question"),
        "the presenter does not see what comes next: {view}"
    );
    screenshot(&browser, "presenter");
    browser.key(PAGE_DOWN);
    std::thread::sleep(std::time::Duration::from_millis(500));
    browser.switch_to(&audience);
    on_step(
        &browser,
        2,
        "the presenter's PageDown did not reach the audience",
    );
    let room = browser.run(
        "done({audience: document.documentElement.classList.contains('audience-view'),
               notes: document.getElementById('notes').getClientRects().length > 0});",
    );
    assert_eq!(room["audience"], true, "{room}");
    assert_eq!(room["notes"], false, "notes on the room's screen: {room}");
    browser.key(PAGE_DOWN);
    browser.switch_to(&presenter);
    on_step(
        &browser,
        3,
        "the audience's step did not reach the presenter",
    );
}

#[test]
fn the_package_reads_on_a_phone_and_names_each_file_by_its_language() {
    let (_project, site) = unpacked();
    let browser = Browser::start();
    browser.devtools(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true}),
    );
    for (page, name) in [
        ("index.html", "phone-home"),
        ("modules/identification.fr.html", "phone-module"),
        ("index.en.html", "phone-home-en"),
    ] {
        browser.open(&site.path().join(page));
        let fit = browser.run(
            "setTimeout(() => { const v = document.querySelector('#step-1 video');
               const r = v ? v.getBoundingClientRect() : null;
               done({scroll: document.documentElement.scrollWidth, width: innerWidth,
                     video: r ? r.width : null}); }, 500);",
        );
        assert!(
            fit["scroll"].as_f64().unwrap() <= fit["width"].as_f64().unwrap(),
            "{page} scrolls sideways at 390 px: {fit}"
        );
        if let Some(width) = fit["video"].as_f64() {
            assert!(
                width >= 360.0,
                "{page}: the video is {width} px wide on a phone"
            );
        }
        screenshot(&browser, name);
    }

    // On a phone, two languages of subtitles stay inside the picture and
    // off the step's heading.
    browser.open(&site.path().join("modules/identification.fr.html"));
    browser.run("localStorage.setItem('confkit.captions', 'both'); done(null);");
    browser.open(&site.path().join("modules/identification.fr.html"));
    let captions = browser.run(
        "const v = document.querySelector('#step-1 video'); v.pause();
         v.addEventListener('seeked', () => setTimeout(() => {
           const stage = document.querySelector('#step-1 .stage').getBoundingClientRect();
           const box = document.querySelector('#step-1 .captions').getBoundingClientRect();
           const heading = document.querySelector('#step-1 h2').getBoundingClientRect();
           done({lines: document.querySelectorAll('#step-1 .captions p').length,
                 inside: box.top >= stage.top && box.bottom <= stage.bottom,
                 clear: box.top >= heading.bottom});
         }, 300), {once: true}); v.currentTime = 3.0;",
    );
    browser.run("localStorage.removeItem('confkit.captions'); done(null);");
    assert_eq!(captions["lines"], 2, "{captions}");
    assert_eq!(captions["inside"], true, "{captions}");
    assert_eq!(captions["clear"], true, "{captions}");
    screenshot(&browser, "phone-captions");

    // Each media link on the home pages says the language really in the file.
    for (page, names) in [
        ("index.html", [("fr", "français"), ("en", "anglais")]),
        ("index.en.html", [("fr", "French"), ("en", "English")]),
    ] {
        browser.open(&site.path().join(page));
        let links = browser.run(
            "done([...document.querySelectorAll('a[href^=\"media/\"], a[href^=\"subtitles/\"]')]
                   .map(a => [a.getAttribute('href'), a.innerText]));",
        );
        let links = links.as_array().unwrap();
        assert!(!links.is_empty(), "{page} lists no files");
        for link in links {
            let (href, text) = (link[0].as_str().unwrap(), link[1].as_str().unwrap());
            let label = Path::new(href)
                .file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.rsplit('.').next())
                .unwrap();
            for part in label.split('-') {
                let name = names.iter().find(|(code, _)| *code == part).unwrap().1;
                assert!(
                    text.contains(name),
                    "{page}: `{text}` links to {href}, which is in {part}"
                );
            }
            assert!(
                site.path().join(href).is_file(),
                "{page}: {href} is not in the package"
            );
        }
    }
}

/// Polls `condition` for up to five seconds.
fn wait_for(condition: impl Fn() -> bool) -> bool {
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(5) {
        if condition() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

/// axe-core's violations on the page open in `browser`.
fn axe(browser: &Browser) -> Value {
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/browser/node_modules/axe-core/axe.min.js"
    ))
    .expect("axe-core is installed by scripts/setup (npm ci in tests/browser)");
    browser.run(&format!(
        "{source}
         axe.run(document, {{resultTypes: ['violations']}}).then(
           r => done(r.violations.map(v => ({{id: v.id, impact: v.impact, help: v.help,
                                              nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}}))),
           e => done(String(e)));"
    ))
}

#[test]
fn every_page_type_passes_axe_in_both_languages() {
    let (_project, site) = unpacked();
    let browser = Browser::start();
    for page in [
        "index.html",
        "index.en.html",
        "modules/identification.fr.html",
        "modules/identification.en.html",
        "guide/niger.fr.html",
        "guide/niger.en.html",
        "search.fr.html",
        "search.en.html",
    ] {
        browser.open(&site.path().join(page));
        let violations = axe(&browser);
        assert_eq!(violations, json!([]), "axe-core on {page}");
    }
}

#[test]
fn search_finds_a_french_phrase_without_its_accents_and_opens_the_clip_there() {
    let (_project, site) = unpacked();
    let browser = Browser::start();
    let page = site.path().join("search.fr.html");
    browser.session(
        "/url",
        json!({"url": format!("file://{}?q=acteurs%20premiere%20ligne", page.display())}),
    );
    let results = browser.run(
        "setTimeout(() => done([...document.querySelectorAll('#results li')].map(li => ({
           href: li.querySelector('a').getAttribute('href'), text: li.querySelector('p').innerText}))), 300);",
    );
    let first = &results[0];
    assert_eq!(first["text"], FRENCH_CUE, "{results}");
    assert_eq!(
        first["href"], "modules/identification.fr.html#clip=interview&t=0.27",
        "{results}"
    );
    screenshot(&browser, "search");

    // The name on the redaction list is not in the index, in any form.
    let index = std::fs::read_to_string(site.path().join("assets/search-index.fr.js")).unwrap();
    assert!(
        index.contains("Les acteurs"),
        "the index lacks the transcripts"
    );
    assert!(
        !index.contains("Amina"),
        "a redacted name is in the search index"
    );

    browser.click("#results li a");
    let opened = browser.run(
        "const v = document.querySelector('#step-1 video');
         const check = () => done({hidden: document.getElementById('step-1').hidden, time: v.currentTime,
             caption: document.querySelector('#step-1 .captions').innerText});
         if (v.readyState >= 1 && !v.seeking) setTimeout(check, 300);
         else v.addEventListener('seeked', () => setTimeout(check, 300), {once: true});",
    );
    assert_eq!(opened["hidden"], false, "{opened}");
    let time = opened["time"].as_f64().unwrap();
    assert!(
        (0.2..0.8).contains(&time),
        "the clip opened at {time} s: {opened}"
    );
    assert_eq!(
        opened["caption"].as_str().unwrap().trim(),
        FRENCH_CUE,
        "{opened}"
    );
}
