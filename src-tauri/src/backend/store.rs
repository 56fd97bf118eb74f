//! The case store as the app sees it: what the History, Similar and report views need. The app
//! uses the SQLite case store ([`super::sqlite_store::SqliteStore`]); [`MemoryStore`] serves tests
//! and stands in when the database file cannot be opened.
use fcas_report::Report;
use serde::{Deserialize, Serialize};

use super::error::AppResult;

/// One row of the History view.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SampleRow {
    /// SHA-256 of the sample.
    pub sha256: String,
    /// Latest file name it was seen under.
    pub name: String,
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
    /// Analyst tags.
    pub tags: Vec<String>,
    /// When it was analysed, Unix seconds.
    pub analysed_at: i64,
    /// Stage errors in the report.
    pub error_count: u32,
}

/// Rows a History query gets when it asks for none in particular.
pub const DEFAULT_HISTORY_ROWS: u32 = 100;

/// Which rows the History view asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HistoryQuery {
    /// Verdict label to keep (`none` for reports without one).
    pub verdict: Option<String>,
    /// Format to keep.
    pub format: Option<String>,
    /// Tag to keep.
    pub tag: Option<String>,
    /// Rows per page (the store caps it).
    pub limit: u32,
    /// Rows skipped.
    pub offset: u32,
}

/// An analyst note.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Note {
    /// When it was written, Unix seconds.
    pub created_at: i64,
    /// The text.
    pub text: String,
}

/// A stored sample opened in the report views.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StoredSample {
    /// The latest report.
    pub report: Report,
    /// Analyst tags.
    pub tags: Vec<String>,
    /// Analyst notes, oldest first.
    pub notes: Vec<Note>,
    /// Names it was seen under, most recent first.
    pub names: Vec<String>,
}

/// One neighbour in the Similar view.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SimilarHit {
    /// The neighbour's SHA-256.
    pub sha256: String,
    /// Its latest name.
    pub name: String,
    /// Its verdict label.
    pub verdict: Option<String>,
    /// Its format.
    pub format: String,
    /// `tlsh` or `ssdeep`: which hash ranked it.
    pub matched_by: String,
    /// TLSH distance (lower is closer).
    pub tlsh_distance: Option<u32>,
    /// ssdeep score 0..100 (higher is closer).
    pub ssdeep_score: Option<u32>,
}

/// The Similar view's data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Similarity {
    /// The sample searched for.
    pub sha256: String,
    /// Neighbours ranked by TLSH then by ssdeep (a sample may appear in both).
    pub hits: Vec<SimilarHit>,
    /// Limits reached or hashes missing, one sentence each.
    pub notes: Vec<String>,
}

/// A tag or note change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Annotation {
    /// Tags to add.
    pub add_tags: Vec<String>,
    /// Tags to remove.
    pub remove_tags: Vec<String>,
    /// A note to append.
    pub note: Option<String>,
}

/// What the app needs from a case store.
pub trait CaseStore: Send {
    /// Where the store lives, for Settings.
    fn location(&self) -> String;
    /// Why this store stands in for the configured database (which could not be opened), with
    /// what to do about it; `None` when it is the configured store.
    fn problem(&self) -> Option<String> {
        None
    }
    /// The stored sample with this SHA-256, if any.
    fn find(&mut self, sha256: &str) -> AppResult<Option<StoredSample>>;
    /// Stores a report (its sample is keyed by `report.hashes.sha256`).
    fn insert(&mut self, report: &Report) -> AppResult<()>;
    /// History rows, newest first.
    fn history(&mut self, query: &HistoryQuery) -> AppResult<Vec<SampleRow>>;
    /// Nearest stored samples by TLSH and ssdeep.
    fn similar(&mut self, sha256: &str, top: usize) -> AppResult<Similarity>;
    /// Adds or removes tags and appends a note.
    fn annotate(&mut self, sha256: &str, change: &Annotation) -> AppResult<()>;
}

/// A store held in memory: for tests, and what the app keeps reports in when its database file
/// cannot be opened.
#[derive(Debug, Default)]
pub struct MemoryStore {
    samples: Vec<StoredSample>,
    analysed_at: Vec<i64>,
    /// Why the database is not in use, when this store stands in for it.
    fallback_reason: Option<String>,
}

impl MemoryStore {
    /// A memory store standing in for a database that could not be opened; `reason` says what
    /// went wrong and what to do, and is shown wherever the store's location is.
    pub fn fallback(reason: String) -> Self {
        Self { fallback_reason: Some(reason), ..Self::default() }
    }

    fn position(&self, sha256: &str) -> Option<usize> {
        self.samples.iter().position(|s| s.report.hashes.sha256 == sha256)
    }
}

impl CaseStore for MemoryStore {
    fn location(&self) -> String {
        let memory = "memory (nothing is kept after the app closes)";
        match &self.fallback_reason {
            Some(reason) => format!("{memory}. {reason}"),
            None => memory.into(),
        }
    }

    fn problem(&self) -> Option<String> {
        self.fallback_reason.clone()
    }

    fn find(&mut self, sha256: &str) -> AppResult<Option<StoredSample>> {
        Ok(self.position(sha256).and_then(|i| self.samples.get(i).cloned()))
    }

    fn insert(&mut self, report: &Report) -> AppResult<()> {
        let name = file_name(&report.path);
        let now = super::unix_now();
        match self.position(&report.hashes.sha256) {
            Some(i) => {
                if let Some(sample) = self.samples.get_mut(i) {
                    sample.report = report.clone();
                    sample.names.retain(|n| *n != name);
                    sample.names.insert(0, name);
                }
                if let Some(at) = self.analysed_at.get_mut(i) {
                    *at = now;
                }
            }
            None => {
                self.samples.push(StoredSample { report: report.clone(), names: vec![name], ..StoredSample::default() });
                self.analysed_at.push(now);
            }
        }
        Ok(())
    }

    fn history(&mut self, query: &HistoryQuery) -> AppResult<Vec<SampleRow>> {
        let rows = self.samples.iter().zip(&self.analysed_at).rev().map(|(sample, at)| row_of(sample, *at));
        let wanted = |row: &SampleRow| {
            query.format.as_ref().is_none_or(|f| *f == row.format)
                && query.tag.as_ref().is_none_or(|t| row.tags.contains(t))
                && query.verdict.as_ref().is_none_or(|v| match v.as_str() {
                    "none" => row.verdict.is_none(),
                    v => row.verdict.as_deref() == Some(v),
                })
        };
        let limit = if query.limit == 0 { DEFAULT_HISTORY_ROWS } else { query.limit } as usize;
        Ok(rows.filter(wanted).skip(query.offset as usize).take(limit).collect())
    }

    fn similar(&mut self, sha256: &str, _top: usize) -> AppResult<Similarity> {
        Ok(Similarity { sha256: sha256.to_string(), hits: Vec::new(), notes: vec!["similarity needs the case store database".into()] })
    }

    fn annotate(&mut self, sha256: &str, change: &Annotation) -> AppResult<()> {
        let i = self.position(sha256).ok_or_else(|| super::AppError::not_found(format!("no stored sample {sha256}")))?;
        let Some(sample) = self.samples.get_mut(i) else {
            return Ok(());
        };
        sample.tags.retain(|t| !change.remove_tags.contains(t));
        for tag in &change.add_tags {
            if !sample.tags.contains(tag) {
                sample.tags.push(tag.clone());
            }
        }
        sample.tags.sort();
        if let Some(text) = change.note.as_ref().filter(|t| !t.trim().is_empty()) {
            sample.notes.push(Note { created_at: super::unix_now(), text: text.clone() });
        }
        Ok(())
    }
}

fn row_of(sample: &StoredSample, analysed_at: i64) -> SampleRow {
    let report = &sample.report;
    SampleRow {
        sha256: report.hashes.sha256.clone(),
        name: sample.names.first().cloned().unwrap_or_default(),
        format: serde_json::to_value(report.format).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
        file_type: report.file_type.description.clone(),
        size: report.size,
        verdict: report.verdict.as_ref().map(|v| v.label.clone()),
        score: report.verdict.as_ref().and_then(|v| v.score),
        tags: sample.tags.clone(),
        analysed_at,
        error_count: u32::try_from(report.errors.len()).unwrap_or(u32::MAX),
    }
}

/// The last component of a path as the analyst gave it.
pub fn file_name(path: &str) -> String {
    std::path::Path::new(path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.to_string())
}
