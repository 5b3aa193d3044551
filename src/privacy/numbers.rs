//! Numbers said in words, read back as digits. A case number is spoken, and
//! the speech model may write "deux mille vingt", "twenty twenty",
//! "zero four one seven" or "2020" for what the redaction list writes in
//! digits. Each run of number words becomes digit groups that the patterns
//! can then see, in French and in English.

/// What one word says as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumberWord {
    /// A value: units, teens, tens.
    Value(u64),
    /// "cent", "hundred".
    Hundred,
    /// "mille", "thousand".
    Thousand,
    /// "zéro", "zero", "oh": a digit of its own.
    Zero,
    /// "et", "and": only inside a number ("vingt et un", "a hundred and two").
    Joiner,
}

/// The digit groups said by each run of number words in `words` (already
/// folded: lower case, no accents): (first word, last word + 1, digits).
/// A run like "quatre cent dix-sept" is one group (417); digits said one by
/// one ("zero four one seven") are one group each, in order, for the
/// caller to join.
pub fn spoken_numbers(words: &[&str]) -> Vec<(usize, usize, String)> {
    let mut groups = Vec::new();
    let mut i = 0;
    while i < words.len() {
        match parse_number(words, i) {
            Some((end, digits)) => {
                groups.push((i, end, digits));
                i = end;
            }
            None => i += 1,
        }
    }
    groups
}

/// The longest number starting at `words[start]`: its end and its digits.
fn parse_number(words: &[&str], start: usize) -> Option<(usize, String)> {
    let mut total = 0u64;
    let mut current = 0u64;
    let mut end = start;
    let mut seen = false;
    let mut i = start;
    'words: while i < words.len() {
        let Some(parts) = number_parts(words[i]) else {
            break;
        };
        let mut taken = 0;
        for part in &parts {
            let fits = match *part {
                NumberWord::Zero => {
                    if seen {
                        break 'words;
                    }
                    // A zero is a digit of its own ("zero four").
                    return Some((i + 1, "0".into()));
                }
                NumberWord::Joiner => seen && i + 1 < words.len(),
                NumberWord::Hundred => {
                    current = current.max(1) * 100;
                    true
                }
                NumberWord::Thousand => {
                    total += current.max(1) * 1000;
                    current = 0;
                    true
                }
                NumberWord::Value(v) => match combine(current, v, seen) {
                    Some(next) => {
                        current = next;
                        true
                    }
                    None => false,
                },
            };
            if !fits {
                break 'words;
            }
            seen |= *part != NumberWord::Joiner;
            taken += 1;
        }
        if taken < parts.len() {
            break;
        }
        i += 1;
        if parts.last() != Some(&NumberWord::Joiner) {
            end = i;
        }
    }
    if !seen || end == start {
        return None;
    }
    Some((end, (total + current).to_string()))
}

/// `current` followed by `value` in one number, when they go together:
/// "vingt" "et" "un", "soixante" "dix", "quatre" "vingt", "cent" "deux".
fn combine(current: u64, value: u64, seen: bool) -> Option<u64> {
    if !seen {
        return Some(value);
    }
    let low = current % 100;
    let fits = match low {
        0 => true,
        // Tens followed by a unit: "twenty one", "vingt et un".
        20..=90 if low.is_multiple_of(10) && value < 10 => true,
        // French seventies and nineties: "soixante dix", "quatre vingt seize".
        60 | 80 if value < 20 => true,
        // "dix sept", "soixante dix neuf".
        10 | 70 | 90 if (7..=9).contains(&value) => true,
        _ => false,
    };
    if fits {
        return Some(current + value);
    }
    // "quatre vingt(s)": eighty.
    (low == 4 && value == 20).then_some(current - 4 + 80)
}

/// A word (or a hyphenated compound such as "dix-sept") as number words;
/// `None` when it is not one.
fn number_parts(word: &str) -> Option<Vec<NumberWord>> {
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    if word.is_empty() {
        return None;
    }
    word.split('-').map(number_word).collect()
}

fn number_word(word: &str) -> Option<NumberWord> {
    use NumberWord::*;
    Some(match word {
        "zero" | "zéro" | "oh" => Zero,
        "et" | "and" => Joiner,
        "cent" | "cents" | "hundred" => Hundred,
        "mille" | "mil" | "thousand" => Thousand,
        "un" | "une" | "one" => Value(1),
        "deux" | "two" => Value(2),
        "trois" | "three" => Value(3),
        "quatre" | "four" => Value(4),
        "cinq" | "five" => Value(5),
        "six" => Value(6),
        "sept" | "seven" => Value(7),
        "huit" | "eight" => Value(8),
        "neuf" | "nine" => Value(9),
        "dix" | "ten" => Value(10),
        "onze" | "eleven" => Value(11),
        "douze" | "twelve" => Value(12),
        "treize" | "thirteen" => Value(13),
        "quatorze" | "fourteen" => Value(14),
        "quinze" | "fifteen" => Value(15),
        "seize" | "sixteen" => Value(16),
        "seventeen" => Value(17),
        "eighteen" => Value(18),
        "nineteen" => Value(19),
        "vingt" | "vingts" | "twenty" => Value(20),
        "trente" | "thirty" => Value(30),
        "quarante" | "forty" => Value(40),
        "cinquante" | "fifty" => Value(50),
        "soixante" | "sixty" => Value(60),
        "septante" | "seventy" => Value(70),
        "huitante" | "octante" | "eighty" => Value(80),
        "nonante" | "ninety" => Value(90),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(text: &str) -> Vec<String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        spoken_numbers(&words)
            .into_iter()
            .map(|(_, _, d)| d)
            .collect()
    }

    #[test]
    fn french_numbers_read_as_digits() {
        assert_eq!(digits("numéro deux mille vingt"), ["2020"]);
        assert_eq!(digits("quatre cent dix-sept"), ["417"]);
        assert_eq!(digits("quatre-vingt-dix-neuf"), ["99"]);
        assert_eq!(digits("soixante et onze"), ["71"]);
        assert_eq!(digits("vingt et un ans"), ["21"]);
        assert_eq!(digits("zéro quatre un sept"), ["0", "4", "1", "7"]);
    }

    #[test]
    fn english_numbers_read_as_digits() {
        assert_eq!(digits("two thousand twenty"), ["2020"]);
        assert_eq!(digits("twenty twenty"), ["20", "20"]);
        assert_eq!(digits("four hundred and seventeen"), ["417"]);
        assert_eq!(digits("oh four one seven"), ["0", "4", "1", "7"]);
        assert_eq!(digits("forty-two"), ["42"]);
    }

    #[test]
    fn words_that_are_not_numbers_are_left() {
        assert!(digits("the border and the post").is_empty());
        assert_eq!(digits("one and"), ["1"]);
    }
}
