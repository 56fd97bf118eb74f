//! The analysis history: every stored report, newest first or in another indexed order, with
//! filters and paging.
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

use super::lookup::lookup_ids_or_imphash;
use super::{clamp_limit, HistorySort, DEFAULT_LIMIT, MAX_LIMIT};
use crate::{Result, Store};

/// Which reports to list (fields left out of a JSON query keep their defaults).
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct HistoryFilter {
    /// Verdict label of the report (`malicious`, `benign`, ...); `none` for reports without one.
    pub verdict: Option<String>,
    /// Detected format of the sample (`pe`, `elf`, ...).
    pub format: Option<String>,
    /// Analysed at or after this time (Unix seconds).
    pub since: Option<i64>,
    /// Analysed before this time (Unix seconds).
    pub until: Option<i64>,
    /// The sample carries this analyst tag.
    pub tag: Option<String>,
    /// Only each sample's latest report.
    pub latest_only: bool,
    /// Only reviewed samples (`true`) or only samples not reviewed yet (`false`).
    pub reviewed: Option<bool>,
    /// Only samples whose MD5, SHA-1, SHA-256, SHA-512 or imphash is (or, from 4 characters,
    /// starts with) this hexadecimal text.
    pub hash: Option<String>,
    /// The column the rows are sorted by.
    pub sort: HistorySort,
    /// Smallest first (default: largest, newest first).
    pub ascending: bool,
    /// Rows per page.
    pub limit: u32,
    /// Rows skipped (page * limit).
    pub offset: u32,
}

impl Default for HistoryFilter {
    fn default() -> Self {
        Self {
            verdict: None,
            format: None,
            since: None,
            until: None,
            tag: None,
            latest_only: false,
            reviewed: None,
            hash: None,
            sort: HistorySort::Date,
            ascending: false,
            limit: DEFAULT_LIMIT,
            offset: 0,
        }
    }
}

impl HistoryFilter {
    /// The WHERE clause and its parameters, and whether the clause reads the `samples` row
    /// (`s`) besides the report's (`r`). `sample_ids` are the samples the hash named, when one was given.
    pub(crate) fn to_sql(&self, sample_ids: Option<&[i64]>) -> (String, Vec<Value>, bool) {
        // Samples are named by `s.id` when the query is driven from samples, so that a tag or a
        // hash never makes it read a report row (a report row holds its body).
        let sample_id = if self.sort.reads_samples_first() { "s.id" } else { "r.sample_id" };
        let mut clauses = vec!["1 = 1".to_string()];
        let mut values: Vec<Value> = Vec::new();
        let bind = |clause: &str, value: Value, values: &mut Vec<Value>| {
            values.push(value);
            clause.replace('?', &format!("?{}", values.len()))
        };
        // Driven from samples, the latest report's verdict is read from the sample row (and its
        // index with the sorted column), not from the report.
        let verdict_column = if self.verdict_from_sample() { "s.latest_verdict" } else { "r.verdict" };
        match self.verdict.as_deref() {
            Some("none") => clauses.push(format!("{verdict_column} IS NULL")),
            Some(verdict) => clauses.push(bind(&format!("{verdict_column} = ?"), Value::Text(verdict.to_ascii_lowercase()), &mut values)),
            None => {}
        }
        if let Some(format) = &self.format {
            clauses.push(bind("s.format = ?", Value::Text(format.to_ascii_lowercase()), &mut values));
        }
        if let Some(since) = self.since {
            clauses.push(bind("r.analysed_at >= ?", Value::Integer(since), &mut values));
        }
        if let Some(until) = self.until {
            clauses.push(bind("r.analysed_at < ?", Value::Integer(until), &mut values));
        }
        if let Some(tag) = &self.tag {
            // Drives the query from the (usually few) tagged samples instead of scanning history.
            let clause = format!("{sample_id} IN (SELECT sample_id FROM tags WHERE tag = ?)");
            clauses.push(bind(&clause, Value::Text(tag.clone()), &mut values));
        }
        if self.latest_only && self.reads_reports() {
            clauses.push("s.latest_report_id = r.id".into());
        } else if self.latest_only {
            clauses.push("s.latest_report_id IS NOT NULL".into());
        }
        match self.reviewed {
            Some(true) => clauses.push("s.reviewed_at IS NOT NULL".into()),
            Some(false) => clauses.push("s.reviewed_at IS NULL".into()),
            None => {}
        }
        if let Some(ids) = sample_ids {
            let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
            let clause = format!("{sample_id} IN (SELECT value FROM json_each(?))");
            clauses.push(bind(&clause, Value::Text(format!("[{list}]")), &mut values));
        }
        let reads_sample = self.format.is_some() || self.latest_only || self.reviewed.is_some() || self.verdict_from_sample();
        (clauses.join(" AND "), values, reads_sample)
    }

    /// Whether choosing the page needs the report rows: an order or a filter on a report column,
    /// or every report of a sample rather than its latest.
    pub(crate) fn reads_reports(&self) -> bool {
        let verdict_on_report = self.verdict.is_some() && !self.verdict_from_sample();
        !self.sort.reads_samples_first() || !self.latest_only || verdict_on_report || self.since.is_some() || self.until.is_some()
    }

    /// Whether the verdict filter reads `samples.latest_verdict` (migration 10): only the latest
    /// reports are listed, in a sample column's order.
    fn verdict_from_sample(&self) -> bool {
        self.latest_only && self.sort.reads_samples_first()
    }
}

/// One stored report in the history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    /// Row id of the report.
    pub report_id: i64,
    /// When it was analysed, Unix seconds.
    pub analysed_at: i64,
    /// SHA-256 of the sample.
    pub sha256: String,
    /// Most recent file name of the sample.
    pub name: Option<String>,
    /// Detected format.
    pub format: String,
    /// Human description of the type.
    pub file_type: String,
    /// Size in bytes.
    pub size: u64,
    /// Verdict label, when models ran.
    pub verdict: Option<String>,
    /// Verdict score.
    pub score: Option<f64>,
    /// Engine version that produced the report.
    pub engine_version: String,
    /// Models (`model=version,...`) whose predictions it holds.
    pub models_version: String,
    /// `local` or the worker that produced it.
    pub worker: String,
    /// Number of stage errors in the report.
    pub error_count: u32,
    /// Analyst tags of the sample.
    pub tags: Vec<String>,
    /// Entries its reports listed when it is a container (0 for any other file).
    #[serde(default)]
    pub children: u64,
    /// When the analyst marked the sample reviewed, Unix seconds (`None`: not reviewed).
    pub reviewed_at: Option<i64>,
}

impl Store {
    /// Stored reports matching `filter`, in its order (newest first by default).
    pub fn history(&self, filter: &HistoryFilter) -> Result<Vec<HistoryEntry>> {
        let sample_ids = match filter.hash.as_deref().map(str::trim).filter(|h| !h.is_empty()) {
            Some(hash) => Some(lookup_ids_or_imphash(&self.conn, hash, MAX_LIMIT)?),
            None => None,
        };
        let (clause, mut values, reads_sample) = filter.to_sql(sample_ids.as_deref());
        values.push(Value::Integer(i64::from(clamp_limit(filter.limit))));
        values.push(Value::Integer(i64::from(filter.offset)));
        // The page is chosen first, from the indexes alone (the report and sample rows of the
        // skipped ones are never read: a report row holds its body), then its rows are filled in.
        // CROSS JOIN fixes the loop order, so the index of the sorted column drives the query.
        // Sorted by a sample column with only sample filters: the page is read from `samples`
        // alone (each row names its latest report).
        let (picked, source) = if filter.sort.reads_samples_first() && !filter.reads_reports() {
            ("s.latest_report_id", "samples s".to_string())
        } else if filter.sort.reads_samples_first() {
            let report_of = if filter.latest_only { "r.id = s.latest_report_id" } else { "r.sample_id = s.id" };
            ("r.id", format!("samples s CROSS JOIN reports r ON {report_of}"))
        } else if reads_sample {
            ("r.id", "reports r CROSS JOIN samples s ON s.id = r.sample_id".to_string())
        } else {
            ("r.id", "reports r".to_string())
        };
        let page_order = filter.sort.order_by(filter.ascending, filter.reads_reports());
        let order = filter.sort.order_by(filter.ascending, true);
        let sql = format!(
            "WITH page AS (
                SELECT {picked} AS id FROM {source} WHERE {clause}
                ORDER BY {page_order} LIMIT ?{} OFFSET ?{})
             SELECT r.id, r.analysed_at, s.sha256, s.name,
                    s.format, s.file_type, s.size, r.verdict, r.score, r.engine_version, r.models_version, r.worker,
                    r.error_count, (SELECT group_concat(tag, char(31)) FROM (SELECT tag FROM tags t WHERE t.sample_id = s.id ORDER BY tag)),
                    (SELECT count(*) FROM sample_edges e WHERE e.parent_sha256 = s.sha256), s.reviewed_at
             FROM page CROSS JOIN reports r ON r.id = page.id JOIN samples s ON s.id = r.sample_id
             ORDER BY {order}",
            values.len() - 1,
            values.len()
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let rows = statement.query_map(rusqlite::params_from_iter(values), |row| {
            Ok(HistoryEntry {
                report_id: row.get(0)?,
                analysed_at: row.get(1)?,
                sha256: row.get(2)?,
                name: row.get(3)?,
                format: row.get(4)?,
                file_type: row.get(5)?,
                size: row.get::<_, i64>(6)?.max(0) as u64,
                verdict: row.get(7)?,
                score: row.get(8)?,
                engine_version: row.get(9)?,
                models_version: row.get(10)?,
                worker: row.get(11)?,
                error_count: row.get::<_, i64>(12)?.clamp(0, i64::from(u32::MAX)) as u32,
                tags: row.get::<_, Option<String>>(13)?.map(|t| t.split('\u{1f}').map(str::to_owned).collect()).unwrap_or_default(),
                children: row.get::<_, i64>(14)?.max(0) as u64,
                reviewed_at: row.get(15)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
