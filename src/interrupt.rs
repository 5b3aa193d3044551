//! Ctrl-C: long work stops at the next safe point, cleans up its temporary
//! files and returns an error, so that no half-written output is left.

use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{bail, Result};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Catches Ctrl-C (and SIGTERM) for the rest of the process; a second
/// Ctrl-C ends the process at once.
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        if REQUESTED.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!("\ninterrupted: stopping after cleaning up (Ctrl-C again to stop at once)");
    });
}

/// True once Ctrl-C was pressed.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}

/// Fails when Ctrl-C was pressed; call it between steps of long work.
pub fn check() -> Result<()> {
    if requested() {
        bail!("interrupted");
    }
    Ok(())
}
