//! A bounded window of a stored sample's bytes, for the app's hex view. The bytes come from the
//! vault when it keeps the sample, else from the file that was analysed when its SHA-256 still
//! matches the stored report; otherwise a typed reason says why not. Nothing is ever written.
//!
//! Reading happens in two steps so a slow read never holds the store: [`SampleBytes::locate`]
//! asks the store where the bytes may be (cheap), [`SampleBytes::read`] reads them without it.
//! An original file is hashed once per path, size and modification time and the result
//! remembered, so later windows of it cost one seek and one read.
use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use fcas_engine::OpenedFile;
use rusqlite::OptionalExtension;
use serde::Serialize;

use crate::file_stamps;
use crate::vault::window::{is_framed, read_window, VaultWindow};
use crate::{Result, Store, Vault};

/// The most bytes one read returns (64 KiB): a screen of hex is about 4 KiB, so a window covers
/// many screens while its JSON stays small.
pub const MAX_WINDOW_BYTES: u64 = 64 << 10;
/// Offsets up to which a one-frame (version 1) vault copy is read before the original file is
/// hashed (16 MiB): such a copy is decoded from its start, the original is hashed once and then
/// read directly. A framed (version 2) copy is read at any offset.
pub const VAULT_DECODE_AHEAD: u64 = 16 << 20;
/// Original files whose verification is remembered; beyond it the memory is cleared.
pub const VERIFIED_FILES_KEPT: usize = 256;
/// Samples whose origin (path, container) is remembered, so a read does not decode the report.
pub const ORIGINS_KEPT: usize = 256;

/// Bytes of a sample.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ByteWindow {
    /// The sample.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
    /// Where the window starts.
    pub offset: u64,
    /// The bytes (at most [`MAX_WINDOW_BYTES`], fewer at the end of the file).
    pub bytes: Vec<u8>,
    /// Where they were read.
    pub source: ByteSource,
}

/// Where a window's bytes were read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ByteSource {
    /// The vault's copy.
    Vault,
    /// The file that was analysed, whose SHA-256 still matches.
    Original {
        /// Its path.
        path: String,
    },
}

/// Why a sample's bytes cannot be shown, in the analyst's terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BytesUnavailable {
    /// No report of that SHA-256 is stored.
    #[error("no report of {sha256} is stored; analyse the file first")]
    NotStored {
        /// What was asked.
        sha256: String,
    },
    /// The window starts after the end of the file.
    #[error("offset {offset} is past the end of the {size}-byte file")]
    OutOfRange {
        /// The offset asked.
        offset: u64,
        /// The sample's size.
        size: u64,
    },
    /// A file found inside a container has no file of its own, and the vault does not keep it.
    #[error("this file was found inside a container and the sample vault does not keep its bytes; turn on \"Keep sample bytes\" in Settings and analyse the container again")]
    InsideContainer,
    /// The analysed file is gone and the vault does not keep the sample.
    #[error("the sample vault does not keep this sample and its file {path} is gone; analyse the file again with the vault on to keep its bytes")]
    OriginalMissing {
        /// The analysed path.
        path: String,
    },
    /// The analysed file now holds other bytes.
    #[error("the file {path} changed since it was analysed (its SHA-256 is now {found}) and the sample vault does not keep this sample; analyse it again to see its bytes")]
    OriginalChanged {
        /// The analysed path.
        path: String,
        /// Its SHA-256 now (or its new size, when that alone tells it changed).
        found: String,
    },
    /// The analysed file is there but cannot be read.
    #[error("the file {path} cannot be read ({reason}) and the sample vault does not keep this sample")]
    OriginalUnreadable {
        /// The analysed path.
        path: String,
        /// The system's reason.
        reason: String,
    },
    /// The vault's file of the sample does not decode.
    #[error("the sample vault's copy is damaged ({reason}); delete it and analyse the file again")]
    VaultDamaged {
        /// What is wrong.
        reason: String,
    },
}

/// Where a stored sample's bytes may be found ([`SampleBytes::locate`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The sample.
    pub sha256: String,
    /// Its size.
    pub size: u64,
    /// Whether the vault lists it.
    pub in_vault: bool,
    /// Where it came from.
    pub origin: Origin,
}

/// The file a sample was analysed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A file of its own, at this path.
    File(PathBuf),
    /// Found inside a container: no file of its own.
    InsideContainer,
}

/// A verified original file: its path, size and modification time when it was hashed.
type FileStamp = (PathBuf, u64, SystemTime);

/// Reads windows of stored samples; one per app, shared by its threads.
#[derive(Debug)]
pub struct SampleBytes {
    /// Offsets up to which the vault's copy is preferred ([`VAULT_DECODE_AHEAD`]).
    decode_ahead: u64,
    /// The SHA-256 found for each original file hashed.
    verified: Mutex<HashMap<FileStamp, String>>,
    /// Each sample's origin, by the id of the report it was read from.
    origins: Mutex<HashMap<(String, i64), Origin>>,
}

impl Default for SampleBytes {
    fn default() -> Self {
        Self { decode_ahead: VAULT_DECODE_AHEAD, verified: Mutex::default(), origins: Mutex::default() }
    }
}

impl SampleBytes {
    /// A reader that has verified nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the vault's copy up to `bytes` into a sample before hashing its original file
    /// instead (default [`VAULT_DECODE_AHEAD`]).
    pub fn with_decode_ahead(mut self, bytes: u64) -> Self {
        self.decode_ahead = bytes;
        self
    }

    /// Remembers that the file at `path`, of `size` bytes modified at `modified`, has SHA-256
    /// `sha256`: a scan that just hashed it says so, and its first window then needs no hash of
    /// its own. Trusted only while the file's size and modification time stay the same.
    pub fn remember_verified(&self, path: &Path, size: u64, modified: SystemTime, sha256: &str) {
        remember(&self.verified, (path.to_path_buf(), size, modified), sha256.to_ascii_lowercase(), VERIFIED_FILES_KEPT);
    }

    /// Where the bytes of `sha256` may be found, from `store`.
    pub fn locate(&self, store: &Store, sha256: &str) -> Result<Result<Located, BytesUnavailable>> {
        let sha256 = sha256.trim().to_ascii_lowercase();
        let row: Option<(i64, Option<i64>)> = store
            .connection()
            .prepare_cached("SELECT size, latest_report_id FROM samples WHERE sha256 = ?1")?
            .query_row([&sha256], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        let Some((size, Some(report_id))) = row else { return Ok(Err(BytesUnavailable::NotStored { sha256 })) };
        let key = (sha256.clone(), report_id);
        let cached = lock(&self.origins).get(&key).cloned();
        let origin = match cached {
            Some(origin) => origin,
            None => {
                let report = store.load_report(report_id)?;
                let origin = if report.lineage.is_empty() { Origin::File(PathBuf::from(report.path)) } else { Origin::InsideContainer };
                if let Origin::File(path) = &origin {
                    // What a scan (maybe of an earlier session) learnt when it hashed the file,
                    // read once per report like its origin: trusted while the file's size and
                    // time are unchanged, which `read` checks at every window.
                    if let Some((size, modified)) = file_stamps::lookup(store.connection(), path, &sha256)? {
                        self.remember_verified(path, size, modified, &sha256);
                    }
                }
                remember(&self.origins, key, origin.clone(), ORIGINS_KEPT);
                origin
            }
        };
        let in_vault = store.vault_contains(&sha256)?;
        Ok(Ok(Located { sha256, size: u64::try_from(size).unwrap_or(0), in_vault, origin }))
    }

    /// At most `length` (and at most [`MAX_WINDOW_BYTES`]) bytes of `located` from `offset`:
    /// from the original file when it was verified already (a seek and a read), else from the
    /// vault (decoded up to the offset; beyond [`VAULT_DECODE_AHEAD`] only when the original
    /// cannot be used), else from the original file once its SHA-256 matches.
    pub fn read(&self, located: &Located, vault: Option<&Vault>, offset: u64, length: u64) -> Result<ByteWindow, BytesUnavailable> {
        if offset > located.size {
            return Err(BytesUnavailable::OutOfRange { offset, size: located.size });
        }
        let length = length.min(MAX_WINDOW_BYTES).min(located.size - offset);
        let window = |bytes, source| ByteWindow { sha256: located.sha256.clone(), size: located.size, offset, bytes, source };
        let original = match &located.origin {
            Origin::File(path) => Some(path.as_path()),
            Origin::InsideContainer => None,
        };
        if let Some(path) = original {
            if let Some(bytes) = self.read_verified(path, located, offset, length, false).ok().flatten() {
                return Ok(window(bytes, ByteSource::Original { path: path.display().to_string() }));
            }
        }
        let vault = vault.filter(|_| located.in_vault);
        // A vault file of one frame (version 1) is decoded from its start: deep in a large sample,
        // hashing the original once (when it is still there) costs less than decoding up to the
        // offset at every read. A framed file (version 2) seeks to the window's frame instead.
        let vault_seeks = vault.and_then(|v| v.path_of(&located.sha256).ok()).is_some_and(|file| is_framed(&file));
        if offset > self.decode_ahead && !vault_seeks {
            if let Some(path) = original {
                match self.read_verified(path, located, offset, length, true) {
                    Ok(Some(bytes)) => return Ok(window(bytes, ByteSource::Original { path: path.display().to_string() })),
                    Err(reason) if vault.is_none() => return Err(reason),
                    _ => {} // changed or gone: the vault's copy, however slow
                }
            }
        }
        if let Some(vault) = vault {
            let file = vault.path_of(&located.sha256).map_err(|e| BytesUnavailable::VaultDamaged { reason: e.to_string() })?;
            match read_window(&file, offset, length) {
                Ok(VaultWindow::Read { bytes, size }) if size == located.size => return Ok(window(bytes, ByteSource::Vault)),
                Ok(VaultWindow::Read { size, .. }) => {
                    return Err(BytesUnavailable::VaultDamaged {
                        reason: format!("it holds {size} bytes, the report says {}", located.size),
                    })
                }
                Ok(VaultWindow::Missing) => {} // evicted since it was listed: try the original
                Err(error) => return Err(BytesUnavailable::VaultDamaged { reason: error.to_string() }),
            }
        }
        let Some(path) = original else { return Err(BytesUnavailable::InsideContainer) };
        match self.read_verified(path, located, offset, length, true)? {
            Some(bytes) => Ok(window(bytes, ByteSource::Original { path: path.display().to_string() })),
            None => Err(BytesUnavailable::OriginalUnreadable { path: path.display().to_string(), reason: "it was not verified".into() }),
        }
    }

    /// The window from the original file when its SHA-256 matches; `Ok(None)` when it was not
    /// verified and `hash` is false (the caller tries the vault first).
    fn read_verified(
        &self,
        path: &Path,
        located: &Located,
        offset: u64,
        length: u64,
        hash: bool,
    ) -> Result<Option<Vec<u8>>, BytesUnavailable> {
        let shown = || path.display().to_string();
        let unreadable = |reason: String| BytesUnavailable::OriginalUnreadable { path: shown(), reason };
        // A file larger than the sample changed: refused before anything is read.
        let opened = match OpenedFile::open(path, located.size) {
            Ok(opened) => opened,
            Err(fcas_engine::InputError::NotFound) => return Err(BytesUnavailable::OriginalMissing { path: shown() }),
            Err(fcas_engine::InputError::TooLarge { size, .. }) => {
                return Err(BytesUnavailable::OriginalChanged { path: shown(), found: format!("of a {size}-byte file") })
            }
            Err(error) => return Err(unreadable(error.to_string())),
        };
        if opened.size() != located.size {
            return Err(BytesUnavailable::OriginalChanged { path: shown(), found: format!("of a {}-byte file", opened.size()) });
        }
        let mut file = opened.reopen().map_err(|e| unreadable(e.to_string()))?;
        let modified = file.metadata().and_then(|m| m.modified()).map_err(|e| unreadable(e.to_string()))?;
        let stamp = (path.to_path_buf(), located.size, modified);
        let known = lock(&self.verified).get(&stamp).cloned();
        let found = match known {
            Some(found) => found,
            None if hash => {
                let found = opened.sha256().map_err(|e| unreadable(e.to_string()))?;
                remember(&self.verified, stamp, found.clone(), VERIFIED_FILES_KEPT);
                found
            }
            None => return Ok(None),
        };
        if found != located.sha256 {
            return Err(BytesUnavailable::OriginalChanged { path: shown(), found });
        }
        file.seek(SeekFrom::Start(offset)).map_err(|e| unreadable(e.to_string()))?;
        // `length` is at most MAX_WINDOW_BYTES: the allocation is bounded.
        let mut bytes = Vec::with_capacity(usize::try_from(length).unwrap_or(0));
        file.take(length).read_to_end(&mut bytes).map_err(|e| unreadable(e.to_string()))?;
        Ok(Some(bytes))
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

/// Remembers `key`, forgetting everything once `kept` entries are held (simple, and a full
/// memory is rare: one entry per sample or file opened in the hex view).
fn remember<K: std::hash::Hash + Eq, V>(memory: &Mutex<HashMap<K, V>>, key: K, value: V, kept: usize) {
    let mut memory = lock(memory);
    if memory.len() >= kept {
        memory.clear();
    }
    memory.insert(key, value);
}
