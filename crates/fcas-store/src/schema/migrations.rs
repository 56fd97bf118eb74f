//! The numbered migrations and the runner that applies them.
use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use crate::open::APPLICATION_ID;
use crate::{dictionary, similarity, Result, StoreError};

/// One step of the schema's history. Steps are never edited once released: a change is a new step.
struct Migration {
    version: u32,
    sql: &'static str,
    /// Data work the SQL cannot do (e.g. filling a new index from existing rows).
    backfill: Option<fn(&Connection) -> rusqlite::Result<()>>,
}

const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, sql: include_str!("0001_initial.sql"), backfill: None },
    Migration { version: 2, sql: include_str!("0002_queue.sql"), backfill: None },
    Migration { version: 3, sql: include_str!("0003_similarity.sql"), backfill: Some(similarity::index::rebuild) },
    // Containers stored before this version keep their children only inside their report bodies.
    Migration { version: 4, sql: include_str!("0004_containers.sql"), backfill: None },
    // Known files are matched by hash when a report is read: nothing to fill in.
    Migration { version: 5, sql: include_str!("0005_known.sql"), backfill: None },
    // Stores before this version kept no sample bytes: their samples simply have none.
    Migration { version: 6, sql: include_str!("0006_vault.sql"), backfill: None },
    // The existing bodies are re-encoded after this step, in batches (`crate::reencode`).
    Migration { version: 7, sql: include_str!("0007_compact_storage.sql"), backfill: Some(dictionary::store_current) },
    // The reviewed mark starts unset; the latest names are filled in by the SQL itself.
    Migration { version: 8, sql: include_str!("0008_triage.sql"), backfill: None },
    // Counts over the latest reports, filled from the existing rows by the SQL itself.
    Migration { version: 9, sql: include_str!("0009_latest_counts.sql"), backfill: None },
    // The latest verdict on the sample row, filled from the existing rows by the SQL itself.
    Migration { version: 10, sql: include_str!("0010_latest_verdict.sql"), backfill: None },
    // What scans learnt about the files they hashed; empty until the next scan.
    Migration { version: 11, sql: include_str!("0011_file_stamps.sql"), backfill: None },
    // The full-text index leaves this file; it is rebuilt in its own when the store is opened.
    Migration { version: 12, sql: include_str!("0012_text_index_file.sql"), backfill: None },
];

/// Newest schema version this build knows.
pub const LATEST_VERSION: u32 = 12;

/// Brings `conn` from its current version up to `target`. Each step runs in an IMMEDIATE
/// transaction that re-reads the version first, so two processes opening an old file at the same
/// time migrate it once.
pub(crate) fn migrate(conn: &mut Connection, path: &Path, target: u32) -> Result<()> {
    for migration in MIGRATIONS.iter().filter(|m| m.version <= target) {
        let from = migration.version - 1;
        let step = |conn: &mut Connection| -> rusqlite::Result<()> {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let current: u32 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
            if current >= migration.version {
                return Ok(());
            }
            tx.execute_batch(migration.sql)?;
            if let Some(backfill) = migration.backfill {
                backfill(&tx)?;
            }
            if migration.version == 1 {
                tx.execute_batch(&format!("PRAGMA application_id = {}", APPLICATION_ID as i32))?;
            }
            tx.execute_batch(&format!("PRAGMA user_version = {}", migration.version))?;
            tx.commit()
        };
        step(conn).map_err(|source| StoreError::Migration { path: path.to_path_buf(), from, to: migration.version, source })?;
    }
    Ok(())
}

/// Creates a new case store at `path` with the schema stopped at `version` (for tests of the
/// migrations and for tools that need an older layout). Refuses an existing non-empty file.
pub fn create_at_version(path: &Path, version: u32) -> Result<()> {
    if path.metadata().map(|m| m.len() > 0).unwrap_or(false) {
        return Err(StoreError::InvalidQuery(format!("{} already exists", path.display())));
    }
    let mut conn = Connection::open(path).map_err(|source| StoreError::Open { path: path.to_path_buf(), source })?;
    crate::open::configure(&conn)?;
    migrate(&mut conn, path, version.min(LATEST_VERSION))
}
