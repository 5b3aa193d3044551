//! Real browsers for the tests, with the network cut: Chromium from Debian,
//! driven over WebDriver (chromedriver), and Firefox ESR from Debian, driven
//! over its own Marionette protocol (Debian has no geckodriver). Both give
//! the same commands, so one test body runs in each.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

/// The browser a test runs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Engine {
    Chromium,
    Firefox,
}

/// Runs each named test body, `fn name(engine: Engine)`, in both browsers:
/// `name::chromium` and `name::firefox`.
macro_rules! in_both_browsers {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn chromium() {
                super::$name(crate::browser::Engine::Chromium)
            }
            #[test]
            fn firefox() {
                super::$name(crate::browser::Engine::Firefox)
            }
        }
    )*};
}
pub(crate) use in_both_browsers;

/// WebDriver's key for an element in a reply.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A browser and its one session; the browser ends when dropped.
pub(crate) struct Browser {
    pub(crate) engine: Engine,
    process: Child,
    driver: Driver,
    /// Firefox's profile, removed with the browser.
    _profile: Option<tempfile::TempDir>,
}

enum Driver {
    /// chromedriver's HTTP endpoint and the session's id.
    WebDriver { base: String, session: String },
    /// Firefox's Marionette socket and the next command's id.
    Marionette {
        socket: Mutex<(BufReader<TcpStream>, u64)>,
    },
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_until<T>(what: &str, mut ready: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(value) = ready() {
            return value;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "{what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

impl Browser {
    pub(crate) fn start(engine: Engine) -> Browser {
        match engine {
            Engine::Chromium => Browser::chromium(false),
            Engine::Firefox => Browser::firefox(false),
        }
    }

    /// A browser that reaches this machine's loopback address and nothing
    /// else: for pages a test serves over HTTP, as a learning platform
    /// serves a package.
    pub(crate) fn on_loopback(engine: Engine) -> Browser {
        match engine {
            Engine::Chromium => Browser::chromium(true),
            // Firefox never sends the loopback address to a proxy.
            Engine::Firefox => Browser::firefox(false),
        }
    }

    /// A browser the size of a phone, 390 CSS pixels wide at two device
    /// pixels each. Chromium emulates the device (touch, mobile viewport);
    /// Firefox gets a window of 780x1688 pixels at two pixels per CSS pixel,
    /// its toolbars' minimum width lifted and scroll bars over the page.
    pub(crate) fn phone(engine: Engine) -> Browser {
        match engine {
            Engine::Chromium => {
                let browser = Browser::chromium(false);
                browser.command(
                    "goog/cdp/execute",
                    json!({"cmd": "Emulation.setDeviceMetricsOverride",
                           "params": {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": true}}),
                );
                browser
            }
            Engine::Firefox => Browser::firefox(true),
        }
    }

    fn chromium(loopback: bool) -> Browser {
        let port = free_port();
        let process = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is installed by scripts/setup (Debian's chromium-driver)");
        let base = format!("http://127.0.0.1:{port}");
        wait_until("chromedriver did not start", || {
            ureq::get(&format!("{base}/status")).call().ok()
        });
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
                    "--proxy-server=http://127.0.0.1:9",
                    if loopback { "--proxy-bypass-list=<local>" } else { "--proxy-bypass-list=<-loopback>" },
                    if loopback { "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" } else { "--host-resolver-rules=MAP * ~NOTFOUND" }
                ]
            }
        }}});
        let mut browser = Browser {
            engine: Engine::Chromium,
            process,
            driver: Driver::WebDriver {
                base,
                session: String::new(),
            },
            _profile: None,
        };
        let reply = browser.http("POST", "/session", capabilities);
        let id = reply["sessionId"].as_str().expect("a session").to_string();
        if let Driver::WebDriver { session, .. } = &mut browser.driver {
            *session = id;
        }
        if !loopback {
            browser.command(
                "chromium/network_conditions",
                json!({"network_conditions": {"offline": true, "latency": 0, "download_throughput": 0, "upload_throughput": 0}}),
            );
        }
        browser
    }

    fn firefox(phone: bool) -> Browser {
        let port = free_port();
        let profile = tempfile::tempdir().unwrap();
        let mut prefs = firefox_prefs(port);
        if phone {
            // Two device pixels per CSS pixel, and no minimum width for the
            // browser's own toolbars (500 px otherwise).
            prefs.push_str("user_pref(\"layout.css.devPixelsPerPx\", \"2.0\");\n");
            // A phone's scroll bars float over the page.
            prefs.push_str("user_pref(\"ui.useOverlayScrollbars\", 1);\n");
            prefs.push_str(
                "user_pref(\"toolkit.legacyUserProfileCustomizations.stylesheets\", true);\n",
            );
            let chrome = profile.path().join("chrome");
            std::fs::create_dir(&chrome).unwrap();
            std::fs::write(
                chrome.join("userChrome.css"),
                ":root, #main-window, #browser, #navigator-toolbox, #nav-bar, #TabsToolbar, \
                 #urlbar-container, #tabbrowser-tabbox { min-width: 0 !important; }\n",
            )
            .unwrap();
        }
        std::fs::write(profile.path().join("user.js"), prefs).unwrap();
        let (width, height) = if phone {
            ("780", "1688")
        } else {
            ("1280", "960")
        };
        let process = Command::new("firefox-esr")
            .args(["--marionette", "--headless", "--no-remote", "--profile"])
            .arg(profile.path())
            .env("MOZ_HEADLESS_WIDTH", width)
            .env("MOZ_HEADLESS_HEIGHT", height)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("firefox-esr is installed by scripts/setup");
        let stream = wait_until("Firefox's Marionette did not start", || {
            TcpStream::connect(("127.0.0.1", port)).ok()
        });
        let mut reader = BufReader::new(stream);
        let hello = read_packet(&mut reader);
        assert_eq!(hello["applicationType"], "gecko", "{hello}");
        let browser = Browser {
            engine: Engine::Firefox,
            process,
            driver: Driver::Marionette {
                socket: Mutex::new((reader, 1)),
            },
            _profile: Some(profile),
        };
        browser.command(
            "NewSession",
            json!({"unhandledPromptBehavior": "dismiss", "timeouts": {"script": 60000}}),
        );
        browser
    }

    fn http(&self, method: &str, path: &str, body: Value) -> Value {
        let Driver::WebDriver { base, .. } = &self.driver else {
            unreachable!("HTTP is chromedriver's")
        };
        let url = format!("{base}{path}");
        let reply = match method {
            "GET" => ureq::get(&url).call(),
            "DELETE" => ureq::delete(&url).call(),
            _ => ureq::post(&url).send_json(body),
        };
        let reply: Value = reply
            .unwrap_or_else(|e| panic!("WebDriver {path}: {e}"))
            .into_json()
            .unwrap();
        reply["value"].clone()
    }

    /// One WebDriver command, named as Marionette names it (`Navigate`),
    /// or for chromedriver the path after the session (`url`).
    fn command(&self, name: &str, params: Value) -> Value {
        match &self.driver {
            Driver::WebDriver { session, .. } => {
                let method = if params.is_null() { "GET" } else { "POST" };
                self.http(method, &format!("/session/{session}/{name}"), params)
            }
            Driver::Marionette { socket } => {
                let mut socket = socket.lock().unwrap();
                let (reader, next) = &mut *socket;
                let id = *next;
                *next += 1;
                let name = if name.contains(':') {
                    name.to_string()
                } else {
                    format!("WebDriver:{name}")
                };
                let params = if params.is_null() { json!({}) } else { params };
                let message = serde_json::to_string(&json!([0, id, name, params])).unwrap();
                let stream = reader.get_mut();
                write!(stream, "{}:{message}", message.len()).unwrap();
                stream.flush().unwrap();
                loop {
                    let reply = read_packet(reader);
                    if reply[1] != id {
                        continue;
                    }
                    assert!(reply[2].is_null(), "Marionette {name}: {}", reply[2]);
                    let result = reply[3].clone();
                    return match result.get("value") {
                        Some(value) if result.as_object().is_some_and(|o| o.len() == 1) => {
                            value.clone()
                        }
                        _ => result,
                    };
                }
            }
        }
    }

    /// Runs `script` (which ends by calling `done(value)`) in the page.
    pub(crate) fn run(&self, script: &str) -> Value {
        let script = format!("const done = arguments[arguments.length - 1];\n{script}");
        let params = json!({"script": script, "args": []});
        match self.engine {
            Engine::Chromium => self.command("execute/async", params),
            Engine::Firefox => self.command("ExecuteAsyncScript", params),
        }
    }

    /// Opens `page` from disk.
    pub(crate) fn open(&self, page: &Path) {
        self.open_url(&format!("file://{}", page.display()));
    }

    pub(crate) fn open_url(&self, url: &str) {
        match self.engine {
            Engine::Chromium => self.command("url", json!({"url": url})),
            Engine::Firefox => self.command("Navigate", json!({"url": url})),
        };
    }

    /// The WebDriver id of the first element matching `css`.
    pub(crate) fn element(&self, css: &str) -> String {
        let params = json!({"using": "css selector", "value": css});
        let found = match self.engine {
            Engine::Chromium => self.command("element", params),
            Engine::Firefox => self.command("FindElement", params),
        };
        found[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element `{css}`: {found}"))
            .to_string()
    }

    /// Clicks `css` as a mouse does: the browser's own pointer events.
    pub(crate) fn click(&self, css: &str) {
        let id = self.element(css);
        match self.engine {
            Engine::Chromium => self.command(&format!("element/{id}/click"), json!({})),
            Engine::Firefox => self.command("ElementClick", json!({"id": id})),
        };
    }

    /// Presses and releases `key` (a WebDriver key: "\u{E00F}" is PageDown)
    /// on whatever has the focus, as a keyboard or a clicker does.
    pub(crate) fn key(&self, key: &str) {
        let actions = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]}]});
        match self.engine {
            Engine::Chromium => self.command("actions", actions),
            Engine::Firefox => {
                self.command("PerformActions", actions);
                self.command("ReleaseActions", Value::Null)
            }
        };
    }

    /// The size of the window, in CSS pixels (Firefox's is at least 500
    /// wide).
    pub(crate) fn resize(&self, width: u32, height: u32) {
        let rect = json!({"width": width, "height": height});
        match self.engine {
            Engine::Chromium => self.command("window/rect", rect),
            Engine::Firefox => self.command("SetWindowRect", rect),
        };
    }

    /// The handles of the open windows.
    pub(crate) fn windows(&self) -> Vec<String> {
        let handles = match self.engine {
            Engine::Chromium => self.command("window/handles", Value::Null),
            Engine::Firefox => self.command("GetWindowHandles", Value::Null),
        };
        handles
            .as_array()
            .unwrap_or_else(|| panic!("window handles: {handles}"))
            .iter()
            .map(|h| h.as_str().unwrap().to_string())
            .collect()
    }

    /// Moves the commands to the window `handle`.
    pub(crate) fn switch_to(&self, handle: &str) {
        let params = json!({"handle": handle});
        match self.engine {
            Engine::Chromium => self.command("window", params),
            Engine::Firefox => self.command("SwitchToWindow", params),
        };
    }

    pub(crate) fn screenshot(&self, path: &Path) {
        let png = match self.engine {
            Engine::Chromium => self.command("screenshot", Value::Null),
            Engine::Firefox => self.command("TakeScreenshot", json!({"full": false})),
        };
        let png = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().expect("a screenshot"))
            .unwrap();
        std::fs::write(path, png).unwrap();
    }

    /// Prints the page as the browser's print dialog does (A4), and
    /// returns the text of the PDF, read by poppler's `pdftotext`.
    pub(crate) fn print_text(&self) -> String {
        let options = json!({"background": true, "page": {"width": 21.0, "height": 29.7}});
        let pdf = match self.engine {
            Engine::Chromium => self.command("print", options),
            Engine::Firefox => self.command("Print", options),
        };
        let pdf = base64::engine::general_purpose::STANDARD
            .decode(pdf.as_str().expect("a PDF"))
            .unwrap();
        let mut text = Command::new("pdftotext")
            .args(["-", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("pdftotext is installed by scripts/setup (poppler-utils)");
        text.stdin.take().unwrap().write_all(&pdf).unwrap();
        let out = text.wait_with_output().unwrap();
        assert!(out.status.success(), "pdftotext failed");
        String::from_utf8(out.stdout).unwrap()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        match &self.driver {
            Driver::WebDriver { base, session } if !session.is_empty() => {
                let _ = ureq::delete(&format!("{base}/session/{session}")).call();
            }
            Driver::Marionette { socket } => {
                if let Ok(mut socket) = socket.lock() {
                    let (reader, next) = &mut *socket;
                    let quit = format!(r#"[0,{next},"Marionette:Quit",{{}}]"#);
                    let _ = write!(reader.get_mut(), "{}:{quit}", quit.len());
                    let _ = reader.get_mut().flush();
                }
                let started = Instant::now();
                while started.elapsed() < Duration::from_secs(5) {
                    if let Ok(Some(_)) = self.process.try_wait() {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
            _ => {}
        }
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// One Marionette packet: its length in bytes, a colon, then JSON.
fn read_packet(reader: &mut BufReader<TcpStream>) -> Value {
    let mut length = Vec::new();
    reader
        .read_until(b':', &mut length)
        .expect("Marionette closed the connection");
    length.pop();
    let length: usize = std::str::from_utf8(&length)
        .ok()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| panic!("a Marionette packet's length: {length:?}"));
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    serde_json::from_slice(&body).unwrap()
}

/// A fresh profile: Marionette on `port`, nothing that reaches the network
/// (every proxy is a closed port), media that may start without a click,
/// and full screen with no transition, as in a room.
fn firefox_prefs(port: u16) -> String {
    let prefs = [
        ("marionette.port", json!(port)),
        ("network.proxy.type", json!(1)),
        ("network.proxy.http", json!("127.0.0.1")),
        ("network.proxy.http_port", json!(9)),
        ("network.proxy.ssl", json!("127.0.0.1")),
        ("network.proxy.ssl_port", json!(9)),
        ("network.proxy.socks", json!("127.0.0.1")),
        ("network.proxy.socks_port", json!(9)),
        ("network.proxy.socks_remote_dns", json!(true)),
        ("network.dns.disablePrefetch", json!(true)),
        ("network.captive-portal-service.enabled", json!(false)),
        ("network.connectivity-service.enabled", json!(false)),
        ("app.update.disabledForTesting", json!(true)),
        ("app.normandy.enabled", json!(false)),
        ("browser.safebrowsing.malware.enabled", json!(false)),
        ("browser.safebrowsing.phishing.enabled", json!(false)),
        ("datareporting.policy.dataSubmissionEnabled", json!(false)),
        ("toolkit.telemetry.enabled", json!(false)),
        ("browser.shell.checkDefaultBrowser", json!(false)),
        ("browser.startup.page", json!(0)),
        ("media.autoplay.default", json!(0)),
        ("full-screen-api.transition-duration.enter", json!("0 0")),
        ("full-screen-api.transition-duration.leave", json!("0 0")),
        ("full-screen-api.warning.timeout", json!(0)),
    ];
    prefs
        .iter()
        .map(|(name, value)| format!("user_pref(\"{name}\", {value});\n"))
        .collect()
}
