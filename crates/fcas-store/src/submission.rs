//! Storing a submission: the submitted file's report, every descendant's, and one edge per entry
//! a container's report lists. The caller owns the transaction, so a container and everything
//! found in it are stored together or not at all.
use fcas_report::{Report, Submission};
use rusqlite::{params, Connection, OptionalExtension};

use crate::keys::PendingKeys;
use crate::prepared::Prepared;
use crate::write::{self, sha256_key};
use crate::{Inserted, Result};

/// A submission made ready for the single writer, each report as [`Prepared`] says.
pub(crate) struct PreparedSubmission {
    /// The submitted file's report.
    pub(crate) root: Prepared,
    /// Everything found inside it.
    pub(crate) descendants: Vec<Prepared>,
}

impl PreparedSubmission {
    /// Encodes every report of `submission` on the caller's thread.
    /// Descendants are unpacked one at a time, each kept only as the writer needs it.
    pub(crate) fn new(submission: Submission) -> Result<Self> {
        let (root, descendants) = submission.into_parts();
        let descendants = descendants.iter().map(|packed| Prepared::new(packed.unpack()?)).collect::<Result<_>>()?;
        Ok(Self { root: Prepared::new(root)?, descendants })
    }

    /// How many reports it holds.
    pub(crate) fn len(&self) -> u64 {
        1 + self.descendants.len() as u64
    }
}

/// Stores every report of a prepared submission and its edges; returns where the root's went.
/// The rows keyed by name or gram go to `keys` ([`write::insert_encoded_report`]).
pub(crate) fn insert_prepared(
    conn: &Connection,
    keys: &mut PendingKeys,
    submission: &PreparedSubmission,
    analysed_at: i64,
) -> Result<Inserted> {
    let root = write::insert_encoded_report(conn, keys, &submission.root.report, &submission.root.body, analysed_at)?;
    for descendant in &submission.descendants {
        if !seen_before(conn, &descendant.report, analysed_at)? {
            write::insert_encoded_report(conn, keys, &descendant.report, &descendant.body, analysed_at)?;
        }
    }
    for prepared in std::iter::once(&submission.root).chain(&submission.descendants) {
        insert_edges(conn, &prepared.report, analysed_at)?;
    }
    Ok(root)
}

/// Stores every report of `submission` and its edges; returns where the root's went.
pub(crate) fn insert(conn: &Connection, submission: &Submission, analysed_at: i64) -> Result<Inserted> {
    let root = write::insert_report(conn, &submission.root, analysed_at)?;
    insert_edges(conn, &submission.root, analysed_at)?;
    for descendant in submission.descendant_reports() {
        let descendant = descendant?;
        if !seen_before(conn, &descendant, analysed_at)? {
            write::insert_report(conn, &descendant, analysed_at)?;
        }
        insert_edges(conn, &descendant, analysed_at)?;
    }
    Ok(root)
}

/// Whether a descendant is stored already with a report of the same engine and models (found in
/// another container before): then only this sighting of it is recorded, as for a file scanned
/// again, and no second identical report is kept. The submitted file itself always gets its
/// report (its job's claim decided that).
fn seen_before(conn: &Connection, report: &Report, seen_at: i64) -> Result<bool> {
    let Some(sha256) = sha256_key(&report.hashes.sha256) else { return Ok(false) };
    let sample_id: Option<i64> = conn
        .prepare_cached(
            "SELECT s.id FROM samples s JOIN reports r ON r.sample_id = s.id
             WHERE s.sha256 = ?1 AND r.engine_version = ?2 AND r.models_version = ?3 LIMIT 1",
        )?
        .query_row(params![sha256, report.engine_version, write::models_version(report)], |row| row.get(0))
        .optional()?;
    match sample_id {
        Some(sample_id) => {
            write::record_sighting(conn, sample_id, &report.path, seen_at)?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// One edge per child `report` lists, duplicates included (their content is stored under
/// another entry, or is the container itself). An edge already known is kept as it was, so
/// storing the same container again adds nothing.
fn insert_edges(conn: &Connection, report: &Report, seen_at: i64) -> Result<()> {
    let Some(parent) = sha256_key(&report.hashes.sha256) else { return Ok(()) };
    let mut edge = conn.prepare_cached(
        "INSERT INTO sample_edges (parent_sha256, child_sha256, name, size, format, first_seen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
    )?;
    // A child without a content hash cannot be keyed; its container's report still lists it.
    for (child, sha256) in report.children.iter().filter_map(|c| sha256_key(&c.sha256).map(|s| (c, s))) {
        edge.execute(params![parent, sha256, child.name, child.size as i64, child.format, seen_at])?;
    }
    Ok(())
}
