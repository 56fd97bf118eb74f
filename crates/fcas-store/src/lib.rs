//! The FCAS case store: one SQLite file per analyst holding samples (keyed by sha256), every
//! report stored for them (compressed), normalised facts for queries, analyst tags and notes,
//! similarity indexes and the durable scan queue.
//!
//! Concurrency model: SQLite in WAL mode with a busy timeout. Many readers (the app, `fcas db`)
//! run while one writer ([`writer::Writer`], a thread fed over a channel) commits short
//! transactions that each hold many reports.
#![deny(missing_docs)]

mod check;
mod codec;
mod compact;
mod dictionary;
mod error;
pub mod export;
pub mod file_stamps;
mod follower;
mod fulltext;
pub mod hunt;
mod keys;
mod known;
mod location;
mod open;
mod prepared;
pub mod query;
pub mod queue;
pub mod reencode;
pub mod sample_bytes;
pub mod schema;
pub mod similarity;
mod submission;
mod time;
pub mod vault;
mod write;
pub mod writer;

use std::path::{Path, PathBuf};

use fcas_report::{Report, Submission};
use rusqlite::{Connection, TransactionBehavior};

/// What [`Store::path`] says of a store held in memory.
pub const MEMORY_LOCATION: &str = ":memory:";

pub use check::Consistency;
pub use error::{Result, StoreError};
pub use fcas_report::models_version_of;
pub use fulltext::{text_index_path, TEXT_INDEX_SUFFIX};
pub use known::KnownImport;
pub use location::{default_db_path, DB_ENV_VAR};
pub use open::{OpenMode, APPLICATION_ID};
pub use time::{format_unix_time, parse_date, unix_now};
pub use vault::{Vault, VaultConfig, VaultStats, DEFAULT_VAULT_QUOTA};
pub use write::{models_version, Inserted};

/// An open case store: one connection, used from one thread.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    memory: Option<String>,
}

impl Store {
    /// Opens the case store at `path`, creating it (and migrating an older one) when needed.
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, OpenMode::CreateIfMissing)
    }

    /// Opens an existing case store; a missing file is an error instead of a new store.
    pub fn open_existing(path: &Path) -> Result<Self> {
        Self::open_with(path, OpenMode::MustExist)
    }

    /// Opens with an explicit [`OpenMode`].
    pub fn open_with(path: &Path, mode: OpenMode) -> Result<Self> {
        let conn = open::open(path, mode)?;
        Ok(Self { conn, path: path.to_path_buf(), memory: None })
    }

    /// A new, empty case store held in memory, for when no file can be used (the app falls back
    /// to it and says why). It lives while any connection to it is open; [`Store::reopen`] gives
    /// other connections (the writer's) to the same memory.
    pub fn open_memory() -> Result<Self> {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("fcas-memory-{}-{n}", std::process::id());
        let conn = open::open_memory(&name)?;
        Ok(Self { conn, path: PathBuf::from(MEMORY_LOCATION), memory: Some(name) })
    }

    /// Another connection to the same store (file or memory), for another thread.
    pub fn reopen(&self) -> Result<Self> {
        match &self.memory {
            Some(name) => Ok(Self { conn: open::open_memory(name)?, path: self.path.clone(), memory: Some(name.clone()) }),
            None => Self::open_existing(&self.path),
        }
    }

    /// The database file ([`MEMORY_LOCATION`] for a store in memory).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the store is held in memory (nothing is kept once it is closed).
    pub fn is_memory(&self) -> bool {
        self.memory.is_some()
    }

    /// The underlying connection, for checks and tools that need raw SQL.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Stores `report` as analysed now, in its own transaction. Batches go through
    /// [`writer::Writer`] instead, which commits many reports per transaction.
    pub fn insert_report(&mut self, report: &Report) -> Result<Inserted> {
        self.insert_report_at(report, unix_now())
    }

    /// Stores `report` as analysed at `analysed_at` (Unix seconds).
    pub fn insert_report_at(&mut self, report: &Report, analysed_at: i64) -> Result<Inserted> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let inserted = write::insert_report(&tx, report, analysed_at)?;
        tx.commit()?;
        fulltext::catch_up(&mut self.conn, fulltext::CATCH_UP_BATCH)?;
        Ok(inserted)
    }

    /// Stores every report of `submission` as analysed now, with one edge per child each
    /// container lists, in one transaction; returns where the root's report went.
    pub fn insert_submission(&mut self, submission: &Submission) -> Result<Inserted> {
        self.insert_submission_at(submission, unix_now())
    }

    /// Stores every report of `submission` as analysed at `analysed_at` (Unix seconds).
    pub fn insert_submission_at(&mut self, submission: &Submission, analysed_at: i64) -> Result<Inserted> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let inserted = submission::insert(&tx, submission, analysed_at)?;
        tx.commit()?;
        fulltext::catch_up(&mut self.conn, fulltext::CATCH_UP_BATCH)?;
        Ok(inserted)
    }

    /// Stored reports not yet in the full-text index: 0 once the index has caught up (it
    /// follows the writer by a moment, and is rebuilt after a migration when the store opens).
    pub fn text_index_pending(&self) -> Result<u64> {
        fulltext::pending(&self.conn)
    }

    /// Decodes the stored report with row id `report_id`, with the known-file entries that
    /// name it (`known[]`, matched now, so imports after the analysis count).
    pub fn load_report(&self, report_id: i64) -> Result<Report> {
        let mut report = codec::load(&self.conn, report_id)?;
        report.known = self.known_for(&report.hashes)?;
        Ok(report)
    }
}
