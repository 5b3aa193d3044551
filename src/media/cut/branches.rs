//! The encoding branches of a cut: for each stream parsebin finds, either a
//! decode-scale-encode chain into the muxer or a fakesink. Every stream is
//! held at parsebin's output until the seek to the clip's start is done, so
//! that no frame from before the range reaches an encoder.

use std::path::Path;

use anyhow::{anyhow, bail, Result};
use gstreamer as gst;
use gstreamer::prelude::*;

use super::{ClipJob, EncodeSettings, Plan, Source};
use crate::media::gst::{decoder_for, discard, make, stream_id_suffix};
use crate::media::mux::set_stream_language;
use crate::media::probe::MediaInfo;

pub(super) struct Branches {
    settings: EncodeSettings,
    burn: Option<super::BurnIn>,
    bleep: Vec<(crate::timecode::Timecode, crate::timecode::Timecode)>,
    size: Option<(u32, u32)>,
    want_video: bool,
    want_audio: Option<usize>,
    audio_source: Source,
    audio_stream: Option<String>,
    /// The chosen audio track's language, as the source declares it.
    audio_language: Option<String>,
    audio_seen: usize,
    video_linked: Option<gst::Pad>,
    audio_linked: Option<(gst::Pad, Source)>,
    held: Vec<(gst::Pad, gst::PadProbeId)>,
    released: bool,
}

impl Branches {
    pub(super) fn new(
        job: &ClipJob<'_>,
        info: &MediaInfo,
        audio_info: Option<&MediaInfo>,
        plan: &Plan,
    ) -> Result<Branches> {
        let size = plan
            .video
            .then(|| output_size(info, job.settings.height))
            .flatten();
        let audio_source = if audio_info.is_some() {
            Source::AudioFile
        } else {
            Source::Recording
        };
        let audio_streams = &audio_info.unwrap_or(info).audio;
        Ok(Branches {
            settings: job.settings.clone(),
            burn: job.burn.clone(),
            bleep: job.bleep.clone(),
            size,
            want_video: plan.video,
            want_audio: plan.audio_track,
            audio_source,
            audio_stream: plan
                .audio_track
                .and_then(|t| audio_streams[t].stream_id.as_deref())
                .and_then(stream_id_suffix)
                .map(str::to_string),
            audio_language: plan
                .audio_track
                .and_then(|t| audio_streams[t].language.clone()),
            audio_seen: 0,
            video_linked: None,
            audio_linked: None,
            held: Vec::new(),
            released: false,
        })
    }

    /// Links a new parsebin pad to its branch through a queue, held at the
    /// queue's output: the demuxer's one thread can still reach the streams
    /// that appear after this one.
    /// Returns true when this pad completes what the clip needs.
    pub(super) fn attach(
        &mut self,
        pipeline: &gst::Pipeline,
        mux: &gst::Element,
        pad: &gst::Pad,
        source: Source,
    ) -> Result<bool> {
        let caps = pad.current_caps().unwrap_or_else(|| pad.query_caps(None));
        let name = caps
            .structure(0)
            .map(|s| s.name().to_string())
            .unwrap_or_default();
        let queue = unbounded_queue()?;
        pipeline.add(&queue)?;
        queue.sync_state_with_parent()?;
        pad.link(&queue.static_pad("sink").expect("a sink pad"))?;
        let out = queue.static_pad("src").expect("a src pad");
        // A stream that appears after the seek is not held: it starts in range.
        if !self.released {
            let probe = out
                .add_probe(
                    gst::PadProbeType::BLOCK
                        | gst::PadProbeType::BUFFER
                        | gst::PadProbeType::BUFFER_LIST,
                    |_, _| gst::PadProbeReturn::Ok,
                )
                .ok_or_else(|| anyhow!("cannot hold a stream"))?;
            self.held.push((out.clone(), probe));
        }
        let was_complete = self.is_complete();

        let next = if source == Source::Recording
            && name.starts_with("video/")
            && self.want_video
            && self.video_linked.is_none()
        {
            self.video_linked = Some(pad.clone());
            self.video_chain(pipeline, mux, decoder_for(&caps)?)?
        } else if source == self.audio_source
            && name.starts_with("audio/")
            && self.is_chosen_audio(pad)
        {
            self.audio_linked = Some((pad.clone(), source));
            self.audio_chain(pipeline, mux, decoder_for(&caps)?)?
        } else {
            discard(pipeline)?
        };
        out.link(&next.static_pad("sink").expect("a sink pad"))?;
        Ok(!was_complete && self.is_complete())
    }

    fn is_complete(&self) -> bool {
        (!self.want_video || self.video_linked.is_some())
            && (self.want_audio.is_none() || self.audio_linked.is_some())
    }

    fn is_chosen_audio(&mut self, pad: &gst::Pad) -> bool {
        let n = self.audio_seen;
        self.audio_seen += 1;
        let Some(track) = self.want_audio else {
            return false;
        };
        if self.audio_linked.is_some() {
            return false;
        }
        match (&self.audio_stream, pad.stream_id()) {
            (Some(wanted), Some(id)) => stream_id_suffix(&id) == Some(wanted.as_str()),
            _ => n == track,
        }
    }

    /// decoder ! videoconvert ! videoscale ! size ! [subtitles] ! I420 ! x264enc ! Main ! h264parse ! queue ! mux
    fn video_chain(
        &self,
        pipeline: &gst::Pipeline,
        mux: &gst::Element,
        decoder: gst::Element,
    ) -> Result<gst::Element> {
        let (width, height) = self.size.ok_or_else(|| anyhow!("the video has no size"))?;
        let convert = make("videoconvert")?;
        let scale = make("videoscale")?;
        let size = capsfilter(
            gst::Caps::builder("video/x-raw")
                .field("width", width as i32)
                .field("height", height as i32)
                .field("pixel-aspect-ratio", gst::Fraction::new(1, 1))
                .build(),
        )?;
        let mut chain = vec![decoder, convert, scale, size];
        if let Some(burn) = &self.burn {
            chain.push(make("videoconvert")?);
            chain.push(burn.overlay(width, height)?);
        }
        chain.push(make("videoconvert")?);
        chain.push(capsfilter(
            gst::Caps::builder("video/x-raw")
                .field("format", "I420")
                .field("colorimetry", crate::media::COLORIMETRY)
                .build(),
        )?);
        chain.push(x264(&self.settings)?);
        chain.push(capsfilter(
            gst::Caps::builder("video/x-h264")
                .field("profile", "main")
                .build(),
        )?);
        chain.push(make("h264parse")?);
        chain.push(unbounded_queue()?);
        add_chain(pipeline, mux, chain, "video_%u", None)
    }

    /// decoder ! audioconvert ! audioresample ! AAC-LC ! queue ! mux
    fn audio_chain(
        &self,
        pipeline: &gst::Pipeline,
        mux: &gst::Element,
        decoder: gst::Element,
    ) -> Result<gst::Element> {
        // Stereo at most: phones and browsers play 5.1 AAC poorly or not at all.
        let channels = capsfilter(if self.settings.mono {
            gst::Caps::builder("audio/x-raw")
                .field("channels", 1)
                .build()
        } else {
            gst::Caps::builder("audio/x-raw")
                .field("channels", gst::IntRange::new(1, 2))
                .build()
        })?;
        let mut chain = vec![
            decoder,
            make("audioconvert")?,
            make("audioresample")?,
            channels,
        ];
        if !self.bleep.is_empty() {
            chain.push(super::bleep::bleeper(&self.bleep)?);
            chain.push(make("audioconvert")?);
        }
        chain.push(aac(self.settings.audio_kbps)?);
        chain.push(unbounded_queue()?);
        // The only tag a clip carries, written by confkit: the source's
        // other tags stay behind (see `media::mux`).
        add_chain(
            pipeline,
            mux,
            chain,
            "audio_%u",
            self.audio_language.as_deref(),
        )
    }

    /// Fails when a stream the clip needs never appeared.
    pub(super) fn check_complete(&self, input: &Path) -> Result<()> {
        if self.want_video && self.video_linked.is_none() {
            bail!("`{}`: no video stream could be read", input.display());
        }
        if let (Some(track), None) = (self.want_audio, &self.audio_linked) {
            bail!(
                "`{}`: audio track {track} could not be read",
                input.display()
            );
        }
        Ok(())
    }

    /// One held pad per file that feeds the clip: seeking there moves every
    /// stream of that file.
    pub(super) fn seek_pads(&self) -> Vec<(gst::Pad, Source)> {
        let mut pads: Vec<(gst::Pad, Source)> = self
            .video_linked
            .iter()
            .map(|p| (p.clone(), Source::Recording))
            .collect();
        if let Some((pad, source)) = &self.audio_linked {
            if !pads.iter().any(|(_, s)| s == source) {
                pads.push((pad.clone(), *source));
            }
        }
        pads
    }

    /// Lets the data flow.
    pub(super) fn release(&mut self) {
        self.released = true;
        for (pad, probe) in self.held.drain(..) {
            pad.remove_probe(probe);
        }
    }
}

/// Adds `chain`, links it to a new muxer pad whose stream is marked as in
/// `language`, and returns its first element.
fn add_chain(
    pipeline: &gst::Pipeline,
    mux: &gst::Element,
    chain: Vec<gst::Element>,
    mux_pad: &str,
    language: Option<&str>,
) -> Result<gst::Element> {
    pipeline.add_many(&chain)?;
    gst::Element::link_many(&chain)?;
    let last = chain.last().expect("a chain");
    let request = mux
        .request_pad_simple(mux_pad)
        .ok_or_else(|| anyhow!("the MP4 muxer refused a stream"))?;
    if let Some(language) = language {
        set_stream_language(&request, language);
    }
    last.static_pad("src").expect("a src pad").link(&request)?;
    for element in chain.iter().rev() {
        element.sync_state_with_parent()?;
    }
    Ok(chain[0].clone())
}

/// The output picture size: the asked height (never more than the source's),
/// the source's shape, both even.
fn output_size(info: &MediaInfo, asked_height: u32) -> Option<(u32, u32)> {
    let video = info.video.first()?;
    if video.width == 0 || video.height == 0 {
        return None;
    }
    let height = asked_height.min(video.height) & !1;
    let width =
        ((u64::from(video.width) * u64::from(height) / u64::from(video.height)) as u32 + 1) & !1;
    Some((width, height))
}

fn capsfilter(caps: gst::Caps) -> Result<gst::Element> {
    Ok(gst::ElementFactory::make("capsfilter")
        .property("caps", caps)
        .build()?)
}

/// A queue that never blocks the muxer's interleaving: x264's look-ahead
/// holds video back while audio keeps coming.
fn unbounded_queue() -> Result<gst::Element> {
    Ok(gst::ElementFactory::make("queue")
        .property("max-size-buffers", 0u32)
        .property("max-size-bytes", 0u32)
        .property("max-size-time", 10 * gst::ClockTime::SECOND.nseconds())
        .build()?)
}

pub(crate) fn x264(settings: &EncodeSettings) -> Result<gst::Element> {
    let x264 = make("x264enc")?;
    x264.set_property_from_str("speed-preset", &settings.preset);
    // Constant quality, so that a still slide costs next to nothing; in
    // this mode x264enc's `bitrate` is the VBV ceiling, so that a variant
    // with one is never larger than its rate allows either.
    x264.set_property_from_str("pass", "qual");
    x264.set_property("quantizer", settings.crf);
    if let Some(kbps) = settings.video_kbps {
        x264.set_property("bitrate", kbps);
    }
    // A keyframe every two seconds lets players seek quickly.
    x264.set_property("key-int-max", 50u32);
    Ok(x264)
}

/// AAC-LC: FFmpeg's encoder when present, else VisualOn's.
pub(crate) fn aac(kbps: u32) -> Result<gst::Element> {
    match make("avenc_aac") {
        Ok(encoder) => {
            encoder.set_property("bitrate", i32::try_from(kbps * 1000).unwrap_or(96_000));
            Ok(encoder)
        }
        Err(_) => {
            let encoder = make("voaacenc")?;
            encoder.set_property("bitrate", i32::try_from(kbps * 1000).unwrap_or(96_000));
            Ok(encoder)
        }
    }
}
