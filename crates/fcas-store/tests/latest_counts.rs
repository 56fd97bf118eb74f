//! `stats` reads the samples' formats and the verdicts and indicators of their latest reports from
//! counts the store keeps as it writes (schema 8); they must answer what the joins over the latest
//! reports answer, after re-analyses and after migrating a store written before the counts existed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use fcas_report::{Indicator, Severity, Verdict};
use fcas_store::Store;
use rusqlite::Connection;

const START: i64 = 1_700_000_000;

/// (value, count) pairs as a join over every sample's latest report counts them: the definition
/// the kept counts must match.
fn joined(conn: &Connection, sql: &str) -> Vec<(String, i64)> {
    let mut statement = conn.prepare(sql).unwrap();
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).unwrap();
    rows.collect::<rusqlite::Result<_>>().unwrap()
}

/// The store's kept counts (formats, and verdicts and indicators of the latest reports) against
/// the joins they replace.
fn assert_counts_match_the_join(store: &Store) {
    let conn = store.connection();
    let formats = joined(conn, "SELECT format, count(*) FROM samples GROUP BY 1 ORDER BY 2 DESC, 1");
    let verdicts = joined(
        conn,
        "SELECT coalesce(r.verdict, 'none'), count(*) FROM reports r JOIN samples s ON s.latest_report_id = r.id
         GROUP BY 1 ORDER BY 2 DESC, 1",
    );
    let indicators = joined(
        conn,
        "SELECT i.indicator_id, count(*) FROM indicators i JOIN samples s ON s.latest_report_id = i.report_id
         GROUP BY 1 ORDER BY 2 DESC, 1",
    );
    assert!(!verdicts.is_empty() && !indicators.is_empty(), "the store has verdicts and indicators to count");
    let stats = store.stats().unwrap();
    let as_pairs = |counts: Vec<fcas_store::query::Count>| counts.into_iter().map(|c| (c.value, c.count as i64)).collect::<Vec<_>>();
    assert_eq!(as_pairs(stats.formats), formats);
    assert_eq!(as_pairs(stats.verdicts), verdicts);
    assert_eq!(as_pairs(stats.indicators), indicators.iter().take(20).cloned().collect::<Vec<_>>());
    let kept = joined(conn, "SELECT value, count FROM latest_counts WHERE kind = 'indicator' AND count > 0 ORDER BY 2 DESC, 1");
    assert_eq!(kept, indicators, "every indicator is counted, not only the first 20");
}

fn indicator(id: &str) -> Indicator {
    Indicator { id: id.into(), severity: Severity::Low, title: id.into(), evidence: Vec::new(), attack_id: None }
}

#[test]
fn kept_counts_follow_reanalyses_of_the_same_samples() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cases.sqlite")).unwrap();
    let reports = common::corpus_reports();
    let labels = ["malicious", "suspicious", "benign"];
    for (i, (report, _)) in reports.iter().enumerate() {
        let mut report = report.clone();
        report.verdict = (i % 4 != 0).then(|| Verdict { label: labels[i % 3].into(), score: Some(0.5), ..Verdict::default() });
        report.indicators.extend((0..i % 4).map(|k| indicator(&format!("test.first.{k}"))));
        store.insert_report_at(&report, START + i as i64).unwrap();
    }
    assert_counts_match_the_join(&store);
    // Re-analyses: a third of the samples get another verdict and format, lose their indicators
    // and gain one.
    for (i, (report, _)) in reports.iter().enumerate().filter(|(i, _)| i % 3 == 0) {
        let mut again = report.clone();
        again.verdict = Some(Verdict { label: labels[(i + 1) % 3].into(), score: Some(0.7), ..Verdict::default() });
        again.format = fcas_report::Format::Msdos;
        again.indicators = vec![indicator("test.reanalysed")];
        store.insert_report_at(&again, START + 1_000 + i as i64).unwrap();
    }
    assert_counts_match_the_join(&store);
    let stats = store.stats().unwrap();
    assert!(stats.indicators.iter().any(|c| c.value == "test.reanalysed"));
}

#[test]
fn a_store_from_before_the_counts_gets_them_when_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::v6_store(dir.path());
    let store = Store::open_existing(&path).unwrap();
    assert_counts_match_the_join(&store);
}
