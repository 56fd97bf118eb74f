//! Where the vault's files live and how they are written and read: `<db file>.vault/ab/<sha256>`,
//! a 0700 folder of 0600 files (never executable), each written under a temporary name in
//! `<vault>/incoming/` and renamed, so a reader or a crash never sees half a file, and what a
//! killed writer leaves is found in one place (see [`super::sweep`]).
use std::fs::{self, DirBuilder, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::{Result, StoreError};

/// The vault folder of the database file `db`.
pub fn vault_dir_of(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".vault");
    PathBuf::from(name)
}

/// Whether `sha256` is 64 lowercase hex digits: it becomes a file name, so nothing else may.
pub fn is_sha256(sha256: &str) -> bool {
    sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The file of `sha256` under `dir` (the caller checked it with [`is_sha256`]).
pub fn file_of(dir: &Path, sha256: &str) -> PathBuf {
    dir.join(&sha256[..2]).join(sha256)
}

/// Creates `dir` (and its parents) private to the user.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    DirBuilder::new().recursive(true).mode(0o700).create(dir).map_err(|source| io(dir, source))
}

/// The folder of files being written (`<vault>/incoming`), on the vault's file system.
pub fn incoming_dir_of(vault_dir: &Path) -> PathBuf {
    vault_dir.join(INCOMING)
}

/// Name of the folder of files being written.
pub const INCOMING: &str = "incoming";

/// The writing process's id in a temporary file's name (`<pid>-<n>`), if it is one.
pub fn writer_pid_of(temporary_name: &str) -> Option<u32> {
    temporary_name.split_once('-')?.0.parse().ok()
}

/// Writes `content` as `path` atomically: a private temporary file in `incoming` (same file
/// system), synced, then renamed over `path`. Two writers of the same sample each rename a
/// complete file.
pub fn write_atomically(incoming: &Path, path: &Path, content: &[u8]) -> Result<()> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    create_private_dir(incoming)?;
    if let Some(folder) = path.parent() {
        create_private_dir(folder)?;
    }
    let unique = format!("{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    let temporary = incoming.join(unique);
    let written = (|| {
        let mut file = OpenOptions::new().write(true).create_new(true).mode(0o600).open(&temporary)?;
        file.write_all(content)?;
        file.sync_all()?;
        fs::rename(&temporary, path)
    })();
    if let Err(source) = written {
        let _ = fs::remove_file(&temporary);
        return Err(io(path, source));
    }
    Ok(())
}

/// The content of `path`, `None` when it does not exist; refuses a file over `max` bytes.
pub fn read_bounded(path: &Path, max: u64) -> Result<Option<Vec<u8>>> {
    let file = match OpenOptions::new().read(true).open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(io(path, source)),
    };
    let length = file.metadata().map_err(|source| io(path, source))?.len();
    if length > max {
        return Err(StoreError::VaultCorrupt {
            path: path.to_path_buf(),
            reason: format!("the file is {length} bytes, over the {max}-byte limit"),
        });
    }
    let mut content = Vec::with_capacity(usize::try_from(length).unwrap_or(0));
    file.take(max).read_to_end(&mut content).map_err(|source| io(path, source))?;
    Ok(Some(content))
}

/// Removes `path`; a file already gone is not an error.
pub fn remove(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Err(error) if error.kind() != ErrorKind::NotFound => Err(io(path, error)),
        _ => Ok(()),
    }
}

fn io(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io { path: path.to_path_buf(), source }
}
