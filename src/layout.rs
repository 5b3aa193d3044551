//! Where everything a project makes goes, and how those names read back:
//! the only place that builds or parses an output path.
//!
//! ```text
//! transcripts/<recording>.<label>.{json,vtt,srt}   people correct these
//! packages/<institution>.zip                        what is sent
//! .confkit/                                         rebuilt at will
//!   cache.json                                      hashes and probes
//!   transcripts/<recording>.<label>.json            what confkit wrote
//!   clips/<clip>/<clip>.<label>[.low].{mp4,m4a}     cut variants, .stamp
//!   modules/<module>.{title,stepN}.jpg              title and step cards
//!   reels/[parts/]                                  module reels
//!   packages/<institution>.stamp                    package keys
//!   review/                                         review pages
//!   withdrawn/<institution>.zip                     packages taken out
//! ```

use std::path::{Path, PathBuf};

/// Where built, rebuildable outputs go, relative to the project root.
pub const BUILD_DIR: &str = ".confkit";

/// The folder of transcripts, relative to the project root.
pub const TRANSCRIPTS_DIR: &str = "transcripts";

/// The folder of packages, relative to the project root.
pub const PACKAGES_DIR: &str = "packages";

/// The extensions of one transcript's files, in the order they are written.
pub const TRANSCRIPT_EXTENSIONS: [&str; 3] = ["json", "vtt", "srt"];

/// The output paths of the project at one root.
#[derive(Debug, Clone)]
pub struct Layout {
    root: PathBuf,
}

impl Layout {
    /// The layout of the project at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Layout {
        Layout { root: root.into() }
    }

    /// The project folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `.confkit/`.
    pub fn build_dir(&self) -> PathBuf {
        self.root.join(BUILD_DIR)
    }

    /// The cache of hashes and probes.
    pub fn cache_file(&self) -> PathBuf {
        self.build_dir().join(crate::fs::CACHE_FILE)
    }

    /// `transcripts/`.
    pub fn transcripts(&self) -> PathBuf {
        self.root.join(TRANSCRIPTS_DIR)
    }

    /// A transcript's file: `transcripts/<name>.<ext>`, where `name` is
    /// [`transcript_name`].
    pub fn transcript(&self, name: &str, ext: &str) -> PathBuf {
        self.transcripts().join(format!("{name}.{ext}"))
    }

    /// `.confkit/transcripts/`: what confkit wrote into `transcripts/`.
    pub fn records(&self) -> PathBuf {
        self.build_dir().join(TRANSCRIPTS_DIR)
    }

    /// `.confkit/clips/`.
    pub fn clips(&self) -> PathBuf {
        self.build_dir().join("clips")
    }

    /// The folder of one clip's variants.
    pub fn clip_dir(&self, clip: &str) -> PathBuf {
        self.clips().join(clip)
    }

    /// The stamp of one clip's variants.
    pub fn clip_stamp(&self, clip: &str) -> crate::fs::Stamp {
        crate::fs::Stamp::at(self.clip_dir(clip).join(".stamp"))
    }

    /// A clip's video in the audio version `label`.
    pub fn clip_video(&self, clip: &str, label: &str) -> PathBuf {
        self.clip_dir(clip).join(format!("{clip}.{label}.mp4"))
    }

    /// A clip's low-bandwidth video in the audio version `label`.
    pub fn clip_low_video(&self, clip: &str, label: &str) -> PathBuf {
        self.clip_dir(clip).join(format!("{clip}.{label}.low.mp4"))
    }

    /// A clip's audio alone in the audio version `label`.
    pub fn clip_audio(&self, clip: &str, label: &str) -> PathBuf {
        self.clip_dir(clip).join(format!("{clip}.{label}.m4a"))
    }

    /// A clip's audio alone at low bandwidth in the audio version `label`.
    pub fn clip_low_audio(&self, clip: &str, label: &str) -> PathBuf {
        self.clip_dir(clip).join(format!("{clip}.{label}.low.m4a"))
    }

    /// A clip's poster.
    pub fn clip_poster(&self, clip: &str) -> PathBuf {
        self.clip_dir(clip).join(format!("{clip}.jpg"))
    }

    /// `.confkit/modules/`.
    pub fn modules(&self) -> PathBuf {
        self.build_dir().join("modules")
    }

    /// A module's title card.
    pub fn title_card(&self, module: &str) -> PathBuf {
        self.modules().join(format!("{module}.title.jpg"))
    }

    /// The stamp of a module's title card.
    pub fn title_card_stamp(&self, module: &str) -> crate::fs::Stamp {
        crate::fs::Stamp::at(self.modules().join(format!(".{module}.title.stamp")))
    }

    /// The card of a module's step that is not a clip (a question, an
    /// exercise, a pause) for its reel; `n` counts from 1 over the kinds of
    /// all its steps, clips included.
    pub fn step_card(&self, module: &str, n: usize) -> PathBuf {
        self.modules().join(format!("{module}.step{n}.jpg"))
    }

    /// The stamp of a step card.
    pub fn step_card_stamp(&self, module: &str, n: usize) -> crate::fs::Stamp {
        crate::fs::Stamp::at(self.modules().join(format!(".{module}.step{n}.stamp")))
    }

    /// `.confkit/reels/`.
    pub fn reels(&self) -> PathBuf {
        self.build_dir().join("reels")
    }

    /// A module's reel, named by the key of what it is made of.
    pub fn reel(&self, module: &str, key: &str) -> PathBuf {
        self.reels().join(format!("{module}.{key}.mp4"))
    }

    /// `.confkit/reels/parts/`.
    pub fn reel_parts(&self) -> PathBuf {
        self.reels().join("parts")
    }

    /// One clip of a reel, its subtitles burned in, named by its key.
    pub fn reel_part(&self, clip: &str, label: &str, key: &str) -> PathBuf {
        self.reel_parts().join(format!("{clip}.{label}.{key}.mp4"))
    }

    /// `packages/`.
    pub fn packages(&self) -> PathBuf {
        self.root.join(PACKAGES_DIR)
    }

    /// An institution's package.
    pub fn package(&self, institution: &str) -> PathBuf {
        self.packages().join(format!("{institution}.zip"))
    }

    /// The stamp of an institution's package.
    pub fn package_stamp(&self, institution: &str) -> crate::fs::Stamp {
        crate::fs::Stamp::at(
            self.build_dir()
                .join("packages")
                .join(format!("{institution}.stamp")),
        )
    }

    /// Where a package that can no longer be made is moved.
    pub fn withdrawn(&self, institution: &str) -> PathBuf {
        self.build_dir()
            .join("withdrawn")
            .join(format!("{institution}.zip"))
    }

    /// `.confkit/review/`: the review pages.
    pub fn review_pages(&self) -> PathBuf {
        self.build_dir().join("review")
    }
}

/// The name of a recording's transcript in the audio version `label`
/// (`fr`, `en`, `fr-en` for a floor that switches).
pub fn transcript_name(recording: &str, label: &str) -> String {
    format!("{recording}.{label}")
}

/// A clip's file name read back: the audio label of a full video or audio
/// file of `clip` (`<clip>.<label>.mp4` or `.m4a`); `None` for its poster,
/// its light video and anything else.
pub fn parse_clip_file<'a>(clip: &str, file_name: &'a str) -> Option<&'a str> {
    let rest = file_name.strip_prefix(clip)?.strip_prefix('.')?;
    let label = rest
        .strip_suffix(".mp4")
        .or_else(|| rest.strip_suffix(".m4a"))?;
    (!label.is_empty() && !label.contains('.')).then_some(label)
}

/// The subtitles of the transcript `name` in the folder `transcripts`:
/// its WebVTT, else its SRT (a translator may deliver only that), when one
/// exists.
pub fn subtitles_in(transcripts: &Path, name: &str) -> Option<PathBuf> {
    ["vtt", "srt"]
        .iter()
        .map(|ext| transcripts.join(format!("{name}.{ext}")))
        .find(|path| path.is_file())
}

/// A transcript file's name read back: its transcript name and extension,
/// when it has one of [`TRANSCRIPT_EXTENSIONS`].
pub fn parse_transcript_file(file_name: &str) -> Option<(&str, &str)> {
    let (name, ext) = file_name.rsplit_once('.')?;
    TRANSCRIPT_EXTENSIONS
        .contains(&ext)
        .then_some((name, ext))
        .filter(|(name, _)| name.contains('.'))
}

/// A transcript name read back: the recording and the label. Recording ids
/// hold no dot, so the first dot ends the id.
pub fn parse_transcript_name(name: &str) -> Option<(&str, &str)> {
    name.split_once('.')
        .filter(|(recording, label)| !recording.is_empty() && !label.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcript_names_read_back() {
        let layout = Layout::new("/p");
        let name = transcript_name("day1-opening", "fr-en");
        assert_eq!(
            layout.transcript(&name, "vtt"),
            Path::new("/p/transcripts/day1-opening.fr-en.vtt")
        );
        assert_eq!(
            parse_transcript_file("day1-opening.fr-en.vtt"),
            Some(("day1-opening.fr-en", "vtt"))
        );
        assert_eq!(
            parse_transcript_name("day1-opening.fr-en"),
            Some(("day1-opening", "fr-en"))
        );
        assert_eq!(parse_transcript_file("notes.txt"), None);
        let layout = Layout::new("/p");
        let video = layout.clip_video("intro", "fr-en");
        let name = video.file_name().unwrap().to_str().unwrap();
        assert_eq!(parse_clip_file("intro", name), Some("fr-en"));
        let light = layout.clip_low_video("intro", "fr");
        let name = light.file_name().unwrap().to_str().unwrap();
        assert_eq!(parse_clip_file("intro", name), None);
        assert_eq!(parse_clip_file("intro", "intro.jpg"), None);
        assert_eq!(parse_clip_file("intro", "intro-2.fr.mp4"), None);
        assert_eq!(parse_transcript_file("reviews.toml"), None);
    }
}
