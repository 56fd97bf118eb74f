//! Settings and the app's status.
use super::BackendState;
use crate::backend::settings::{Appearance, Settings};
use crate::backend::status::AppStatus;
use crate::backend::AppResult;

/// The saved settings.
#[tauri::command(async)]
pub fn get_settings(backend: BackendState<'_>) -> AppResult<Settings> {
    Ok(backend.settings())
}

/// Validates, saves and applies settings.
#[tauri::command(async)]
pub fn save_settings(backend: BackendState<'_>, settings: Settings) -> AppResult<()> {
    backend.save_settings(settings)
}

/// Saves the theme and zoom only.
#[tauri::command(async)]
pub fn save_appearance(backend: BackendState<'_>, appearance: Appearance) -> AppResult<()> {
    backend.save_appearance(appearance)
}

/// Version, analyzer, store and models.
#[tauri::command(async)]
pub fn app_status(backend: BackendState<'_>) -> AppResult<AppStatus> {
    Ok(backend.status())
}
