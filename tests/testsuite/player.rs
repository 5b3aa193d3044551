//! The module player in a real browser: headless Chromium from Debian's
//! packages, driven over WebDriver (chromedriver), opening a package's page
//! from `file://` with the network cut.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::workshop::{packaged, ENGLISH_CUE, FRENCH_CUE};

/// chromedriver and one browser session; both end when dropped.
pub(crate) struct Browser {
    driver: Child,
    base: String,
    session: String,
}

impl Browser {
    pub(crate) fn start() -> Browser {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is installed by scripts/setup (Debian's chromium-driver)");
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while ureq::get(&format!("{base}/status")).call().is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let binary = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"]
            .into_iter()
            .find(|p| Path::new(p).is_file())
            .expect("chromium is installed by scripts/setup");
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": binary,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,960",
                    "--autoplay-policy=no-user-gesture-required",
                    // No network: every connection goes to a closed port, no name resolves.
                    "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                    "--host-resolver-rules=MAP * ~NOTFOUND"
                ]
            }
        }}});
        let mut browser = Browser {
            driver,
            base,
            session: String::new(),
        };
        let reply = browser.post("/session", capabilities);
        browser.session = reply["sessionId"].as_str().expect("a session").to_string();
        browser.post(
            &format!("/session/{}/chromium/network_conditions", browser.session),
            json!({"network_conditions": {"offline": true, "latency": 0, "download_throughput": 0, "upload_throughput": 0}}),
        );
        browser
    }

    fn post(&self, path: &str, body: Value) -> Value {
        let reply: Value = ureq::post(&format!("{}{path}", self.base))
            .send_json(body)
            .unwrap_or_else(|e| panic!("WebDriver {path}: {e}"))
            .into_json()
            .unwrap();
        reply["value"].clone()
    }

    pub(crate) fn session(&self, path: &str, body: Value) -> Value {
        self.post(&format!("/session/{}{path}", self.session), body)
    }

    /// Runs `script` (which ends by calling `done(value)`) in the page.
    pub(crate) fn run(&self, script: &str) -> Value {
        let script = format!("const done = arguments[arguments.length - 1];\n{script}");
        self.session("/execute/async", json!({"script": script, "args": []}))
    }

    /// Opens `page` from disk.
    pub(crate) fn open(&self, page: &Path) {
        self.session("/url", json!({"url": format!("file://{}", page.display())}));
    }

    /// The WebDriver id of the first element matching `css`.
    pub(crate) fn element(&self, css: &str) -> String {
        let found = self.session("/element", json!({"using": "css selector", "value": css}));
        found["element-6066-11e4-a52e-4f735466cecf"]
            .as_str()
            .unwrap_or_else(|| panic!("no element `{css}`: {found}"))
            .to_string()
    }

    /// Clicks `css` as a mouse does: the browser's own pointer events.
    pub(crate) fn click(&self, css: &str) {
        let id = self.element(css);
        self.session(&format!("/element/{id}/click"), json!({}));
    }

    /// Presses and releases `key` (a WebDriver key: "\u{E00F}" is PageDown)
    /// on whatever has the focus, as a keyboard or a clicker does.
    pub(crate) fn key(&self, key: &str) {
        self.session(
            "/actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
                {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]}]}),
        );
    }

    /// The size of the window, in CSS pixels.
    pub(crate) fn resize(&self, width: u32, height: u32) {
        self.session("/window/rect", json!({"width": width, "height": height}));
    }

    /// The handles of the open windows.
    pub(crate) fn windows(&self) -> Vec<String> {
        let reply: Value = ureq::get(&format!(
            "{}/session/{}/window/handles",
            self.base, self.session
        ))
        .call()
        .unwrap()
        .into_json()
        .unwrap();
        reply["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h.as_str().unwrap().to_string())
            .collect()
    }

    /// Moves the commands to the window `handle`.
    pub(crate) fn switch_to(&self, handle: &str) {
        self.session("/window", json!({"handle": handle}));
    }

    /// A DevTools command, through chromedriver.
    pub(crate) fn devtools(&self, command: &str, params: Value) -> Value {
        self.session(
            "/goog/cdp/execute",
            json!({"cmd": command, "params": params}),
        )
    }

    pub(crate) fn screenshot(&self, path: &Path) {
        let reply: Value = ureq::get(&format!(
            "{}/session/{}/screenshot",
            self.base, self.session
        ))
        .call()
        .unwrap()
        .into_json()
        .unwrap();
        use base64::Engine;
        let png = base64::engine::general_purpose::STANDARD
            .decode(reply["value"].as_str().unwrap())
            .unwrap();
        std::fs::write(path, png).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = ureq::delete(&format!("{}/session/{}", self.base, self.session)).call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn unzip(zip: &Path, into: &Path) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    archive.extract(into).unwrap();
}

/// The workshop project, packaged, and the Niger border police's package
/// unpacked as a trainer unpacks it.
pub(crate) fn unpacked() -> (crate::harness::ProjectTest, tempfile::TempDir) {
    let project = packaged();
    let site = tempfile::tempdir().unwrap();
    unzip(&project.path().join("packages/ne-police.zip"), site.path());
    (project, site)
}

#[test]
fn the_module_player_works_offline_from_disk() {
    let (_project, site) = unpacked();
    let page = site.path().join("modules/identification.fr.html");
    let browser = Browser::start();
    browser.session("/url", json!({"url": format!("file://{}", page.display())}));

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
    let screenshot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("player.png");
    browser.screenshot(&screenshot);
    eprintln!("screenshot of the player: {}", screenshot.display());

    // The right arrow moves to the next step, the discussion question.
    browser.run("document.activeElement.blur(); done(null);");
    browser.session(
        "/actions",
        json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": "\u{E014}"}, {"type": "keyUp", "value": "\u{E014}"}]}]}),
    );
    let step = browser.run(
        "setTimeout(() => done({first: document.getElementById('step-1').hidden,
                                second: document.getElementById('step-2').hidden,
                                position: document.getElementById('position').innerText}), 200);",
    );
    assert_eq!(step["first"], true, "{step}");
    assert_eq!(step["second"], false, "{step}");
    assert_eq!(step["position"], "Étape 2 sur 3", "{step}");
}
