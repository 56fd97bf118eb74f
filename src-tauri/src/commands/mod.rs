//! The commands the front end invokes. Each is a few lines over [`crate::backend::Backend`]; every
//! one returns `Result<_, AppError>`, which reaches the page as `{code, message}`.
pub mod analyze;
pub mod bytes;
pub mod export;
pub mod hunts;
pub mod samples;
pub mod settings;

use std::sync::Arc;

use crate::backend::Backend;

/// The backend as Tauri hands it to commands.
pub type BackendState<'a> = tauri::State<'a, Arc<Backend>>;
