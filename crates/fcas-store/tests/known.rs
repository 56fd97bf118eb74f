//! Known files: imported lists match stored samples and samples stored later, through `known[]`
//! filled when a report is read and never kept in the stored body.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
use fcas_exchange::{read_known, ImportLimits};
use fcas_report::{Known, Report};
use fcas_store::Store;

fn report(seed: char, path: &str) -> Report {
    let mut report = Report { schema_version: fcas_report::SCHEMA_VERSION, engine_version: "test-engine".into(), ..Report::default() };
    report.path = path.into();
    report.size = 10;
    report.hashes.md5 = seed.to_string().repeat(32);
    report.hashes.sha1 = seed.to_string().repeat(40);
    report.hashes.sha256 = seed.to_string().repeat(64);
    report
}

fn known_of(store: &Store, seed: char) -> Vec<Known> {
    store.show(&seed.to_string().repeat(64)).unwrap().latest.unwrap().known
}

#[test]
fn imports_mark_samples_stored_before_and_after() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cases.sqlite")).unwrap();
    store.insert_report(&report('a', "/x/a.exe")).unwrap();
    store.insert_report(&report('b', "/x/b.exe")).unwrap();
    assert!(known_of(&store, 'a').is_empty());

    let list = format!("# feed\n{} dropper\n{}\n{}\n", "A".repeat(32), "c".repeat(64), "b".repeat(40));
    let imported = read_known(list.as_bytes(), "feed-1", &ImportLimits::default()).unwrap();
    let result = store.import_known(&imported.entries).unwrap();
    assert_eq!((result.entries, result.matched_samples), (3, 2));
    assert_eq!(store.known_count().unwrap(), 3);

    let a = known_of(&store, 'a');
    assert_eq!(a, [Known { hash_kind: "md5".into(), source: "feed-1".into(), name: "dropper".into(), tags: Vec::new() }]);
    assert_eq!(known_of(&store, 'b')[0].hash_kind, "sha1");

    // A sample stored after the import matches too.
    store.insert_report(&report('c', "/x/c.exe")).unwrap();
    assert_eq!(known_of(&store, 'c')[0].source, "feed-1");

    // Importing the same source again replaces its entries rather than duplicating them.
    store.import_known(&imported.entries).unwrap();
    assert_eq!(known_of(&store, 'a').len(), 1);
}

#[test]
fn known_is_never_stored_in_the_report_body() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cases.sqlite")).unwrap();
    let mut with_known = report('d', "/x/d.exe");
    with_known.known = vec![Known { hash_kind: "sha256".into(), source: "stale".into(), name: String::new(), tags: Vec::new() }];
    store.insert_report(&with_known).unwrap();
    assert!(known_of(&store, 'd').is_empty(), "only the known table says what is known");
}
