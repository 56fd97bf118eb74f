//! The app on its SQLite case store: a real database file in a temporary data folder, real
//! analysis processes, and backends started and dropped as the app is opened and closed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{corpus_file, reference, scan, start_backend};
use fcas_app::backend::settings::Settings;
use fcas_app::backend::Backend;
use fcas_scan::ScanStage;
use fcas_store::query::{Annotation, HistoryFilter as HistoryQuery};

/// Two builds of the same tool (close TLSH) and an unrelated program.
const NET_AMD64: &str = "pe/deb-libwine-amd64/net.exe";
const NET_I386: &str = "pe/deb-libwine-i386/net.exe";
const PING: &str = "pe/deb-libwine-amd64/ping.exe";

fn sha256_of(name: &str) -> String {
    reference(name)["sha256"].as_str().unwrap().to_string()
}

fn stop(backend: std::sync::Arc<Backend>) {
    backend.close();
    drop(backend);
}

#[test]
fn reports_tags_and_notes_survive_a_restart_and_similar_samples_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let (backend, recorder) = start_backend(dir.path());
    let status = backend.status();
    assert_eq!(status.store_problem, None);
    assert_eq!(status.store, dir.path().join("cases.sqlite").display().to_string());
    for name in [NET_AMD64, NET_I386, PING] {
        let done = scan(&backend, &recorder, &corpus_file(name));
        assert_eq!(done.stage, ScanStage::Done, "{name}: {:?}", done.message);
        assert_eq!(done.sha256, Some(sha256_of(name)));
        assert!(!done.cached);
    }
    stop(backend);

    // The app is opened again on the same data folder.
    let (backend, recorder) = start_backend(dir.path());
    let expected = reference(NET_AMD64);
    let stored = backend.report(&sha256_of(NET_AMD64)).unwrap();
    assert_eq!(stored.report.size, expected["size"].as_u64().unwrap());
    assert_eq!(stored.report.hashes.tlsh.as_deref(), expected["tlsh"].as_str());
    let sections = stored.report.pe.as_ref().map(|pe| pe.sections.len()).unwrap_or(0);
    assert_eq!(sections, expected["pefile"]["sections"].as_array().unwrap().len());
    assert_eq!(stored.names, ["net.exe"]);
    assert_eq!(backend.report(&"0".repeat(64)).unwrap_err().code, "not_found");
    assert_eq!(backend.report("not-a-hash").unwrap_err().code, "invalid");

    // The page opens a sample without its string list and reads the list afterwards.
    let opened = backend.report_view(&sha256_of(NET_AMD64), false).unwrap();
    assert!(opened.strings_left_out);
    assert!(opened.sample.report.strings.items.is_empty());
    assert_eq!(opened.sample.report.strings.total, stored.report.strings.total);
    assert_eq!(opened.sample.report.strings.iocs, stored.report.strings.iocs);
    assert!(!stored.report.strings.items.is_empty());
    assert_eq!(backend.report_strings(&sha256_of(NET_AMD64)).unwrap(), stored.report.strings.items);
    let mut whole = opened.sample.report.clone();
    whole.strings.items = backend.report_strings(&sha256_of(NET_AMD64)).unwrap();
    assert_eq!(whole, stored.report, "both parts together are the stored report");
    let full = backend.report_view(&sha256_of(NET_AMD64), true).unwrap();
    assert!(!full.strings_left_out);
    assert_eq!(full.sample.report, stored.report);
    assert_eq!(backend.report_strings(&"0".repeat(64)).unwrap_err().code, "not_found");

    let again = scan(&backend, &recorder, &corpus_file(NET_AMD64));
    assert_eq!(again.stage, ScanStage::Done);
    assert!(again.cached, "dropping the same file after a restart opens the stored report");

    let rows = backend.history(&HistoryQuery::default()).unwrap();
    let listed: BTreeSet<String> = rows.iter().map(|r| r.sha256.clone()).collect();
    assert_eq!(listed, [NET_AMD64, NET_I386, PING].map(sha256_of).into_iter().collect());
    assert!(rows.windows(2).all(|w| w[0].analysed_at >= w[1].analysed_at), "newest first");
    assert!(rows.iter().all(|r| r.format == "pe" && r.name.as_deref().is_some_and(|n| n.ends_with(".exe"))));
    let page = backend.history(&HistoryQuery { limit: 2, offset: 2, ..HistoryQuery::default() }).unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].sha256, rows[2].sha256);
    assert!(backend.history(&HistoryQuery { format: Some("elf".into()), ..HistoryQuery::default() }).unwrap().is_empty());
    let unscored = backend.history(&HistoryQuery { verdict: Some("none".into()), ..HistoryQuery::default() }).unwrap();
    assert_eq!(unscored.len(), rows.iter().filter(|r| r.verdict.is_none()).count());

    let sha = sha256_of(NET_AMD64);
    let tagged = Annotation {
        add_tags: vec!["wine".into(), "triaged".into()],
        note: Some("seen on the build host".into()),
        ..Annotation::default()
    };
    backend.annotate(&sha, &tagged).unwrap();
    let refused = Annotation { add_tags: vec!["kept-out".into(), "bad\u{7}tag".into()], ..Annotation::default() };
    assert_eq!(backend.annotate(&sha, &refused).unwrap_err().code, "invalid");
    assert_eq!(backend.report(&sha).unwrap().tags, ["triaged", "wine"], "a refused change changes nothing");
    let wine = backend.history(&HistoryQuery { tag: Some("wine".into()), ..HistoryQuery::default() }).unwrap();
    assert_eq!(wine.iter().map(|r| r.sha256.as_str()).collect::<Vec<_>>(), [sha.as_str()]);

    let similar = backend.similar(&sha, 5).unwrap();
    assert_eq!(similar.query.sha256, sha);
    let closest = similar.by_tlsh.first().expect("a TLSH neighbour");
    assert_eq!(closest.matched_by, "tlsh");
    assert_eq!(closest.sample.sha256, sha256_of(NET_I386), "the other build of net.exe is the closest");
    let reference_distance =
        fcas_engine::hashes::tlsh::distance(expected["tlsh"].as_str().unwrap(), reference(NET_I386)["tlsh"].as_str().unwrap());
    assert_eq!(closest.tlsh_distance, reference_distance);
    assert_eq!(closest.sample.names.first().map(String::as_str), Some("net.exe"));
    assert!(similar.by_tlsh.iter().chain(&similar.by_ssdeep).all(|h| h.sample.sha256 != sha));
    stop(backend);

    let (backend, _recorder) = start_backend(dir.path());
    let stored = backend.report(&sha).unwrap();
    assert_eq!(stored.tags, ["triaged", "wine"]);
    assert_eq!(stored.notes.len(), 1);
    assert_eq!(stored.notes[0].text, "seen on the build host");
    backend.annotate(&sha, &Annotation { remove_tags: vec!["triaged".into()], ..Annotation::default() }).unwrap();
    stop(backend);
    let (backend, _recorder) = start_backend(dir.path());
    assert_eq!(backend.report(&sha).unwrap().tags, ["wine"]);
    assert_eq!(backend.status().stored_samples, 3);
}

/// Writes settings naming `database` into the data folder `dir`.
fn settings_naming(dir: &Path, database: &Path) {
    let settings = Settings { database_path: database.display().to_string(), ..Settings::default() };
    settings.save(&dir.join("settings.json")).unwrap();
}

#[test]
fn an_unusable_database_file_leaves_the_app_running_in_memory_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_database = dir.path().join("notes.txt");
    std::fs::write(&not_a_database, "these are not cases\n".repeat(10)).unwrap();
    settings_naming(dir.path(), &not_a_database);

    let (backend, recorder) = start_backend(dir.path());
    let status = backend.status();
    let problem = status.store_problem.expect("the reason is shown");
    assert!(problem.contains("not an SQLite database"), "{problem}");
    assert!(problem.contains("Settings"), "says what to do: {problem}");
    assert!(!problem.contains("--db"), "no command-line advice in the app: {problem}");
    assert!(status.store.starts_with("memory"), "{}", status.store);
    let done = scan(&backend, &recorder, &corpus_file(PING));
    assert_eq!(done.stage, ScanStage::Done, "{:?}", done.message);
    assert!(backend.report(&sha256_of(PING)).is_ok(), "the memory store still serves the session");
    assert_eq!(std::fs::read_to_string(&not_a_database).unwrap(), "these are not cases\n".repeat(10), "left untouched");

    // Choosing another unusable file is refused and changes nothing.
    let mut settings = backend.settings();
    settings.database_path = not_a_database.join("cases.sqlite").display().to_string();
    let refused = backend.save_settings(settings.clone()).unwrap_err();
    assert_eq!(refused.code, "unavailable");
    assert!(refused.message.contains("Nothing was changed"), "{}", refused.message);
    assert!(backend.status().store.starts_with("memory"), "the session's store is kept");
    assert_eq!(Settings::load(&dir.path().join("settings.json")).database_path, not_a_database.display().to_string());

    // Once the file is fixed (here: moved away), saving the settings again opens it.
    std::fs::rename(&not_a_database, dir.path().join("moved.txt")).unwrap();
    settings.database_path = not_a_database.display().to_string();
    backend.save_settings(settings.clone()).unwrap();
    assert_eq!(backend.status().store_problem, None);
    assert_eq!(backend.status().store, not_a_database.display().to_string());

    // Choosing a usable file switches to it.
    let good = dir.path().join("cases").join("good.sqlite");
    settings.database_path = good.display().to_string();
    backend.save_settings(settings).unwrap();
    let status = backend.status();
    assert_eq!(status.store_problem, None);
    assert_eq!(status.store, good.display().to_string());
    assert!(good.is_file());
}

#[test]
fn a_case_store_from_a_newer_version_is_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    let newer = dir.path().join("newer.sqlite");
    let store = fcas_store::Store::open(&newer).unwrap();
    store.connection().execute_batch("PRAGMA user_version = 9999").unwrap();
    drop(store);
    let before = std::fs::read(&newer).unwrap();
    settings_naming(dir.path(), &newer);

    let (backend, _recorder) = start_backend(dir.path());
    let problem = backend.status().store_problem.expect("the reason is shown");
    assert!(problem.contains("newer FCAS"), "{problem}");
    assert!(backend.status().store.starts_with("memory"));
    stop(backend);
    assert_eq!(std::fs::read(&newer).unwrap(), before, "the newer store is left as it was");
}
