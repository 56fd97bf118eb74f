//! Writing the candidate keys of a sample's fuzzy hashes.
use rusqlite::{params, Connection};

use super::{ssdeep_grams, tlsh_key};
use crate::keys::PendingKeys;

/// Adds `sample_id`'s keys for the given hashes (either may be absent or unparsable: it then
/// simply has no keys, and the sample is not found by that hash). The ssdeep grams go to `keys`,
/// written with the other pending keys.
pub(crate) fn add(
    conn: &Connection,
    keys: &mut PendingKeys,
    sample_id: i64,
    ssdeep: Option<&str>,
    tlsh: Option<&str>,
) -> rusqlite::Result<()> {
    if let Some((tlsh, lvalue)) = tlsh.and_then(|t| tlsh_key::lvalue(t).map(|l| (t, l))) {
        conn.prepare_cached("INSERT OR REPLACE INTO tlsh_index (sample_id, lvalue, tlsh) VALUES (?1, ?2, ?3)")?
            .execute(params![sample_id, lvalue, tlsh])?;
    }
    for gram in ssdeep.map(ssdeep_grams::gram_keys).unwrap_or_default() {
        keys.gram(gram, sample_id);
    }
    Ok(())
}

/// Rebuilds both indexes from `samples` (used when the index tables are created on an existing
/// store).
pub fn rebuild(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch("DELETE FROM tlsh_index; DELETE FROM ssdeep_grams;")?;
    let mut select = conn.prepare("SELECT id, ssdeep, tlsh FROM samples WHERE ssdeep IS NOT NULL OR tlsh IS NOT NULL")?;
    let rows =
        select.query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, Option<String>>(1)?, row.get::<_, Option<String>>(2)?)))?;
    let mut keys = PendingKeys::default();
    for row in rows {
        let (sample_id, ssdeep, tlsh) = row?;
        add(conn, &mut keys, sample_id, ssdeep.as_deref(), tlsh.as_deref())?;
    }
    keys.write(conn)
}
