//! Every recording needs its text in every conference language: once a
//! recording is transcribed, the check reports the languages it still lacks
//! and how to get them (before that, `confkit status` shows it untranscribed).

use super::Checker;
use crate::texts::sources::{floor_name, language_texts, TextSource};

pub(super) fn check(c: &mut Checker<'_>) {
    let src = c.tk.files.recordings;
    let transcripts = c.tk.root.join("transcripts");
    for recording in &c.tk.recordings {
        let floor = floor_name(recording);
        if !["vtt", "srt"]
            .iter()
            .any(|ext| transcripts.join(format!("{floor}.{ext}")).is_file())
        {
            continue;
        }
        for text in language_texts(c.tk, recording) {
            if text.source != TextSource::Missing {
                continue;
            }
            let language = text.language.as_str();
            let machine = if language == "en" {
                "run `confkit build` for whisper's translation into English, "
            } else {
                ""
            };
            c.warning(
                src,
                recording.id.span(),
                if recording.languages.contains(&text.language) {
                    format!(
                        "recording `{}` switches language: its parts not spoken in `{language}` have no `{language}` version (no interpretation, no translation)",
                        recording.id.as_str()
                    )
                } else {
                    format!(
                        "recording `{}` has no `{language}` text: no interpretation into `{language}` and no translation",
                        recording.id.as_str()
                    )
                },
                &format!(
                    "{machine}send `confkit translate export --lang {language}` to a translator and import the result, \
                     or add the interpretation to the recording"
                ),
            );
        }
    }
}
