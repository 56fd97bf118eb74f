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
        let hunt = backend.hunts().unwrap().into_iter().find(|h| h.id == id).unwrap();
        if hunt.status != HuntStatus::Running {
            break hunt;
        }
        assert!(Instant::now() < deadline, "the hunt did not finish: {hunt:?}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(hunt.status, HuntStatus::Done, "{hunt:?}");
    assert_eq!(hunt.scanned, 2, "both vault samples were read: {hunt:?}");
    let matches = backend.hunt_matches(id).unwrap();
    assert_eq!(matches.iter().map(|m| m.sha256.as_str()).collect::<Vec<_>>(), [scanned[0].as_str()], "only the PE starts with MZ");
    assert_eq!(matches[0].rule_match.rule, "starts_with_mz");

    assert_eq!(backend.resume_hunt(id).unwrap_err().code, "invalid", "a finished hunt is not resumed");
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
