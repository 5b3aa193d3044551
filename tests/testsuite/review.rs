//! Review states and the release gate, on the workshop project whose
//! transcripts a person corrected but nobody signed off.

use serde_json::Value;

use crate::harness::{entries, ProjectTest};
use crate::workshop::{packaged, workshop};

/// Each language's review state of recording `case`, from `status --json`.
fn states(project: &ProjectTest) -> Vec<(String, String, Value)> {
    let run = project.run(&["status", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let status: Value = serde_json::from_str(&run.stdout).unwrap();
    status["recordings"][0]["review"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["language"].as_str().unwrap().to_string(),
                t["state"].as_str().unwrap().to_string(),
                t.clone(),
            )
        })
        .collect()
}

fn state_of(project: &ProjectTest, language: &str) -> (String, Value) {
    let (_, state, text) = states(project)
        .into_iter()
        .find(|(l, _, _)| l == language)
        .unwrap();
    (state, text)
}

#[test]
fn a_mark_holds_only_while_the_text_and_the_recording_are_unchanged() {
    let project = workshop();
    // Written by a person, signed off by nobody.
    assert_eq!(state_of(&project, "fr").0, "draft");
    assert_eq!(state_of(&project, "en").0, "draft");

    let run = project.run(&["review", "mark", "case", "--by", "A. Reviewer"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("reviewed by A. Reviewer"),
        "{}",
        run.stdout
    );
    let (state, text) = state_of(&project, "fr");
    assert_eq!(state, "reviewed", "{text}");
    assert_eq!(text["by"], "A. Reviewer");
    let book = std::fs::read_to_string(project.path().join("transcripts/reviews.toml")).unwrap();
    assert!(book.contains("text_sha256"), "{book}");

    // A text edited after its review is a draft again, and says why.
    let fr = project.path().join("transcripts/case.fr.vtt");
    let corrected = std::fs::read_to_string(&fr)
        .unwrap()
        .replace("première", "premiere");
    std::fs::write(&fr, corrected).unwrap();
    let (state, text) = state_of(&project, "fr");
    assert_eq!(state, "draft");
    assert!(
        text["note"].as_str().unwrap().contains("edited since"),
        "{text}"
    );
    assert_eq!(state_of(&project, "en").0, "reviewed");

    // So is one whose recording changed.
    let run = project.run(&[
        "review",
        "mark",
        "case",
        "--lang",
        "fr",
        "--by",
        "A. Reviewer",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    project.copy_sample("day1-opening.mp4", "assets/recordings/case.mp4");
    for language in ["fr", "en"] {
        let (state, text) = state_of(&project, language);
        assert_eq!(state, "draft", "{text}");
        assert!(
            text["note"].as_str().unwrap().contains("recording changed"),
            "{text}"
        );
    }

    // Back to draft on request; nothing is marked for a language with no text.
    let run = project.run(&["review", "mark", "case", "--draft"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(state_of(&project, "en").0, "draft");
    let run = project.run(&["review", "mark", "case", "--lang", "de", "--by", "X"]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("`de` is not a language"),
        "{}",
        run.stderr
    );
    let run = project.run(&["review", "mark", "nope", "--by", "X"]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("the recordings are case"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_damaged_book_of_marks_counts_nothing_as_reviewed() {
    let project = workshop();
    let run = project.run(&["review", "mark", "case", "--by", "A. Reviewer"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let book = project.path().join("transcripts/reviews.toml");
    let text = std::fs::read_to_string(&book).unwrap();
    std::fs::write(
        &book,
        text.replace("state = \"reviewed\"", "state = reviewed"),
    )
    .unwrap();
    let run = project.run(&["status"]);
    assert!(run.stdout.contains("reviews.toml:"), "{}", run.stdout);
    assert!(!run.stdout.contains("reviewed by"), "{}", run.stdout);
    let run = project.run(&["review", "mark", "case", "--by", "A. Reviewer"]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("reviews.toml:"), "{}", run.stderr);
}

fn text_entry(zip: &std::path::Path, name: &str) -> String {
    let (_, bytes) = entries(zip)
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} is not in {}", zip.display()));
    String::from_utf8(bytes).unwrap()
}

#[test]
fn a_release_carries_only_reviewed_text_and_other_packages_say_what_is_not() {
    let project = packaged();
    let zip = project.path().join("packages/ne-police.zip");
    // Shipped, but said: in the README, the player and the manifest.
    let readme = text_entry(&zip, "README.txt");
    assert!(
        readme.contains("WARNING: subtitles not reviewed"),
        "{readme}"
    );
    assert!(
        readme.contains("  - interview: English (corrected draft, not signed off)"),
        "{readme}"
    );
    assert!(
        readme.contains("ATTENTION : sous-titres non relus"),
        "{readme}"
    );
    let page = text_entry(&zip, "modules/identification.en.html");
    assert!(
        page.contains("class=\"unreviewed-badge\""),
        "the player marks the clip"
    );
    let manifest: Value = serde_json::from_str(&text_entry(&zip, "manifest.json")).unwrap();
    assert_eq!(manifest["clips"][0]["subtitles"][0]["review"], "draft");

    let run = project.run(&["package", "--release"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for said in [
        "clip `interview`: fr (draft) from recording `case`",
        "clip `interview`: en (draft) from recording `case`",
        "clip `case-study`: en (draft) from recording `case`",
        "confkit review mark",
    ] {
        assert!(run.stderr.contains(said), "{said}: {}", run.stderr);
    }
    assert!(
        !zip.exists(),
        "a package that cannot be released does not stay in packages/"
    );

    let run = project.run(&["review", "mark", "case", "--by", "A. Reviewer"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = project.run(&["package", "--release"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let readme = text_entry(&zip, "README.txt");
    assert!(!readme.contains("not reviewed"), "{readme}");
    let page = text_entry(&zip, "modules/identification.en.html");
    assert!(!page.contains("unreviewed"), "no mark once reviewed");
    let manifest: Value = serde_json::from_str(&text_entry(&zip, "manifest.json")).unwrap();
    assert_eq!(manifest["clips"][0]["subtitles"][0]["review"], "reviewed");
    assert_eq!(
        manifest["clips"][0]["subtitles"][0]["reviewed_by"],
        "A. Reviewer"
    );

    // The setting in confkit.toml is the same gate.
    let fr = project.path().join("transcripts/case.fr.vtt");
    let text = std::fs::read_to_string(&fr).unwrap();
    std::fs::write(&fr, text.replace("première", "premiere")).unwrap();
    let config = std::fs::read_to_string(project.path().join("confkit.toml")).unwrap();
    project.write(
        "confkit.toml",
        &format!("{config}\n[packages]\nrelease = true\n"),
    );
    let run = project.run(&["package"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("fr (draft)"), "{}", run.stderr);
}

/// The review page, opened from disk in Chromium as staff would: both
/// languages side by side, each text's state, the bleeps, and a click on a
/// cue plays the recording from it.
#[test]
fn the_review_page_opens_from_disk_and_seeks_to_a_cue() {
    let project = workshop();
    let run = project.run(&["review", "--html"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = project.path().join(".confkit/review/case.html");
    assert!(run.stdout.contains("Review page:"), "{}", run.stdout);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("/*REVIEW_DATA*/"), "the data is in the page");

    let browser = crate::browser::Browser::start(crate::browser::Engine::Chromium);
    browser.open(&page);
    let shown = browser.run(
        "done({title: document.title,
               languages: [...document.querySelectorAll('#cue-head th')].map(t => t.innerText.trim()),
               drafts: document.querySelectorAll('.badge-draft').length,
               bleeps: document.querySelectorAll('#bleeps li').length,
               cues: document.querySelectorAll('#cue-rows .cue').length});",
    );
    assert!(shown["title"].as_str().unwrap().contains("Cas"), "{shown}");
    assert_eq!(shown["drafts"], 2, "{shown}");
    assert_eq!(shown["cues"], 4, "{shown}");
    assert!(shown["languages"].as_array().unwrap().len() == 2, "{shown}");
    assert!(
        shown["bleeps"].as_u64().unwrap() >= 1,
        "the name is bleeped: {shown}"
    );

    let seeked = browser.run(
        "const v = document.getElementById('video'); v.muted = true;
         const buttons = document.querySelectorAll('#cue-rows .cue button.play');
         v.addEventListener('seeked', () => done({time: v.currentTime}), {once: true});
         buttons[buttons.length - 1].click();",
    );
    let time = seeked["time"].as_f64().unwrap();
    assert!(
        (26.0..27.5).contains(&time),
        "the last cue starts at 26.8 s: {seeked}"
    );

    let screenshot = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("review-page.png");
    browser.run("window.scrollTo(0, 0); done(null);");
    browser.screenshot(&screenshot);
    eprintln!("screenshot of the review page: {}", screenshot.display());
}
