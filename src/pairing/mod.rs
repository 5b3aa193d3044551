//! Pairing clips with guide chapters and modules: what clips declare, and
//! what their content suggests.

pub mod bm25;
pub mod suggest;
