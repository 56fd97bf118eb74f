//! What was found inside what: a container's children and the containers a sample came out of.
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::resolve_sample;
use crate::write::sha256_key;
use crate::{Result, Store, StoreError};

/// One end of a parent-child edge, seen from the other end.
#[derive(Debug, Clone, Serialize)]
pub struct Edge {
    /// SHA-256 of the sample at the other end: the child for `children`, the container for
    /// `parents`.
    pub sha256: String,
    /// The child's name inside the container.
    pub name: String,
    /// Detected format of the sample at the other end (`zip`, `pe`, ...).
    pub format: String,
    /// Its size in bytes.
    pub size: u64,
    /// Verdict label of its latest stored report, when models ran.
    pub verdict: Option<String>,
    /// Whether it is stored as a sample (a child can be listed without a report of its own).
    pub stored: bool,
}

/// Edges whose `parent_sha256` (children) or `child_sha256` (parents) is `?1`. Format and size
/// come from the stored sample, else from what the container listed.
const CHILDREN: &str = "
    SELECT e.child_sha256, e.name, coalesce(s.format, e.format), coalesce(s.size, e.size), r.verdict, s.id IS NOT NULL
    FROM sample_edges e LEFT JOIN samples s ON s.sha256 = e.child_sha256 LEFT JOIN reports r ON r.id = s.latest_report_id
    WHERE e.parent_sha256 = ?1 ORDER BY e.name, e.child_sha256";
const PARENTS: &str = "
    SELECT e.parent_sha256, e.name, coalesce(s.format, ''), coalesce(s.size, 0), r.verdict, s.id IS NOT NULL
    FROM sample_edges e LEFT JOIN samples s ON s.sha256 = e.parent_sha256 LEFT JOIN reports r ON r.id = s.latest_report_id
    WHERE e.child_sha256 = ?1 ORDER BY e.first_seen, e.parent_sha256, e.name";

impl Store {
    /// The children a container's reports listed, by name. `hash` is a full SHA-256 (a child
    /// never stored on its own is found too) or any hash or unique prefix of a stored sample.
    pub fn children(&self, hash: &str) -> Result<Vec<Edge>> {
        edges(&self.conn, hash, CHILDREN)
    }

    /// The containers a sample was found in ("where was this found?"), first found first.
    pub fn parents(&self, hash: &str) -> Result<Vec<Edge>> {
        edges(&self.conn, hash, PARENTS)
    }
}

fn edges(conn: &Connection, hash: &str, sql: &str) -> Result<Vec<Edge>> {
    let sha256 = edge_key(conn, hash)?;
    let mut statement = conn.prepare_cached(sql)?;
    let rows = statement.query_map([&sha256], |row| {
        Ok(Edge {
            sha256: row.get(0)?,
            name: row.get(1)?,
            format: row.get(2)?,
            size: row.get::<_, i64>(3)?.max(0) as u64,
            verdict: row.get(4)?,
            stored: row.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The SHA-256 `hash` names: a full one known as a sample or from any edge, else the one
/// stored sample it is a hash or prefix of. Unknown everywhere is [`StoreError::NotFound`].
fn edge_key(conn: &Connection, hash: &str) -> Result<String> {
    if let Some(sha256) = sha256_key(hash) {
        let known = conn
            .prepare_cached(
                "SELECT 1 FROM samples WHERE sha256 = ?1
                 UNION ALL SELECT 1 FROM sample_edges WHERE parent_sha256 = ?1
                 UNION ALL SELECT 1 FROM sample_edges WHERE child_sha256 = ?1 LIMIT 1",
            )?
            .query_row([&sha256], |_| Ok(()))
            .optional()?;
        return known.map(|()| sha256).ok_or_else(|| StoreError::NotFound { query: hash.to_string() });
    }
    Ok(resolve_sample(conn, hash)?.sha256)
}
