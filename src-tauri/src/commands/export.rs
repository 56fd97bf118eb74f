//! Exporting a report to a file the analyst chooses in the save dialog.
use tauri_plugin_dialog::DialogExt;

use super::BackendState;
use crate::backend::{export, AppError, AppResult};

/// Writes the report as JSON, or the page-built self-contained HTML, where the analyst chooses.
/// Returns the path written, or `None` when the dialog was cancelled.
#[tauri::command(async)]
pub fn export_report(
    app: tauri::AppHandle,
    backend: BackendState<'_>,
    sha256: String,
    format: String,
    html: Option<String>,
) -> AppResult<Option<String>> {
    let content = export::render(&backend.report(&sha256)?.report, &format, html)?;
    let name = format!("{}.{format}", sha256.get(..16).unwrap_or(&sha256));
    let Some(target) = app.dialog().file().set_file_name(name).add_filter(format.to_uppercase(), &[format.as_str()]).blocking_save_file()
    else {
        return Ok(None);
    };
    let path = target.into_path().map_err(|e| AppError::invalid(e.to_string()))?;
    export::write(&path, &content)?;
    Ok(Some(path.to_string_lossy().into_owned()))
}
