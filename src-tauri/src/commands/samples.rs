//! Reading the case store: a report, the history, similar samples; tags and notes.
use super::BackendState;
use fcas_store::query::{Annotation, HistoryEntry, HistoryFilter, StoredSample};
use fcas_store::similarity::SimilarityResult;

use crate::backend::AppResult;

/// The stored report (with tags and notes) of one sample.
#[tauri::command(async)]
pub fn get_report(backend: BackendState<'_>, sha256: String) -> AppResult<StoredSample> {
    backend.report(&sha256)
}

/// History rows, newest first.
#[tauri::command(async)]
pub fn list_samples(backend: BackendState<'_>, query: HistoryFilter) -> AppResult<Vec<HistoryEntry>> {
    backend.history(&query)
}

/// The `top` nearest stored samples by TLSH and ssdeep.
#[tauri::command(async)]
pub fn similar_samples(backend: BackendState<'_>, sha256: String, top: usize) -> AppResult<SimilarityResult> {
    backend.similar(&sha256, top)
}

/// Adds or removes tags and appends a note.
#[tauri::command(async)]
pub fn update_sample(backend: BackendState<'_>, sha256: String, change: Annotation) -> AppResult<()> {
    backend.annotate(&sha256, &change)
}
