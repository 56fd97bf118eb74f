//! The case-store schema as numbered migrations. A database records the last migration applied
//! in `PRAGMA user_version`; opening it applies the missing ones, each in its own transaction.
mod migrations;

pub(crate) use migrations::migrate;
pub use migrations::{create_at_version, LATEST_VERSION};

use std::path::Path;

use crate::reencode::{self, Reencoded};
use crate::{open, OpenMode, Result};

/// Upgrades the existing store at `path` to the latest schema and re-encodes the bodies stored
/// before version 7, `batch` reports per transaction, calling `after_batch` after each commit.
/// Opening a store does the same with [`reencode::DEFAULT_BATCH_REPORTS`]; this is for tools and
/// tests that watch or pace the work. Interrupted at any point, it resumes where it stopped.
pub fn upgrade_in_batches(path: &Path, batch: usize, after_batch: &mut dyn FnMut(Reencoded)) -> Result<Reencoded> {
    let mut conn = open::open_migrated(path, OpenMode::MustExist)?;
    reencode::finish(&mut conn, batch, after_batch)
}
