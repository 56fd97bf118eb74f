//! The FCAS desktop app: a Tauri shell over [`backend::Backend`]. Files are analysed in child
//! processes (`fcas worker --stdio`), reports go to the case store, progress reaches the page as
//! `fcas://scan` events, and the page reads reports back through the commands in [`commands`].
#![deny(missing_docs)]

pub mod backend;
pub mod commands;
pub mod downloads;

use std::path::PathBuf;
use std::sync::Arc;

use tauri::{Emitter, Manager};

use backend::Backend;
use fcas_scan::{HashedFile, ProgressSink, ScanEvent};

/// Name of the event carrying [`ScanEvent`]s.
pub const SCAN_EVENT: &str = "fcas://scan";

/// Paths granted at start (separated by `:`), for automated runs that cannot drop files.
pub const GRANT_ENV_VAR: &str = "FCAS_APP_GRANT";
/// Label of the app's window (tauri.conf.json).
pub const MAIN_WINDOW: &str = "main";
/// Overrides the folder holding the settings and the case store.
pub const DATA_DIR_ENV_VAR: &str = "FCAS_APP_DATA_DIR";

/// Sends progress events to every window.
struct WindowSink(tauri::AppHandle);

impl ProgressSink for WindowSink {
    fn send(&self, event: &ScanEvent) {
        let _ = self.0.emit(SCAN_EVENT, event);
    }

    fn hashed(&self, file: &HashedFile) {
        if let Some(backend) = self.0.try_state::<Arc<Backend>>() {
            backend.remember_hashed(file);
        }
    }
}

/// Starts the app; returns when its window closes.
pub fn run() {
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let data_dir = match std::env::var_os(DATA_DIR_ENV_VAR) {
                Some(dir) => PathBuf::from(dir),
                None => app.path().app_data_dir()?,
            };
            let backend = Backend::start(data_dir.join("settings.json"), data_dir, Arc::new(WindowSink(app.handle().clone())));
            for granted in std::env::var_os(GRANT_ENV_VAR).iter().flat_map(std::env::split_paths) {
                backend.grants.grant(&granted);
            }
            app.manage(backend);
            // The window is built here rather than from the configuration alone, to give it the
            // download handler (tauri.conf.json marks it `"create": false`).
            let main =
                app.config().app.windows.iter().find(|w| w.label == MAIN_WINDOW).cloned().ok_or("tauri.conf.json has no main window")?;
            tauri::WebviewWindowBuilder::from_config(app.handle(), &main)?.on_download(downloads::on_download).build()?;
            Ok(())
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                grant_dropped(window.app_handle(), paths);
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::analyze::analyze_paths,
            commands::analyze::pick_and_analyze,
            commands::samples::get_report,
            commands::samples::get_report_strings,
            commands::samples::list_samples,
            commands::samples::similar_samples,
            commands::samples::children,
            commands::samples::parents,
            commands::samples::update_sample,
            commands::samples::update_samples,
            commands::samples::set_reviewed,
            commands::settings::get_settings,
            commands::settings::save_settings,
            commands::settings::save_appearance,
            commands::settings::app_status,
            commands::export::export_report,
            commands::export::export_samples,
            commands::export::export_exchange,
            commands::hunts::check_rules,
            commands::hunts::start_hunt,
            commands::hunts::resume_hunt,
            commands::hunts::cancel_hunt,
            commands::hunts::list_hunts,
            commands::hunts::hunt_matches,
            commands::bytes::read_sample_bytes,
        ])
        .run(tauri::generate_context!("../tauri.conf.json"));
    if let Err(error) = result {
        eprintln!("fcas-app: {error}");
        std::process::exit(1);
    }
}

/// A drop on the window grants its paths: only these (and dialog choices) may be analysed.
fn grant_dropped(app: &tauri::AppHandle, paths: &[PathBuf]) {
    if let Some(backend) = app.try_state::<Arc<Backend>>() {
        paths.iter().for_each(|path| backend.grants.grant(path));
    }
}
