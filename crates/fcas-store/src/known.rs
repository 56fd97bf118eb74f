//! Known files: imported by [`Store::import_known`], matched by hash whenever a report is read
//! ([`Store::known_for`]), so an import marks the samples stored before it and after it alike.
use std::collections::HashSet;

use fcas_exchange::KnownEntry;
use fcas_report::{Hashes, Known};
use rusqlite::{params, TransactionBehavior};
use serde::Serialize;

use crate::{unix_now, Result, Store};

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct KnownImport {
    /// Entries stored (an entry of the same hash and source replaces the older one).
    pub entries: u64,
    /// Stored samples one of the entries names.
    pub matched_samples: u64,
}

impl Store {
    /// Stores `entries` in one transaction and counts the stored samples they name.
    pub fn import_known(&mut self, entries: &[KnownEntry]) -> Result<KnownImport> {
        let now = unix_now();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut matched = HashSet::new();
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR REPLACE INTO known (hash_kind, hash, source, name, tags, imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for entry in entries {
                let tags = serde_json::to_string(&entry.tags).unwrap_or_else(|_| "[]".into());
                insert.execute(params![entry.hash_kind.as_str(), entry.hash, entry.source, entry.name, tags, now])?;
                // The column is chosen from a fixed set, never from the input.
                let sql = match entry.hash_kind {
                    fcas_exchange::HashKind::Md5 => "SELECT id FROM samples WHERE md5 = ?1",
                    fcas_exchange::HashKind::Sha1 => "SELECT id FROM samples WHERE sha1 = ?1",
                    fcas_exchange::HashKind::Sha256 => "SELECT id FROM samples WHERE sha256 = ?1",
                };
                let ids =
                    tx.prepare_cached(sql)?.query_map([&entry.hash], |row| row.get::<_, i64>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
                matched.extend(ids);
            }
        }
        tx.commit()?;
        Ok(KnownImport { entries: entries.len() as u64, matched_samples: matched.len() as u64 })
    }

    /// The known-file entries naming a file of these hashes, by source then hash kind.
    pub fn known_for(&self, hashes: &Hashes) -> Result<Vec<Known>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT hash_kind, source, name, tags FROM known
             WHERE (hash_kind = 'md5' AND hash = ?1) OR (hash_kind = 'sha1' AND hash = ?2) OR (hash_kind = 'sha256' AND hash = ?3)
             ORDER BY source, hash_kind",
        )?;
        let lower = |hash: &str| hash.to_ascii_lowercase();
        let rows = statement.query_map(params![lower(&hashes.md5), lower(&hashes.sha1), lower(&hashes.sha256)], |row| {
            let tags: String = row.get(3)?;
            Ok(Known {
                hash_kind: row.get(0)?,
                source: row.get(1)?,
                name: row.get(2)?,
                tags: serde_json::from_str(&tags).unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many known-file entries the store holds.
    pub fn known_count(&self) -> Result<u64> {
        Ok(self.conn.query_row("SELECT count(*) FROM known", [], |row| row.get::<_, i64>(0))? as u64)
    }
}
