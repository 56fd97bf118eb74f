//! The triage loop through the app's backend on a real case store file: the reviewed mark kept
//! across a restart, History sorted and looked up by the store, tags on several samples at once.
//! Expected values come from the corpus references (pefile, hashlib).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use common::{corpus_file, reference, scan, start_backend};
use fcas_scan::ScanStage;
use fcas_store::query::{Annotation, HistoryFilter, HistorySort};

const FILES: [&str; 3] = ["pe/deb-libwine-amd64/net.exe", "pe/deb-libwine-i386/net.exe", "pe/deb-libwine-amd64/ping.exe"];

#[test]
fn reviewed_marks_sorted_history_lookups_and_bulk_tags() {
    let dir = tempfile::tempdir().unwrap();
    let (backend, recorder) = start_backend(dir.path());
    for name in FILES {
        let done = scan(&backend, &recorder, &corpus_file(name));
        assert_eq!(done.stage, ScanStage::Done, "{name}: {:?}", done.message);
    }
    let sha = |name: &str| reference(name)["sha256"].as_str().unwrap().to_string();
    let marked = backend.with_store(|store| store.set_reviewed(&sha(FILES[0]), true)).unwrap();
    assert!(marked.reviewed_at.is_some());
    let both = vec![sha(FILES[1]), sha(FILES[2])];
    let change = Annotation { add_tags: vec!["wave-1".into()], ..Annotation::default() };
    backend.with_store(|store| store.annotate_many(&both, &change)).unwrap();
    let unknown = vec![sha(FILES[0]), "0".repeat(64)];
    assert_eq!(backend.with_store(|store| store.annotate_many(&unknown, &change)).unwrap_err().code, "not_found");
    backend.close();
    drop(backend);

    let (backend, _recorder) = start_backend(dir.path());
    assert_eq!(backend.report(&sha(FILES[0])).unwrap().reviewed_at, marked.reviewed_at, "kept across a restart");
    assert_eq!(backend.report(&sha(FILES[0])).unwrap().tags, Vec::<String>::new(), "a refused bulk change changed nothing");
    let by_size = backend.history(&HistoryFilter { sort: HistorySort::Size, ascending: true, ..HistoryFilter::default() }).unwrap();
    let mut expected: Vec<(u64, String)> = FILES.iter().map(|f| (reference(f)["size"].as_u64().unwrap(), sha(f))).collect();
    expected.sort();
    assert_eq!(by_size.iter().map(|r| r.size).collect::<Vec<_>>(), expected.iter().map(|e| e.0).collect::<Vec<_>>());
    for key in ["md5", "sha1", "sha256"] {
        let hash = reference(FILES[2])[key].as_str().unwrap().to_string();
        let rows = backend.history(&HistoryFilter { hash: Some(hash), ..HistoryFilter::default() }).unwrap();
        assert_eq!(rows.iter().map(|r| r.sha256.clone()).collect::<Vec<_>>(), [sha(FILES[2])], "{key}");
    }
    let pending = backend.history(&HistoryFilter { reviewed: Some(false), ..HistoryFilter::default() }).unwrap();
    assert_eq!(pending.len(), 2);
    let tagged = backend.history(&HistoryFilter { tag: Some("wave-1".into()), ..HistoryFilter::default() }).unwrap();
    assert_eq!(tagged.len(), 2);
}
