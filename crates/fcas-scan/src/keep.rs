//! Keeping a scanned file's bytes, and those of everything found inside it, in the case
//! store's vault. The analysis dropped each child's bytes once analysed (or ran in another
//! process, or on a worker), so the descendants are found again from the submitted file by
//! opening its containers once more (`fcas_engine::for_each_descendant`, the same way export
//! finds them). A file whose stored report is reused has its descendants listed by the store's
//! container edges instead. Compression and file writes happen here, on the scanning thread;
//! the store's writer only records the rows.
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::Path;

use fcas_engine::{OpenedFile, Options};
use fcas_report::Submission;
use fcas_store::vault::{Vault, VaultEntry};
use fcas_store::{Store, StoreError};

/// The most descendants of a reused report looked up in the store to be kept: the engine's
/// extraction limits bound what one file can hold far below this; it stops a cycle of edges
/// written by other versions from running long.
pub(crate) const MAX_STORED_DESCENDANTS: usize = 10_000;

/// SHA-256 and size of every file to keep besides the scanned one.
pub(crate) type Descendants = HashMap<String, u64>;

/// What keeping a submission wrote, and what it could not.
#[derive(Debug, Default)]
pub(crate) struct Kept {
    /// Entries written, to record.
    pub entries: Vec<VaultEntry>,
    /// Why some bytes were not kept (reported on the root report, stage `vault`).
    pub problems: Vec<String>,
}

impl Kept {
    /// Nothing kept, for `reason`.
    pub(crate) fn failed(reason: &str) -> Self {
        Self { entries: Vec::new(), problems: vec![reason.to_string()] }
    }
}

/// Writes the file at `path` (`root`: its SHA-256 and size) into `vault` alone. A scan runs
/// this while the file is analysed, so compressing and syncing its bytes is off the path from
/// drop to report; should the analysis then fail, the file stays unrecorded and the vault's
/// sweep removes it.
pub(crate) fn keep_root(vault: &Vault, path: &Path, root: (&str, u64), options: &Options) -> Kept {
    keep(vault, path, root, &Descendants::new(), options)
}

/// Adds to `root_kept` (what [`keep_root`] wrote) the descendants `submission` lists, opening
/// the file's containers again only when it has some.
pub(crate) fn keep_descendants(vault: &Vault, path: &Path, submission: &Submission, options: &Options, root_kept: Kept) -> Kept {
    if submission.descendants().is_empty() {
        return root_kept;
    }
    let descendants = submission.descendants().iter().map(|packed| (packed.sha256().to_string(), packed.size())).collect();
    let mut kept = keep(vault, path, (&submission.root.hashes.sha256, submission.root.size), &descendants, options);
    // The root's entry is in both: it was written once, and is recorded once.
    let later: HashSet<String> = kept.entries.iter().map(|entry| entry.sha256.clone()).collect();
    kept.entries.extend(root_kept.entries.into_iter().filter(|entry| !later.contains(&entry.sha256)));
    let fresh: Vec<String> = root_kept.problems.into_iter().filter(|problem| !kept.problems.contains(problem)).collect();
    kept.problems.extend(fresh);
    kept
}

/// The descendants the store lists below `sha256` (its container edges, at any depth), for a
/// file whose stored report is reused.
pub(crate) fn stored_descendants(store: &Store, sha256: &str) -> Result<Descendants, StoreError> {
    let mut found = Descendants::new();
    let mut pending = VecDeque::from([sha256.to_string()]);
    while let Some(parent) = pending.pop_front() {
        for edge in store.children(&parent)? {
            if found.len() >= MAX_STORED_DESCENDANTS {
                return Ok(found);
            }
            if edge.sha256 != sha256 && found.insert(edge.sha256.clone(), edge.size).is_none() {
                pending.push_back(edge.sha256);
            }
        }
    }
    Ok(found)
}

/// Writes the file at `path` (`root`: its SHA-256 and size) and `descendants` into `vault`,
/// reading the file and opening its containers only when some of them are missing.
pub(crate) fn keep(vault: &Vault, path: &Path, root: (&str, u64), descendants: &Descendants, options: &Options) -> Kept {
    let (sha256, root_size) = root;
    let mut kept = Kept::default();
    let wanted: HashSet<String> =
        descendants.keys().filter(|child| !child.is_empty() && *child != sha256 && vault.path_of(child).is_ok()).cloned().collect();
    let root_present = vault.path_of(sha256).is_ok_and(|p| p.exists());
    if root_present && wanted.iter().all(|child| vault.path_of(child).is_ok_and(|p| p.exists())) {
        // Everything is there already: record the rows again (they may have been evicted and
        // the file put back by another scan) without reading the file.
        let size_of = |sha: &str| if sha == sha256 { root_size } else { descendants.get(sha).copied().unwrap_or_default() };
        let entries = std::iter::once(sha256).chain(wanted.iter().map(String::as_str));
        kept.entries = entries.filter_map(|sha| existing_entry(vault, sha, size_of(sha))).collect();
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

fn existing_entry(vault: &Vault, sha256: &str, size: u64) -> Option<VaultEntry> {
    let stored_size = std::fs::metadata(vault.path_of(sha256).ok()?).ok()?.len();
    Some(VaultEntry { sha256: sha256.to_string(), size, stored_size })
}
