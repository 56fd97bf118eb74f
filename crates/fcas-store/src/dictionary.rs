//! The zstd dictionaries report bodies are compressed with.
//!
//! A report body is mostly the same JSON keys, section names, import names and library strings
//! from one report to the next; zstd alone relearns them in every body, a dictionary trained on
//! engine reports gives them once. The dictionary in use is built into FCAS (trained by
//! `scripts/train-store-dictionary.sh`) and also stored in each database (`body_dictionaries`),
//! and bodies are always decoded with the database's copy, so a store stays readable by a later
//! FCAS that ships another dictionary. Dictionary ids are given here only, never reused for
//! other bytes, so one id means the same dictionary in every store.
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use rusqlite::{params, Connection, OptionalExtension};
use zstd::dict::{DecoderDictionary, EncoderDictionary};

use crate::{Result, StoreError};

/// Id of the dictionary new bodies are compressed with.
pub(crate) const CURRENT_ID: i64 = 1;

/// The dictionary [`CURRENT_ID`]: trained on the engine's reports of the test corpus.
const CURRENT: &[u8] = include_bytes!("../dictionaries/reports-1.zdict");

/// zstd level of new bodies. With the dictionary, level 3 made the bench's bodies 2% smaller
/// than level 1 for nearly three times the sending thread's time (docs/BENCHMARKS.md, store).
pub(crate) const LEVEL: i32 = 1;

/// A dictionary larger than this in a database is treated as damage.
const MAX_DICTIONARY_BYTES: usize = 4 * 1024 * 1024;

/// The prepared dictionary new bodies are compressed with.
pub(crate) fn encoder() -> &'static EncoderDictionary<'static> {
    static ENCODER: OnceLock<EncoderDictionary<'static>> = OnceLock::new();
    ENCODER.get_or_init(|| EncoderDictionary::copy(CURRENT, LEVEL))
}

/// Stores the built-in dictionary in the database when it is not there yet (inside the
/// caller's transaction: migration 7, or a store created at the latest version).
pub(crate) fn store_current(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("INSERT OR IGNORE INTO body_dictionaries (id, dictionary) VALUES (?1, ?2)", params![CURRENT_ID, CURRENT])?;
    Ok(())
}

/// The prepared decoder of dictionary `id`, read from the database once per process.
pub(crate) fn decoder(conn: &Connection, id: i64, report_id: i64) -> Result<Arc<DecoderDictionary<'static>>> {
    static DECODERS: OnceLock<Mutex<HashMap<i64, Arc<DecoderDictionary<'static>>>>> = OnceLock::new();
    let decoders = DECODERS.get_or_init(Default::default);
    if let Some(found) = decoders.lock().ok().and_then(|d| d.get(&id).cloned()) {
        return Ok(found);
    }
    let corrupt = |reason: String| StoreError::CorruptReport { report_id, reason };
    let bytes: Option<Vec<u8>> =
        conn.prepare_cached("SELECT dictionary FROM body_dictionaries WHERE id = ?1")?.query_row([id], |row| row.get(0)).optional()?;
    let bytes = bytes.ok_or_else(|| corrupt(format!("its body needs dictionary {id}, which this store does not hold")))?;
    if bytes.len() > MAX_DICTIONARY_BYTES {
        return Err(corrupt(format!(
            "dictionary {id} is {} bytes, more than the {MAX_DICTIONARY_BYTES} a dictionary may have",
            bytes.len()
        )));
    }
    let prepared = Arc::new(DecoderDictionary::copy(&bytes));
    if let Ok(mut decoders) = decoders.lock() {
        decoders.insert(id, prepared.clone());
    }
    Ok(prepared)
}
