//! Who may see a clip, a chapter or a module. This material is about victims
//! of crime: an institution receives only what its clearance allows.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Clearance levels, from the widest audience to the narrowest.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Clearance {
    /// Anyone, including the public.
    #[default]
    Public,
    /// Staff of the receiving institutions.
    Institutional,
    /// Law-enforcement and prosecution services only.
    LawEnforcement,
}

impl Clearance {
    /// True when a holder of `self` may see content marked `content`.
    pub fn allows(self, content: Clearance) -> bool {
        content <= self
    }
}

impl fmt::Display for Clearance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Clearance::Public => "public",
            Clearance::Institutional => "institutional",
            Clearance::LawEnforcement => "law-enforcement",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_level_allows_itself_and_wider_audiences() {
        assert!(Clearance::LawEnforcement.allows(Clearance::Public));
        assert!(Clearance::Institutional.allows(Clearance::Institutional));
        assert!(!Clearance::Institutional.allows(Clearance::LawEnforcement));
        assert!(!Clearance::Public.allows(Clearance::Institutional));
    }
}
