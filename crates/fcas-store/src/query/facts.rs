//! Samples by a fact of their latest report: imphash, imported function, indicator.
use rusqlite::params;

use super::{clamp_limit, sample_summaries, SampleSummary};
use crate::{Result, Store, StoreError};

/// An import to look for: `kernel32.dll!VirtualAllocEx`, `kernel32.dll` (any function of it) or
/// `!VirtualAllocEx` / `VirtualAllocEx` (from any DLL). Matching ignores case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSpec {
    /// Library, when given.
    pub dll: Option<String>,
    /// Function, when given.
    pub function: Option<String>,
}

impl ImportSpec {
    /// Parses the `DLL!FUNC` notation. Text with a dot and no `!` is a library name.
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim();
        let non_empty = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let spec = match text.split_once('!') {
            Some((dll, function)) => Self { dll: non_empty(dll), function: non_empty(function) },
            None if text.contains('.') => Self { dll: non_empty(text), function: None },
            None => Self { dll: None, function: non_empty(text) },
        };
        if spec.dll.is_none() && spec.function.is_none() {
            return Err(StoreError::InvalidQuery("give an import as DLL!FUNCTION, DLL or FUNCTION".into()));
        }
        Ok(spec)
    }
}

impl Store {
    /// Samples whose PE import hash is `imphash`.
    pub fn by_imphash(&self, imphash: &str, limit: u32) -> Result<Vec<SampleSummary>> {
        let mut statement = self.conn.prepare_cached("SELECT id FROM samples WHERE imphash = ?1 ORDER BY last_seen DESC, id LIMIT ?2")?;
        let ids: Vec<i64> = statement
            .query_map(params![imphash.trim().to_ascii_lowercase(), clamp_limit(limit)], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        sample_summaries(&self.conn, &ids)
    }

    /// Samples whose latest report imports `spec`, most recently analysed first.
    pub fn by_import(&self, spec: &ImportSpec, limit: u32) -> Result<Vec<SampleSummary>> {
        let (condition, first, second) = match (&spec.dll, &spec.function) {
            (Some(dll), Some(function)) => ("n.function = ?1 AND n.dll = ?2", function.clone(), dll.clone()),
            (Some(dll), None) => ("n.dll = ?1 AND ?2 = ?2", dll.clone(), String::new()),
            (None, Some(function)) => ("n.function = ?1 AND ?2 = ?2", function.clone(), String::new()),
            (None, None) => return Ok(Vec::new()),
        };
        // Newest first: the imports primary key (name_id, report_id) yields rows in that order,
        // so a common import stops after `limit` rows instead of sorting every match.
        let sql = format!(
            "SELECT DISTINCT s.id FROM import_names n
             JOIN imports i ON i.name_id = n.id
             JOIN samples s ON s.latest_report_id = i.report_id
             WHERE {condition} ORDER BY i.report_id DESC LIMIT ?3"
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let ids: Vec<i64> =
            statement.query_map(params![first, second, clamp_limit(limit)], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
        sample_summaries(&self.conn, &ids)
    }

    /// Samples whose latest report raised indicator `id` (a trailing `*` matches a prefix:
    /// `pe.packer.*`), most recently analysed first.
    pub fn by_indicator(&self, id: &str, limit: u32) -> Result<Vec<SampleSummary>> {
        let id = id.trim();
        let (low, high) = match id.strip_suffix('*') {
            Some(prefix) => (prefix.to_string(), format!("{prefix}\u{10ffff}")),
            None => (id.to_string(), format!("{id}\0")),
        };
        let mut statement = self.conn.prepare_cached(
            "SELECT DISTINCT s.id FROM indicators i JOIN samples s ON s.latest_report_id = i.report_id
             WHERE i.indicator_id >= ?1 AND i.indicator_id < ?2 ORDER BY i.report_id DESC LIMIT ?3",
        )?;
        let ids: Vec<i64> =
            statement.query_map(params![low, high, clamp_limit(limit)], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
        sample_summaries(&self.conn, &ids)
    }

    /// Samples matching any hash or hash prefix.
    pub fn lookup(&self, hash: &str, limit: u32) -> Result<Vec<SampleSummary>> {
        let ids = super::lookup_ids(&self.conn, hash, clamp_limit(limit))?;
        sample_summaries(&self.conn, &ids)
    }
}
