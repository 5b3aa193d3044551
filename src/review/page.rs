//! The offline review page of one recording: its video, both languages'
//! cues side by side with their flags, and what is bleeped and why. One
//! HTML file with everything inside, opened from disk; it holds the names
//! on the redaction list, so it is written under `.confkit/review/` by
//! default, never into a package.

use std::path::{Component, Path, PathBuf};

use serde_json::{json, Value};

use super::queue::RecordingReview;

const TEMPLATE: &str = include_str!("page/review.html");
const SCRIPT: &str = include_str!("page/review.js");
const STYLE: &str = include_str!("page/review.css");

/// The page for `review`, whose video is at `video_href` from the page.
pub fn render(review: &RecordingReview, video_href: &str, clips: Vec<Value>) -> String {
    let data = data(review, video_href, clips);
    // Nothing in the data may close the script it sits in.
    let data = serde_json::to_string(&data)
        .expect("JSON of plain values")
        .replace("</", "<\\/")
        .replace("<!--", "<\\!--")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    TEMPLATE
        .replacen("/*REVIEW_CSS*/", STYLE, 1)
        .replacen(
            "/*REVIEW_JS*/",
            &SCRIPT.replace("</script", "<\\/script"),
            1,
        )
        .replacen("/*REVIEW_DATA*/null", &data, 1)
}

fn seconds(t: crate::timecode::Timecode) -> f64 {
    t.as_millis() as f64 / 1000.0
}

fn data(review: &RecordingReview, video_href: &str, clips: Vec<Value>) -> Value {
    let transcripts: Vec<Value> = review
        .texts
        .iter()
        .map(|t| {
            let lag = review
                .lags
                .iter()
                .find(|l| l.language == t.language)
                .and_then(|l| l.seconds);
            json!({
                "language": t.language,
                "name": format!("{}.{}", t.recording, t.language),
                "state": t.state.describe(),
                "by": t.by,
                "at": t.at,
                "source": t.source.describe(),
                "file": t.file,
                "lag_s": lag,
                "note": t.note,
            })
        })
        .collect();
    let cues: Vec<Value> = review
        .cues
        .iter()
        .map(|c| {
            json!({
                "language": c.language,
                "index": c.index,
                "start": seconds(c.start),
                "end": seconds(c.end),
                "text": c.text,
                "score": c.score,
                "flags": c.flags,
                "bleeped": c.bleeped.iter().map(|b| json!({
                    "start": seconds(b.start), "end": seconds(b.end), "reason": b.reason
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let bleeps: Vec<Value> = review
        .bleeps
        .iter()
        .map(|b| {
            json!({
                "version": b.version, "start": seconds(b.start), "end": seconds(b.end), "reason": b.reason
            })
        })
        .collect();
    json!({
        "recording": {"id": review.recording, "title": review.title, "video": video_href},
        "transcripts": transcripts,
        "cues": cues,
        "bleeps": bleeps,
        "clips": clips,
        "problems": review.problems,
    })
}

/// `to` as a relative URL from the folder `from` (both absolute or both
/// relative to the same folder), with `/` and each part percent-encoded.
pub fn relative_href(from: &Path, to: &Path) -> String {
    let parts = |p: &Path| -> Vec<String> {
        p.components()
            .filter(|c| !matches!(c, Component::CurDir))
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect()
    };
    let (from, to) = (parts(from), parts(to));
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut path = PathBuf::new();
    for _ in common..from.len() {
        path.push("..");
    }
    for part in &to[common..] {
        path.push(part);
    }
    path.components()
        .map(|c| percent_encode(&c.as_os_str().to_string_lossy()))
        .collect::<Vec<_>>()
        .join("/")
}

fn percent_encode(part: &str) -> String {
    let mut out = String::new();
    for byte in part.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_climb_out_of_the_page_folder() {
        assert_eq!(
            relative_href(
                Path::new("/p/.confkit/review"),
                Path::new("/p/assets/recordings/day 1.mp4")
            ),
            "../../assets/recordings/day%201.mp4"
        );
    }
}
