//! Burning subtitles into the picture: every language at once, French above
//! English, each in its own colour, over a translucent box, sized from the
//! picture height, wrapped inside safe margins.

use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use gstreamer as gst;
use gstreamer::prelude::*;

use crate::media::gst::make;
use crate::subtitles::{check_order, read_cues, text_at, Cue};
use crate::timecode::Timecode;

/// One language's subtitles and its colour.
#[derive(Debug, Clone)]
pub struct SubtitleLine {
    /// Cues, timed from the clip's start.
    pub cues: Vec<Cue>,
    /// `#rrggbb`.
    pub colour: String,
}

/// The subtitles to burn, top to bottom.
#[derive(Debug, Clone)]
pub struct BurnIn {
    /// One entry per language, the upper first.
    pub lines: Vec<SubtitleLine>,
}

/// Colours of the first, second ... language: white, then a warm yellow.
const COLOURS: [&str; 3] = ["#ffffff", "#ffd54a", "#9be7ff"];

impl BurnIn {
    /// Reads subtitle files (WebVTT or SRT, timed from the clip's start),
    /// the upper language first.
    pub fn from_files(paths: &[&Path]) -> Result<BurnIn> {
        let lines = paths
            .iter()
            .zip(COLOURS.iter().cycle())
            .map(|(path, colour)| {
                let cues = read_cues(path)?;
                check_order(&cues, path)?;
                Ok(SubtitleLine {
                    cues,
                    colour: (*colour).to_string(),
                })
            })
            .collect::<Result<_>>()?;
        Ok(BurnIn { lines })
    }

    /// Pango markup of what shows at `t`: each language's text in its colour.
    pub fn markup_at(&self, t: Timecode) -> String {
        self.lines
            .iter()
            .filter_map(|line| {
                text_at(&line.cues, t).map(|text| {
                    format!(
                        "<span foreground=\"{}\">{}</span>",
                        line.colour,
                        escape_markup(text)
                    )
                })
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// A textoverlay that shows the cues of the frame's time.
    pub(super) fn overlay(&self, width: u32, height: u32) -> Result<gst::Element> {
        let overlay = make("textoverlay")?;
        // Readable from the back of a room: about 4.5 % of the picture height.
        let font_px = (f64::from(height) * 0.045).round().max(10.0);
        overlay.set_property("font-desc", format!("DejaVu Sans Bold {font_px}px"));
        overlay.set_property("auto-resize", false);
        overlay.set_property("shaded-background", true);
        overlay.set_property("shading-value", 110u32);
        overlay.set_property_from_str("halignment", "center");
        overlay.set_property_from_str("valignment", "bottom");
        overlay.set_property_from_str("line-alignment", "center");
        overlay.set_property_from_str("wrap-mode", "wordchar");
        // Title-safe margins: 5 % of each side.
        overlay.set_property("xpad", (width / 20) as i32);
        overlay.set_property("ypad", (height / 20) as i32);
        overlay.set_property("text", "");

        let burn = self.clone();
        let shown = Arc::new(Mutex::new(String::new()));
        let target = overlay.clone();
        let pad = overlay
            .static_pad("video_sink")
            .context("textoverlay has no video_sink pad")?;
        pad.add_probe(gst::PadProbeType::BUFFER, move |pad, info| {
            let Some(pts) = info.buffer().and_then(|b| b.pts()) else {
                return gst::PadProbeReturn::Ok;
            };
            let running = pad
                .sticky_event::<gst::event::Segment>(0)
                .and_then(|e| {
                    e.segment()
                        .downcast_ref::<gst::ClockTime>()
                        .and_then(|s| s.to_running_time(pts))
                })
                .unwrap_or(pts);
            let markup = burn.markup_at(Timecode::from_millis(running.mseconds()));
            let mut shown = shown.lock().expect("not poisoned");
            if *shown != markup {
                target.set_property("text", &markup);
                *shown = markup;
            }
            gst::PadProbeReturn::Ok
        });
        Ok(overlay)
    }
}

fn escape_markup(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_shows_each_language_in_its_colour() {
        let cue = |a, b, text: &str| Cue {
            start: Timecode::from_millis(a),
            end: Timecode::from_millis(b),
            text: text.into(),
        };
        let burn = BurnIn {
            lines: vec![
                SubtitleLine {
                    cues: vec![cue(0, 2000, "Traite & trafic")],
                    colour: "#ffffff".into(),
                },
                SubtitleLine {
                    cues: vec![cue(1000, 3000, "Trafficking <b>")],
                    colour: "#ffd54a".into(),
                },
            ],
        };
        assert_eq!(
            burn.markup_at(Timecode::from_millis(500)),
            "<span foreground=\"#ffffff\">Traite &amp; trafic</span>"
        );
        assert_eq!(
            burn.markup_at(Timecode::from_millis(1500)),
            "<span foreground=\"#ffffff\">Traite &amp; trafic</span>\n<span foreground=\"#ffd54a\">Trafficking &lt;b&gt;</span>"
        );
        assert_eq!(burn.markup_at(Timecode::from_millis(5000)), "");
    }
}
