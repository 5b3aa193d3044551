//! Subtitle cue rules (Netflix timed-text style guides, Subtitle Edit's
//! checks): at most 42 characters a line and 2 lines a cue, 5/6 s to 7 s on
//! screen, two frames between cues, and a reading speed people can follow
//! (English 20 characters a second, French 17; spaces and punctuation count).
//! Cues are made from word timings, split at sentence, then clause, then
//! word boundaries.

use crate::timecode::Timecode;

use super::Cue;

/// The limits for one language.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CueRules {
    /// Characters a line.
    pub max_line: usize,
    /// Lines a cue.
    pub max_lines: usize,
    /// Shortest time on screen.
    pub min_duration: Timecode,
    /// Longest time on screen.
    pub max_duration: Timecode,
    /// Shortest gap between two cues (two frames at 25 fps).
    pub min_gap: Timecode,
    /// Characters a second.
    pub max_cps: f64,
}

impl CueRules {
    /// The rules for `language` (French reads slower than English).
    pub fn for_language(language: &str) -> CueRules {
        CueRules {
            max_line: 42,
            max_lines: 2,
            min_duration: Timecode::from_millis(833),
            max_duration: Timecode::from_millis(7_000),
            min_gap: Timecode::from_millis(80),
            max_cps: if language == "en" { 20.0 } else { 17.0 },
        }
    }
}

/// A timed word, as the recogniser gives it.
#[derive(Debug, Clone)]
pub struct TimedWord {
    /// Start.
    pub start: Timecode,
    /// End.
    pub end: Timecode,
    /// The word with its punctuation.
    pub text: String,
}

/// The words of `cues` timed one by one, for text people wrote (no word
/// timings): each cue's time shared out by the words' lengths.
pub fn spread_words(cues: &[Cue]) -> Vec<TimedWord> {
    let mut words = Vec::new();
    for cue in cues {
        let said: Vec<&str> = cue.text.split_whitespace().collect();
        let letters: u64 = said.iter().map(|w| w.chars().count() as u64 + 1).sum();
        let (from, length) = (cue.start.as_millis(), cue.start.until(cue.end).as_millis());
        let at = |n: u64| Timecode::from_millis(from + length * n / letters.max(1));
        let mut done = 0;
        for word in said {
            let n = word.chars().count() as u64 + 1;
            words.push(TimedWord {
                start: at(done),
                end: at(done + n),
                text: word.to_string(),
            });
            done += n;
        }
    }
    words
}

/// Makes cues from `words` that keep to `rules` wherever the timing allows.
pub fn cues_from_words(words: &[TimedWord], rules: &CueRules) -> Vec<Cue> {
    let max_chars = rules.max_line * rules.max_lines;
    let mut groups: Vec<&[TimedWord]> = Vec::new();
    let mut start = 0;
    while start < words.len() {
        // The longest run of words that fits in a cue.
        let mut end = start + 1;
        while end < words.len() {
            let candidate = &words[start..=end];
            let too_long = wrap(&join(candidate), rules.max_line).len() > rules.max_lines
                || join(candidate).chars().count() > max_chars;
            let too_slow = candidate[candidate.len() - 1].end.as_millis()
                - candidate[0].start.as_millis()
                > rules.max_duration.as_millis();
            if too_long || too_slow {
                break;
            }
            end += 1;
        }
        // Prefer to end at a sentence (so that no cue ends with the start of
        // the next one), then a clause in the run's second half.
        if end < words.len() {
            let half = start + (end - start).div_ceil(2);
            let ends_with = |i: usize, marks: &[char]| words[i].text.trim_end().ends_with(marks);
            let readable = |i: usize| {
                words[i].end.as_millis() - words[start].start.as_millis()
                    >= rules.min_duration.as_millis()
            };
            if let Some(i) = (start..end)
                .rev()
                .find(|&i| ends_with(i, &['.', '?', '!', '…']) && readable(i))
            {
                end = i + 1;
            } else if let Some(i) = (half..end).rev().find(|&i| ends_with(i, &[',', ';', ':'])) {
                end = i + 1;
            }
        }
        groups.push(&words[start..end]);
        start = end;
    }

    let mut cues: Vec<Cue> = groups
        .iter()
        .map(|group| Cue {
            start: group[0].start,
            end: group[group.len() - 1].end,
            text: wrap(&join(group), rules.max_line).join("\n"),
        })
        .collect();
    // Timing: long enough to read, never closer than the minimum gap.
    space_starts(&mut cues, rules);
    for i in 0..cues.len() {
        let limit = cues.get(i + 1).map(|next| {
            Timecode::from_millis(
                next.start
                    .as_millis()
                    .saturating_sub(rules.min_gap.as_millis()),
            )
        });
        let chars = cues[i].text.chars().filter(|c| *c != '\n').count() as f64;
        let readable = Timecode::from_millis((chars / rules.max_cps * 1000.0).ceil() as u64);
        let wanted = cues[i].start + readable.max(rules.min_duration);
        let mut end = cues[i]
            .end
            .max(wanted.min(cues[i].start + rules.max_duration));
        if let Some(limit) = limit {
            end = end.min(limit).max(cues[i].start + Timecode::from_millis(1));
        }
        cues[i].end = end;
    }
    cues
}

/// Moves a cue that starts too soon after the one before (the recogniser
/// sometimes gives several words the same time) to the first moment that
/// leaves the one before its shortest duration and the gap; the cue keeps
/// its length, so it stays readable.
fn space_starts(cues: &mut [Cue], rules: &CueRules) {
    for i in 1..cues.len() {
        let earliest = cues[i - 1].start + rules.min_duration + rules.min_gap;
        if cues[i].start < earliest {
            let length = cues[i].start.until(cues[i].end).max(rules.min_duration);
            cues[i].start = earliest;
            cues[i].end = earliest + length;
        }
    }
}

/// Keeps cues that were made apart (runs in two languages) from running
/// into each other: starts spaced as in [`cues_from_words`], and each cue
/// ending the minimum gap before the next.
pub fn space(cues: &mut [Cue], rules: &CueRules) {
    space_starts(cues, rules);
    for i in 1..cues.len() {
        let limit = Timecode::from_millis(
            cues[i]
                .start
                .as_millis()
                .saturating_sub(rules.min_gap.as_millis()),
        );
        if cues[i - 1].end > limit {
            cues[i - 1].end = limit;
        }
    }
}

fn join(words: &[TimedWord]) -> String {
    words
        .iter()
        .map(|w| w.text.trim())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lines of at most `max` characters, balanced: two lines split near the
/// middle rather than a full line and a stub.
///
/// Characters are counted once, as the text is walked: a translation
/// imported from XLIFF can be any length, and counting again at every
/// space made a long one take time quadratic in its length.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let text = text.trim();
    let length = text.chars().count();
    if length <= max {
        return vec![text.to_string()];
    }
    // The space nearest the middle that leaves two lines short enough.
    let mut best: Option<(usize, usize)> = None;
    for (before, (at, c)) in text.char_indices().enumerate() {
        let after = length - before - 1;
        if c != ' ' || before > max || after > max {
            continue;
        }
        let off_middle = before.abs_diff(length / 2);
        if best.is_none_or(|(_, nearest)| off_middle < nearest) {
            best = Some((at, off_middle));
        }
    }
    if let Some((at, _)) = best {
        return vec![text[..at].to_string(), text[at + 1..].to_string()];
    }
    // Too long for two lines: greedy lines.
    let mut lines = vec![String::new()];
    let mut line_length = 0;
    for word in text.split(' ') {
        let word_length = word.chars().count();
        let line = lines.last_mut().expect("a line");
        if !line.is_empty() && line_length + 1 + word_length > max {
            lines.push(word.to_string());
            line_length = word_length;
        } else {
            if !line.is_empty() {
                line.push(' ');
                line_length += 1;
            }
            line.push_str(word);
            line_length += word_length;
        }
    }
    lines
}

/// A cue that breaks a rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleBreak {
    /// Index of the cue.
    pub cue: usize,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// Every rule each cue breaks.
pub fn check_cues(cues: &[Cue], rules: &CueRules) -> Vec<RuleBreak> {
    let mut breaks = Vec::new();
    for (i, cue) in cues.iter().enumerate() {
        let mut report = |message: String| breaks.push(RuleBreak { cue: i, message });
        let lines: Vec<&str> = cue.text.lines().collect();
        if lines.len() > rules.max_lines {
            report(format!(
                "{} lines (at most {}); split the cue",
                lines.len(),
                rules.max_lines
            ));
        }
        for line in &lines {
            let n = line.chars().count();
            if n > rules.max_line {
                report(format!(
                    "a line of {n} characters (at most {}); break it or split the cue",
                    rules.max_line
                ));
            }
        }
        let duration = cue.start.until(cue.end);
        if duration < rules.min_duration {
            report(format!(
                "on screen {} ms (at least {} ms); lengthen it or merge it",
                duration.as_millis(),
                rules.min_duration.as_millis()
            ));
        }
        if duration > rules.max_duration {
            report(format!(
                "on screen {:.1} s (at most {:.0} s); split it",
                duration.as_secs_f64(),
                rules.max_duration.as_secs_f64()
            ));
        }
        let chars = cue.text.chars().filter(|c| *c != '\n').count() as f64;
        let cps = chars / duration.as_secs_f64().max(0.001);
        if cps > rules.max_cps + 0.05 {
            report(format!("reads at {cps:.1} characters a second (at most {:.0}); shorten the text or lengthen the cue", rules.max_cps));
        }
        if let Some(next) = cues.get(i + 1) {
            let gap = next.start.as_millis() as i64 - cue.end.as_millis() as i64;
            if gap < 0 {
                report(format!(
                    "overlaps the next cue (at {}) by {} ms; end it before the next one starts",
                    next.start, -gap
                ));
            } else if gap < rules.min_gap.as_millis() as i64 {
                report(format!(
                    "{gap} ms before the next cue (at least {} ms, two frames)",
                    rules.min_gap.as_millis()
                ));
            }
        }
    }
    breaks
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    /// Words as a speaker says them: each long enough to read at `cps`,
    /// with pauses between them, some ending a clause or a sentence.
    fn speech(cps: f64) -> impl Strategy<Value = Vec<TimedWord>> {
        let word = ("[a-zà-ü]{1,12}", 0u64..2_500, 0u64..400, 0u8..10);
        proptest::collection::vec(word, 1..120).prop_map(move |words| {
            let mut t = 0;
            words
                .into_iter()
                .map(|(text, pause, slack, mark)| {
                    let text = match mark {
                        0 => format!("{text}."),
                        1 => format!("{text},"),
                        _ => text,
                    };
                    let readable = ((text.chars().count() + 2) as f64 / cps * 1000.0).ceil() as u64;
                    let start = t + pause;
                    t = start + readable + slack;
                    TimedWord {
                        start: Timecode::from_millis(start),
                        end: Timecode::from_millis(t),
                        text,
                    }
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn every_cue_made_from_readable_speech_keeps_every_rule(
            french in any::<bool>(),
            words in speech(17.0),
        ) {
            let rules = CueRules::for_language(if french { "fr" } else { "en" });
            let cues = cues_from_words(&words, &rules);
            let breaks = check_cues(&cues, &rules);
            prop_assert!(breaks.is_empty(), "{breaks:?} in {cues:#?}");
            let said: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
            let shown: Vec<&str> = cues.iter().flat_map(|c| c.text.split_whitespace()).collect();
            prop_assert_eq!(said, shown);
        }

        #[test]
        fn words_given_one_time_never_make_overlapping_cues(
            words in speech(17.0),
            squash in 0usize..60,
        ) {
            // The recogniser sometimes gives a run of words the same time.
            let mut words = words;
            let at = words[squash.min(words.len() - 1)].start;
            for word in words.iter_mut().skip(squash) .take(20) {
                word.start = at;
                word.end = at;
            }
            let rules = CueRules::for_language("en");
            let cues = cues_from_words(&words, &rules);
            for pair in cues.windows(2) {
                prop_assert!(pair[0].end.as_millis() + rules.min_gap.as_millis() <= pair[1].start.as_millis(), "{pair:#?}");
                prop_assert!(pair[0].start.until(pair[0].end) >= rules.min_duration, "{pair:#?}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str, start_ms: u64, per_word_ms: u64) -> Vec<TimedWord> {
        text.split(' ')
            .enumerate()
            .map(|(i, w)| TimedWord {
                start: Timecode::from_millis(start_ms + i as u64 * per_word_ms),
                end: Timecode::from_millis(start_ms + (i as u64 + 1) * per_word_ms - 20),
                text: w.to_string(),
            })
            .collect()
    }

    #[test]
    fn cues_keep_to_the_rules_and_split_at_sentences() {
        let text = "The Central Mediterranean is one of the deadliest migration routes in the world. \
                    More than 13,800 deaths were recorded in this region since 2014, and the practices of smugglers \
                    across the Sahara towards Libya have contributed to them.";
        let rules = CueRules::for_language("en");
        let cues = cues_from_words(&words(text, 0, 330), &rules);
        assert!(cues.len() >= 3, "{cues:#?}");
        assert!(
            cues[0].text.ends_with("world."),
            "the first cue ends with the sentence: {:?}",
            cues[0].text
        );
        assert_eq!(check_cues(&cues, &rules), vec![], "{cues:#?}");
    }

    #[test]
    fn two_lines_are_balanced() {
        let lines = wrap(
            "L'identification des victimes aux postes frontières repose sur des techniques",
            42,
        );
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| l.chars().count() <= 42), "{lines:?}");
        assert!(
            lines[0].chars().count().abs_diff(lines[1].chars().count()) < 12,
            "{lines:?}"
        );
    }

    /// A translation of any length is wrapped in time linear in its
    /// length: characters used to be counted again at every space, and
    /// these 2 MB of words took 22 s (counting is fast: 400 kB took 1 s).
    #[test]
    fn wrapping_a_very_long_text_takes_one_pass() {
        let text = "mot ".repeat(500_000);
        let lines = wrap(&text, 42);
        assert_eq!(lines.len(), 500_000 / 10);
        assert!(
            lines.iter().all(|l| l == &["mot"; 10].join(" ")),
            "{:?}",
            &lines[..2]
        );
        // One word longer than a line stays whole on its own line.
        let word = "x".repeat(400_000);
        assert_eq!(wrap(&format!("a {word} b"), 42), ["a", word.as_str(), "b"]);
    }

    #[test]
    fn each_broken_rule_is_reported() {
        let rules = CueRules::for_language("fr");
        let cue = |a, b, text: &str| Cue {
            start: Timecode::from_millis(a),
            end: Timecode::from_millis(b),
            text: text.into(),
        };
        let cues = vec![
            cue(0, 500, "Bonjour"),
            cue(
                520,
                1_500,
                "Une ligne beaucoup trop longue pour tenir sur un écran de cinéma",
            ),
            cue(2_000, 10_000, "un\ndeux\ntrois"),
        ];
        let messages: Vec<String> = check_cues(&cues, &rules)
            .into_iter()
            .map(|b| format!("{}: {}", b.cue, b.message))
            .collect();
        let all = messages.join("\n");
        assert!(
            all.contains("0: on screen 500 ms (at least 833 ms)"),
            "{all}"
        );
        assert!(all.contains("0: 20 ms before the next cue"), "{all}");
        assert!(
            all.contains("1: a line of 64 characters (at most 42)"),
            "{all}"
        );
        assert!(
            all.contains("1: reads at 65.3 characters a second (at most 17)"),
            "{all}"
        );
        assert!(all.contains("2: 3 lines (at most 2)"), "{all}");
        assert!(all.contains("2: on screen 8.0 s (at most 7 s)"), "{all}");
    }
}
