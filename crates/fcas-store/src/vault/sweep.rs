//! Removing what an interrupted writer left in the vault folder: temporary files in `incoming/`
//! whose writer is gone (a scan killed mid-write), and encoded files whose row was never
//! recorded (killed between the write and the commit), which take disk space the quota does not
//! count. A file younger than the grace period is left alone: a live scan may be about to
//! record it.
use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use serde::Serialize;

use super::files::{self, incoming_dir_of, writer_pid_of};
use super::{index, Vault};
use crate::{Result, Store};

/// How old a file without a row must be before a sweep removes it: longer than any scan takes
/// between writing a sample's bytes and recording them.
pub const DEFAULT_SWEEP_GRACE: Duration = Duration::from_secs(3600);

/// What a sweep removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Swept {
    /// Temporary files of writers that are gone.
    pub temporary_files: u64,
    /// Encoded files no row records.
    pub unrecorded_files: u64,
    /// Their total size in bytes.
    pub bytes: u64,
    /// Files that could not be removed, with why (they stay; nothing else is affected).
    pub problems: Vec<String>,
}

impl Swept {
    fn removed(&mut self, path: &Path, size: u64, temporary: bool) {
        match files::remove(path) {
            Ok(()) => {
                if temporary {
                    self.temporary_files += 1;
                } else {
                    self.unrecorded_files += 1;
                }
                self.bytes += size;
            }
            Err(error) => self.problems.push(error.to_string()),
        }
    }
}

impl Vault {
    /// Removes the temporary files of writers that are gone: those whose process no longer
    /// runs, or older than `grace` whatever their name. Cheap (only `incoming/` is read), so a
    /// scan with the vault on runs it as it starts.
    pub fn sweep_incoming(&self, grace: Duration) -> Swept {
        let mut swept = Swept::default();
        let Ok(entries) = fs::read_dir(incoming_dir_of(self.dir())) else { return swept };
        for entry in entries.filter_map(std::result::Result::ok) {
            let Ok(metadata) = entry.metadata() else { continue };
            let name = entry.file_name().to_string_lossy().into_owned();
            let writer_gone = writer_pid_of(&name).is_none_or(|pid| pid != std::process::id() && !process_runs(pid));
            if metadata.is_file() && (writer_gone || older_than(&metadata, grace)) {
                swept.removed(&entry.path(), metadata.len(), true);
            }
        }
        swept
    }
}

impl Store {
    /// Sweeps `vault`: the temporary files of writers that are gone, and the encoded files older
    /// than `grace` that no row of this store records. Reads every file name of the vault once.
    pub fn vault_sweep(&self, vault: &Vault, grace: Duration) -> Result<Swept> {
        let mut swept = vault.sweep_incoming(grace);
        let Ok(folders) = fs::read_dir(vault.dir()) else { return Ok(swept) };
        for folder in folders.filter_map(std::result::Result::ok) {
            // Samples live in two-hex-digit folders; `incoming/` was swept above.
            let name = folder.file_name();
            let is_shard = name.len() == 2 && name.to_string_lossy().bytes().all(|b| b.is_ascii_hexdigit());
            if !is_shard {
                continue;
            }
            let Ok(entries) = fs::read_dir(folder.path()) else { continue };
            for entry in entries.filter_map(std::result::Result::ok) {
                let Ok(metadata) = entry.metadata() else { continue };
                let file_name = entry.file_name().to_string_lossy().into_owned();
                // Temporary files of versions that wrote them beside the samples.
                let legacy_temporary = file_name.starts_with(".tmp-");
                let unrecorded = files::is_sha256(&file_name) && !index::contains(&self.conn, &file_name)?;
                if metadata.is_file() && (legacy_temporary || unrecorded) && older_than(&metadata, grace) {
                    swept.removed(&entry.path(), metadata.len(), legacy_temporary);
                }
            }
        }
        Ok(swept)
    }
}

fn older_than(metadata: &fs::Metadata, grace: Duration) -> bool {
    let modified = metadata.modified().unwrap_or(SystemTime::UNIX_EPOCH);
    SystemTime::now().duration_since(modified).is_ok_and(|age| age >= grace)
}

/// Whether process `pid` runs on this machine (Linux: it has a `/proc` entry).
fn process_runs(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}
