//! The similarity indexes return exactly what comparing against every stored hash would.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use std::collections::BTreeSet;

use common::TestMetric;
use fcas_report::Report;
use fcas_store::similarity::{similar, FuzzyMetric, MAX_TLSH_DISTANCE};
use fcas_store::Store;

const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Variations of a few base hashes: close relatives, far ones, and other block sizes.
fn synthetic_reports(count: usize) -> Vec<Report> {
    // Seeded, so a failure reproduces.
    let mut rng = fastrand::Rng::with_seed(0x9e37_79b9_7f4a_7c15);
    let bases: Vec<(String, String)> = (0..5)
        .map(|_| {
            let tlsh_body: String = (0..68).map(|_| char::from(b"0123456789ABCDEF"[(rng.u64(..) % 16) as usize])).collect();
            let chunk: String = (0..40).map(|_| char::from(B64[(rng.u64(..) % 64) as usize])).collect();
            (tlsh_body, chunk)
        })
        .collect();
    (0..count)
        .map(|i| {
            let (tlsh_body, chunk) = &bases[i % bases.len()];
            let mut body: Vec<u8> = tlsh_body.clone().into_bytes();
            for _ in 0..(rng.u64(..) % 20) {
                let at = (rng.u64(..) % 68) as usize;
                body[at] = b"0123456789ABCDEF"[(rng.u64(..) % 16) as usize];
            }
            // L-value near 0x40 (swapped digits in the hash: low digit first).
            let lvalue = 0x40u8.wrapping_add((rng.u64(..) % 9) as u8).wrapping_sub(4);
            let body = String::from_utf8(body).expect("ascii");
            let tlsh = format!("T1{}{:X}{:X}{}", &body[..2], lvalue & 0xf, lvalue >> 4, &body[2..]);
            let mut chunk = chunk.clone().into_bytes();
            for _ in 0..(rng.u64(..) % 5) {
                let at = (rng.u64(..) % chunk.len() as u64) as usize;
                chunk[at] = B64[(rng.u64(..) % 64) as usize];
            }
            let block = [3u64, 6, 12][(rng.u64(..) % 3) as usize];
            let chunk = String::from_utf8(chunk).expect("ascii");
            let ssdeep = format!("{block}:{chunk}:{}", &chunk[..20]);
            let mut report = Report { path: format!("sample-{i}.bin"), ..Report::default() };
            report.hashes.sha256 = format!("{i:064x}");
            report.hashes.tlsh = Some(tlsh);
            report.hashes.ssdeep = Some(ssdeep);
            report
        })
        .collect()
}

#[test]
fn index_search_equals_brute_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(&dir.path().join("cases.sqlite")).expect("open");
    let reports = synthetic_reports(400);
    for report in &reports {
        store.insert_report(report).expect("insert");
    }
    let metric = TestMetric;
    for query in reports.iter().step_by(37) {
        let top = 10;
        let result = similar(store.connection(), &query.hashes.sha256, top, &metric).expect("similar");
        let (q_tlsh, q_ssdeep) = (query.hashes.tlsh.as_deref().expect("tlsh"), query.hashes.ssdeep.as_deref().expect("ssdeep"));

        let mut by_tlsh: Vec<(u32, String)> = reports
            .iter()
            .filter(|r| r.hashes.sha256 != query.hashes.sha256)
            .filter_map(|r| metric.tlsh_distance(q_tlsh, r.hashes.tlsh.as_deref()?).map(|d| (d, r.hashes.sha256.clone())))
            .filter(|(d, _)| *d <= MAX_TLSH_DISTANCE)
            .collect();
        by_tlsh.sort();
        let expected_distances: Vec<u32> = by_tlsh.iter().take(top).map(|(d, _)| *d).collect();
        let found_distances: Vec<u32> = result.by_tlsh.iter().map(|h| h.tlsh_distance.expect("distance")).collect();
        assert!(!expected_distances.is_empty(), "the synthetic set has TLSH relatives");
        assert_eq!(found_distances, expected_distances, "TLSH top-{top} distances for {}", query.path);
        assert!(result.by_tlsh.iter().all(|h| h.matched_by == "tlsh"));

        let mut by_ssdeep: Vec<(u32, String)> = reports
            .iter()
            .filter(|r| r.hashes.sha256 != query.hashes.sha256)
            .filter_map(|r| metric.ssdeep_score(q_ssdeep, r.hashes.ssdeep.as_deref()?).map(|s| (s, r.hashes.sha256.clone())))
            .filter(|(s, _)| *s > 0)
            .collect();
        by_ssdeep.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
        let expected_scores: Vec<u32> = by_ssdeep.iter().take(top).map(|(s, _)| *s).collect();
        let found_scores: Vec<u32> = result.by_ssdeep.iter().map(|h| h.ssdeep_score.expect("score")).collect();
        assert!(!expected_scores.is_empty(), "the synthetic set has ssdeep relatives");
        assert_eq!(found_scores, expected_scores, "ssdeep top-{top} scores for {}", query.path);
        let all_positive: BTreeSet<&String> = by_ssdeep.iter().map(|(_, s)| s).collect();
        assert!(result.by_ssdeep.iter().all(|h| all_positive.contains(&h.sample.sha256)));
    }
}

#[test]
fn corpus_hashes_are_indexed_and_a_sample_without_fuzzy_hashes_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(&dir.path().join("cases.sqlite")).expect("open");
    let reports = common::corpus_reports();
    for (report, _) in &reports {
        store.insert_report(report).expect("insert");
    }
    let with_tlsh = reports.iter().filter(|(r, _)| r.hashes.tlsh.is_some()).count() as i64;
    let indexed: i64 = store.connection().query_row("SELECT count(*) FROM tlsh_index", [], |row| row.get(0)).expect("count");
    assert_eq!(indexed, with_tlsh, "every corpus TLSH hash parses and is indexed");

    let mut bare = Report::default();
    bare.hashes.sha256 = "f".repeat(64);
    store.insert_report(&bare).expect("insert bare");
    let result = similar(store.connection(), &"f".repeat(64), 5, &TestMetric).expect("similar");
    assert!(result.by_tlsh.is_empty() && result.by_ssdeep.is_empty());
    assert_eq!(result.notes.len(), 2);
}
