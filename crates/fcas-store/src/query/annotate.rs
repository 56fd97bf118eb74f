//! Analyst tags and notes.
use rusqlite::params;
use serde::Serialize;

use super::resolve_sample;
use crate::{unix_now, Result, Store, StoreError};

/// Longest tag accepted.
const MAX_TAG_CHARS: usize = 100;

/// The outcome of tagging.
#[derive(Debug, Clone, Serialize)]
pub struct TagChange {
    /// The sample.
    pub sha256: String,
    /// The tag.
    pub tag: String,
    /// False when the sample already had (or, when removing, did not have) the tag.
    pub changed: bool,
}

/// A stored note.
#[derive(Debug, Clone, Serialize)]
pub struct NoteAdded {
    /// The sample.
    pub sha256: String,
    /// Row id of the note.
    pub note_id: i64,
}

fn clean_tag(tag: &str) -> Result<String> {
    let tag = tag.trim();
    if tag.is_empty() || tag.chars().count() > MAX_TAG_CHARS || tag.chars().any(char::is_control) {
        return Err(StoreError::InvalidQuery(format!("a tag is 1 to {MAX_TAG_CHARS} printable characters")));
    }
    Ok(tag.to_string())
}

impl Store {
    /// Tags the sample named by `hash`.
    pub fn add_tag(&mut self, hash: &str, tag: &str) -> Result<TagChange> {
        let tag = clean_tag(tag)?;
        let sample = resolve_sample(&self.conn, hash)?;
        let changed = self
            .conn
            .execute("INSERT OR IGNORE INTO tags (sample_id, tag, created_at) VALUES (?1, ?2, ?3)", params![sample.id, tag, unix_now()])?
            > 0;
        Ok(TagChange { sha256: sample.sha256, tag, changed })
    }

    /// Removes a tag from the sample named by `hash`.
    pub fn remove_tag(&mut self, hash: &str, tag: &str) -> Result<TagChange> {
        let tag = clean_tag(tag)?;
        let sample = resolve_sample(&self.conn, hash)?;
        let changed = self.conn.execute("DELETE FROM tags WHERE sample_id = ?1 AND tag = ?2", params![sample.id, tag])? > 0;
        Ok(TagChange { sha256: sample.sha256, tag, changed })
    }

    /// Adds a note to the sample named by `hash`.
    pub fn add_note(&mut self, hash: &str, text: &str) -> Result<NoteAdded> {
        if text.trim().is_empty() {
            return Err(StoreError::InvalidQuery("a note needs some text".into()));
        }
        let sample = resolve_sample(&self.conn, hash)?;
        self.conn.execute("INSERT INTO notes (sample_id, text, created_at) VALUES (?1, ?2, ?3)", params![sample.id, text, unix_now()])?;
        Ok(NoteAdded { sha256: sample.sha256, note_id: self.conn.last_insert_rowid() })
    }
}
