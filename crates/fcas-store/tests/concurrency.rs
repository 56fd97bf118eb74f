//! Readers querying while the writer inserts never see "database is locked".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use fcas_store::query::{HistoryFilter, ImportSpec};
use fcas_store::writer::Writer;
use fcas_store::Store;

#[test]
fn readers_run_while_the_writer_inserts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("cases.sqlite");
    let templates = common::corpus_reports();
    drop(Store::open(&path).expect("create"));
    let writer = Writer::spawn(&path).expect("writer");
    let stop = AtomicBool::new(false);
    let (queries, errors) = (AtomicU64::new(0), AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(4);
    std::thread::scope(|scope| {
        let handle = writer.handle();
        let (templates, stop_flag) = (&templates, &stop);
        scope.spawn(move || {
            let mut i = 0u64;
            while Instant::now() < deadline {
                let (template, _) = &templates[(i as usize) % templates.len()];
                let mut report = template.clone();
                report.hashes.sha256 = format!("{i:064x}");
                handle.insert(report).expect("send");
                i += 1;
                if i.is_multiple_of(50) {
                    handle.flush().expect("flush");
                }
            }
            stop_flag.store(true, Ordering::SeqCst);
        });
        for reader in 0..3 {
            let (path, stop, queries, errors) = (&path, &stop, &queries, &errors);
            scope.spawn(move || {
                let store = Store::open_existing(path).expect("reader open");
                let spec = ImportSpec::parse("kernel32.dll!GetProcAddress").expect("spec");
                while !stop.load(Ordering::SeqCst) {
                    let outcome = match reader {
                        0 => store.history(&HistoryFilter::default()).map(|_| ()),
                        1 => store.by_import(&spec, 50).map(|_| ()),
                        _ => store.stats().map(|_| ()).and_then(|_| store.lookup("0000", 5).map(|_| ())),
                    };
                    queries.fetch_add(1, Ordering::Relaxed);
                    if let Err(error) = outcome {
                        eprintln!("reader {reader}: {error}");
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    let stats = writer.finish().expect("writer finish");
    assert_eq!(errors.load(Ordering::Relaxed), 0, "no reader failed");
    assert_eq!(stats.failed, 0, "{:?}", stats.failures);
    assert!(queries.load(Ordering::Relaxed) > 10, "readers actually ran");
    assert!(stats.reports_stored > 100, "the writer actually wrote ({})", stats.reports_stored);
    let store = Store::open_existing(&path).expect("open");
    assert_eq!(store.stats().expect("stats").reports, stats.reports_stored);
}
