//! Full-text search over the strings and IOCs of each sample's latest report.
use rusqlite::params;
use serde::Serialize;

use super::{clamp_limit, sample_summaries, SampleSummary};
use crate::{codec, Result, Store, StoreError};

/// Matching strings shown per hit.
const MATCHES_SHOWN: usize = 5;
/// Hits whose matching strings are looked up: each needs its report decompressed (about a
/// millisecond for a large report), so only the newest hits get them.
pub const HITS_WITH_MATCHES: usize = 10;

/// A sample whose strings or IOCs match.
#[derive(Debug, Clone, Serialize)]
pub struct TextHit {
    /// The sample.
    pub sample: SampleSummary,
    /// The report searched (the sample's latest).
    pub report_id: i64,
    /// Some of the matching strings: `(kind, value)`, kind being `string` or the IOC kind
    /// (empty past the first [`HITS_WITH_MATCHES`] hits).
    pub matches: Vec<(String, String)>,
}

/// Turns what an analyst typed into an FTS5 query: every word becomes a quoted phrase (so
/// `evil.com` means the tokens `evil` then `com`), and all of them must match.
fn to_fts_query(text: &str, iocs_only: bool) -> Option<String> {
    let phrases: Vec<String> = text.split_whitespace().map(|word| format!("\"{}\"", word.replace('"', "\"\""))).collect();
    if phrases.is_empty() {
        return None;
    }
    let joined = phrases.join(" AND ");
    Some(if iocs_only { format!("iocs : ({joined})") } else { joined })
}

impl Store {
    /// Samples whose latest report has strings (or, with `iocs_only`, IOCs) containing every
    /// word of `text`, newest report first. The first [`HITS_WITH_MATCHES`] hits also carry
    /// some of the matching strings.
    pub fn search_text(&self, text: &str, iocs_only: bool, limit: u32) -> Result<Vec<TextHit>> {
        let query = to_fts_query(text, iocs_only).ok_or_else(|| StoreError::InvalidQuery("give some text to search for".into()))?;
        let mut statement = self.conn.prepare_cached(
            // CROSS JOIN keeps the full-text match as the outer loop (newest documents first,
            // stopping at the limit) instead of probing the index once per sample.
            "SELECT s.id, t.rowid FROM text.report_text t CROSS JOIN samples s ON s.latest_report_id = t.rowid
             WHERE t.report_text MATCH ?1 ORDER BY t.rowid DESC LIMIT ?2",
        )?;
        let found: Vec<(i64, i64)> = statement
            .query_map(params![query, clamp_limit(limit)], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
        let mut hits = Vec::with_capacity(found.len());
        for (position, (sample_id, report_id)) in found.into_iter().enumerate() {
            let Some(sample) = sample_summaries(&self.conn, &[sample_id])?.into_iter().next() else { continue };
            let matches = if position < HITS_WITH_MATCHES {
                codec::load_strings(&self.conn, report_id).map(|s| matching_values(&s, &words, iocs_only)).unwrap_or_default()
            } else {
                Vec::new()
            };
            hits.push(TextHit { sample, report_id, matches });
        }
        Ok(hits)
    }
}

fn matching_values(strings: &fcas_report::StringsReport, words: &[String], iocs_only: bool) -> Vec<(String, String)> {
    let contains_all = |value: &str| {
        let value = value.to_lowercase();
        words.iter().all(|w| value.contains(w.as_str()))
    };
    let iocs = strings.iocs.iter().map(|i| (i.kind.clone(), i.value.as_str()));
    let items = strings.items.iter().filter(|_| !iocs_only).map(|s| ("string".to_string(), s.value.as_str()));
    iocs.chain(items).filter(|(_, v)| contains_all(v)).take(MATCHES_SHOWN).map(|(k, v)| (k, v.to_string())).collect()
}
