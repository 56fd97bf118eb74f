//! Exporting a report, samples as a STIX bundle or MISP event, or samples in an encrypted ZIP, to a file the analyst chooses in the save
//! dialog (the page never names a path to write).
use tauri_plugin_dialog::DialogExt;

use super::BackendState;
use crate::backend::export::{self, ExportedSamples};
use crate::backend::{AppError, AppResult};

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

/// Writes the stored samples `sha256s` into a ZIP encrypted with AES-256 (`password`, by default
/// `infected`) where the analyst chooses. Returns what was written and what could not be found
/// again, or `None` when the dialog was cancelled.
#[tauri::command(async)]
pub fn export_samples(
    app: tauri::AppHandle,
    backend: BackendState<'_>,
    sha256s: Vec<String>,
    password: Option<String>,
) -> AppResult<Option<ExportedSamples>> {
    let name = match sha256s.as_slice() {
        [one] => format!("{}.zip", one.get(..16).unwrap_or(one)),
        _ => "samples.zip".to_string(),
    };
    let Some(target) = app.dialog().file().set_file_name(name).add_filter("ZIP", &["zip"]).blocking_save_file() else {
        return Ok(None);
    };
    let path = target.into_path().map_err(|e| AppError::invalid(e.to_string()))?;
    backend.export_samples(&sha256s, &path, password.as_deref()).map(Some)
}

/// Writes a STIX 2.1 bundle (`format` `stix`) or a MISP event (`misp`) of the stored samples
/// `sha256s` where the analyst chooses. Returns the path written, or `None` when the dialog was
/// cancelled.
#[tauri::command(async)]
pub fn export_exchange(
    app: tauri::AppHandle,
    backend: BackendState<'_>,
    sha256s: Vec<String>,
    format: String,
) -> AppResult<Option<String>> {
    let content = backend.exchange_document(&sha256s, &format)?;
    let name = match sha256s.as_slice() {
        [one] => format!("{}.{format}.json", one.get(..16).unwrap_or(one)),
        _ => format!("samples.{format}.json"),
    };
    let Some(target) = app.dialog().file().set_file_name(name).add_filter(format.to_uppercase(), &["json"]).blocking_save_file() else {
        return Ok(None);
    };
    let path = target.into_path().map_err(|e| AppError::invalid(e.to_string()))?;
    export::write(&path, &content)?;
    Ok(Some(path.to_string_lossy().into_owned()))
}
