//! Containers in the store: a submission's descendants stored as samples of their own, the
//! parent-child edges both ways, child counts in the history, and search over descendants.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use std::collections::BTreeSet;

use fcas_report::{ChildRef, Format, FoundString, LineageStep, Report, Submission, Verdict};
use fcas_store::query::{Edge, HistoryFilter};
use fcas_store::queue::{self, BatchSpec, Claim};
use fcas_store::schema::create_at_version;
use fcas_store::writer::Writer;
use fcas_store::{Store, StoreError};

const MARKER: &str = "unique-descendant-marker-7781";

fn sha(seed: char) -> String {
    seed.to_string().repeat(64)
}

fn report(sha256: &str, path: &str, format: Format, size: u64) -> Report {
    let mut report = Report { schema_version: fcas_report::SCHEMA_VERSION, engine_version: "test-engine".into(), ..Report::default() };
    report.path = path.into();
    report.size = size;
    report.format = format;
    report.hashes.sha256 = sha256.into();
    report
}

fn child(report: &Report, name: &str) -> ChildRef {
    ChildRef::of(name, report)
}

fn step(report: &Report, name: &str) -> LineageStep {
    LineageStep { sha256: report.hashes.sha256.clone(), name: name.into() }
}

/// `sample.zip` holding `inner.7z` (holding `a.exe`), `readme.txt`, and `again/a.exe`, a
/// duplicate of `a.exe` with no report of its own. `a.exe` carries `fuzzy`'s similarity hashes.
fn zip_7z_exe(fuzzy: &Report) -> Submission {
    let mut exe = report(&sha('a'), "sample.zip!inner.7z!a.exe", Format::Pe, 4096);
    exe.hashes.ssdeep.clone_from(&fuzzy.hashes.ssdeep);
    exe.hashes.tlsh.clone_from(&fuzzy.hashes.tlsh);
    exe.strings.items.push(FoundString { offset: 64, encoding: "ascii".into(), value: format!("config {MARKER} loaded") });
    exe.verdict = Some(Verdict { label: "malicious".into(), score: Some(0.97), ..Verdict::default() });
    let mut seven = report(&sha('b'), "sample.zip!inner.7z", Format::SevenZip, 2048);
    let readme = report(&sha('c'), "sample.zip!readme.txt", Format::Unknown, 12);
    let mut zip = report(&sha('d'), "sample.zip", Format::Zip, 9000);
    seven.children = vec![child(&exe, "a.exe")];
    zip.children =
        vec![child(&seven, "inner.7z"), child(&readme, "readme.txt"), ChildRef { duplicate: true, ..child(&exe, "again/a.exe") }];
    seven.lineage = vec![step(&zip, "sample.zip")];
    exe.lineage = vec![step(&zip, "sample.zip"), step(&seven, "inner.7z")];
    Submission::packing(zip, &[seven, readme, exe]).expect("pack")
}

fn edges(found: &[Edge]) -> BTreeSet<(String, String)> {
    found.iter().map(|e| (e.name.clone(), e.sha256.clone())).collect()
}

fn pairs(items: &[(&str, char)]) -> BTreeSet<(String, String)> {
    items.iter().map(|(name, seed)| (name.to_string(), sha(*seed))).collect()
}

fn count(store: &Store, sql: &str) -> i64 {
    store.connection().query_row(sql, [], |row| row.get(0)).expect("count")
}

fn spec(rescan: bool) -> BatchSpec {
    BatchSpec { engine_version: "test-engine".into(), models_version: String::new(), rescan }
}

/// A corpus report with both fuzzy hashes, for the similarity check.
fn fuzzy_reference() -> Report {
    common::corpus_reports()
        .into_iter()
        .map(|(report, _)| report)
        .find(|r| r.hashes.tlsh.is_some() && r.hashes.ssdeep.is_some())
        .expect("a corpus file with TLSH and ssdeep")
}

#[test]
fn a_submission_stores_its_descendants_and_the_edges_both_ways() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("cases.sqlite");
    let file = dir.path().join("sample.zip");
    std::fs::write(&file, b"PK").expect("write");
    let fuzzy = fuzzy_reference();
    let submission = zip_7z_exe(&fuzzy);

    let mut store = Store::open(&db).expect("open");
    store.insert_report(&fuzzy).expect("a standalone sample to compare with");
    let batch = queue::enqueue(&mut store, &spec(false), std::slice::from_ref(&file), &[]).expect("enqueue");
    let job = queue::pending_jobs(&store, batch).expect("pending")[0].clone();
    let writer = Writer::spawn(&db).expect("writer");
    let handle = writer.handle();
    assert_eq!(handle.claim_job(job.id, None).expect("claim"), Claim::Analyse);
    handle.complete_submission(job.id, submission.clone()).expect("complete");
    handle.flush().expect("flush");
    // The same job completed again (a re-run): nothing more is stored.
    handle.complete_submission(job.id, submission.clone()).expect("complete again");
    // Another file holding the same a.exe.
    let mut exe = submission.descendants()[2].unpack().expect("unpacks");
    let mut other = report(&sha('e'), "other.zip", Format::Zip, 5000);
    other.children = vec![child(&exe, "a.exe")];
    exe.path = "other.zip!a.exe".into();
    exe.lineage = vec![step(&other, "other.zip")];
    handle.insert_submission(Submission::packing(other, &[exe]).expect("pack")).expect("insert");
    drop(handle);
    let stats = writer.finish().expect("finish");
    assert_eq!((stats.reports_stored, stats.failed), (6, 0), "{:?}", stats.failures);

    // The job's result is the root's report; every descendant is a sample with its report.
    let summary = queue::batch_summary(&store, batch).expect("summary");
    assert_eq!((summary.stored, summary.pending), (1, 0));
    let job_report: i64 = store.connection().query_row("SELECT report_id FROM jobs WHERE id = ?1", [job.id], |r| r.get(0)).expect("job");
    assert_eq!(store.load_report(job_report).expect("load").hashes.sha256, sha('d'));
    assert_eq!(count(&store, "SELECT count(*) FROM samples"), 6);
    assert_eq!(count(&store, "SELECT count(*) FROM reports"), 6);
    assert_eq!(count(&store, "SELECT count(*) FROM sample_edges"), 5);
    let exe = store.show(&sha('a')).expect("show");
    assert_eq!(exe.reports.len(), 1, "found again with the same engine and models, it is a sighting, not a second report");
    assert!(exe.all_names.iter().any(|name| name == "other.zip!a.exe"), "{:?}", exe.all_names);
    assert!(exe.latest.is_some_and(|r| r.path.ends_with("inner.7z!a.exe") && r.lineage.len() == 2));
    assert!(store.show(&sha('b')).expect("show").latest.is_some_and(|r| r.lineage[0].sha256 == sha('d')));

    // Children, both levels, with what the stored samples say.
    let children = store.children(&sha('d')).expect("children");
    assert_eq!(edges(&children), pairs(&[("inner.7z", 'b'), ("readme.txt", 'c'), ("again/a.exe", 'a')]));
    let inner = children.iter().find(|e| e.name == "inner.7z").expect("inner.7z");
    assert_eq!((inner.format.as_str(), inner.size, inner.stored), ("sevenzip", 2048, true));
    let duplicate = children.iter().find(|e| e.name == "again/a.exe").expect("duplicate");
    assert_eq!((duplicate.verdict.as_deref(), duplicate.stored), (Some("malicious"), true));
    assert_eq!(edges(&store.children(&sha('b')).expect("children")), pairs(&[("a.exe", 'a')]));
    assert!(store.children(&sha('a')).expect("a leaf").is_empty());
    assert_eq!(edges(&store.children(&sha('d')[..12]).expect("by prefix")), edges(&children));

    // Parents: a.exe was found in three places, inner.7z in one, the submitted file in none.
    let parents = store.parents(&sha('a')).expect("parents");
    assert_eq!(edges(&parents), pairs(&[("a.exe", 'b'), ("again/a.exe", 'd'), ("a.exe", 'e')]));
    assert!(parents.iter().all(|p| p.stored && !p.format.is_empty()));
    assert_eq!(edges(&store.parents(&sha('b')).expect("parents")), pairs(&[("inner.7z", 'd')]));
    assert!(store.parents(&sha('d')).expect("a root").is_empty());
    assert!(matches!(store.children(&sha('f')), Err(StoreError::NotFound { .. })));
    assert!(matches!(store.parents(&sha('f')[..10]), Err(StoreError::NotFound { .. })));

    // History counts each sample's children.
    let history = store.history(&HistoryFilter { latest_only: true, ..HistoryFilter::default() }).expect("history");
    let children_of = |seed: char| history.iter().find(|e| e.sha256 == sha(seed)).map(|e| e.children);
    assert_eq!((children_of('d'), children_of('b'), children_of('e'), children_of('a')), (Some(3), Some(1), Some(1), Some(0)));

    // Descendants are found by their strings and by similarity like any sample.
    let hits = store.search_text(MARKER, false, 10).expect("search");
    assert_eq!(hits.iter().map(|h| h.sample.sha256.clone()).collect::<Vec<_>>(), vec![sha('a')]);
    let similar = fcas_store::similarity::similar(store.connection(), &fuzzy.hashes.sha256, 5, &common::TestMetric).expect("similar");
    assert!(similar.by_tlsh.iter().any(|h| h.sample.sha256 == sha('a')), "{similar:?}");
    assert!(similar.by_ssdeep.iter().any(|h| h.sample.sha256 == sha('a')), "{similar:?}");
    assert!(store.check().expect("check").is_ok());
}

#[test]
fn rescanning_a_container_adds_reports_but_no_edges() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("cases.sqlite");
    let file = dir.path().join("sample.zip");
    std::fs::write(&file, b"PK").expect("write");
    let submission = zip_7z_exe(&fuzzy_reference());
    let mut store = Store::open(&db).expect("open");
    for rescan in [false, true] {
        let batch = queue::enqueue(&mut store, &spec(rescan), std::slice::from_ref(&file), &[]).expect("enqueue");
        let job = queue::pending_jobs(&store, batch).expect("pending")[0].clone();
        let writer = Writer::spawn(&db).expect("writer");
        assert_eq!(writer.handle().claim_job(job.id, Some(sha('d'))).expect("claim"), Claim::Analyse);
        writer.handle().complete_submission(job.id, submission.clone()).expect("complete");
        writer.finish().expect("finish");
    }
    // The container twice (its job asked for it); its descendants once: the second time they
    // were stored already with the same engine and models.
    assert_eq!(count(&store, "SELECT count(*) FROM reports"), 5);
    assert_eq!(count(&store, "SELECT count(*) FROM sample_edges"), 4);
    assert_eq!(store.children(&sha('d')).expect("children").len(), 3);
    assert_eq!(store.parents(&sha('a')).expect("parents").len(), 2);
}

#[test]
fn a_child_never_stored_and_a_quine_are_edges_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(&dir.path().join("cases.sqlite")).expect("open");
    let mut zip = report(&sha('d'), "quine.zip", Format::Zip, 300);
    let unstored = report(&sha('9'), "quine.zip!big.bin", Format::Unknown, 1 << 30);
    // The quine lists itself; big.bin is listed by the container but has no report here.
    zip.children = vec![ChildRef { duplicate: true, ..child(&zip, "quine.zip") }, child(&unstored, "big.bin")];
    zip.children.push(ChildRef { name: "no-hash".into(), ..ChildRef::default() });
    let inserted = store.insert_submission(&Submission::single(zip)).expect("insert");
    assert!(inserted.new_sample);

    let children = store.children(&sha('d')).expect("children");
    assert_eq!(edges(&children), pairs(&[("quine.zip", 'd'), ("big.bin", '9')]));
    let big = children.iter().find(|e| e.name == "big.bin").expect("big.bin");
    assert_eq!((big.format.as_str(), big.size, big.stored, big.verdict.as_deref()), ("unknown", 1 << 30, false, None));
    // An unstored child is known by its full hash from its edge, not by a prefix.
    assert_eq!(edges(&store.parents(&sha('9')).expect("parents")), pairs(&[("big.bin", 'd')]));
    assert!(matches!(store.parents(&sha('9')[..8]), Err(StoreError::NotFound { .. })));
    assert_eq!(edges(&store.parents(&sha('d')).expect("parents")), pairs(&[("quine.zip", 'd')]));
}

#[test]
fn a_version_3_store_gains_the_edges_table() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.sqlite");
    create_at_version(&path, 3).expect("v3 store");
    let store = Store::open(&path).expect("migrate");
    assert_eq!(count(&store, "SELECT count(*) FROM sample_edges"), 0);
    assert_eq!(count(&store, "SELECT count(*) FROM sqlite_master WHERE name = 'sample_edges_child'"), 1);
    assert!(store.children(&sha('d')).is_err());
}

#[test]
fn a_submission_with_a_bad_descendant_is_stored_not_at_all_and_its_job_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("cases.sqlite");
    let files: Vec<_> = ["bad.zip", "good.zip"].iter().map(|n| dir.path().join(n)).collect();
    let mut store = Store::open(&db).expect("open");
    let batch = queue::enqueue(&mut store, &spec(false), &files, &[]).expect("enqueue");
    let jobs = queue::pending_jobs(&store, batch).expect("pending");
    let mut reports = zip_7z_exe(&fuzzy_reference()).unpack_all().expect("unpacks");
    reports[2].hashes.sha256 = "not a hash".into();
    let bad = Submission::packing(reports.remove(0), &reports).expect("pack");
    let mut good = report(&sha('e'), "good.zip", Format::Zip, 10);
    good.children = vec![child(&report(&sha('9'), "good.zip!x", Format::Unknown, 1), "x")];

    let writer = Writer::spawn(&db).expect("writer");
    let handle = writer.handle();
    for job in &jobs {
        handle.claim_job(job.id, None).expect("claim");
    }
    handle.complete_submission(jobs[0].id, bad).expect("send");
    handle.complete_submission(jobs[1].id, Submission::single(good)).expect("send");
    drop(handle);
    let stats = writer.finish().expect("finish");
    assert_eq!((stats.reports_stored, stats.failed), (1, 1), "{:?}", stats.failures);
    assert!(stats.failures[0].contains("sample.zip!readme.txt"), "names the report that failed: {:?}", stats.failures);

    let summary = queue::batch_summary(&store, batch).expect("summary");
    assert_eq!((summary.stored, summary.failed), (1, 1));
    assert_eq!(count(&store, "SELECT count(*) FROM samples"), 1, "nothing of the failed submission is kept");
    assert_eq!(edges(&store.children(&sha('e')).expect("children")), pairs(&[("x", '9')]));
    assert!(matches!(store.children(&sha('d')), Err(StoreError::NotFound { .. })));
}
