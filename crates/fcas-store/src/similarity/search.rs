//! Ranking stored samples against one sample.
use std::collections::HashMap;

use rusqlite::{params, Connection};
use serde::Serialize;

use super::{ssdeep_grams, tlsh_key, FuzzyMetric};
use crate::query::{resolve_sample, sample_summaries, SampleSummary};
use crate::Result;

/// TLSH distances above this are not reported: past it, two files have little in common.
pub const MAX_TLSH_DISTANCE: u32 = 300;
/// At most this many ssdeep candidates (those sharing the most keys) are scored exactly.
pub const MAX_SSDEEP_CANDIDATES: usize = 5_000;

/// One similar sample.
#[derive(Debug, Clone, Serialize)]
pub struct SimilarHit {
    /// The similar sample.
    pub sample: SampleSummary,
    /// Which hash ranked this hit: `tlsh` or `ssdeep`.
    pub matched_by: String,
    /// TLSH distance to the query (lower is closer), when both have a TLSH hash.
    pub tlsh_distance: Option<u32>,
    /// ssdeep score against the query (0..=100, higher is closer), when both have an ssdeep hash.
    pub ssdeep_score: Option<u32>,
}

/// Samples similar to one sample, ranked by each hash.
#[derive(Debug, Clone, Serialize)]
pub struct SimilarityResult {
    /// The sample searched for.
    pub query: SampleSummary,
    /// Up to K samples by increasing TLSH distance (at most [`MAX_TLSH_DISTANCE`]).
    pub by_tlsh: Vec<SimilarHit>,
    /// Up to K samples by decreasing ssdeep score (above 0).
    pub by_ssdeep: Vec<SimilarHit>,
    /// Limits reached during the search, one sentence each.
    pub notes: Vec<String>,
}

/// Finds the `top` samples closest to the sample named by `hash` (any hash or a prefix).
pub fn similar(conn: &Connection, hash: &str, top: usize, metric: &dyn FuzzyMetric) -> Result<SimilarityResult> {
    let query = resolve_sample(conn, hash)?;
    let (ssdeep, tlsh): (Option<String>, Option<String>) =
        conn.query_row("SELECT ssdeep, tlsh FROM samples WHERE id = ?1", [query.id], |row| Ok((row.get(0)?, row.get(1)?)))?;
    let mut notes = Vec::new();
    if tlsh.is_none() {
        notes.push("this sample has no stored TLSH hash (the file is too small or too uniform, or the engine did not compute one), so nothing is ranked by TLSH".into());
    }
    if ssdeep.is_none() {
        notes.push("this sample has no stored ssdeep hash, so nothing is ranked by ssdeep".into());
    }
    let tlsh_ranked = match &tlsh {
        Some(tlsh) => nearest_by_tlsh(conn, query.id, tlsh, top, metric)?,
        None => Vec::new(),
    };
    let ssdeep_ranked = match &ssdeep {
        Some(ssdeep) => best_by_ssdeep(conn, query.id, ssdeep, top, metric, &mut notes)?,
        None => Vec::new(),
    };
    let by_tlsh = hits(conn, &tlsh_ranked, "tlsh", ssdeep.as_deref(), tlsh.as_deref(), metric)?;
    let by_ssdeep = hits(conn, &ssdeep_ranked, "ssdeep", ssdeep.as_deref(), tlsh.as_deref(), metric)?;
    let query = sample_summaries(conn, &[query.id])?.into_iter().next().unwrap_or_default();
    Ok(SimilarityResult { query, by_tlsh, by_ssdeep, notes })
}

/// Exact top-K by TLSH distance: visits L-value buckets nearest first and stops once the length
/// term alone exceeds the K-th best distance found.
fn nearest_by_tlsh(conn: &Connection, self_id: i64, tlsh: &str, top: usize, metric: &dyn FuzzyMetric) -> Result<Vec<(i64, u32)>> {
    let Some(center) = tlsh_key::lvalue(tlsh) else { return Ok(Vec::new()) };
    let mut best: Vec<(i64, u32)> = Vec::new();
    let mut bucket = conn.prepare_cached("SELECT sample_id, tlsh FROM tlsh_index WHERE lvalue = ?1")?;
    for step in 0..=128u8 {
        let bound = tlsh_key::length_lower_bound(center, center.wrapping_add(step));
        let kth = if best.len() >= top { best.last().map(|b| b.1).unwrap_or(u32::MAX) } else { MAX_TLSH_DISTANCE };
        if bound > kth.min(MAX_TLSH_DISTANCE) || top == 0 {
            break;
        }
        for lvalue in tlsh_key::buckets_at(center, step) {
            let rows = bucket.query_map(params![lvalue], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))?;
            for row in rows {
                let (sample_id, other) = row?;
                if sample_id == self_id {
                    continue;
                }
                if let Some(distance) = metric.tlsh_distance(tlsh, &other).filter(|d| *d <= MAX_TLSH_DISTANCE) {
                    best.push((sample_id, distance));
                }
            }
            best.sort_by_key(|&(id, distance)| (distance, id));
            best.truncate(top);
        }
    }
    Ok(best)
}

/// Top-K by ssdeep score among the samples sharing at least one gram key.
fn best_by_ssdeep(
    conn: &Connection,
    self_id: i64,
    ssdeep: &str,
    top: usize,
    metric: &dyn FuzzyMetric,
    notes: &mut Vec<String>,
) -> Result<Vec<(i64, u32)>> {
    let keys = ssdeep_grams::gram_keys(ssdeep);
    let mut shared: HashMap<i64, u32> = HashMap::new();
    let mut lookup = conn.prepare_cached("SELECT sample_id FROM ssdeep_grams WHERE gram = ?1")?;
    for key in &keys {
        for sample_id in lookup.query_map([key], |row| row.get::<_, i64>(0))? {
            let sample_id = sample_id?;
            if sample_id != self_id {
                *shared.entry(sample_id).or_insert(0) += 1;
            }
        }
    }
    let mut candidates: Vec<(i64, u32)> = shared.into_iter().collect();
    candidates.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    if candidates.len() > MAX_SSDEEP_CANDIDATES {
        notes.push(format!(
            "{} samples share part of the ssdeep hash; only the {MAX_SSDEEP_CANDIDATES} sharing the most were scored",
            candidates.len()
        ));
        candidates.truncate(MAX_SSDEEP_CANDIDATES);
    }
    let mut hash_of = conn.prepare_cached("SELECT ssdeep FROM samples WHERE id = ?1")?;
    let mut scored = Vec::new();
    for (sample_id, _) in candidates {
        let other: Option<String> = hash_of.query_row([sample_id], |row| row.get(0))?;
        if let Some(score) = other.and_then(|other| metric.ssdeep_score(ssdeep, &other)).filter(|s| *s > 0) {
            scored.push((sample_id, score));
        }
    }
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.truncate(top);
    Ok(scored)
}

fn hits(
    conn: &Connection,
    ranked: &[(i64, u32)],
    matched_by: &str,
    ssdeep: Option<&str>,
    tlsh: Option<&str>,
    metric: &dyn FuzzyMetric,
) -> Result<Vec<SimilarHit>> {
    let ids: Vec<i64> = ranked.iter().map(|r| r.0).collect();
    let summaries = sample_summaries(conn, &ids)?;
    let mut hashes = conn.prepare_cached("SELECT ssdeep, tlsh FROM samples WHERE id = ?1")?;
    let mut out = Vec::with_capacity(summaries.len());
    for summary in summaries {
        let (other_ssdeep, other_tlsh): (Option<String>, Option<String>) =
            hashes.query_row([summary.id], |row| Ok((row.get(0)?, row.get(1)?)))?;
        let tlsh_distance = tlsh.zip(other_tlsh.as_deref()).and_then(|(a, b)| metric.tlsh_distance(a, b));
        let ssdeep_score = ssdeep.zip(other_ssdeep.as_deref()).and_then(|(a, b)| metric.ssdeep_score(a, b));
        out.push(SimilarHit { sample: summary, matched_by: matched_by.to_string(), tlsh_distance, ssdeep_score });
    }
    Ok(out)
}
