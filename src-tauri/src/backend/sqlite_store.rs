//! The app's case store: the SQLite database of `fcas-store`, the same file `fcas scan --db` and
//! `fcas db` use, seen through the [`CaseStore`] trait.
use std::path::Path;

use fcas_report::Report;
use fcas_store::query::{HistoryEntry, HistoryFilter, SampleDetail};
use fcas_store::similarity::{self, EngineMetric};
use fcas_store::{Store, StoreError};

use super::error::{AppError, AppResult};
use super::store::{Annotation, CaseStore, HistoryQuery, Note, SampleRow, SimilarHit, Similarity, StoredSample, DEFAULT_HISTORY_ROWS};

/// A case store kept in an SQLite file.
pub struct SqliteStore {
    store: Store,
}

impl SqliteStore {
    /// Opens the case store at `path`, creating it (and its folder) when missing. A file that is
    /// not a case store, or one written by a newer FCAS, is refused untouched.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Ok(Self { store: Store::open(path)? })
    }
}

impl CaseStore for SqliteStore {
    fn location(&self) -> String {
        self.store.path().display().to_string()
    }

    fn find(&mut self, sha256: &str) -> AppResult<Option<StoredSample>> {
        if !is_sha256(sha256) {
            return Err(AppError::invalid(format!("{sha256:?} is not a SHA-256 (64 hexadecimal characters)")));
        }
        match self.store.show(sha256) {
            Ok(detail) => Ok(stored_sample(detail)),
            Err(StoreError::NotFound { .. }) => Ok(None),
            Err(error) => Err(app_error(error)),
        }
    }

    fn insert(&mut self, report: &Report) -> AppResult<()> {
        self.store.insert_report(report).map(drop).map_err(app_error)
    }

    fn history(&mut self, query: &HistoryQuery) -> AppResult<Vec<SampleRow>> {
        // One row per sample, as the History view lists samples (its latest report).
        let filter = HistoryFilter {
            verdict: query.verdict.clone(),
            format: query.format.clone(),
            tag: query.tag.clone(),
            latest_only: true,
            limit: if query.limit == 0 { DEFAULT_HISTORY_ROWS } else { query.limit },
            offset: query.offset,
            ..HistoryFilter::default()
        };
        let entries = self.store.history(&filter).map_err(app_error)?;
        Ok(entries.into_iter().map(sample_row).collect())
    }

    fn similar(&mut self, sha256: &str, top: usize) -> AppResult<Similarity> {
        let found = similarity::similar(self.store.connection(), sha256, top, &EngineMetric).map_err(app_error)?;
        let hits = found.by_tlsh.into_iter().chain(found.by_ssdeep).map(similar_hit).collect();
        Ok(Similarity { sha256: found.query.sha256, hits, notes: found.notes })
    }

    fn annotate(&mut self, sha256: &str, change: &Annotation) -> AppResult<()> {
        // One transaction: a refused tag leaves the sample as it was.
        self.store.connection().execute_batch("BEGIN IMMEDIATE").map_err(|e| app_error(e.into()))?;
        let applied = apply_annotation(&mut self.store, sha256, change);
        let end = if applied.is_ok() { "COMMIT" } else { "ROLLBACK" };
        let ended = self.store.connection().execute_batch(end).map_err(|e| app_error(e.into()));
        applied.and(ended)
    }
}

fn apply_annotation(store: &mut Store, sha256: &str, change: &Annotation) -> AppResult<()> {
    for tag in &change.remove_tags {
        store.remove_tag(sha256, tag).map_err(app_error)?;
    }
    for tag in &change.add_tags {
        store.add_tag(sha256, tag).map_err(app_error)?;
    }
    if let Some(text) = change.note.as_ref().filter(|t| !t.trim().is_empty()) {
        store.add_note(sha256, text).map_err(app_error)?;
    }
    Ok(())
}

fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

fn stored_sample(detail: SampleDetail) -> Option<StoredSample> {
    Some(StoredSample {
        report: detail.latest?,
        tags: detail.sample.tags,
        notes: detail.notes.into_iter().map(|n| Note { created_at: n.created_at, text: n.text }).collect(),
        names: detail.all_names,
    })
}

fn sample_row(entry: HistoryEntry) -> SampleRow {
    SampleRow {
        sha256: entry.sha256,
        name: entry.name.unwrap_or_default(),
        format: entry.format,
        file_type: entry.file_type,
        size: entry.size,
        verdict: entry.verdict,
        score: entry.score,
        tags: entry.tags,
        analysed_at: entry.analysed_at,
        error_count: entry.error_count,
    }
}

fn similar_hit(hit: similarity::SimilarHit) -> SimilarHit {
    SimilarHit {
        name: hit.sample.names.first().cloned().unwrap_or_default(),
        sha256: hit.sample.sha256,
        verdict: hit.sample.verdict,
        format: hit.sample.format,
        matched_by: hit.matched_by,
        tlsh_distance: hit.tlsh_distance,
        ssdeep_score: hit.ssdeep_score,
    }
}

/// The store's error as the front end shows it.
fn app_error(error: StoreError) -> AppError {
    let message = error.to_string();
    match error {
        StoreError::NotFound { .. } => AppError::not_found(message),
        StoreError::InvalidQuery(_) | StoreError::Ambiguous { .. } | StoreError::MissingSha256 { .. } => AppError::invalid(message),
        _ => AppError::io(message),
    }
}
