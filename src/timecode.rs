//! Times inside a recording, as people write them in project files
//! (`"01:02:03.250"`, `"12:05"`, `95.5`) and as confkit prints them.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A point in a recording, to the millisecond.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timecode {
    millis: u64,
}

impl Timecode {
    /// The start of a recording.
    pub const ZERO: Timecode = Timecode { millis: 0 };

    /// A time from milliseconds.
    pub fn from_millis(millis: u64) -> Timecode {
        Timecode { millis }
    }

    /// A time from seconds, rounded to the millisecond; negative becomes zero.
    pub fn from_secs_f64(secs: f64) -> Timecode {
        Timecode {
            millis: (secs.max(0.0) * 1000.0).round() as u64,
        }
    }

    /// Milliseconds since the start.
    pub fn as_millis(self) -> u64 {
        self.millis
    }

    /// Seconds since the start.
    pub fn as_secs_f64(self) -> f64 {
        self.millis as f64 / 1000.0
    }

    /// The time between `self` and a later `end`, zero when `end` is earlier.
    pub fn until(self, end: Timecode) -> Timecode {
        Timecode::from_millis(end.millis.saturating_sub(self.millis))
    }
}

impl std::ops::Add for Timecode {
    type Output = Timecode;
    fn add(self, other: Timecode) -> Timecode {
        Timecode::from_millis(self.millis + other.millis)
    }
}

impl std::iter::Sum for Timecode {
    fn sum<I: Iterator<Item = Timecode>>(iter: I) -> Timecode {
        iter.fold(Timecode::ZERO, |a, b| a + b)
    }
}

/// `HH:MM:SS`, with `.mmm` only when there are milliseconds.
impl fmt::Display for Timecode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.millis / 1000;
        let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        write!(f, "{h:02}:{m:02}:{s:02}")?;
        match self.millis % 1000 {
            0 => Ok(()),
            ms => write!(f, ".{ms:03}"),
        }
    }
}

/// Why a time could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimecodeError(String);

impl fmt::Display for TimecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a time; write HH:MM:SS, MM:SS or seconds, with optional .mmm (e.g. \"00:12:05.5\")",
            self.0
        )
    }
}

impl std::error::Error for TimecodeError {}

impl FromStr for Timecode {
    type Err = TimecodeError;

    fn from_str(text: &str) -> Result<Timecode, TimecodeError> {
        let bad = || TimecodeError(text.to_string());
        let trimmed = text.trim();
        let (whole, fraction) = match trimmed.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (trimmed, None),
        };
        let parts: Vec<&str> = whole.split(':').collect();
        if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| !is_digits(p)) {
            return Err(bad());
        }
        let numbers: Vec<u64> = parts
            .iter()
            .map(|p| p.parse().map_err(|_| bad()))
            .collect::<Result<_, _>>()?;
        // minutes and seconds after a colon stay below 60
        if numbers.len() > 1 && numbers[1..].iter().any(|&n| n >= 60) {
            return Err(bad());
        }
        let secs = numbers.iter().fold(0u64, |acc, &n| acc * 60 + n);
        let millis = match fraction {
            None => 0,
            Some(f) if is_digits(f) && f.len() <= 3 => {
                f.parse::<u64>().map_err(|_| bad())? * 10u64.pow(3 - f.len() as u32)
            }
            Some(_) => return Err(bad()),
        };
        Ok(Timecode::from_millis(secs * 1000 + millis))
    }
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

impl Serialize for Timecode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timecode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Timecode, D::Error> {
        struct TimecodeVisitor;

        impl Visitor<'_> for TimecodeVisitor {
            type Value = Timecode;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a time such as \"00:12:05\", \"12:05.5\" or a number of seconds")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timecode, E> {
                v.parse().map_err(E::custom)
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timecode, E> {
                u64::try_from(v)
                    .map(|s| Timecode::from_millis(s * 1000))
                    .map_err(|_| E::custom(format!("a time cannot be negative ({v})")))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Timecode, E> {
                if v.is_finite() && v >= 0.0 {
                    Ok(Timecode::from_secs_f64(v))
                } else {
                    Err(E::custom(format!("a time must be a positive number ({v})")))
                }
            }
        }

        deserializer.deserialize_any(TimecodeVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tc(text: &str) -> Timecode {
        text.parse().unwrap()
    }

    #[test]
    fn reads_the_forms_people_write() {
        assert_eq!(tc("00:12:05").as_millis(), 725_000);
        assert_eq!(tc("12:05").as_millis(), 725_000);
        assert_eq!(tc("1:02:03.25").as_millis(), 3_723_250);
        assert_eq!(tc("95.5").as_millis(), 95_500);
        assert_eq!(tc(" 7 ").as_millis(), 7_000);
    }

    #[test]
    fn refuses_what_is_not_a_time() {
        for bad in [
            "", "12:60", "1:2:3:4", "ab", "-5", "1.2345", "01:02.x", "1..2",
        ] {
            assert!(bad.parse::<Timecode>().is_err(), "{bad:?} was accepted");
        }
        let message = "12:60".parse::<Timecode>().unwrap_err().to_string();
        assert!(message.contains("HH:MM:SS"), "{message}");
    }

    /// A time field holding a huge value (a paste gone wrong) is refused
    /// after one pass over it.
    #[test]
    fn huge_values_are_refused_in_linear_time() {
        for bad in [
            "1:".repeat(200_000),
            "9".repeat(400_000),
            ".".repeat(400_000),
        ] {
            assert!(bad.parse::<Timecode>().is_err());
        }
    }

    #[test]
    fn prints_hours_minutes_seconds_and_millis_when_present() {
        assert_eq!(tc("725").to_string(), "00:12:05");
        assert_eq!(tc("3723.25").to_string(), "01:02:03.250");
    }

    #[test]
    fn reads_strings_integers_and_floats_from_toml() {
        #[derive(Deserialize)]
        struct T {
            a: Timecode,
            b: Timecode,
            c: Timecode,
        }
        let t: T = toml::from_str("a = \"00:01:00\"\nb = 90\nc = 2.5").unwrap();
        assert_eq!(
            (t.a.as_millis(), t.b.as_millis(), t.c.as_millis()),
            (60_000, 90_000, 2_500)
        );
        assert!(toml::from_str::<T>("a = -1\nb = 1\nc = 1").is_err());
    }
}
