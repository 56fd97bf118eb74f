//! Re-encoding the bodies stored before schema version 7 with the current encoding, in batches.
//!
//! Migration 7 records the range of report ids to do (`body_reencoding`); each batch rewrites a
//! few bodies and moves the range's start past them in the same transaction, so a process
//! killed at any moment loses nothing and the next one to open the store goes on from there.
//! A body is decoded to the report every read gave before and encoded again, so every query
//! answers what it answered before.
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::{codec, Result};

/// Reports re-encoded per transaction when a store is opened: small enough that a batch
/// (at most this many bodies of a few MB each decoded) stays well within memory and commits in
/// a fraction of a second, large enough that commits do not dominate.
pub const DEFAULT_BATCH_REPORTS: usize = 256;

/// What re-encoding did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reencoded {
    /// Bodies re-encoded.
    pub bodies: u64,
    /// Bodies left as they were because they could not be decoded (a damaged body stays
    /// readable for `fcas db check` as it was).
    pub left_damaged: u64,
}

/// Re-encodes the remaining old bodies, `batch` reports per transaction, calling `after_batch`
/// with the running totals after each commit. Returns at once when nothing remains.
pub(crate) fn finish(conn: &mut Connection, batch: usize, after_batch: &mut dyn FnMut(Reencoded)) -> Result<Reencoded> {
    let mut done = Reencoded::default();
    // A plain read first: opening an up-to-date store must not wait for the write lock.
    let pending: i64 = conn.query_row("SELECT count(*) FROM body_reencoding", [], |row| row.get(0))?;
    if pending == 0 {
        return Ok(done);
    }
    while reencode_batch(conn, batch.max(1), &mut done)? {
        after_batch(done);
    }
    Ok(done)
}

/// One batch in its own transaction; false when nothing remained.
fn reencode_batch(conn: &mut Connection, batch: usize, done: &mut Reencoded) -> Result<bool> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Re-read inside the transaction: another process may have moved it on or finished.
    let range: Option<(i64, i64)> =
        tx.query_row("SELECT last_id, up_to FROM body_reencoding WHERE id = 1", [], |row| Ok((row.get(0)?, row.get(1)?))).optional()?;
    let Some((last_id, up_to)) = range else { return Ok(false) };
    let rows: Vec<(i64, String)> = tx
        .prepare("SELECT id, body_encoding FROM reports WHERE id > ?1 AND id <= ?2 ORDER BY id LIMIT ?3")?
        .query_map(params![last_id, up_to, batch as i64], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let Some(&(reached, _)) = rows.last() else {
        tx.execute("DELETE FROM body_reencoding WHERE id = 1", [])?;
        tx.commit()?;
        return Ok(false);
    };
    for (report_id, encoding) in rows.iter().filter(|(_, encoding)| encoding != codec::ENCODING) {
        let body: Vec<u8> = tx.query_row("SELECT body FROM reports WHERE id = ?1", [report_id], |row| row.get(0))?;
        let reencoded = codec::decode_report(&tx, *report_id, encoding, &body).ok().and_then(|report| codec::encode(&report).ok());
        match reencoded {
            Some(body) => {
                tx.prepare_cached("UPDATE reports SET body_encoding = ?2, body = ?3 WHERE id = ?1")?.execute(params![
                    report_id,
                    codec::ENCODING,
                    body
                ])?;
                done.bodies += 1;
            }
            None => done.left_damaged += 1,
        }
    }
    tx.execute("UPDATE body_reencoding SET last_id = ?1 WHERE id = 1", [reached])?;
    tx.commit()?;
    Ok(true)
}
