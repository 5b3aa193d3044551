//! Still pictures: a frame taken from a clip (posters, and tests that look
//! at what was burned in) and module title cards, encoded with `image`.

use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_app as gst_app;
use image::RgbImage;

use super::gst::{describe_error, discard_pad, file_source, init, make};
use crate::fs::PendingOutput;
use crate::timecode::Timecode;

/// The decoded frame shown at `at` in `path`.
pub fn frame_at(path: &Path, at: Timecode) -> Result<RgbImage> {
    init()?;
    let pipeline = gst::Pipeline::new();
    let src = file_source(path)?;
    let decode = make("decodebin")?;
    let convert = make("videoconvert")?;
    let sink = rgb_sink();
    pipeline.add_many([&src, &decode, &convert, sink.upcast_ref()])?;
    src.link(&decode)?;
    convert.link(&sink)?;
    {
        let pipeline = pipeline.downgrade();
        let convert = convert.clone();
        decode.connect_pad_added(move |_, pad| {
            let Some(pipeline) = pipeline.upgrade() else {
                return;
            };
            let is_video = pad
                .current_caps()
                .and_then(|c| c.structure(0).map(|s| s.name().starts_with("video/")))
                .unwrap_or(false);
            let sink_pad = convert.static_pad("sink").expect("a sink pad");
            if is_video && !sink_pad.is_linked() {
                let _ = pad.link(&sink_pad);
            } else {
                discard_pad(&pipeline, pad);
            }
        });
    }
    let result = (|| {
        let bus = pipeline.bus().expect("a pipeline has a bus");
        pipeline
            .set_state(gst::State::Paused)
            .map_err(|_| anyhow!("`{}`: cannot start decoding", path.display()))?;
        wait_async_done(path, &bus)?;
        pipeline.seek_simple(
            gst::SeekFlags::FLUSH | gst::SeekFlags::ACCURATE,
            gst::ClockTime::from_mseconds(at.as_millis()),
        )?;
        wait_async_done(path, &bus)?;
        let sample = sink
            .pull_preroll()
            .map_err(|_| anyhow!("`{}` has no frame at {at}", path.display()))?;
        to_image(&sample)
    })();
    let _ = pipeline.set_state(gst::State::Null);
    result
}

/// An appsink taking RGB pictures.
fn rgb_sink() -> gst_app::AppSink {
    gst_app::AppSink::builder()
        .caps(
            &gst::Caps::builder("video/x-raw")
                .field("format", "RGB")
                .build(),
        )
        .sync(false)
        .build()
}

fn wait_async_done(path: &Path, bus: &gst::Bus) -> Result<()> {
    for message in bus.iter_timed(gst::ClockTime::from_seconds(60)) {
        match message.view() {
            gst::MessageView::AsyncDone(_) => return Ok(()),
            gst::MessageView::Error(err) => return Err(describe_error(path, err)),
            _ => {}
        }
    }
    bail!("`{}`: no frame came within a minute", path.display())
}

fn to_image(sample: &gst::Sample) -> Result<RgbImage> {
    let caps = sample.caps().context("a frame without caps")?;
    let info = gstreamer_video::VideoInfo::from_caps(caps)?;
    let buffer = sample.buffer().context("a frame without data")?;
    let map = buffer.map_readable()?;
    let (width, height, stride) = (info.width(), info.height(), info.stride()[0] as usize);
    let mut pixels = Vec::with_capacity((width * height * 3) as usize);
    for row in 0..height as usize {
        pixels.extend_from_slice(&map[row * stride..row * stride + width as usize * 3]);
    }
    RgbImage::from_raw(width, height, pixels).context("a frame of the wrong size")
}

/// Mean brightness, 0 (black) to 255.
pub fn mean_luma(image: &RgbImage) -> f64 {
    let sum: u64 = image
        .pixels()
        .map(|p| (u64::from(p[0]) * 299 + u64::from(p[1]) * 587 + u64::from(p[2]) * 114) / 1000)
        .sum();
    sum as f64 / (u64::from(image.width()) * u64::from(image.height())).max(1) as f64
}

/// Writes a poster for a clip: the first frame of its first seconds that is
/// not black (fades and dark title slates are skipped), `width` pixels wide, as JPEG.
pub fn write_poster(clip: &Path, width: u32, out: &Path) -> Result<()> {
    let mut chosen = None;
    for ms in [1_000, 2_000, 3_000, 5_000, 0] {
        let Ok(frame) = frame_at(clip, Timecode::from_millis(ms)) else {
            continue;
        };
        let bright = mean_luma(&frame) > 16.0;
        if bright || chosen.is_none() {
            chosen = Some(frame);
        }
        if bright {
            break;
        }
    }
    let frame = chosen
        .with_context(|| format!("`{}` has no frame to make a poster from", clip.display()))?;
    let height =
        (u64::from(frame.height()) * u64::from(width) / u64::from(frame.width().max(1))) as u32;
    let poster = image::imageops::resize(
        &frame,
        width,
        height.max(1),
        image::imageops::FilterType::Lanczos3,
    );
    write_jpeg(&poster, out)
}

/// Writes `image` as JPEG (quality 85), completely or not at all.
pub fn write_jpeg(image: &RgbImage, out: &Path) -> Result<()> {
    let pending = PendingOutput::new(out)?;
    let file = std::fs::File::create(pending.temp_path())?;
    let mut writer = std::io::BufWriter::new(file);
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut writer, 85)
        .encode_image(image)
        .with_context(|| format!("cannot encode `{}`", out.display()))?;
    std::io::Write::flush(&mut writer)?;
    drop(writer);
    pending.commit()
}

/// A module's title card: its title in each language over the conference's
/// colours, the first language on top in the text colour, the others below
/// in the accent colour; usable as the first frame of a module reel.
pub fn title_card(
    titles: &[&str],
    colours: &crate::project::Colours,
    width: u32,
    height: u32,
) -> Result<RgbImage> {
    init()?;
    let argb = |hex: &str| -> Result<u32> {
        let rgb = u32::from_str_radix(hex.trim_start_matches('#'), 16)
            .with_context(|| format!("`{hex}` is not a colour"))?;
        Ok(0xff00_0000 | rgb)
    };
    let source = gst::ElementFactory::make("videotestsrc")
        .property_from_str("pattern", "solid-color")
        .property("foreground-color", argb(&colours.background)?)
        .property("num-buffers", 1i32)
        .build()?;
    let size = gst::ElementFactory::make("capsfilter")
        .property(
            "caps",
            gst::Caps::builder("video/x-raw")
                .field("width", width as i32)
                .field("height", height as i32)
                .field("framerate", gst::Fraction::new(25, 1))
                .build(),
        )
        .build()?;
    let overlay = make("textoverlay")?;
    let font_px = (f64::from(height) * 0.065).round();
    overlay.set_property("font-desc", format!("DejaVu Sans Bold {font_px}px"));
    overlay.set_property("auto-resize", false);
    overlay.set_property_from_str("halignment", "center");
    overlay.set_property_from_str("valignment", "center");
    overlay.set_property_from_str("line-alignment", "center");
    overlay.set_property_from_str("wrap-mode", "wordchar");
    overlay.set_property("xpad", (width / 12) as i32);
    let markup = titles
        .iter()
        .enumerate()
        .map(|(i, title)| {
            let escaped = title
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            if i == 0 {
                format!(
                    "<span foreground=\"{}\">{escaped}</span>",
                    colours.text.as_str()
                )
            } else {
                format!(
                    "<span foreground=\"{}\" size=\"smaller\">{escaped}</span>",
                    colours.accent.as_str()
                )
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    overlay.set_property("text", markup);
    let convert = make("videoconvert")?;
    let sink = rgb_sink();
    let pipeline = gst::Pipeline::new();
    pipeline.add_many([&source, &size, &overlay, &convert, sink.upcast_ref()])?;
    gst::Element::link_many([&source, &size, &overlay, &convert, sink.upcast_ref()])?;
    pipeline
        .set_state(gst::State::Playing)
        .map_err(|_| anyhow!("cannot render a title card"))?;
    let sample = sink
        .pull_sample()
        .map_err(|_| anyhow!("the title card was not rendered"));
    let _ = pipeline.set_state(gst::State::Null);
    to_image(&sample?)
}
