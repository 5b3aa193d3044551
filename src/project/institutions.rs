//! `assets/institutions.toml`: who receives a package, in which languages,
//! with which clearance, and the roles that decide what each receives.

use serde::{Deserialize, Serialize};

use super::{Clearance, Localized, Located};

/// The whole of `assets/institutions.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InstitutionsFile {
    /// The roles institutions play in the chain (identification, protection, prosecution ...).
    #[serde(default, rename = "role")]
    pub roles: Vec<Role>,
    /// The recipients.
    #[serde(default, rename = "institution")]
    pub institutions: Vec<Institution>,
}

/// A role in the chain; modules name the roles they are for.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// Unique id.
    pub id: Located<String>,
    /// Name per language.
    pub name: Localized,
    /// Who plays it, per language.
    #[serde(default)]
    pub description: Localized,
    /// The clearance its institutions have unless they say otherwise.
    #[serde(default)]
    pub clearance: Clearance,
}

/// One receiving institution: one package.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Institution {
    /// Unique id; the package is `packages/<id>.zip`.
    pub id: Located<String>,
    /// Name per language.
    pub name: Localized,
    /// The guide chapter of its country, for national institutions.
    pub country: Option<Located<String>>,
    /// The guide chapter of the regional or international body it belongs to.
    pub body: Option<Located<String>>,
    /// Its role (an id from the `[[role]]` list).
    pub role: Located<String>,
    /// The languages its package is made in, first the main one.
    pub languages: Located<Vec<String>>,
    /// Its clearance, when it differs from its role's.
    pub clearance: Option<Clearance>,
    /// Modules it receives besides those of its role.
    #[serde(default)]
    pub modules: Vec<Located<String>>,
    /// Guide chapters it receives besides its own, its neighbours' and the regional bodies'.
    #[serde(default)]
    pub chapters: Vec<Located<String>>,
    /// Whom to send the package to (name, service, e-mail), once known.
    #[serde(default)]
    pub contact: Option<String>,
    /// What its package carries, when it differs from the project's
    /// `[packages] profile` (`full`, `light` or `audio`).
    #[serde(default)]
    pub profile: Option<super::config::Profile>,
}
