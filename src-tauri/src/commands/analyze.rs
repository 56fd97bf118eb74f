//! Queueing files: from a drop (paths granted by the window's drop event) or from a dialog.
use std::path::PathBuf;

use tauri_plugin_dialog::DialogExt;

use super::BackendState;
use crate::backend::{AppResult, QueuedScans};

/// Queues dropped files and folders. Progress arrives as `fcas://scan` events.
#[tauri::command(async)]
pub fn analyze_paths(backend: BackendState<'_>, paths: Vec<String>) -> AppResult<QueuedScans> {
    backend.analyze_paths(paths.into_iter().map(PathBuf::from).collect())
}

/// Asks for files (or a folder) in the system dialog, then queues them.
#[tauri::command(async)]
pub fn pick_and_analyze(app: tauri::AppHandle, backend: BackendState<'_>, folder: bool) -> AppResult<QueuedScans> {
    let dialog = app.dialog().file().set_title(if folder { "Analyse a folder" } else { "Analyse files" });
    let picked = if folder { dialog.blocking_pick_folders() } else { dialog.blocking_pick_files() };
    let paths: Vec<PathBuf> = picked.unwrap_or_default().into_iter().filter_map(|p| p.into_path().ok()).collect();
    paths.iter().for_each(|path| backend.grants.grant(path));
    backend.analyze_paths(paths)
}
