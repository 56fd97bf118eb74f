//! The sample vault: the bytes of analysed samples, kept beside the database so rules can be
//! run over them again (retro-hunts) and samples exported without their original files.
//!
//! Content-addressed by SHA-256 in `<db file>.vault/ab/<sha256>`, each file compressed and
//! encoded ([`format`]) so no antivirus quarantines it, private (0600 files, 0700 folders) and
//! never executable. The `vault` table records which samples are there; a size quota evicts the
//! least recently read or added samples first. Compression and file writes happen on the
//! caller's thread ([`Vault::write`]); the store's writer only records the rows.
pub mod files;
pub mod format;
pub mod index;
pub mod sweep;
pub mod window;

use std::path::{Path, PathBuf};

pub use index::{Recorded, VaultEntry, VaultStats};
pub use sweep::{Swept, DEFAULT_SWEEP_GRACE};

use crate::{Result, Store, StoreError};

/// The vault's default size quota: 10 GiB of encoded files.
pub const DEFAULT_VAULT_QUOTA: u64 = 10 << 30;
/// The largest sample read back by default: the engine's default file-size limit (2 GiB).
pub const DEFAULT_VAULT_MAX_READ: u64 = 2 << 30;

/// How much the vault keeps and reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VaultConfig {
    /// Total size of the encoded files kept; beyond it, the least recently read or added
    /// samples are evicted.
    pub quota: u64,
    /// Largest sample read back (a larger one is refused before it is decompressed).
    pub max_read: u64,
}

impl Default for VaultConfig {
    fn default() -> Self {
        Self { quota: DEFAULT_VAULT_QUOTA, max_read: DEFAULT_VAULT_MAX_READ }
    }
}

/// The vault folder of one case store. Holds no connection: clone it onto any thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vault {
    dir: PathBuf,
    config: VaultConfig,
}

impl Vault {
    /// The vault of the database file `db` (`<db>.vault`).
    pub fn beside(db: &Path, config: VaultConfig) -> Self {
        Self { dir: files::vault_dir_of(db), config }
    }

    /// Its folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Its quota and read limit.
    pub fn config(&self) -> VaultConfig {
        self.config
    }

    /// Encodes `bytes` and writes them as the file of `sha256` (their SHA-256, which the
    /// caller computed; a wrong one is caught when read). A file already there is kept.
    /// Returns the entry to record.
    pub fn write(&self, sha256: &str, bytes: &[u8]) -> Result<VaultEntry> {
        let path = self.path_of(sha256)?;
        let size = bytes.len() as u64;
        if let Ok(metadata) = std::fs::metadata(&path) {
            return Ok(VaultEntry { sha256: sha256.to_string(), size, stored_size: metadata.len() });
        }
        files::create_private_dir(&self.dir)?;
        let encoded = format::encode(bytes).map_err(|source| StoreError::Io { path: path.clone(), source })?;
        files::write_atomically(&files::incoming_dir_of(&self.dir), &path, &encoded)?;
        Ok(VaultEntry { sha256: sha256.to_string(), size, stored_size: encoded.len() as u64 })
    }

    /// The bytes of `sha256`, decoded and checked against their SHA-256; `None` when the vault
    /// has no file for it. A damaged file is an error ([`StoreError::VaultCorrupt`]).
    pub fn read(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        let path = self.path_of(sha256)?;
        // The encoded file of a sample within the limit is never much larger than it.
        let max_file = self.config.max_read.saturating_add(self.config.max_read / 64).saturating_add(1 << 16);
        let Some(encoded) = files::read_bounded(&path, max_file)? else { return Ok(None) };
        let corrupt = |reason: String| StoreError::VaultCorrupt { path: path.clone(), reason };
        let bytes = format::decode(&encoded, self.config.max_read).map_err(|e| corrupt(e.to_string()))?;
        let found = fcas_engine::sha256_hex(&bytes);
        if found != sha256 {
            return Err(corrupt(format!("its content's SHA-256 is {found}")));
        }
        Ok(Some(bytes))
    }

    /// Removes the file of `sha256` (after its row was deleted).
    pub fn remove(&self, sha256: &str) -> Result<()> {
        files::remove(&self.path_of(sha256)?)
    }

    /// The file of `sha256`, refusing anything but a lowercase SHA-256 (it becomes a path).
    pub fn path_of(&self, sha256: &str) -> Result<PathBuf> {
        if !files::is_sha256(sha256) {
            return Err(StoreError::InvalidQuery(format!("{sha256:?} is not a SHA-256 (64 lowercase hex digits)")));
        }
        Ok(files::file_of(&self.dir, sha256))
    }

    /// Removes the files of evicted or refused samples; a failure leaves an orphan file that
    /// costs disk but no quota (returned to be reported).
    pub fn remove_all<'a>(&self, sha256s: impl IntoIterator<Item = &'a String>) -> Vec<String> {
        sha256s.into_iter().filter_map(|sha256| self.remove(sha256).err().map(|e| e.to_string())).collect()
    }
}

/// What [`Store::vault_put`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultPut {
    /// The sample's entry.
    pub entry: VaultEntry,
    /// Rows recorded, evicted and refused.
    pub recorded: Recorded,
}

impl Store {
    /// The vault beside this store's file. A store in memory has none.
    pub fn vault(&self, config: VaultConfig) -> Result<Vault> {
        if self.is_memory() {
            return Err(StoreError::InvalidQuery("a case store held in memory has no sample vault; choose a database file".into()));
        }
        Ok(Vault::beside(self.path(), config))
    }

    /// Keeps `bytes` in `vault` (compressed and written here, recorded in its own
    /// transaction), evicting older samples beyond the quota. Batches of scans go through
    /// [`crate::writer::WriterHandle::vault_record`] instead.
    pub fn vault_put(&mut self, vault: &Vault, bytes: &[u8]) -> Result<VaultPut> {
        let sha256 = fcas_engine::sha256_hex(bytes);
        let entry = vault.write(&sha256, bytes)?;
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let recorded = index::record(&tx, std::slice::from_ref(&entry), vault.config().quota)?;
        tx.commit()?;
        vault.remove_all(recorded.evicted.iter().chain(&recorded.refused));
        Ok(VaultPut { entry, recorded })
    }

    /// The bytes of `sha256` from the vault beside this store, up to the default read limit
    /// ([`DEFAULT_VAULT_MAX_READ`]); `None` when it keeps none (never kept, evicted, or a store
    /// older than the vault). See [`Store::vault_read_with`].
    pub fn vault_read(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        self.vault_read_with(&self.vault(VaultConfig::default())?, sha256)
    }

    /// The bytes of `sha256` from `vault`, decoded and verified; marks the sample read (it is
    /// evicted last). A file whose row was evicted meanwhile is still returned.
    pub fn vault_read_with(&self, vault: &Vault, sha256: &str) -> Result<Option<Vec<u8>>> {
        let bytes = vault.read(&sha256.to_ascii_lowercase())?;
        if bytes.is_some() {
            index::touch(&self.conn, &sha256.to_ascii_lowercase())?;
        }
        Ok(bytes)
    }

    /// Whether the vault holds the bytes of `sha256`.
    pub fn vault_contains(&self, sha256: &str) -> Result<bool> {
        index::contains(&self.conn, &sha256.to_ascii_lowercase())
    }

    /// The vault's figures.
    pub fn vault_stats(&self) -> Result<VaultStats> {
        index::stats(&self.conn)
    }
}
