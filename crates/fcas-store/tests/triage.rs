//! The triage loop on a real store file: the reviewed mark, History sorted by each column,
//! lookup by any hash or imphash, and tags applied to many samples at once. Expected orders are
//! computed from the corpus reports that were stored.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use fcas_report::{Report, Verdict};
use fcas_store::query::{Annotation, HistoryFilter, HistorySort};
use fcas_store::schema::create_at_version;
use fcas_store::Store;

const DAY: i64 = 86_400;
const START: i64 = 1_700_000_000;

/// Every corpus report stored once, each with a verdict derived from its position (so that
/// every label and many scores occur), analysed a day apart.
fn filled_store(dir: &tempfile::TempDir) -> (Store, Vec<Report>) {
    let mut store = Store::open(&dir.path().join("cases.sqlite")).expect("open");
    let mut reports: Vec<Report> = common::corpus_reports().into_iter().map(|(r, _)| r).collect();
    reports.sort_by(|a, b| a.hashes.sha256.cmp(&b.hashes.sha256));
    reports.dedup_by(|a, b| a.hashes.sha256 == b.hashes.sha256);
    for (i, report) in reports.iter_mut().enumerate() {
        let label = ["malicious", "benign", "suspicious"][i % 3];
        report.verdict =
            (i % 5 != 0).then(|| Verdict { label: label.into(), score: Some((i * 37 % 101) as f64 / 100.0), ..Verdict::default() });
        store.insert_report_at(report, START + i as i64 * DAY).expect("insert");
    }
    (store, reports)
}

fn latest(sort: HistorySort, ascending: bool) -> HistoryFilter {
    HistoryFilter { latest_only: true, sort, ascending, limit: 10_000, ..HistoryFilter::default() }
}

fn name_of(report: &Report) -> String {
    report.path.rsplit(['/', '\\']).next().unwrap_or_default().to_string()
}

#[test]
fn history_sorts_by_every_column_in_both_directions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, reports) = filled_store(&dir);
    let by_sha = |sha: &str| reports.iter().find(|r| r.hashes.sha256 == sha).expect("stored report");
    for sort in [HistorySort::Date, HistorySort::Name, HistorySort::Verdict, HistorySort::Score, HistorySort::Size, HistorySort::Format] {
        for ascending in [false, true] {
            let rows = store.history(&latest(sort, ascending)).expect("history");
            assert_eq!(rows.len(), reports.len(), "{sort:?}: every sample once");
            for pair in rows.windows(2) {
                let (a, b) = (by_sha(&pair[0].sha256), by_sha(&pair[1].sha256));
                let ordering = match sort {
                    HistorySort::Date => pair[0].analysed_at.cmp(&pair[1].analysed_at),
                    HistorySort::Name => name_of(a).to_lowercase().cmp(&name_of(b).to_lowercase()),
                    HistorySort::Verdict => {
                        let label = |r: &Report| r.verdict.as_ref().map(|v| v.label.clone());
                        label(a).cmp(&label(b))
                    }
                    HistorySort::Score => {
                        let score = |r: &Report| r.verdict.as_ref().and_then(|v| v.score).map(|s| (s * 1e6) as i64);
                        score(a).cmp(&score(b))
                    }
                    HistorySort::Size => a.size.cmp(&b.size),
                    HistorySort::Format => a.format.as_str().cmp(b.format.as_str()),
                };
                let expected = if ascending { std::cmp::Ordering::Greater } else { std::cmp::Ordering::Less };
                assert_ne!(ordering, expected, "{sort:?} ascending={ascending}: {} before {}", pair[0].sha256, pair[1].sha256);
            }
            // Pages of the same order put together give the whole list.
            let paged: Vec<String> = (0..reports.len().div_ceil(7))
                .flat_map(|page| {
                    let filter = HistoryFilter { limit: 7, offset: page as u32 * 7, ..latest(sort, ascending) };
                    store.history(&filter).expect("page").into_iter().map(|r| r.sha256)
                })
                .collect();
            assert_eq!(paged, rows.iter().map(|r| r.sha256.clone()).collect::<Vec<_>>(), "{sort:?} pages");
        }
    }
    // The name is the one last seen: a second sighting under a new name moves it.
    let first = &reports[0];
    let mut renamed = first.clone();
    renamed.path = "/drops/aaaa-first-by-name.bin".into();
    let mut store = store;
    store.insert_report_at(&renamed, START + 1000 * DAY).expect("again");
    let rows = store.history(&latest(HistorySort::Name, true)).expect("by name");
    let row = rows.iter().find(|r| r.sha256 == first.hashes.sha256).expect("row");
    assert_eq!(row.name.as_deref(), Some("aaaa-first-by-name.bin"));
}

#[test]
fn a_verdict_filter_in_a_sample_order_follows_each_samples_latest_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, mut reports) = filled_store(&dir);
    // A newer report turns a malicious sample benign, and a benign one malicious.
    let label = |r: &Report| r.verdict.as_ref().map(|v| v.label.clone());
    let was_malicious = reports.iter().position(|r| label(r).as_deref() == Some("malicious")).expect("a malicious sample");
    let was_benign = reports.iter().position(|r| label(r).as_deref() == Some("benign")).expect("a benign sample");
    for (index, now) in [(was_malicious, "benign"), (was_benign, "malicious")] {
        reports[index].verdict = Some(Verdict { label: now.into(), score: Some(0.5), ..Verdict::default() });
        store.insert_report_at(&reports[index], START + 2000 * DAY).expect("newer report");
    }
    for sort in [HistorySort::Size, HistorySort::Name, HistorySort::Format] {
        for verdict in ["malicious", "benign", "suspicious", "none"] {
            let filter = HistoryFilter { verdict: Some(verdict.into()), ..latest(sort, false) };
            let mut found: Vec<String> = store.history(&filter).expect("history").into_iter().map(|r| r.sha256).collect();
            found.sort();
            let mut expected: Vec<String> =
                reports.iter().filter(|r| label(r).as_deref().unwrap_or("none") == verdict).map(|r| r.hashes.sha256.clone()).collect();
            expected.sort();
            assert_eq!(found, expected, "{sort:?}, verdict {verdict}");
        }
    }
}

#[test]
fn reviewed_mark_is_kept_filtered_and_cleared() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("cases.sqlite");
    let (mut store, reports) = filled_store(&dir);
    let (a, b) = (&reports[0].hashes.sha256, &reports[1].hashes.sha256);
    let marked = store.set_reviewed(a, true).expect("mark");
    let at = marked.reviewed_at.expect("a time");
    assert!(at >= START, "marked at the present time");
    // Marking again keeps the first time; an MD5 names the sample as well as its SHA-256.
    assert_eq!(store.set_reviewed(&reports[0].hashes.md5, true).expect("again").reviewed_at, Some(at));
    store.set_reviewed(b, true).expect("mark b");
    store.set_reviewed(b, false).expect("unmark b");
    drop(store);

    let store = Store::open(&path).expect("reopen");
    assert_eq!(store.stored_sample(a).expect("read").expect("stored").reviewed_at, Some(at));
    assert_eq!(store.stored_sample(b).expect("read").expect("stored").reviewed_at, None);
    let reviewed = store.history(&HistoryFilter { reviewed: Some(true), ..latest(HistorySort::Date, false) }).expect("reviewed");
    assert_eq!(reviewed.iter().map(|r| r.sha256.as_str()).collect::<Vec<_>>(), vec![a.as_str()]);
    assert_eq!(reviewed[0].reviewed_at, Some(at));
    let pending = store.history(&HistoryFilter { reviewed: Some(false), ..latest(HistorySort::Size, true) }).expect("pending");
    assert_eq!(pending.len(), reports.len() - 1);
    assert!(pending.iter().all(|r| r.reviewed_at.is_none()));
    let mut store = store;
    assert!(matches!(store.set_reviewed(&"0".repeat(64), true), Err(fcas_store::StoreError::NotFound { .. })));
}

#[test]
fn history_finds_samples_by_md5_sha1_sha256_and_imphash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, reports) = filled_store(&dir);
    for report in reports.iter().take(10) {
        for hash in [&report.hashes.md5, &report.hashes.sha1, &report.hashes.sha256, &report.hashes.sha256[..12].to_ascii_uppercase()] {
            let rows = store.history(&HistoryFilter { hash: Some(hash.clone()), ..latest(HistorySort::Date, false) }).expect("lookup");
            assert!(rows.iter().any(|r| r.sha256 == report.hashes.sha256), "{hash}");
        }
    }
    let imphash =
        reports.iter().filter_map(|r| r.pe.as_ref().map(|p| p.imphash.clone())).find(|h| !h.is_empty()).expect("a PE with an imphash");
    let expected: std::collections::BTreeSet<&str> = reports
        .iter()
        .filter(|r| r.pe.as_ref().map(|p| p.imphash.as_str()) == Some(imphash.as_str()))
        .map(|r| r.hashes.sha256.as_str())
        .collect();
    let rows = store.history(&HistoryFilter { hash: Some(imphash.clone()), ..latest(HistorySort::Name, true) }).expect("imphash");
    assert_eq!(rows.iter().map(|r| r.sha256.as_str()).collect::<std::collections::BTreeSet<_>>(), expected);
    let none = store.history(&HistoryFilter { hash: Some("f".repeat(64)), ..latest(HistorySort::Date, false) }).expect("absent");
    assert!(none.is_empty());
    assert!(store.history(&HistoryFilter { hash: Some("zz".into()), ..latest(HistorySort::Date, false) }).is_err(), "not hex");
}

#[test]
fn tags_apply_to_many_samples_or_to_none() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, reports) = filled_store(&dir);
    let chosen: Vec<String> = reports.iter().take(5).map(|r| r.hashes.sha256.clone()).collect();
    let change = Annotation { add_tags: vec!["batch-7".into()], ..Annotation::default() };
    store.annotate_many(&chosen, &change).expect("tag");
    let tagged = store.history(&HistoryFilter { tag: Some("batch-7".into()), ..latest(HistorySort::Date, false) }).expect("tag filter");
    assert_eq!(tagged.len(), 5);
    // One unknown sample: nothing changes for the others either.
    let mut with_unknown = reports.iter().skip(5).take(3).map(|r| r.hashes.sha256.clone()).collect::<Vec<_>>();
    with_unknown.push("0".repeat(64));
    assert!(store.annotate_many(&with_unknown, &Annotation { add_tags: vec!["batch-8".into()], ..Annotation::default() }).is_err());
    assert!(store.history(&HistoryFilter { tag: Some("batch-8".into()), ..latest(HistorySort::Date, false) }).expect("q").is_empty());
    let remove = Annotation { remove_tags: vec!["batch-7".into()], ..Annotation::default() };
    store.annotate_many(&chosen[..2], &remove).expect("untag");
    assert_eq!(store.history(&HistoryFilter { tag: Some("batch-7".into()), ..latest(HistorySort::Date, false) }).expect("q").len(), 3);
}

#[test]
fn a_version_6_store_gains_the_reviewed_mark_and_its_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.sqlite");
    create_at_version(&path, 6).expect("old layout");
    {
        let conn = rusqlite::Connection::open(&path).expect("sqlite");
        conn.execute_batch(
            "INSERT INTO samples (id, sha256, size, format, first_seen, last_seen) VALUES (1, 'aa', 10, 'pe', 1, 2);
             INSERT INTO sample_names (sample_id, name, first_seen, last_seen) VALUES (1, 'old.exe', 1, 1), (1, 'new.exe', 2, 2);",
        )
        .expect("rows");
    }
    let store = Store::open(&path).expect("migrate");
    let (name, reviewed): (Option<String>, Option<i64>) = store
        .connection()
        .query_row("SELECT name, reviewed_at FROM samples WHERE id = 1", [], |row| Ok((row.get(0)?, row.get(1)?)))
        .expect("row");
    assert_eq!(name.as_deref(), Some("new.exe"), "the name last seen");
    assert_eq!(reviewed, None);
}
