//! Bytes of a stored sample for the hex view, read within a bounded window.
use fcas_store::sample_bytes::ByteWindow;

use super::BackendState;
use crate::backend::AppResult;

/// At most `length` bytes (capped at 64 KiB) of the sample `sha256` from `offset`.
#[tauri::command(async)]
pub fn read_sample_bytes(backend: BackendState<'_>, sha256: String, offset: u64, length: u64) -> AppResult<ByteWindow> {
    backend.sample_bytes(&sha256, offset, length)
}
