//! Receives a sample: streams the body to a private temporary file under a size cap, hashing it
//! on the way, so the worker never holds a whole sample in memory.
use std::path::Path;

use axum::body::Body;
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::FleetError;

/// A received sample. The file (mode 0600, never executable) is deleted when this is dropped,
/// whatever happens to the analysis.
pub struct Upload {
    /// The temporary file.
    pub file: tempfile::NamedTempFile,
    /// SHA-256 of the body, lowercase hex.
    pub sha256: String,
    /// Bytes received.
    pub size: u64,
}

/// Streams `body` into a new file in `dir`, refusing more than `limit` bytes.
pub async fn receive(body: Body, dir: &Path, limit: u64) -> Result<Upload, FleetError> {
    // NamedTempFile creates the file with mode 0600 inside the worker's 0700 directory.
    let file = tempfile::Builder::new()
        .prefix("sample-")
        .tempfile_in(dir)
        .map_err(|e| FleetError::Internal(format!("cannot create a temporary file: {e}")))?;
    let handle = file.as_file().try_clone().map_err(|e| FleetError::Internal(format!("cannot open the temporary file: {e}")))?;
    let mut writer = tokio::io::BufWriter::new(tokio::fs::File::from_std(handle));
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let mut body = body;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| FleetError::BadRequest(format!("the upload was interrupted: {e}")))?;
        let Ok(chunk) = frame.into_data() else { continue };
        size = size.saturating_add(chunk.len() as u64);
        if size > limit {
            return Err(FleetError::TooLarge { limit });
        }
        hasher.update(&chunk);
        writer.write_all(&chunk).await.map_err(|e| FleetError::Internal(format!("cannot write the temporary file: {e}")))?;
    }
    writer.flush().await.map_err(|e| FleetError::Internal(format!("cannot write the temporary file: {e}")))?;
    Ok(Upload { file, sha256: fcas_report::hex(&hasher.finalize()), size })
}
