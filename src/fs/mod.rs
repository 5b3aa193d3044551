//! Files, the one way confkit touches them: written whole or not at all,
//! hashed with SHA-256, stamped with what they were made from, and their
//! hashes and probes remembered across runs so that a build with nothing
//! changed reads no media file beyond its metadata.

mod atomic;
mod cache;
mod hash;
mod stamp;

pub use atomic::{is_partial, remove_partials, write_atomically, PendingOutput};
pub use cache::{Cache, FileKey, Work, CACHE_FILE};
pub use hash::{digest_hex, file_sha256, sha256_hex};
pub use stamp::Stamp;
