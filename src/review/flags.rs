//! Signs that a cue needs a person, read from the cue's text and from what
//! the speech model says about its own words: low confidence, letters of
//! another alphabet, the wrong language, a phrase that loops, text that
//! compresses too well (the model repeating itself).

use std::io::Write;

use serde::Serialize;
use unicode_script::{Script, UnicodeScript};

use crate::speech::transcribe::Word;
use crate::subtitles::Cue;
use crate::text::plain_words;

/// What is suspect about a cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FlagKind {
    /// Letters from an alphabet the cue's language does not use.
    MixedScript,
    /// The cue is in another language than its track.
    WrongLanguage,
    /// A number or date the other language does not say at the same time.
    NumberMismatch,
    /// A phrase repeated over and over.
    Loop,
    /// Text that compresses too well: the model repeating itself.
    Compression,
    /// The model was unsure of its words.
    LowConfidence,
    /// An acronym the other language does not say at the same time.
    AcronymMismatch,
    /// A clip starts or ends inside the cue's sentence.
    MidSentence,
    /// A glossary term whose pair the other language does not say.
    Glossary,
    /// A subtitle rule broken (length, duration, reading speed).
    SubtitleRule,
}

impl FlagKind {
    /// How much it weighs when ranking cues, worst highest.
    pub fn weight(self) -> u32 {
        match self {
            FlagKind::MixedScript | FlagKind::NumberMismatch | FlagKind::Loop => 5,
            FlagKind::WrongLanguage | FlagKind::Compression => 4,
            FlagKind::LowConfidence | FlagKind::AcronymMismatch | FlagKind::MidSentence => 3,
            FlagKind::Glossary => 2,
            FlagKind::SubtitleRule => 1,
        }
    }
}

/// One reason to look at a cue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    /// What kind of problem.
    pub kind: FlagKind,
    /// What was seen, for the person fixing it.
    pub reason: String,
}

impl Flag {
    pub(super) fn new(kind: FlagKind, reason: String) -> Flag {
        Flag { kind, reason }
    }
}

/// The language's name, for messages.
pub fn language_name(code: &str) -> &str {
    match code {
        "fr" => "French",
        "en" => "English",
        other => other,
    }
}

/// The alphabets a language is written in.
fn scripts_of(language: &str) -> &'static [Script] {
    match language {
        "ar" => &[Script::Arabic],
        "ru" | "uk" => &[Script::Cyrillic],
        "zh" => &[Script::Han],
        _ => &[Script::Latin],
    }
}

/// Letters from an alphabet that none of `languages` uses ("andационary").
pub fn mixed_script(text: &str, languages: &[String]) -> Option<Flag> {
    let allowed: Vec<Script> = languages
        .iter()
        .flat_map(|l| scripts_of(l))
        .copied()
        .collect();
    let mut foreign: Vec<Script> = Vec::new();
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        let script = c.script();
        if !matches!(script, Script::Common | Script::Inherited | Script::Unknown)
            && !allowed.contains(&script)
            && !foreign.contains(&script)
        {
            foreign.push(script);
        }
    }
    if foreign.is_empty() {
        return None;
    }
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.chars().any(|c| foreign.contains(&c.script())))
        .collect();
    let names: Vec<&str> = foreign.iter().map(|s| s.full_name()).collect();
    Some(Flag::new(
        FlagKind::MixedScript,
        format!(
            "letters from {} in a {} cue: \u{ab}{}\u{bb}",
            names.join(" and "),
            languages
                .iter()
                .map(|l| language_name(l))
                .collect::<Vec<_>>()
                .join("/"),
            words.join(" ")
        ),
    ))
}

/// Fewer letters than this and a language cannot be told.
const LANGUAGE_MIN_LETTERS: usize = 24;

/// A cue written in a language that none of `languages` is, told apart
/// between French and English (the conference's languages) by
/// `whatlang`, and only when it is sure.
pub fn wrong_language(text: &str, languages: &[String]) -> Option<Flag> {
    use whatlang::{Detector, Lang};
    let code = |lang: Lang| match lang {
        Lang::Fra => "fr",
        Lang::Eng => "en",
        _ => "",
    };
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters < LANGUAGE_MIN_LETTERS {
        return None;
    }
    let detector = Detector::with_allowlist(vec![Lang::Fra, Lang::Eng]);
    let info = detector.detect(text)?;
    let found = code(info.lang());
    if found.is_empty() || languages.iter().any(|l| l == found) || info.confidence() < 0.5 {
        return None;
    }
    // Trigrams are fooled by names and acronyms: the little words settle it.
    let (own, other) = function_words(text, found);
    if other <= own {
        return None;
    }
    Some(Flag::new(
        FlagKind::WrongLanguage,
        format!(
            "reads as {} in a {} text",
            language_name(found),
            languages
                .iter()
                .map(|l| language_name(l))
                .collect::<Vec<_>>()
                .join("/")
        ),
    ))
}

/// How many of the text's words are little words of a language other
/// than `found`, and of `found`.
fn function_words(text: &str, found: &str) -> (usize, usize) {
    const FR: &[&str] = &[
        "le", "la", "les", "de", "des", "du", "et", "est", "un", "une", "dans", "pour", "par",
        "sur", "que", "qui", "ont", "sont", "au", "aux", "en", "à", "il", "elle", "nous", "ce",
        "cette", "avec", "ne", "pas", "plus",
    ];
    const EN: &[&str] = &[
        "the", "of", "and", "is", "a", "an", "in", "to", "for", "by", "on", "that", "which",
        "have", "are", "at", "it", "she", "he", "we", "this", "with", "not", "more", "was",
    ];
    let (theirs, ours) = match found {
        "fr" => (FR, EN),
        _ => (EN, FR),
    };
    let mut counts = (0, 0);
    for word in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
    {
        if ours.contains(&word.as_str()) {
            counts.0 += 1;
        }
        if theirs.contains(&word.as_str()) {
            counts.1 += 1;
        }
    }
    counts
}

/// Cues that loop: a phrase of one to four words said three times or more
/// in a row, or a cue that repeats the one before it word for word.
pub fn loops(cues: &[Cue]) -> Vec<(usize, Flag)> {
    let mut flags = Vec::new();
    let mut previous: Vec<String> = Vec::new();
    for (i, cue) in cues.iter().enumerate() {
        let words = plain_words(&cue.text);
        if let Some(phrase) = repeated_phrase(&words) {
            flags.push((
                i,
                Flag::new(
                    FlagKind::Loop,
                    format!("\u{ab}{phrase}\u{bb} said three times or more in a row"),
                ),
            ));
        } else if words.len() >= 3 && words == previous {
            flags.push((
                i,
                Flag::new(
                    FlagKind::Loop,
                    "the same words as the cue before it".to_string(),
                ),
            ));
        }
        previous = words;
    }
    flags
}

/// A phrase of one to four words repeated three times or more in a row.
fn repeated_phrase(words: &[String]) -> Option<String> {
    for n in 1..=4 {
        for start in 0..words.len() {
            let mut times = 1;
            while start + (times + 1) * n <= words.len()
                && words[start..start + n] == words[start + times * n..start + (times + 1) * n]
            {
                times += 1;
            }
            if times >= 3 {
                return Some(words[start..start + n].join(" "));
            }
        }
    }
    None
}

/// Whisper's own test for a segment it made up: text that deflates more
/// than this ratio is repeating itself.
pub const COMPRESSION_LIMIT: f64 = 2.4;

/// Shorter texts compress too little to tell.
const COMPRESSION_MIN_BYTES: usize = 80;

/// Bytes of `text` over bytes once deflated; `None` when too short to tell.
pub fn compression_ratio(text: &str) -> Option<f64> {
    if text.len() < COMPRESSION_MIN_BYTES {
        return None;
    }
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(text.as_bytes()).ok()?;
    let compressed = encoder.finish().ok()?;
    Some(text.len() as f64 / compressed.len() as f64)
}

/// Below this, the model was guessing the word.
const UNSURE_WORD: f32 = 0.25;
/// Below this on average, the model was guessing the cue.
const UNSURE_CUE: f32 = 0.55;

/// The model's words said during a cue, when it was unsure of them.
pub fn low_confidence(words: &[&Word]) -> Option<Flag> {
    let scored: Vec<&&Word> = words
        .iter()
        .filter(|w| w.text.chars().any(char::is_alphanumeric))
        .collect();
    if scored.is_empty() {
        return None;
    }
    let mean = scored.iter().map(|w| w.probability).sum::<f32>() / scored.len() as f32;
    let mut unsure: Vec<&&&Word> = scored
        .iter()
        .filter(|w| w.probability < UNSURE_WORD)
        .collect();
    if unsure.is_empty() && mean >= UNSURE_CUE {
        return None;
    }
    unsure.sort_by(|a, b| a.probability.total_cmp(&b.probability));
    let listed: Vec<String> = unsure
        .iter()
        .take(4)
        .map(|w| format!("\u{ab}{}\u{bb} {:.2}", w.text.trim(), w.probability))
        .collect();
    Some(Flag::new(
        FlagKind::LowConfidence,
        if listed.is_empty() {
            format!("the model was unsure of this cue (mean word probability {mean:.2})")
        } else {
            format!(
                "the model was unsure of {} (mean word probability {mean:.2})",
                listed.join(", ")
            )
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timecode::Timecode;

    fn langs(codes: &[&str]) -> Vec<String> {
        codes.iter().map(|c| c.to_string()).collect()
    }

    fn cue(text: &str) -> Cue {
        Cue {
            start: Timecode::ZERO,
            end: Timecode::from_millis(2_000),
            text: text.into(),
        }
    }

    #[test]
    fn letters_of_other_alphabets_are_flagged() {
        let flag = mixed_script("Legal andационary measures", &langs(&["en"])).unwrap();
        assert!(flag.reason.contains("Cyrillic"), "{}", flag.reason);
        assert!(flag.reason.contains("andационary"), "{}", flag.reason);
        assert!(mixed_script("For the關係", &langs(&["en"])).is_some());
        assert!(mixed_script("Mécanisme d'orientation, CEDEAO, 62 %", &langs(&["fr"])).is_none());
    }

    #[test]
    fn english_in_a_french_cue_is_flagged() {
        let flag = wrong_language(
            "The police services responsible for border management",
            &langs(&["fr"]),
        )
        .unwrap();
        assert!(flag.reason.contains("English"), "{}", flag.reason);
        assert!(wrong_language(
            "Les services de police chargés de la gestion des frontières",
            &langs(&["fr"])
        )
        .is_none());
        // Too short to tell.
        assert!(wrong_language("ANLTP-TIM, Niamey", &langs(&["en"])).is_none());
    }

    /// The reference sentences of the samples, correct by construction,
    /// raise no language or alphabet flag.
    #[test]
    fn the_reference_sentences_are_clean() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/samples");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(language) = name
                .strip_suffix(".txt")
                .and_then(|stem| stem.rsplit_once('.'))
                .map(|(_, l)| l.to_string())
            else {
                continue;
            };
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                seen += 1;
                let languages = langs(&[&language]);
                assert_eq!(wrong_language(line, &languages), None, "{name}: {line}");
                assert_eq!(mixed_script(line, &languages), None, "{name}: {line}");
                assert!(
                    repeated_phrase(&plain_words(line)).is_none(),
                    "{name}: {line}"
                );
            }
        }
        assert!(seen > 20, "the sample sentences were not found");
    }

    #[test]
    fn loops_are_flagged() {
        let cues = [
            cue("for the for the for the"),
            cue("Thank you very much."),
            cue("Thank you very much."),
            cue("Les migrants, les migrants et les réfugiés"),
        ];
        let flagged: Vec<usize> = loops(&cues).into_iter().map(|(i, _)| i).collect();
        assert_eq!(flagged, vec![0, 2]);
    }

    #[test]
    fn repetition_compresses_too_well() {
        let looped = "and the victims of trafficking ".repeat(8);
        assert!(compression_ratio(&looped).unwrap() > COMPRESSION_LIMIT);
        let prose = "Available information suggests that the increasingly dangerous smuggling practices across the Sahara towards Libya have contributed to the high number of migrant deaths.";
        assert!(compression_ratio(prose).unwrap() < COMPRESSION_LIMIT);
        assert_eq!(compression_ratio("short"), None);
    }

    #[test]
    fn unsure_words_are_named() {
        let word = |text: &str, probability: f32| Word {
            start: Timecode::ZERO,
            end: Timecode::from_millis(300),
            text: text.into(),
            probability,
        };
        let sure = [word("Des", 0.9), word("modules", 0.95)];
        assert_eq!(low_confidence(&sure.iter().collect::<Vec<_>>()), None);
        let unsure = [word("est", 0.9), word("étecinie", 0.08), word("par", 0.7)];
        let flag = low_confidence(&unsure.iter().collect::<Vec<_>>()).unwrap();
        assert!(flag.reason.contains("étecinie"), "{}", flag.reason);
    }
}
