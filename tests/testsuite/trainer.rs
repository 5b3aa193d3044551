//! The module player as a trainer runs it in a room, in headless Chromium
//! and Firefox ESR with the network cut: a presentation clicker after a
//! mouse click, full screen with the captions, a presenter window driving
//! the audience's, the notes kept off the wall and off the handout, a
//! phone, focus that shows, and the home page's files named by the language
//! really in them. Screenshots are saved under `target/tmp/screenshots/`
//! for people to look at.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::browser::{in_both_browsers, Browser, Engine};
use crate::player::unpacked;
use crate::workshop::FRENCH_CUE;

in_both_browsers!(
    a_trainer_runs_a_module_with_a_clicker_full_screen_and_two_windows,
    the_package_reads_on_a_phone_and_names_each_file_by_its_language,
    every_page_type_passes_axe_in_both_languages,
    search_finds_a_french_phrase_without_its_accents_and_opens_the_clip_there,
    focus_shows_on_every_kind_of_control,
);

const PAGE_DOWN: &str = "\u{E00F}";
const PAGE_UP: &str = "\u{E00E}";
const SPACE: &str = "\u{E00D}";
const ESCAPE: &str = "\u{E00C}";
const ARROW_RIGHT: &str = "\u{E014}";

/// Saves what `browser` shows as `target/tmp/screenshots/<name>-<browser>.png`.
pub(crate) fn screenshot(browser: &Browser, name: &str) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let engine = format!("{:?}", browser.engine).to_lowercase();
    let path = dir.join(format!("{name}-{engine}.png"));
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

fn a_trainer_runs_a_module_with_a_clicker_full_screen_and_two_windows(engine: Engine) {
    let site = unpacked();
    let module = site.join("modules/identification.fr.html");
    let browser = Browser::start(engine);
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

    // With the player's seek bar focused, the arrows still move between
    // steps, as the clicker's keys do.
    browser.run("document.querySelector('#step-1 .vbar input[type=range]').focus(); done(null);");
    browser.key(ARROW_RIGHT);
    on_step(&browser, 2, "→ with the seek bar focused");
    browser.key(PAGE_UP);
    on_step(&browser, 1, "PageUp back to the clip");

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
                 size: line ? parseFloat(getComputedStyle(line).fontSize) : 0, width: innerWidth,
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
    // Read from the back of a room: at least 2.5% of the screen's width
    // (48 px on a 1920 px projector).
    assert!(
        full["size"].as_f64().unwrap() >= 0.025 * full["width"].as_f64().unwrap(),
        "the subtitles are small on a full screen: {full}"
    );
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
    let notes = "Insister sur la confidentialité.";
    let handout = flat(&browser.print_text());
    assert!(
        handout.contains("Qui voit la victime en premier"),
        "the handout lacks the steps: {handout}"
    );
    assert!(
        !handout.contains(notes),
        "notes printed without being asked: {handout}"
    );
    browser.click("#notes-toggle");
    browser.click("#print-notes");
    let handout = flat(&browser.print_text());
    assert!(
        handout.contains(notes),
        "notes not printed when asked: {handout}"
    );
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
               notes: document.getElementById('notes').getClientRects().length > 0,
               question: parseFloat(getComputedStyle(document.querySelector('#step-2 .task')).fontSize),
               width: innerWidth});",
    );
    assert_eq!(room["audience"], true, "{room}");
    assert_eq!(room["notes"], false, "notes on the room's screen: {room}");
    assert!(
        room["question"].as_f64().unwrap() >= 0.025 * room["width"].as_f64().unwrap(),
        "the question is small on the room's screen: {room}"
    );
    screenshot(&browser, "audience");
    browser.key(PAGE_DOWN);
    browser.switch_to(&presenter);
    on_step(
        &browser,
        3,
        "the audience's step did not reach the presenter",
    );
}

fn the_package_reads_on_a_phone_and_names_each_file_by_its_language(engine: Engine) {
    let site = unpacked();
    let browser = Browser::phone(engine);
    for (page, name) in [
        ("index.html", "phone-home"),
        ("modules/identification.fr.html", "phone-module"),
        ("index.en.html", "phone-home-en"),
    ] {
        browser.open(&site.join(page));
        let fit = browser.run(
            "setTimeout(() => { const v = document.querySelector('#step-1 video');
               const r = v ? v.getBoundingClientRect() : null;
               done({scroll: document.documentElement.scrollWidth, width: innerWidth,
                     video: r ? r.width : null}); }, 500);",
        );
        assert_eq!(fit["width"], 390, "{page}: not a phone's width: {fit}");
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

    // The pages are set in the package's own typeface (the machine has
    // only DejaVu), in both its weights.
    browser.open(&site.join("modules/identification.fr.html"));
    let faces = browser.run(
        "document.fonts.ready.then(() => done([...document.fonts]
           .filter(f => f.family.replace(/\"/g, '') === 'Noto Sans')
           .map(f => f.weight + ' ' + f.status).sort()));",
    );
    assert_eq!(
        faces,
        json!(["400 loaded", "700 loaded"]),
        "the typeface did not load"
    );

    // The home page is headed by the conference's short title, and its
    // long title shows once, under it.
    browser.open(&site.join("index.html"));
    let home = browser.run(
        "const h1 = document.querySelector('h1').innerText;
         const long = (document.querySelector('main .meta') || {}).innerText || h1;
         done({h1, long, times: document.body.innerText.split(long).length - 1});",
    );
    assert!(home["h1"].as_str().unwrap().chars().count() <= 80, "{home}");
    assert_eq!(
        home["times"], 1,
        "the long title shows more than once: {home}"
    );

    // On a phone, two languages of subtitles stay inside the picture and
    // off the step's heading.
    browser.open(&site.join("modules/identification.fr.html"));
    browser.run("localStorage.setItem('confkit.captions', 'both'); done(null);");
    browser.open(&site.join("modules/identification.fr.html"));
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
        browser.open(&site.join(page));
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
                site.join(href).is_file(),
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

fn every_page_type_passes_axe_in_both_languages(engine: Engine) {
    let site = unpacked();
    let browser = Browser::start(engine);
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
        browser.open(&site.join(page));
        let violations = axe(&browser);
        assert_eq!(violations, json!([]), "axe-core on {page}");
    }
}

fn search_finds_a_french_phrase_without_its_accents_and_opens_the_clip_there(engine: Engine) {
    let site = unpacked();
    let browser = Browser::start(engine);
    let page = site.join("search.fr.html");
    browser.open_url(&format!(
        "file://{}?q=acteurs%20premiere%20ligne",
        page.display()
    ));
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
    let index = std::fs::read_to_string(site.join("assets/search-index.fr.js")).unwrap();
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

/// `text` with every run of white space made one space, as a PDF's lines
/// break anywhere.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Each kind of control, focused from the keyboard, shows a ring of at
/// least 2 px that stands out 3:1 from what is around it (WCAG 2.2,
/// 1.4.11 and 2.4.13): on the page, in the header, on the video's bar, in
/// the transcript, on the home page's cards.
fn focus_shows_on_every_kind_of_control(engine: Engine) {
    let site = unpacked();
    let browser = Browser::start(engine);
    browser.resize(1366, 768);
    for (page, controls) in [
        (
            "modules/identification.fr.html",
            &[
                "#next",
                "header.top input",
                "#step-1 .vbar button",
                "#step-1 .vbar input[type=range]",
                "#step-1 .transcript button",
                "#notes-toggle",
            ][..],
        ),
        (
            "index.html",
            &["main a", "header.top a.home", ".languages a"][..],
        ),
        (
            "guide/niger.fr.html",
            &[".languages a", "header.top input"][..],
        ),
    ] {
        browser.open(&site.join(page));
        // A key first, so that the browser treats what follows as keyboard use.
        browser.key("\u{E008}");
        for control in controls {
            let ring = browser.run(&format!(
                "{FOCUS_RING}
                 const el = document.querySelector({control:?});
                 if (!el) return done({{missing: true}});
                 el.scrollIntoView({{block: 'center'}});
                 el.focus();
                 setTimeout(() => done(ring(el)), 100);"
            ));
            assert_eq!(ring["visible"], true, "{page} {control}: {ring}");
            assert!(
                ring["width"].as_f64().unwrap() >= 2.0,
                "{page} {control}: the ring is thin: {ring}"
            );
            assert!(
                ring["contrast"].as_f64().unwrap() >= 3.0,
                "{page} {control}: the ring does not stand out 3:1: {ring}"
            );
        }
    }
    browser.open(&site.join("modules/identification.fr.html"));
    browser.key("\u{E008}");
    browser.run("document.querySelector('#step-1 .transcript button').focus(); done(null);");
    screenshot(&browser, "focus-transcript");
}

/// `ring(el)`: whether `el` shows its focus, the ring's width, and the best
/// contrast between one of its rings (outline, or the box-shadow halo drawn
/// around it) and the colour behind it.
const FOCUS_RING: &str = r#"
const rgb = (c) => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
  const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
const contrast = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
const behind = (el) => { for (let e = el; e; e = e.parentElement) {
    const c = rgb(getComputedStyle(e).backgroundColor); if (c && c.a >= 0.5) return c; }
  return {r: 255, g: 255, b: 255, a: 1}; };
const ring = (el) => {
  const s = getComputedStyle(el);
  const visible = el.matches(':focus-visible') && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const inset = parseFloat(s.outlineOffset) < 0;
  const bg = behind(inset ? el : el.parentElement);
  const rings = [rgb(s.outlineColor)];
  const halo = s.boxShadow && s.boxShadow !== 'none' ? rgb(s.boxShadow) : null;
  if (halo) rings.push(halo);
  return {visible, width: parseFloat(s.outlineWidth), outline: s.outlineColor, halo: s.boxShadow,
          background: bg, contrast: Math.max(...rings.filter(Boolean).map(c => contrast(c, bg)))};
};
"#;

/// In an unpacked package of the Niamey project (`site`): the programme
/// opens with the module its notes call the opening one, and searching a
/// French phrase from a clip's subtitles lists that line, and its result
/// opens the module at that clip and time, with the line on the picture.
pub(crate) fn search_lands_on_the_clip(site: &Path, engine: Engine) {
    let browser = Browser::start(engine);
    browser.open(&site.join("index.html"));
    let programme = browser.run(
        "done([...document.querySelectorAll('table.programme a')].map(a => a.getAttribute('href')));",
    );
    assert_eq!(
        programme[0], "modules/niamey-declaration-cooperation.fr.html",
        "the programme does not open with the opening module: {programme}"
    );

    let (clip, start, line) = a_french_line(site);
    let page = site.join("search.fr.html");
    let query: String = line.chars().filter(|c| !"?&#%+".contains(*c)).collect();
    browser.open_url(&format!(
        "file://{}?q={}",
        page.display(),
        query.replace(' ', "+")
    ));
    let results = browser.run(
        "setTimeout(() => done([...document.querySelectorAll('#results li')].map(li => ({
           href: li.querySelector('a').getAttribute('href'), text: li.querySelector('p').innerText}))), 300);",
    );
    let opens = (start * 100.0).ceil() / 100.0;
    let wanted = format!("#clip={clip}&t={opens:.2}");
    let index = results
        .as_array()
        .unwrap()
        .iter()
        .position(|r| {
            r["text"] == line.as_str()
                && r["href"].as_str().unwrap().starts_with("modules/")
                && r["href"].as_str().unwrap().ends_with(&wanted)
        })
        .unwrap_or_else(|| panic!("searching `{line}` does not list {wanted}: {results:#}"));
    screenshot(&browser, "niamey-search");

    browser.click(&format!("#results li:nth-child({}) a", index + 1));
    let opened = browser.run(&format!(
        "const step = [...document.querySelectorAll('#steps > .step')].find(s => !s.hidden);
         const v = step.querySelector('video');
         const check = () => done({{clip: v.dataset.clip, time: v.currentTime,
             caption: step.querySelector('.captions').innerText}});
         if (v.readyState >= 1 && !v.seeking && Math.abs(v.currentTime - {opens}) < 0.5) setTimeout(check, 300);
         else v.addEventListener('seeked', () => setTimeout(check, 300), {{once: true}});"
    ));
    assert_eq!(opened["clip"], clip.as_str(), "{opened}");
    let time = opened["time"].as_f64().unwrap();
    assert!(
        (time - opens).abs() < 0.3,
        "the clip opened at {time} s, not {opens}: {opened}"
    );
    assert_eq!(flat(opened["caption"].as_str().unwrap()), line, "{opened}");
    screenshot(&browser, "niamey-search-opened");
}

/// A French subtitle line of at least five words, from the middle of a
/// clip that a module plays: the clip, its start in seconds, its text on
/// one line.
fn a_french_line(site: &Path) -> (String, f64, String) {
    let modules: String = std::fs::read_dir(site.join("modules"))
        .unwrap()
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    let mut files: Vec<PathBuf> = std::fs::read_dir(site.join("subtitles"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".fr.vtt"))
        .collect();
    files.sort();
    for file in files {
        let clip = file
            .file_name()
            .unwrap()
            .to_string_lossy()
            .trim_end_matches(".fr.vtt")
            .to_string();
        if !modules.contains(&format!("data-clip=\"{clip}\"")) {
            continue;
        }
        let vtt = std::fs::read_to_string(&file).unwrap();
        let cues: Vec<(f64, String)> = vtt
            .split("\n\n")
            .filter_map(|block| {
                let mut lines = block.lines().skip_while(|l| !l.contains("-->"));
                let timing = lines.next()?;
                let start = timing.split("-->").next()?.trim();
                let text = flat(&lines.collect::<Vec<_>>().join(" "));
                Some((seconds(start), text))
            })
            .collect();
        if let Some((start, text)) = cues
            .iter()
            .skip(cues.len() / 2)
            .find(|(_, text)| text.split(' ').count() >= 5 && !text.contains(['<', '&', '[']))
        {
            return (clip, *start, text.clone());
        }
    }
    panic!(
        "no French subtitle line of five words in {}",
        site.display()
    );
}

/// `00:01:02.500` or `01:02.500`, in seconds.
fn seconds(timecode: &str) -> f64 {
    timecode.split(':').fold(0.0, |total, part| {
        total * 60.0 + part.parse::<f64>().unwrap()
    })
}
