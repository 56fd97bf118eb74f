//! Opening a case store: refuse what is not ours, set the connection's pragmas, migrate.
use std::io::Read;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::schema::{migrate, LATEST_VERSION};
use crate::{fulltext, reencode, Result, StoreError};

/// `PRAGMA application_id` of every FCAS case store (`FCAS` in ASCII).
pub const APPLICATION_ID: u32 = 0x4643_4153;

/// How long a connection waits for another one's write lock before giving up. Write
/// transactions are short (one batch of reports), so this is only reached when something hangs.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Whether opening may create a new store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Create the file (and its folder) when missing; migrate an older one.
    CreateIfMissing,
    /// The file must exist already (read commands); an older one is still migrated.
    MustExist,
}

/// Opens `path` as a case store, migrated, with every body in the current encoding and every
/// report in the full-text index (after a migration, or a crash between a commit and its
/// indexing, this is where the work left is done).
pub(crate) fn open(path: &Path, mode: OpenMode) -> Result<Connection> {
    let mut conn = open_migrated(path, mode)?;
    reencode::finish(&mut conn, reencode::DEFAULT_BATCH_REPORTS, &mut |_| {})?;
    fulltext::catch_up(&mut conn, fulltext::CATCH_UP_BATCH)?;
    Ok(conn)
}

/// Opens `path` as a case store at the latest schema version; bodies of earlier versions may
/// still wait to be re-encoded (see [`reencode`]).
pub(crate) fn open_migrated(path: &Path, mode: OpenMode) -> Result<Connection> {
    let exists = check_file(path)?;
    if !exists {
        if mode == OpenMode::MustExist {
            return Err(StoreError::Missing { path: path.to_path_buf() });
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::Io { path: parent.to_path_buf(), source })?;
        }
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let open_error = |source| StoreError::Open { path: path.to_path_buf(), source };
    let mut conn = Connection::open_with_flags(path, flags).map_err(open_error)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
    let version = check_identity(&conn, path)?;
    configure(&conn)?;
    if version < LATEST_VERSION {
        migrate(&mut conn, path, LATEST_VERSION)?;
    }
    let index = fulltext::text_index_path(path);
    let index = index.to_str().ok_or_else(|| StoreError::InvalidQuery(format!("{} is not a UTF-8 path", path.display())))?;
    fulltext::attach(&conn, index)?;
    Ok(conn)
}

/// Opens the in-memory store called `name` (SQLite's `memdb` VFS: every connection of this
/// process naming it shares one database), creating its schema on first use.
pub(crate) fn open_memory(name: &str) -> Result<Connection> {
    let flags =
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let path = Path::new(name);
    let open_error = |source| StoreError::Open { path: path.to_path_buf(), source };
    let mut conn = Connection::open_with_flags(format!("file:/{name}?vfs=memdb"), flags).map_err(open_error)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
    let version = check_identity(&conn, path)?;
    configure(&conn)?;
    if version < LATEST_VERSION {
        migrate(&mut conn, path, LATEST_VERSION)?;
    }
    fulltext::attach(&conn, &format!("file:/{name}{}?vfs=memdb", fulltext::TEXT_INDEX_SUFFIX))?;
    fulltext::catch_up(&mut conn, fulltext::CATCH_UP_BATCH)?;
    Ok(conn)
}

/// Per-connection settings. WAL lets readers run while the writer commits; NORMAL
/// synchronisation in WAL mode cannot corrupt the file on a crash or kill, it can only lose the
/// last transactions on power loss. The page size only applies to a store being created:
/// 16 KiB pages (SQLite's default is 4 KiB) make a report's many index entries touch fewer pages
/// and WAL frames: 11% to 17% more inserts per writer CPU-second at 100,000 reports, more in a
/// smaller store (docs/bench/store.md).
pub(crate) fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.execute_batch(
        "PRAGMA page_size = 16384;
         PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -32768;",
    )?;
    Ok(())
}

/// True when `path` exists; an existing file must start like an SQLite database (an empty
/// file is accepted as a new store).
fn check_file(path: &Path) -> Result<bool> {
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(source) => return Err(StoreError::Io { path: path.to_path_buf(), source }),
    };
    let mut header = Vec::with_capacity(SQLITE_MAGIC.len());
    (&mut file)
        .take(SQLITE_MAGIC.len() as u64)
        .read_to_end(&mut header)
        .map_err(|source| StoreError::Io { path: path.to_path_buf(), source })?;
    if !header.is_empty() && header.as_slice() != SQLITE_MAGIC {
        return Err(StoreError::NotSqlite { path: path.to_path_buf() });
    }
    Ok(true)
}

/// Returns the schema version of an FCAS store (0 for a new, empty database); refuses a foreign
/// or newer one before anything is written to it.
fn check_identity(conn: &Connection, path: &Path) -> Result<u32> {
    let not_sqlite = |error: rusqlite::Error| match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotSqlite { path: path.to_path_buf() },
        _ => StoreError::Open { path: path.to_path_buf(), source: error },
    };
    let application_id: i32 = conn.query_row("PRAGMA application_id", [], |row| row.get(0)).map_err(not_sqlite)?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0)).map_err(not_sqlite)?;
    let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0)).map_err(not_sqlite)?;
    let application_id = application_id as u32;
    if application_id != APPLICATION_ID && !(application_id == 0 && version == 0 && objects == 0) {
        return Err(StoreError::Foreign { path: path.to_path_buf(), found: application_id });
    }
    let version = u32::try_from(version).unwrap_or(u32::MAX);
    if version > LATEST_VERSION {
        return Err(StoreError::TooNew { path: path.to_path_buf(), found: version, supported: LATEST_VERSION });
    }
    Ok(version)
}
