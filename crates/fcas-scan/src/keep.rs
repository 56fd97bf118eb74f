//! Keeping a scanned file's bytes, and those of everything found inside it, in the case
//! store's vault. The analysis dropped each child's bytes once analysed (or ran in another
//! process, or on a worker), so the descendants are found again from the submitted file by
//! opening its containers once more (`fcas_engine::for_each_descendant`, the same way export
//! finds them). Compression and file writes happen here, on the scanning thread; the store's
//! writer only records the rows.
use std::collections::HashSet;
use std::path::Path;

use fcas_engine::{OpenedFile, Options};
use fcas_report::Submission;
use fcas_store::vault::{Vault, VaultEntry};

/// What keeping a submission wrote, and what it could not.
#[derive(Debug, Default)]
pub(crate) struct Kept {
    /// Entries written, to record.
    pub entries: Vec<VaultEntry>,
    /// Why some bytes were not kept (reported on the root report, stage `vault`).
    pub problems: Vec<String>,
}

/// Writes the file at `path` (whose SHA-256 is `sha256`) and the descendants `submission`
/// lists into `vault`; containers are opened with `options` (the analysis's passwords).
pub(crate) fn keep_submission(vault: &Vault, path: &Path, sha256: &str, submission: &Submission, options: &Options) -> Kept {
    let mut kept = Kept::default();
    let wanted: HashSet<String> = submission
        .descendants
        .iter()
        .map(|report| report.hashes.sha256.clone())
        .filter(|child| !child.is_empty() && child != sha256 && vault.path_of(child).is_ok())
        .collect();
    let root_present = vault.path_of(sha256).is_ok_and(|p| p.exists());
    if root_present && wanted.iter().all(|child| vault.path_of(child).is_ok_and(|p| p.exists())) {
        // Everything is there already: record the rows again (they may have been evicted and
        // the file put back by another scan) without reading the file.
        let entries = std::iter::once(sha256).chain(wanted.iter().map(String::as_str));
        kept.entries = entries.filter_map(|sha| existing_entry(vault, sha, submission)).collect();
        return kept;
    }
    let bytes = match OpenedFile::open(path, options.limits.max_file_size).and_then(OpenedFile::into_bytes) {
        Ok(bytes) => bytes,
        Err(error) => {
            kept.problems.push(format!("cannot read the file again to keep its bytes: {error}"));
            return kept;
        }
    };
    if fcas_engine::sha256_hex(&bytes) != sha256 {
        kept.problems.push("the file changed after it was analysed; its bytes were not kept".into());
        return kept;
    }
    let mut write = |sha: &str, content: &[u8]| match vault.write(sha, content) {
        Ok(entry) => kept.entries.push(entry),
        Err(error) => kept.problems.push(format!("cannot keep {sha}: {error}")),
    };
    write(sha256, &bytes);
    if !wanted.is_empty() {
        fcas_engine::for_each_descendant(&bytes, &wanted, options, &mut write);
        let found: HashSet<&str> = kept.entries.iter().map(|e| e.sha256.as_str()).collect();
        let lost = wanted.iter().filter(|child| !found.contains(child.as_str())).count();
        if lost > 0 {
            kept.problems.push(format!("{lost} file(s) found inside it could not be found again to keep their bytes"));
        }
    }
    kept
}

/// Keeps the bytes of a file whose stored report was reused, when the vault lacks them.
pub(crate) fn keep_file(vault: &Vault, path: &Path, sha256: &str, max_size: u64) -> Kept {
    let mut kept = Kept::default();
    if vault.path_of(sha256).is_ok_and(|p| p.exists()) {
        return kept;
    }
    match OpenedFile::open(path, max_size).and_then(OpenedFile::into_bytes) {
        Ok(bytes) if fcas_engine::sha256_hex(&bytes) == sha256 => match vault.write(sha256, &bytes) {
            Ok(entry) => kept.entries.push(entry),
            Err(error) => kept.problems.push(error.to_string()),
        },
        Ok(_) => kept.problems.push("the file changed after it was hashed; its bytes were not kept".into()),
        Err(error) => kept.problems.push(error.to_string()),
    }
    kept
}

fn existing_entry(vault: &Vault, sha256: &str, submission: &Submission) -> Option<VaultEntry> {
    let stored_size = std::fs::metadata(vault.path_of(sha256).ok()?).ok()?.len();
    let size = submission.reports().find(|r| r.hashes.sha256 == sha256).map_or(0, |r| r.size);
    Some(VaultEntry { sha256: sha256.to_string(), size, stored_size })
}
