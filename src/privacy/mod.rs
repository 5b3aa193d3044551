//! Privacy: names and patterns redacted from every text that is shipped and
//! bleeped in the audio of clips, and clearance levels deciding who
//! receives what.

pub mod audio;
pub mod fold;
pub mod numbers;
pub mod redact;
pub mod shown;
pub mod spoken;
