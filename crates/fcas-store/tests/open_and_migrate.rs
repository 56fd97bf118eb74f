//! Opening: new stores, migration of an older schema, refusal of newer, foreign and non-SQLite files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
use fcas_store::schema::{create_at_version, LATEST_VERSION};
use fcas_store::{Store, StoreError, APPLICATION_ID};
use rusqlite::Connection;

fn pragma(conn: &Connection, name: &str) -> i64 {
    conn.query_row(&format!("PRAGMA {name}"), [], |row| row.get(0)).expect("pragma")
}

#[test]
fn a_new_store_has_the_latest_schema_wal_foreign_keys_and_fts5() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nested/folder/cases.sqlite");
    let store = Store::open(&path).expect("create");
    let conn = store.connection();
    assert_eq!(pragma(conn, "user_version"), i64::from(LATEST_VERSION));
    assert_eq!(pragma(conn, "application_id") as u32, APPLICATION_ID);
    assert_eq!(pragma(conn, "foreign_keys"), 1);
    assert!(pragma(conn, "busy_timeout") >= 1000);
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |row| row.get(0)).expect("journal mode");
    assert_eq!(mode, "wal");
    assert_eq!(pragma(conn, "page_size"), 16384);
    let fts5: i64 = conn.query_row("SELECT sqlite_compileoption_used('ENABLE_FTS5')", [], |row| row.get(0)).expect("compile option");
    assert_eq!(fts5, 1, "bundled SQLite must have FTS5");
    // Reopening an up-to-date store changes nothing.
    drop(store);
    let again = Store::open(&path).expect("reopen");
    assert_eq!(pragma(again.connection(), "user_version"), i64::from(LATEST_VERSION));
}

#[test]
fn a_version_1_store_is_migrated_and_its_samples_indexed_for_similarity() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.sqlite");
    create_at_version(&path, 1).expect("v1 store");
    {
        let conn = Connection::open(&path).expect("raw open");
        assert_eq!(pragma(&conn, "user_version"), 1);
        let tlsh = "T192A4C9656BF88618F2F35F385DBA53612B36FE41AE31D70F5600662D1C72A90DEA0723";
        conn.execute(
            "INSERT INTO samples (sha256, size, format, ssdeep, tlsh, first_seen, last_seen) VALUES (?1, 10, 'pe', '3:abcdefghijk:abc', ?2, 1, 1)",
            rusqlite::params!["a".repeat(64), tlsh],
        )
        .expect("v1 sample");
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema WHERE name = 'jobs'", [], |row| row.get(0)).expect("schema");
        assert_eq!(tables, 0, "version 1 has no queue yet");
    }
    let store = Store::open_existing(&path).expect("migrate");
    let conn = store.connection();
    assert_eq!(pragma(conn, "user_version"), i64::from(LATEST_VERSION));
    let jobs: i64 = conn.query_row("SELECT count(*) FROM jobs", [], |row| row.get(0)).expect("jobs table exists");
    assert_eq!(jobs, 0);
    let indexed: i64 = conn.query_row("SELECT count(*) FROM tlsh_index", [], |row| row.get(0)).expect("tlsh index");
    assert_eq!(indexed, 1, "existing samples are indexed by the migration");
    let grams: i64 = conn.query_row("SELECT count(*) FROM ssdeep_grams", [], |row| row.get(0)).expect("grams");
    assert!(grams >= 5);
    let sample = store.lookup(&"a".repeat(64), 10).expect("lookup after migration");
    assert_eq!(sample.len(), 1);
}

#[test]
fn a_store_from_a_newer_fcas_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("newer.sqlite");
    drop(Store::open(&path).expect("create"));
    Connection::open(&path).expect("raw").execute_batch(&format!("PRAGMA user_version = {}", LATEST_VERSION + 5)).expect("bump");
    let error = Store::open(&path).err().expect("must refuse");
    assert!(matches!(error, StoreError::TooNew { found, .. } if found == LATEST_VERSION + 5), "{error}");
    assert!(error.to_string().contains("Upgrade FCAS"), "{error}");
    assert_eq!(pragma(&Connection::open(&path).expect("raw"), "user_version"), i64::from(LATEST_VERSION + 5));
}

#[test]
fn another_applications_sqlite_file_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("foreign.sqlite");
    Connection::open(&path).expect("raw").execute_batch("CREATE TABLE notes (x); INSERT INTO notes VALUES (1);").expect("foreign db");
    let error = Store::open(&path).err().expect("must refuse");
    assert!(matches!(error, StoreError::Foreign { .. }), "{error}");
    assert!(error.to_string().contains("not an FCAS case store"), "{error}");
    let mode: String = Connection::open(&path).expect("raw").query_row("PRAGMA journal_mode", [], |row| row.get(0)).expect("mode");
    assert_eq!(mode, "delete", "the foreign file was not switched to WAL");

    let other_app = dir.path().join("other-app.sqlite");
    Connection::open(&other_app).expect("raw").execute_batch("PRAGMA application_id = 1234;").expect("app id");
    assert!(matches!(Store::open(&other_app), Err(StoreError::Foreign { found: 1234, .. })));
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_a_missing_one_is_not_created_by_readers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, b"this is not a database, just some text that is long enough").expect("write");
    let error = Store::open(&text).err().expect("must refuse");
    assert!(matches!(error, StoreError::NotSqlite { .. }), "{error}");
    assert_eq!(std::fs::read(&text).expect("read"), b"this is not a database, just some text that is long enough");

    let missing = dir.path().join("missing.sqlite");
    let error = Store::open_existing(&missing).err().expect("must refuse");
    assert!(matches!(error, StoreError::Missing { .. }), "{error}");
    assert!(!missing.exists());
}
