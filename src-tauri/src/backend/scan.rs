//! One queued file, from hashing to the stored report.
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use sha2::{Digest, Sha256};

use super::events::{ScanEvent, ScanStage};
use super::Backend;

/// A file waiting for analysis.
#[derive(Debug, Clone)]
pub struct ScanJob {
    /// Identifies the scan in events.
    pub scan_id: u64,
    /// The file.
    pub path: PathBuf,
    /// When it was queued.
    pub queued_at: Instant,
}

/// Stages whose failure means the file has no usable report.
const FATAL_STAGES: &[&str] = &["input", "isolation", "connected"];

/// Runs `job` to its end, telling the front end at each step.
pub fn run(backend: &Backend, job: &ScanJob) {
    let step = |stage, progress, sha256: Option<&str>, cached, message: Option<String>| {
        backend.sink.send(&ScanEvent {
            scan_id: job.scan_id,
            path: job.path.to_string_lossy().into_owned(),
            stage,
            progress,
            sha256: sha256.map(str::to_string),
            cached,
            message,
            elapsed_ms: job.queued_at.elapsed().as_secs_f64() * 1000.0,
        });
    };
    step(ScanStage::Hashing, 0.1, None, false, None);
    let max_bytes = backend.settings().limits.max_file_mib.saturating_mul(1 << 20);
    let sha256 = match file_sha256(&job.path, max_bytes) {
        Ok(sha256) => sha256,
        Err(message) => return step(ScanStage::Failed, 1.0, None, false, Some(message)),
    };
    match backend.with_store(|store| store.find(&sha256)) {
        Ok(Some(_)) => return step(ScanStage::Done, 1.0, Some(&sha256), true, None),
        Ok(None) => {}
        Err(error) => return step(ScanStage::Failed, 1.0, Some(&sha256), false, Some(error.message)),
    }
    step(ScanStage::Analyzing, 0.3, Some(&sha256), false, None);
    let mut report = backend.analyzer().analyze(&job.path);
    if let Some(fatal) = report.errors.iter().find(|e| FATAL_STAGES.contains(&e.stage.as_str())) {
        return step(ScanStage::Failed, 1.0, Some(&sha256), false, Some(fatal.message.clone()));
    }
    // The store keys samples by SHA-256; an engine built without its hashing stage leaves it
    // empty, and the app has just computed it from the same bytes.
    if report.hashes.sha256.is_empty() {
        report.hashes.sha256.clone_from(&sha256);
    }
    if report.hashes.sha256 != sha256 {
        let message = "the file changed while it was being analysed; drop it again".to_string();
        return step(ScanStage::Failed, 1.0, Some(&sha256), false, Some(message));
    }
    step(ScanStage::Storing, 0.9, Some(&sha256), false, None);
    match backend.with_store(|store| store.insert(&report)) {
        Ok(()) => step(ScanStage::Done, 1.0, Some(&sha256), false, stage_errors(&report)),
        Err(error) => step(ScanStage::Failed, 1.0, Some(&sha256), false, Some(error.message)),
    }
}

/// A sentence about the stages that failed on a file that was still analysed (malformed input).
fn stage_errors(report: &fcas_report::Report) -> Option<String> {
    let first = report.errors.first()?;
    let more = report.errors.len() - 1;
    let tail = if more > 0 { format!(" (and {more} more)") } else { String::new() };
    Some(format!("partial report: {}: {}{tail}", first.stage, first.message))
}

/// SHA-256 of a regular file of at most `max_bytes`, read in blocks. Hashing reads bytes without
/// interpreting them, so it is safe in the app's own process. FIFOs and devices are refused before
/// opening, and the file is opened non-blocking in case it was swapped for one since.
pub fn file_sha256(path: &Path, max_bytes: u64) -> Result<String, String> {
    use std::os::unix::fs::OpenOptionsExt;
    let metadata = std::fs::symlink_metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let metadata = if metadata.file_type().is_symlink() {
        std::fs::metadata(path).map_err(|e| format!("cannot follow the link {}: {e}", path.display()))?
    } else {
        metadata
    };
    if !metadata.is_file() {
        return Err(format!("{} is not a regular file", path.display()));
    }
    if metadata.len() > max_bytes {
        return Err(format!("{} is larger than the {} MiB limit set in Settings", path.display(), max_bytes >> 20));
    }
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    let mut limited = file.take(max_bytes.saturating_add(1));
    loop {
        let read = limited.read(&mut buffer).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if read == 0 {
            break;
        }
        hasher.update(buffer.get(..read).unwrap_or_default());
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_regular_files_and_refuses_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("abc");
        std::fs::write(&file, b"abc").unwrap();
        assert_eq!(file_sha256(&file, 10).unwrap(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert!(file_sha256(&file, 2).unwrap_err().contains("larger"));
        assert!(file_sha256(dir.path(), 10).unwrap_err().contains("not a regular file"));
        assert!(file_sha256(&dir.path().join("missing"), 10).is_err());
    }
}
