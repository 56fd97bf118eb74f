//! Everything that can go wrong in the case store, each message saying what happened and what to do.
use std::path::PathBuf;

/// A case-store failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite could not open or create the file.
    #[error("cannot open the case store {path}: {source}. Check that its folder exists and is writable")]
    Open {
        /// The database file.
        path: PathBuf,
        /// SQLite's reason.
        source: rusqlite::Error,
    },
    /// A read-only command was pointed at a file that does not exist.
    #[error("there is no case store at {path}")]
    Missing {
        /// The database file.
        path: PathBuf,
    },
    /// The file exists but is not an SQLite database at all.
    #[error("{path} is not an SQLite database, so it is not an FCAS case store. FCAS left it untouched")]
    NotSqlite {
        /// The file.
        path: PathBuf,
    },
    /// The file is an SQLite database of another application.
    #[error("{path} is an SQLite database of another application (application_id {found:#010x}), not an FCAS case store. FCAS left it untouched")]
    Foreign {
        /// The database file.
        path: PathBuf,
        /// The application id found in its header.
        found: u32,
    },
    /// The file was written by a newer FCAS whose schema this build does not know.
    #[error("{path} was written by a newer FCAS (case-store schema version {found}; this FCAS knows up to {supported}). Upgrade FCAS to open it; this version will not modify it")]
    TooNew {
        /// The database file.
        path: PathBuf,
        /// Schema version in the file.
        found: u32,
        /// Newest schema version this build knows.
        supported: u32,
    },
    /// A migration step failed; its transaction was rolled back.
    #[error("cannot upgrade the case store {path} from schema version {from} to {to}: {source}. The file was left at version {from}; free disk space or restore a backup, then try again")]
    Migration {
        /// The database file.
        path: PathBuf,
        /// Version before the failed step.
        from: u32,
        /// Version the failed step aimed at.
        to: u32,
        /// SQLite's reason.
        source: rusqlite::Error,
    },
    /// Any other SQLite failure.
    #[error("case-store database error: {0}. If it persists, check free disk space and run `sqlite3 FILE 'PRAGMA integrity_check'`")]
    Sqlite(#[from] rusqlite::Error),
    /// A report without a usable sha256 cannot be keyed.
    #[error("the report of {path} has no valid sha256 ({found:?}); only reports of files that were read can be stored")]
    MissingSha256 {
        /// The report's path.
        path: String,
        /// What the sha256 field held.
        found: String,
    },
    /// A stored report body could not be decoded.
    #[error(
        "stored report {report_id} cannot be decoded ({reason}); the row may be damaged: analyse the file again to store a new report"
    )]
    CorruptReport {
        /// Row id of the report.
        report_id: i64,
        /// What failed.
        reason: String,
    },
    /// Encoding a report for storage failed.
    #[error("cannot encode the report of {path} for storage: {reason}")]
    Encode {
        /// The report's path.
        path: String,
        /// What failed.
        reason: String,
    },
    /// The report of a file found inside a container could not be read back to be stored.
    #[error("cannot store a report found inside a container: {0}. Scan the container again")]
    Unpack(#[from] fcas_report::PackError),
    /// Nothing matched a query that needs exactly one sample.
    #[error("no stored sample matches {query:?}; check the hash")]
    NotFound {
        /// What was looked up.
        query: String,
    },
    /// A hash prefix matched several samples.
    #[error("{query:?} matches {count} samples; give more characters of the hash")]
    Ambiguous {
        /// The prefix.
        query: String,
        /// How many samples it matched (at least 2).
        count: usize,
    },
    /// The query itself is malformed.
    #[error("invalid query: {0}")]
    InvalidQuery(String),
    /// The background writer stopped before the work was handed over.
    #[error("the case-store writer stopped: {0}")]
    WriterStopped(String),
    /// A vault file does not decode to the sample it is named after.
    #[error("the vault file {path} is damaged ({reason}); delete it and scan the sample again to keep its bytes")]
    VaultCorrupt {
        /// The vault file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A retro-hunt cannot go on (unknown id, finished already, ...).
    #[error("{0}")]
    Hunt(String),
    /// Reading a file to enqueue or identify it failed.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

impl StoreError {
    /// Whether the error is about which file was chosen (missing, unusable, another program's,
    /// too new): a front end then suggests choosing another store, in its own words.
    pub fn is_location_problem(&self) -> bool {
        matches!(self, Self::Open { .. } | Self::Missing { .. } | Self::NotSqlite { .. } | Self::Foreign { .. } | Self::TooNew { .. })
    }
}

/// Result of a case-store operation.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
