//! Everything stored about one sample.
use rusqlite::params;
use serde::Serialize;

use super::{resolve_sample, sample_summaries, SampleSummary};
use crate::{Result, Store, StoreError};

/// One stored report, without its body.
#[derive(Debug, Clone, Serialize)]
pub struct ReportMeta {
    /// Row id.
    pub report_id: i64,
    /// When it was analysed, Unix seconds.
    pub analysed_at: i64,
    /// Engine version.
    pub engine_version: String,
    /// Models (`model=version,...`).
    pub models_version: String,
    /// `local` or the worker's identity.
    pub worker: String,
    /// Verdict label.
    pub verdict: Option<String>,
    /// Verdict score.
    pub score: Option<f64>,
}

/// An analyst note.
#[derive(Debug, Clone, Serialize)]
pub struct StoredNote {
    /// When it was written, Unix seconds.
    pub created_at: i64,
    /// The text.
    pub text: String,
}

/// A sample with its history, annotations and latest full report.
#[derive(Debug, Clone, Serialize)]
pub struct SampleDetail {
    /// The sample.
    pub sample: SampleSummary,
    /// SHA-512.
    pub sha512: String,
    /// ssdeep hash.
    pub ssdeep: Option<String>,
    /// TLSH hash.
    pub tlsh: Option<String>,
    /// PE import hash.
    pub imphash: Option<String>,
    /// When the analyst marked it reviewed, Unix seconds (`None`: not reviewed).
    pub reviewed_at: Option<i64>,
    /// Every name it was seen under, most recent first.
    pub all_names: Vec<String>,
    /// Analyst notes, oldest first.
    pub notes: Vec<StoredNote>,
    /// Every stored report, newest first.
    pub reports: Vec<ReportMeta>,
    /// The latest report in full.
    pub latest: Option<fcas_report::Report>,
}

/// A sample's latest report with the analyst's tags and notes: what a report view shows.
#[derive(Debug, Clone, Serialize)]
pub struct StoredSample {
    /// The latest report.
    pub report: fcas_report::Report,
    /// Analyst tags, sorted.
    pub tags: Vec<String>,
    /// Analyst notes, oldest first.
    pub notes: Vec<StoredNote>,
    /// Every name it was seen under, most recent first.
    pub names: Vec<String>,
    /// When the analyst marked it reviewed, Unix seconds (`None`: not reviewed).
    pub reviewed_at: Option<i64>,
    /// When the latest report was made, Unix seconds.
    pub analysed_at: i64,
}

impl Store {
    /// The sample whose SHA-256 is exactly `sha256` with its latest report, or `None` when no
    /// report of it is stored. Unlike [`Store::show`], no prefix or other hash is accepted: a
    /// view asking for one sample must get that one.
    pub fn stored_sample(&self, sha256: &str) -> Result<Option<StoredSample>> {
        let sha256 = sha256.trim().to_ascii_lowercase();
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(StoreError::InvalidQuery(format!("{sha256:?} is not a SHA-256 (64 hexadecimal characters)")));
        }
        match self.show(&sha256) {
            Ok(detail) => {
                let latest_id = detail.sample.latest_report_id;
                let analysed_at = detail.reports.iter().find(|r| Some(r.report_id) == latest_id).map_or(0, |r| r.analysed_at);
                Ok(detail.latest.map(|report| StoredSample {
                    report,
                    tags: detail.sample.tags,
                    notes: detail.notes,
                    names: detail.all_names,
                    reviewed_at: detail.reviewed_at,
                    analysed_at,
                }))
            }
            Err(StoreError::NotFound { .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Everything stored about the sample named by `hash` (any hash or a unique prefix).
    pub fn show(&self, hash: &str) -> Result<SampleDetail> {
        let found = resolve_sample(&self.conn, hash)?;
        let sample =
            sample_summaries(&self.conn, &[found.id])?.into_iter().next().ok_or_else(|| StoreError::NotFound { query: hash.into() })?;
        let (sha512, ssdeep, tlsh, imphash, reviewed_at) =
            self.conn.query_row("SELECT sha512, ssdeep, tlsh, imphash, reviewed_at FROM samples WHERE id = ?1", [found.id], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?))
            })?;
        let all_names = self
            .conn
            .prepare_cached("SELECT name FROM sample_names WHERE sample_id = ?1 ORDER BY last_seen DESC, name")?
            .query_map([found.id], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let notes = self
            .conn
            .prepare_cached("SELECT created_at, text FROM notes WHERE sample_id = ?1 ORDER BY created_at, id")?
            .query_map([found.id], |row| Ok(StoredNote { created_at: row.get(0)?, text: row.get(1)? }))?
            .collect::<rusqlite::Result<_>>()?;
        let reports = self
            .conn
            .prepare_cached(
                "SELECT id, analysed_at, engine_version, models_version, worker, verdict, score
                 FROM reports WHERE sample_id = ?1 ORDER BY id DESC",
            )?
            .query_map(params![found.id], |row| {
                Ok(ReportMeta {
                    report_id: row.get(0)?,
                    analysed_at: row.get(1)?,
                    engine_version: row.get(2)?,
                    models_version: row.get(3)?,
                    worker: row.get(4)?,
                    verdict: row.get(5)?,
                    score: row.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let latest = sample.latest_report_id.map(|id| self.load_report(id)).transpose()?;
        Ok(SampleDetail { sample, sha512, ssdeep, tlsh, imphash, reviewed_at, all_names, notes, reports, latest })
    }
}
