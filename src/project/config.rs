//! `confkit.toml`: the conference itself and the settings of each stage.

use serde::{Deserialize, Serialize};
use toml::value::Datetime;

use super::{Localized, Located};

/// The whole of `confkit.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// What the conference was.
    pub conference: Conference,
    /// Speech recognition settings.
    #[serde(default)]
    pub speech: SpeechSettings,
    /// Video encoding settings for clips and packages.
    #[serde(default)]
    pub video: VideoSettings,
    /// What packages may carry.
    #[serde(default)]
    pub packages: PackageSettings,
}

/// What packages may carry.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PackageSettings {
    /// Refuse any subtitles no person signed off, as `confkit package
    /// --release` does; otherwise they ship marked "not reviewed".
    #[serde(default)]
    pub release: bool,
    /// What a package carries unless its institution says otherwise.
    #[serde(default)]
    pub profile: Profile,
    /// The size, in megabytes, over which the build summary warns that a
    /// package is heavy for the links it travels over.
    #[serde(default)]
    pub budget_mb: Option<u32>,
}

/// What a package carries, for the links it travels over.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// The clips at full size, and each module's reel.
    #[default]
    Full,
    /// The low-bandwidth clips (360p), no reels; the audio-only files kept.
    Light,
    /// The audio-only files, the posters and the text.
    Audio,
}

impl Profile {
    /// Every profile, heaviest first.
    pub const ALL: [Profile; 3] = [Profile::Full, Profile::Light, Profile::Audio];

    /// Its name in `confkit.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Full => "full",
            Profile::Light => "light",
            Profile::Audio => "audio",
        }
    }
}

impl std::fmt::Display for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Conference metadata, shown on every package's home page.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Conference {
    /// Short id, used in package names.
    pub id: Located<String>,
    /// Full title per language.
    pub title: Localized,
    /// Short title per language, for page headers.
    #[serde(default)]
    pub short_title: Localized,
    /// Who organised it, per language.
    #[serde(default)]
    pub organiser: Localized,
    /// Where it took place (or from where a virtual one was run).
    #[serde(default)]
    pub place: Localized,
    /// First day.
    pub start: Located<Datetime>,
    /// Last day.
    pub end: Located<Datetime>,
    /// The working languages, first the main one (e.g. `["fr", "en"]`).
    pub languages: Located<Vec<String>>,
    /// What it was about, per language.
    #[serde(default)]
    pub description: Localized,
    /// Colours of title cards and package pages.
    #[serde(default)]
    pub colours: Colours,
    /// A PNG or JPEG in the project, shown in the header of package pages.
    #[serde(default)]
    pub logo: Option<Located<String>>,
}

/// Colours as `#rrggbb`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Colours {
    /// Background of title cards and headers.
    pub background: Located<String>,
    /// Text over the background.
    pub text: Located<String>,
    /// Highlights.
    pub accent: Located<String>,
}

impl Default for Colours {
    fn default() -> Colours {
        Colours {
            background: Located::new("#0b3c6f".into(), 0..0),
            text: Located::new("#ffffff".into(), 0..0),
            accent: Located::new("#f2a900".into(), 0..0),
        }
    }
}

/// How speech is recognised.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SpeechSettings {
    /// A model name known to `confkit model list`, or a path to a ggml file.
    #[serde(default = "default_model")]
    pub model: Located<String>,
    /// CPU threads for the recogniser; 0 means one per core.
    #[serde(default)]
    pub threads: u32,
}

/// The speech model a project uses unless its `speech.model` says: base
/// Whisper with its matrices in 8 bits (`scripts/fetch-model` makes it). On
/// the sample sessions it hears the same words as the f16 file, in about
/// 0.8 of the time (`scripts/bench-speech-options`).
pub const DEFAULT_MODEL: &str = "base-q8_0";

fn default_model() -> Located<String> {
    Located::new(DEFAULT_MODEL.into(), 0..0)
}

impl Default for SpeechSettings {
    fn default() -> SpeechSettings {
        SpeechSettings {
            model: default_model(),
            threads: 0,
        }
    }
}

/// How clips are encoded.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct VideoSettings {
    /// Picture height of the full variant, in pixels.
    pub height: u32,
    /// x264 constant rate factor of the full variant (lower is better and bigger).
    pub crf: u32,
    /// x264 speed preset (`ultrafast` ... `veryslow`).
    pub preset: String,
    /// Picture height of the low-bandwidth variant.
    pub low_height: u32,
    /// Ceiling on the video bitrate of the low-bandwidth variant, in kbit/s
    /// (it is encoded at `crf` under that ceiling).
    pub low_video_kbps: u32,
    /// AAC bitrate, in kbit/s.
    pub audio_kbps: u32,
    /// AAC bitrate of the low-bandwidth variants, in kbit/s, in one
    /// channel.
    pub low_audio_kbps: u32,
}

impl Default for VideoSettings {
    fn default() -> VideoSettings {
        VideoSettings {
            height: 720,
            crf: 23,
            preset: "medium".into(),
            low_height: 360,
            low_video_kbps: 400,
            audio_kbps: 96,
            low_audio_kbps: 32,
        }
    }
}

/// The x264 presets, fastest first.
pub const X264_PRESETS: &[&str] = &[
    "ultrafast",
    "superfast",
    "veryfast",
    "faster",
    "fast",
    "medium",
    "slow",
    "slower",
    "veryslow",
];
