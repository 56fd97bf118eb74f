//! Retro-hunts and rule checks: thin commands over `backend::hunts`.
use fcas_store::hunt::HuntMatch;

use super::BackendState;
use crate::backend::hunts::{HuntRequest, ListedHunt, RuleProblem};
use crate::backend::AppResult;

/// Compile errors of rule folders (with the built-in rules) or of typed rules; empty when fine.
#[tauri::command(async)]
pub fn check_rules(backend: BackendState<'_>, folders: Vec<String>, rules: Option<String>) -> AppResult<Vec<RuleProblem>> {
    backend.check_rules(&folders, rules.as_deref())
}

/// Starts a hunt over the vault; returns its id (its progress is read with `list_hunts`).
#[tauri::command(async)]
pub fn start_hunt(backend: BackendState<'_>, request: HuntRequest) -> AppResult<i64> {
    backend.start_hunt(&request)
}

/// Resumes a stopped hunt.
#[tauri::command(async)]
pub fn resume_hunt(backend: BackendState<'_>, id: i64) -> AppResult<()> {
    backend.resume_hunt(id)
}

/// Asks a running hunt to stop.
#[tauri::command(async)]
pub fn cancel_hunt(backend: BackendState<'_>, id: i64) -> AppResult<()> {
    backend.cancel_hunt(id)
}

/// Every stored hunt, newest first.
#[tauri::command(async)]
pub fn list_hunts(backend: BackendState<'_>) -> AppResult<Vec<ListedHunt>> {
    backend.hunts()
}

/// A hunt's matches.
#[tauri::command(async)]
pub fn hunt_matches(backend: BackendState<'_>, id: i64) -> AppResult<Vec<HuntMatch>> {
    backend.hunt_matches(id)
}
