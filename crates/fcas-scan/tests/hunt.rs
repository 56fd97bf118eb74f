//! The retro-hunt runner on a real case store and vault: matches recorded, the first-seen and
//! tag filters, cancellation, a damaged sample, and a hunt killed with SIGKILL in another
//! process resumed with every match exactly once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use std::path::Path;
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use fcas_report::{Report, RuleMatch, RuleStringMatch};
use fcas_scan::hunt::{resume_hunt, run_hunt, start_hunt, HuntSettings};
use fcas_store::hunt::{HuntStatus, NewHunt};
use fcas_store::{Store, VaultConfig};

const PATTERN: &[u8] = b"EVIL-MARKER";
const SAMPLES: usize = 120;
const CHILD_DB: &str = "FCAS_TEST_HUNT_CHILD_DB";
const CHILD_HUNT: &str = "FCAS_TEST_HUNT_CHILD_ID";

/// Sample `i`: distinct bytes; every third one carries the pattern at a known offset.
fn sample(i: usize) -> Vec<u8> {
    let mut bytes = format!("sample {i:05} ").into_bytes();
    bytes.extend((0..2000).map(|j| ((i * 31 + j * 7) % 251) as u8));
    if i.is_multiple_of(3) {
        bytes.extend_from_slice(PATTERN);
    }
    bytes
}

/// A test matcher: the pattern's first offset, as a rule match.
fn find_pattern(bytes: &[u8]) -> Result<Vec<RuleMatch>, String> {
    let Some(offset) = bytes.windows(PATTERN.len()).position(|w| w == PATTERN) else { return Ok(Vec::new()) };
    Ok(vec![RuleMatch {
        rule: "evil_marker".into(),
        namespace: "test".into(),
        strings: vec![RuleStringMatch {
            identifier: "$a".into(),
            offset: offset as u64,
            length: PATTERN.len() as u64,
            ..Default::default()
        }],
        ..Default::default()
    }])
}

/// A store whose vault keeps every sample, and the SHA-256s that carry the pattern.
fn vault_of_samples(db: &Path) -> (Store, Vec<String>) {
    let mut store = Store::open(db).unwrap();
    let vault = store.vault(VaultConfig::default()).unwrap();
    let mut matching = Vec::new();
    for i in 0..SAMPLES {
        let bytes = sample(i);
        let put = store.vault_put(&vault, &bytes).unwrap();
        if i.is_multiple_of(3) {
            matching.push(put.entry.sha256);
        }
    }
    matching.sort();
    (store, matching)
}

fn new_hunt() -> NewHunt {
    NewHunt { rules_hash: "test-pattern".into(), rules_source: "EVIL-MARKER".into(), ..NewHunt::default() }
}

fn settings(batch: usize) -> HuntSettings {
    HuntSettings { batch, threads: 3, ..HuntSettings::default() }
}

fn matched_shas(store: &Store, id: i64) -> Vec<String> {
    store.hunt_matches(id).unwrap().into_iter().map(|m| m.sha256).collect()
}

#[test]
fn a_hunt_records_every_match_with_its_offset() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, matching) = vault_of_samples(&dir.path().join("cases.sqlite"));
    let id = start_hunt(&mut store, &new_hunt()).unwrap();
    let progress = std::sync::Mutex::new(Vec::new());
    let hunt =
        run_hunt(&mut store, id, &find_pattern, &settings(16), &|p| progress.lock().unwrap().push(p.scanned), &AtomicBool::new(false))
            .unwrap();
    assert_eq!(hunt.status, HuntStatus::Done);
    assert_eq!((hunt.scanned, hunt.matched, hunt.errors), (SAMPLES as u64, matching.len() as u64, 0));
    assert_eq!(hunt.bytes, (0..SAMPLES).map(|i| sample(i).len() as u64).sum::<u64>());
    assert_eq!(matched_shas(&store, id), matching);
    let first = &store.hunt_matches(id).unwrap()[0];
    let bytes = store.vault_read(&first.sha256).unwrap().unwrap();
    let at = first.rule_match.strings[0].offset as usize;
    assert_eq!(&bytes[at..at + PATTERN.len()], PATTERN, "the recorded offset is where the pattern is");
    let progress = progress.into_inner().unwrap();
    assert_eq!(progress.len(), SAMPLES.div_ceil(16));
    assert_eq!(progress.last(), Some(&(SAMPLES as u64)));
    assert!(
        resume_hunt(&mut store, id, &find_pattern, &settings(16), &|_| {}, &AtomicBool::new(false)).is_err(),
        "a finished hunt is not run again"
    );
}

#[test]
fn filters_damaged_samples_and_matcher_failures() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, matching) = vault_of_samples(&dir.path().join("cases.sqlite"));
    // Two samples get reports (first seen at known times) and one of them a tag.
    let report = |i: usize, sha: &str| Report {
        path: format!("s{i}"),
        size: sample(i).len() as u64,
        hashes: fcas_report::Hashes { sha256: sha.to_string(), ..Default::default() },
        ..Default::default()
    };
    let (old, new) = (&matching[0], &matching[1]);
    store.insert_report_at(&report(0, old), 1_000).unwrap();
    store.insert_report_at(&report(1, new), 2_000_000_000).unwrap();
    store.add_tag(new, "apt-x").unwrap();
    let since = NewHunt { since: Some(1_500_000_000), ..new_hunt() };
    let id = start_hunt(&mut store, &since).unwrap();
    let hunt = run_hunt(&mut store, id, &find_pattern, &settings(8), &|_| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!((hunt.scanned, matched_shas(&store, id)), (1, vec![new.clone()]));
    let tagged = NewHunt { tag: Some("apt-x".into()), ..new_hunt() };
    let id = start_hunt(&mut store, &tagged).unwrap();
    run_hunt(&mut store, id, &find_pattern, &settings(8), &|_| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!(matched_shas(&store, id), vec![new.clone()]);

    // A damaged vault file and a matcher that fails or panics are errors of their samples.
    let vault = store.vault(VaultConfig::default()).unwrap();
    std::fs::write(vault.path_of(old).unwrap(), b"damaged").unwrap();
    let picky = |bytes: &[u8]| -> Result<Vec<RuleMatch>, String> {
        if bytes.starts_with(b"sample 00001 ") {
            return Err("rule timed out".into());
        }
        if bytes.starts_with(b"sample 00002 ") {
            panic!("matcher bug");
        }
        find_pattern(bytes)
    };
    let id = start_hunt(&mut store, &new_hunt()).unwrap();
    let hunt = run_hunt(&mut store, id, &picky, &settings(8), &|_| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!(hunt.status, HuntStatus::Done);
    assert_eq!((hunt.scanned, hunt.errors), (SAMPLES as u64 - 3, 3));
    assert!(
        hunt.message.contains("rule timed out") && hunt.message.contains("matcher bug") && hunt.message.contains("damaged"),
        "{}",
        hunt.message
    );
    assert_eq!(matched_shas(&store, id).len(), matching.len() - 1);
}

#[test]
fn a_cancelled_hunt_says_so_and_resumes_where_it_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, matching) = vault_of_samples(&dir.path().join("cases.sqlite"));
    let id = start_hunt(&mut store, &new_hunt()).unwrap();
    let cancel = AtomicBool::new(false);
    let hunt =
        run_hunt(&mut store, id, &find_pattern, &settings(10), &|_| cancel.store(true, std::sync::atomic::Ordering::Relaxed), &cancel)
            .unwrap();
    assert_eq!(hunt.status, HuntStatus::Cancelled);
    assert_eq!(hunt.scanned, 10, "one batch, then the cancel");
    let listed = store.hunts().unwrap();
    assert_eq!(listed[0].status, HuntStatus::Cancelled);
    let hunt = resume_hunt(&mut store, id, &find_pattern, &settings(10), &|_| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!(hunt.status, HuntStatus::Done);
    assert_eq!(hunt.scanned, SAMPLES as u64);
    assert_eq!(matched_shas(&store, id), matching, "every match once");
}

/// Run by [`a_hunt_killed_with_sigkill_resumes_with_every_match_exactly_once`] in a child
/// process: hunts slowly until killed.
#[test]
#[ignore = "run as a child process by the kill test"]
fn slow_hunt_child() {
    let (Ok(db), Ok(id)) = (std::env::var(CHILD_DB), std::env::var(CHILD_HUNT)) else { return };
    let mut store = Store::open(Path::new(&db)).unwrap();
    let slow = |bytes: &[u8]| {
        std::thread::sleep(Duration::from_millis(15));
        find_pattern(bytes)
    };
    run_hunt(&mut store, id.parse().unwrap(), &slow, &settings(6), &|_| {}, &AtomicBool::new(false)).unwrap();
}

#[test]
fn a_hunt_killed_with_sigkill_resumes_with_every_match_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cases.sqlite");
    let (mut store, matching) = vault_of_samples(&db);
    let id = start_hunt(&mut store, &new_hunt()).unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "slow_hunt_child", "--ignored", "--nocapture"])
        .env(CHILD_DB, &db)
        .env(CHILD_HUNT, id.to_string())
        .spawn()
        .unwrap();
    // Kill it once a few batches are committed, well before the end.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let scanned = store.hunt(id).unwrap().unwrap().scanned;
        if scanned >= 18 {
            break;
        }
        assert!(Instant::now() < deadline, "the child hunt made no progress");
        assert!(child.try_wait().unwrap().is_none(), "the child hunt ended before it was killed");
        std::thread::sleep(Duration::from_millis(20));
    }
    // SIGKILL, by the child's PID.
    unsafe_free_kill(child.id());
    let status = child.wait().unwrap();
    assert!(!status.success());
    let killed = store.hunt(id).unwrap().unwrap();
    assert_eq!(killed.status, HuntStatus::Running, "nothing could mark it");
    assert!(killed.scanned < SAMPLES as u64, "killed before the end ({} scanned)", killed.scanned);
    let before: Vec<String> = matched_shas(&store, id);
    assert!(before.iter().all(|sha| killed.checkpoint.as_deref().is_some_and(|c| sha.as_str() <= c)), "no match beyond the checkpoint");

    let hunt = resume_hunt(&mut store, id, &find_pattern, &settings(6), &|_| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!(hunt.status, HuntStatus::Done);
    assert_eq!((hunt.scanned, hunt.matched), (SAMPLES as u64, matching.len() as u64));
    assert_eq!(matched_shas(&store, id), matching, "every match exactly once");
}

/// `kill -9 PID` through the system's own command (the crate forbids `unsafe`).
fn unsafe_free_kill(pid: u32) {
    let status = Command::new("kill").args(["-9", &pid.to_string()]).status().unwrap();
    assert!(status.success());
}
