//! Retro-hunts from the app, on a real SQLite case store whose vault was filled by real analysis
//! processes: typed rules are checked (errors with their line), a hunt runs on its own thread
//! and its matches name the samples the rules describe; a finished hunt cannot be resumed and
//! only a running one can be cancelled.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use std::time::{Duration, Instant};

use common::{corpus_file, scan, start_backend};
use fcas_app::backend::hunts::HuntRequest;
use fcas_scan::ScanStage;
use fcas_store::hunt::HuntStatus;

const PE_RULE: &str = "rule starts_with_mz { strings: $mz = \"MZ\" condition: $mz at 0 }\n";

#[test]
fn a_typed_rule_hunts_the_vault_and_names_the_samples_it_matches() {
    let dir = tempfile::tempdir().unwrap();
    let (backend, recorder) = start_backend(dir.path());
    let mut scanned = Vec::new();
    for name in ["pe/deb-libwine-amd64/hostname.exe", "elf/deb-elf-i386/dash"] {
        let done = scan(&backend, &recorder, &corpus_file(name));
        assert_eq!(done.stage, ScanStage::Done, "{:?}", done.message);
        scanned.push(done.sha256.unwrap());
    }

    let problems = backend.check_rules(&[], Some("rule fine { condition: true }\n\nrule broken { condition: nope }\n")).unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].line, 3);
    assert!(backend.check_rules(&[], Some(PE_RULE)).unwrap().is_empty());
    let refused = backend.start_hunt(&HuntRequest { rules: Some("rule broken { condition: nope }".into()), ..HuntRequest::default() });
    assert_eq!(refused.unwrap_err().code, "invalid");

    let id = backend.start_hunt(&HuntRequest { rules: Some(PE_RULE.into()), ..HuntRequest::default() }).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let hunt = loop {
        let listed = backend.hunts().unwrap().into_iter().find(|h| h.hunt.id == id).unwrap();
        if listed.hunt.status != HuntStatus::Running {
            assert!(!listed.active, "a finished hunt is no longer active: {listed:?}");
            break listed.hunt;
        }
        assert!(listed.active, "a running hunt started here is active: {listed:?}");
        let hunt = listed.hunt;
        assert!(Instant::now() < deadline, "the hunt did not finish: {hunt:?}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(hunt.status, HuntStatus::Done, "{hunt:?}");
    assert_eq!(hunt.scanned, 2, "both vault samples were read: {hunt:?}");
    let matches = backend.hunt_matches(id).unwrap();
    assert_eq!(matches.iter().map(|m| m.sha256.as_str()).collect::<Vec<_>>(), [scanned[0].as_str()], "only the PE starts with MZ");
    assert_eq!(matches[0].rule_match.rule, "starts_with_mz");

    assert_eq!(backend.resume_hunt(id).unwrap_err().code, "invalid", "a finished hunt is not resumed");

    // A hunt stored as running that no thread of this app runs (the app was closed or killed
    // during it) is listed as not active, and resuming it finishes it.
    let folder = fcas_scan::hunt_rules::write_hunt_rules(&dir.path().join("orphan-rules"), PE_RULE).unwrap();
    let rules_hash = fcas_scan::hunt_rules::compile_hunt_rules(&folder).unwrap().id().to_string();
    let new = fcas_store::hunt::NewHunt { rules_hash, rules_source: folder.display().to_string(), since: None, tag: None };
    let orphan = backend.with_store(|store| store.create_hunt(&new)).unwrap();
    let listed = backend.hunts().unwrap().into_iter().find(|h| h.hunt.id == orphan).unwrap();
    assert_eq!((listed.hunt.status, listed.active), (HuntStatus::Running, false));
    backend.resume_hunt(orphan).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while backend.hunts().unwrap().into_iter().any(|h| h.hunt.id == orphan && h.hunt.status == HuntStatus::Running) {
        assert!(Instant::now() < deadline, "the resumed hunt did not finish");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(backend.hunt_matches(orphan).unwrap().len(), 1, "the resumed hunt matched the PE");
    assert_eq!(backend.cancel_hunt(id).unwrap_err().code, "not_found", "only a running hunt can be cancelled");
    let no_rules = backend.start_hunt(&HuntRequest::default()).unwrap_err();
    assert_eq!(no_rules.code, "invalid");
    assert!(no_rules.message.contains("typed rules or a rule folder"), "{no_rules:?}");
}

#[test]
fn rule_folders_of_the_settings_are_checked_with_their_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let (backend, _recorder) = start_backend(dir.path());
    let folder = dir.path().join("rules");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("good.yar"), PE_RULE).unwrap();
    assert!(backend.check_rules(&[folder.display().to_string()], None).unwrap().is_empty());
    std::fs::write(folder.join("bad.yar"), "rule a { condition: true }\nrule b {\n condition: missing_identifier }\n").unwrap();
    let problems = backend.check_rules(&[folder.display().to_string()], None).unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].origin.ends_with("bad.yar"), "{problems:?}");
    assert_eq!(problems[0].line, 3);
}
