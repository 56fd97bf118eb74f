//! The full-text document of a report and how it reaches the FTS5 index.
//!
//! A document is built by [`TextDocument::of`] wherever the report is at hand (for the writer:
//! on the sending thread), staged per report in a temporary table, and moved into the index
//! by [`index_staged`] in one statement per transaction: FTS5 writes its in-memory terms out at
//! every statement that inserts into it, so one INSERT per report would leave one index segment
//! per report to merge; one INSERT per transaction leaves one.
use std::collections::HashSet;

use fcas_report::Report;
use rusqlite::{params, Connection};

use crate::Result;

/// At most this many strings of one report go into the full-text index (the report body keeps
/// them all); past it, search only sees the first ones.
pub const MAX_INDEXED_STRINGS: usize = 20_000;
/// At most this many bytes of string text per report go into the full-text index.
pub const MAX_INDEXED_TEXT_BYTES: usize = 2 * 1024 * 1024;

/// One report's document: its distinct strings on one column, its distinct IOCs on the other,
/// one value per line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TextDocument {
    strings: String,
    iocs: String,
}

impl TextDocument {
    /// The document of `report`, within the index's bounds.
    pub(crate) fn of(report: &Report) -> Self {
        Self {
            strings: bounded_lines(report.strings.items.iter().map(|s| s.value.as_str())),
            iocs: bounded_lines(report.strings.iocs.iter().map(|i| i.value.as_str())),
        }
    }

    fn is_empty(&self) -> bool {
        self.strings.is_empty() && self.iocs.is_empty()
    }
}

/// Stages `document` as report `report_id`'s, inside the caller's transaction.
pub(crate) fn stage(conn: &Connection, report_id: i64, document: &TextDocument) -> Result<()> {
    if document.is_empty() {
        return Ok(());
    }
    conn.execute_batch("CREATE TEMP TABLE IF NOT EXISTS staged_text (id INTEGER PRIMARY KEY, strings TEXT, iocs TEXT)")?;
    conn.prepare_cached("INSERT INTO temp.staged_text (id, strings, iocs) VALUES (?1, ?2, ?3)")?.execute(params![
        report_id,
        document.strings,
        document.iocs
    ])?;
    Ok(())
}

/// Moves the staged documents into the full-text index, in one statement. Every transaction
/// that inserts reports calls this before committing.
pub(crate) fn index_staged(conn: &Connection) -> Result<()> {
    let staged: i64 = conn.query_row("SELECT count(*) FROM temp.sqlite_schema WHERE name = 'staged_text'", [], |row| row.get(0))?;
    if staged > 0 {
        conn.execute_batch(
            "INSERT INTO report_text (rowid, strings, iocs) SELECT id, strings, iocs FROM temp.staged_text ORDER BY id;
             DELETE FROM temp.staged_text;",
        )?;
    }
    Ok(())
}

/// The distinct values, one per line, within the index's bounds (a string repeated in a file
/// is indexed once).
fn bounded_lines<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let mut text = String::new();
    let mut seen = HashSet::new();
    for value in values.filter(|v| seen.insert(*v)).take(MAX_INDEXED_STRINGS) {
        if text.len().saturating_add(value.len()) > MAX_INDEXED_TEXT_BYTES {
            break;
        }
        text.push_str(value);
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_values_are_indexed_once_in_first_seen_order() {
        assert_eq!(bounded_lines(["b", "a", "b", "c", "a"].into_iter()), "b\na\nc\n");
    }

    #[test]
    fn text_past_the_byte_bound_is_left_out() {
        let long = "x".repeat(MAX_INDEXED_TEXT_BYTES / 2 + 1);
        let other = "y".repeat(MAX_INDEXED_TEXT_BYTES / 2 + 1);
        let text = bounded_lines([long.as_str(), other.as_str(), "z"].into_iter());
        assert!(text.len() <= MAX_INDEXED_TEXT_BYTES);
        assert!(text.starts_with(&long) && !text.contains('y'));
    }
}
