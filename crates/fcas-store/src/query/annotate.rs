//! Analyst tags and notes.
use rusqlite::params;
use serde::{Deserialize, Serialize};

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

/// Several tag and note changes to one sample, applied together or not at all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Annotation {
    /// Tags to add.
    pub add_tags: Vec<String>,
    /// Tags to remove.
    pub remove_tags: Vec<String>,
    /// A note to append (blank: none).
    pub note: Option<String>,
}

fn clean_tag(tag: &str) -> Result<String> {
    let tag = tag.trim();
    if tag.is_empty() || tag.chars().count() > MAX_TAG_CHARS || tag.chars().any(char::is_control) {
        return Err(StoreError::InvalidQuery(format!("a tag is 1 to {MAX_TAG_CHARS} printable characters")));
    }
    Ok(tag.to_string())
}

impl Store {
    /// Applies `change` to the sample named by `hash` in one transaction: a refused tag leaves
    /// the sample as it was.
    pub fn annotate(&mut self, hash: &str, change: &Annotation) -> Result<()> {
        self.conn.execute_batch("SAVEPOINT annotate")?;
        let applied = self.apply_annotation(hash, change);
        let end = if applied.is_ok() { "RELEASE annotate" } else { "ROLLBACK TO annotate; RELEASE annotate" };
        self.conn.execute_batch(end)?;
        applied
    }

    fn apply_annotation(&mut self, hash: &str, change: &Annotation) -> Result<()> {
        for tag in &change.remove_tags {
            self.remove_tag(hash, tag)?;
        }
        for tag in &change.add_tags {
            self.add_tag(hash, tag)?;
        }
        if let Some(text) = change.note.as_ref().filter(|t| !t.trim().is_empty()) {
            self.add_note(hash, text)?;
        }
        Ok(())
    }

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
