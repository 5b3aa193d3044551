//! GStreamer set-up and the wording of its failures: a pipeline error
//! becomes one sentence that names the file and the element that failed.

use std::path::Path;
use std::sync::OnceLock;

use anyhow::{anyhow, Result};
use gstreamer as gst;
use gstreamer::prelude::*;

/// Initialises GStreamer once per process.
pub fn init() -> Result<()> {
    static INIT: OnceLock<Result<(), String>> = OnceLock::new();
    INIT.get_or_init(|| gst::init().map_err(|e| e.to_string()))
        .clone()
        .map_err(|e| anyhow!("GStreamer could not start: {e}; run `scripts/setup` to install it"))
}

/// Makes an element, saying which Debian package brings it when it is missing.
pub fn make(factory: &str) -> Result<gst::Element> {
    gst::ElementFactory::make(factory).build().map_err(|_| {
        anyhow!(
            "the GStreamer element `{factory}` is missing; it comes with {}; run `scripts/setup`",
            package_of(factory)
        )
    })
}

fn package_of(factory: &str) -> &'static str {
    match factory {
        "x264enc" => "gstreamer1.0-plugins-ugly",
        "avenc_aac" | "avdec_aac" | "avdec_h264" => "gstreamer1.0-libav",
        "voaacenc" | "h264parse" => "gstreamer1.0-plugins-bad",
        "textoverlay" => "gstreamer1.0-x",
        "qtmux" | "mp4mux" | "qtdemux" | "jpegenc" => "gstreamer1.0-plugins-good",
        _ => "gstreamer1.0-plugins-base",
    }
}

/// A fakesink in `pipeline` for a stream nobody needs: it takes the data
/// without holding up the pipeline's preroll.
pub fn discard(pipeline: &gst::Pipeline) -> Result<gst::Element> {
    let sink = gst::ElementFactory::make("fakesink")
        .property("sync", false)
        .property("async", false)
        .build()?;
    pipeline.add(&sink)?;
    sink.sync_state_with_parent()?;
    Ok(sink)
}

/// Links `pad` to a new [`discard`] sink; for pad-added handlers, which cannot return errors.
pub fn discard_pad(pipeline: &gst::Pipeline, pad: &gst::Pad) {
    if let Ok(sink) = discard(pipeline) {
        let _ = pad.link(&sink.static_pad("sink").expect("fakesink has a sink pad"));
    }
}

/// `filesrc` reading `path`.
pub fn file_source(path: &Path) -> Result<gst::Element> {
    let src = make("filesrc")?;
    let location = path.to_str().ok_or_else(|| {
        anyhow!(
            "`{}`: the path is not UTF-8; rename the file",
            path.display()
        )
    })?;
    src.set_property("location", location);
    Ok(src)
}

/// The demuxer's own name for a stream: the part of its stream id after the
/// last `/`, the same whichever pipeline read the file.
pub fn stream_id_suffix(id: &str) -> Option<&str> {
    id.rsplit_once('/').map(|(_, suffix)| suffix)
}

/// One sentence for a pipeline error on `path`.
pub fn describe_error(path: &Path, err: &gst::message::Error) -> anyhow::Error {
    // A failure confkit raised itself is posted by the pipeline: no element to name.
    let element = err
        .src()
        .filter(|src| !src.is::<gst::Pipeline>())
        .and_then(|src| src.downcast_ref::<gst::Element>())
        .map(|e| match e.factory() {
            Some(factory) => format!("{} ({})", factory.name(), factory.longname()),
            None => e.name().to_string(),
        });
    let what = err.error().message().trim_end_matches('.').to_string();
    let mut sentence = match element {
        Some(element) => format!("`{}`: GStreamer's {element} failed: {what}", path.display()),
        None => format!("`{}`: GStreamer failed: {what}", path.display()),
    };
    if let Some(hint) = hint_for(&what) {
        sentence.push_str("; ");
        sentence.push_str(hint);
    }
    anyhow!(sentence)
}

fn hint_for(message: &str) -> Option<&'static str> {
    let message = message.to_lowercase();
    if message.contains("incomplete")
        || message.contains("truncated")
        || message.contains("no moov")
    {
        Some("the file looks truncated: copy it again from its source")
    } else if message.contains("could not determine type") {
        Some("it is not a media file GStreamer can read")
    } else if message.contains("missing") && message.contains("plug") {
        Some("a GStreamer plugin is missing: run `scripts/setup`")
    } else {
        None
    }
}

/// The highest-ranked decoder that accepts `caps` (parsed, compressed
/// media), made at once: no autoplugging happens while the pipeline seeks.
pub fn decoder_for(caps: &gst::CapsRef) -> Result<gst::Element> {
    // Raw media (WAV, say) needs no decoder.
    if caps
        .structure(0)
        .is_some_and(|s| s.name().ends_with("/x-raw"))
    {
        return make("identity");
    }
    let mut factories: Vec<gst::ElementFactory> = gst::ElementFactory::factories_with_type(
        gst::ElementFactoryType::DECODER,
        gst::Rank::MARGINAL,
    )
    .into_iter()
    .filter(|f| f.can_sink_any_caps(caps))
    .collect();
    factories.sort_by_key(|f| std::cmp::Reverse(f.rank()));
    let factory = factories.first().ok_or_else(|| {
        anyhow!(
            "no GStreamer decoder for `{}`; run `scripts/setup` (gstreamer1.0-libav and the plugins packages)",
            caps.structure(0).map(|s| s.name().to_string()).unwrap_or_default()
        )
    })?;
    Ok(factory.create().build()?)
}
