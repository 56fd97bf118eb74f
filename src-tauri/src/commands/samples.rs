//! Reading the case store: a report, the history, similar samples, what was found inside what;
//! tags, notes and the reviewed mark.
use super::BackendState;
use fcas_report::FoundString;
use fcas_store::query::{Annotation, Edge, HistoryEntry, HistoryFilter, ReviewChange};
use fcas_store::similarity::SimilarityResult;

use crate::backend::{AppResult, SampleView};

/// The stored report (with tags and notes) of one sample; `strings: false` leaves its string
/// list out (read it with `get_report_strings`).
#[tauri::command(async)]
pub fn get_report(backend: BackendState<'_>, sha256: String, strings: Option<bool>) -> AppResult<SampleView> {
    backend.report_view(&sha256, strings.unwrap_or(true))
}

/// The string list of a sample's stored report.
#[tauri::command(async)]
pub fn get_report_strings(backend: BackendState<'_>, sha256: String) -> AppResult<Vec<FoundString>> {
    backend.report_strings(&sha256)
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

/// The children a container's reports listed (each with its stored format, size and verdict).
#[tauri::command(async)]
pub fn children(backend: BackendState<'_>, sha256: String) -> AppResult<Vec<Edge>> {
    backend.with_store(|store| store.children(&sha256))
}

/// The containers a sample was found in, first found first.
#[tauri::command(async)]
pub fn parents(backend: BackendState<'_>, sha256: String) -> AppResult<Vec<Edge>> {
    backend.with_store(|store| store.parents(&sha256))
}

/// Adds or removes tags and appends a note.
#[tauri::command(async)]
pub fn update_sample(backend: BackendState<'_>, sha256: String, change: Annotation) -> AppResult<()> {
    backend.annotate(&sha256, &change)
}

/// Applies the same tag change to every checked sample (all or none).
#[tauri::command(async)]
pub fn update_samples(backend: BackendState<'_>, sha256s: Vec<String>, change: Annotation) -> AppResult<()> {
    backend.with_store(|store| store.annotate_many(&sha256s, &change))
}

/// Marks a sample reviewed or not.
#[tauri::command(async)]
pub fn set_reviewed(backend: BackendState<'_>, sha256: String, reviewed: bool) -> AppResult<ReviewChange> {
    backend.with_store(|store| store.set_reviewed(&sha256, reviewed))
}
