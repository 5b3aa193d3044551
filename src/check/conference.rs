//! Checks of `confkit.toml`.

use super::{list, Checker, Wanted};
use crate::project::{read_logo, Located, X264_PRESETS};

pub(super) fn check(c: &mut Checker<'_>) {
    let Some(config) = &c.tk.config else { return };
    let src = c.tk.files.config;
    let conf = &config.conference;
    c.unique_ids("conference", [(src, &conf.id)]);

    let langs = &conf.languages;
    if langs.is_empty() {
        c.error(
            src,
            langs.span(),
            "the conference lists no language".into(),
            "write e.g. `languages = [\"fr\", \"en\"]`",
        );
    }
    for (i, code) in langs.iter().enumerate() {
        let well_formed =
            (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase());
        if !well_formed {
            c.error(
                src,
                langs.span(),
                format!("`{code}` is not a language code"),
                "use ISO 639-1 codes in lower case, e.g. `fr`, `en`, `ar`",
            );
        }
        if langs[..i].contains(code) {
            c.error(
                src,
                langs.span(),
                format!("language `{code}` is listed twice"),
                "list each language once",
            );
        }
    }

    let owner = "the conference";
    let span = conf.id.span();
    c.localized(
        src,
        span.clone(),
        owner,
        "title",
        &conf.title,
        Wanted::EveryLanguage,
    );
    c.localized(
        src,
        span.clone(),
        owner,
        "short_title",
        &conf.short_title,
        Wanted::Optional,
    );
    c.localized(
        src,
        span.clone(),
        owner,
        "organiser",
        &conf.organiser,
        Wanted::Optional,
    );
    c.localized(
        src,
        span.clone(),
        owner,
        "place",
        &conf.place,
        Wanted::Optional,
    );
    c.localized(
        src,
        span,
        owner,
        "description",
        &conf.description,
        Wanted::Optional,
    );

    let start = date_of(c, src, "start", &conf.start);
    let end = date_of(c, src, "end", &conf.end);
    if let (Some(start), Some(end)) = (start, end) {
        if end < start {
            c.error(
                src,
                conf.end.span(),
                format!(
                    "the conference ends ({}) before it starts ({})",
                    *conf.end, *conf.start
                ),
                "swap `start` and `end`",
            );
        }
    }

    for (name, colour) in [
        ("background", &conf.colours.background),
        ("text", &conf.colours.text),
        ("accent", &conf.colours.accent),
    ] {
        let valid = colour.len() == 7
            && colour.starts_with('#')
            && colour[1..].bytes().all(|b| b.is_ascii_hexdigit());
        if !valid {
            c.error(
                src,
                colour.span(),
                format!("colour `{name}` is `{}`, not a colour", colour.as_str()),
                "write it as `#rrggbb`, e.g. `#0b3c6f`",
            );
        }
    }

    if let Some(logo) = &conf.logo {
        if let Err(why) = read_logo(&c.tk.root, logo) {
            c.error(
                src,
                logo.span(),
                why,
                "the logo goes in the project, e.g. `logo = \"assets/logo.png\"`",
            );
        }
    }

    let video = &config.video;
    if !(144..=2160).contains(&video.height) || video.height % 2 != 0 {
        c.error(
            src,
            0..0,
            format!("`video.height` is {}", video.height),
            "use an even height from 144 to 2160, e.g. 720",
        );
    }
    if !(144..=2160).contains(&video.low_height) || video.low_height % 2 != 0 {
        c.error(
            src,
            0..0,
            format!("`video.low_height` is {}", video.low_height),
            "use an even height from 144 to 2160, e.g. 360",
        );
    }
    if video.crf > 51 {
        c.error(
            src,
            0..0,
            format!("`video.crf` is {}", video.crf),
            "x264's CRF goes from 0 (lossless) to 51; 23 is a good default",
        );
    }
    if !X264_PRESETS.contains(&video.preset.as_str()) {
        c.error(
            src,
            0..0,
            format!("`video.preset` is `{}`, not an x264 preset", video.preset),
            &format!("use one of {}", list(X264_PRESETS)),
        );
    }
    if config.speech.model.trim().is_empty() {
        c.error(
            src,
            config.speech.model.span(),
            "`speech.model` is empty".into(),
            "name a model from `confkit model list`, or give a path to a ggml file",
        );
    }
}

/// The date as (year, month, day), or an error when it is not a plain date.
fn date_of(
    c: &mut Checker<'_>,
    src: Option<usize>,
    field: &str,
    value: &Located<toml::value::Datetime>,
) -> Option<(u16, u8, u8)> {
    match (value.date, value.time) {
        (Some(d), None) => Some((d.year, d.month, d.day)),
        _ => {
            c.error(
                src,
                value.span(),
                format!("`{field}` is `{}`, not a date", **value),
                &format!("write a date without quotes or time, e.g. `{field} = 2021-01-27`"),
            );
            None
        }
    }
}
