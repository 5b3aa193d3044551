//! A value read from a project file together with the byte range it came
//! from, so that validation can point at the exact line and column.

use std::ops::{Deref, Range};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value and where it was written.
#[derive(Clone)]
pub struct Located<T> {
    value: T,
    span: Range<usize>,
}

impl<T> Located<T> {
    /// A value with the byte range it was read from.
    pub fn new(value: T, span: Range<usize>) -> Located<T> {
        Located { value, span }
    }

    /// The byte range in the file.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// The value, without its position.
    pub fn into_inner(self) -> T {
        self.value
    }
}

/// Shows the value alone: what was written, not where. Keys made from a
/// project's values (a package's) then do not change when an edit
/// elsewhere in the file moves them.
impl<T: std::fmt::Debug> std::fmt::Debug for Located<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.value.fmt(f)
    }
}

impl<T> Deref for Located<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Located<T>, D::Error> {
        let spanned = toml::Spanned::<T>::deserialize(deserializer)?;
        Ok(Located {
            span: spanned.span(),
            value: spanned.into_inner(),
        })
    }
}

impl<T: Serialize> Serialize for Located<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}
