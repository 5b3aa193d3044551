//! The MP4 muxer every clip, audio file and reel is written through. A
//! source recording's tags (its title, artist, comment, XMP: the names of
//! people, case numbers) must not travel into what ships: the muxer takes
//! no tag from the streams it is fed, only the few confkit sets itself (an
//! audio track's language).

use anyhow::Result;
use gstreamer as gst;
use gstreamer::prelude::*;

use super::gst::make;

/// The field that marks a tag event confkit made itself.
const OWN_TAGS: &str = "confkit-own-tags";

/// An `mp4mux` with its index at the front (faststart) that writes no tag
/// from upstream: on each of its inputs, the tag and table-of-contents
/// events of demuxers, decoders and encoders are dropped before they reach
/// it, and its merge mode keeps only the tags the application sets (none
/// but [`set_stream_language`]'s), should one get through.
pub(crate) fn mp4_muxer() -> Result<gst::Element> {
    let mux = make("mp4mux")?;
    mux.set_property("faststart", true);
    if let Some(setter) = mux.dynamic_cast_ref::<gst::TagSetter>() {
        setter.set_tag_merge_mode(gst::TagMergeMode::KeepAll);
    }
    // Inputs are requested pads: each is announced before anything is linked to it.
    mux.connect_pad_added(|_, pad| {
        if pad.direction() != gst::PadDirection::Sink {
            return;
        }
        // `Handled` rather than `Drop`: the event is released here, where
        // GStreamer 1.22 would release it again after gstreamer-rs has.
        pad.add_probe(gst::PadProbeType::EVENT_DOWNSTREAM, |_, info| {
            match info.event() {
                Some(event) if is_upstream_metadata(event) => gst::PadProbeReturn::Handled,
                _ => gst::PadProbeReturn::Ok,
            }
        });
    });
    Ok(mux)
}

/// Tags and chapters (a table of contents) that confkit did not make.
fn is_upstream_metadata(event: &gst::Event) -> bool {
    match event.type_() {
        gst::EventType::Tag => !event.structure().is_some_and(|s| s.has_field(OWN_TAGS)),
        gst::EventType::Toc => true,
        _ => false,
    }
}

/// Marks the stream of `mux_pad` (an input of [`mp4_muxer`]) as being in
/// `language`, an ISO 639 code; anything else is not written.
pub(crate) fn set_stream_language(mux_pad: &gst::Pad, language: &str) {
    if !(2..=3).contains(&language.len()) || !language.bytes().all(|b| b.is_ascii_lowercase()) {
        return;
    }
    let mut tags = gst::TagList::new();
    {
        let tags = tags.get_mut().expect("a new tag list");
        tags.add::<gst::tags::LanguageCode>(&language, gst::TagMergeMode::Replace);
        tags.set_scope(gst::TagScope::Stream);
    }
    // Sent just before the first buffer: after the stream's start, caps and
    // segment, where tags belong.
    let data = gst::PadProbeType::BUFFER | gst::PadProbeType::BUFFER_LIST;
    mux_pad.add_probe(data, move |pad, _| {
        let event = gst::event::Tag::builder(tags.clone())
            .other_field(OWN_TAGS, true)
            .build();
        pad.send_event(event);
        gst::PadProbeReturn::Remove
    });
}
