//! The container corpus (`scripts/make-container-corpus.sh`, `make containers`, read from
//! `FCAS_CONTAINERS`): each container of its MANIFEST.json goes through the submission walk and
//! must give what the reference tools put in it: the format, the extraction status and password,
//! every child with the input's sha256 at its lineage path, duplicates marked, hostile names kept
//! as names, bombs stopped at a limit, damage reported without a panic.
//!
//! Entries marked `pending` are formats whose reader is not written yet: they run, and the test
//! prints how they fare instead of failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use fcas_engine::{submission_of_bytes, Options};
use fcas_report::{ExtractionStatus, Report};
use serde::Deserialize;

/// No container may take longer than this (debug build, two cores shared with other tests).
const TIME_LIMIT: Duration = Duration::from_secs(120);
/// Peak resident memory of the whole test process after the bombs (4 GiB of zeros each, fully
/// decoded, would be far above it).
const MAX_PEAK_RSS: u64 = 2 << 30;

#[derive(Debug, Deserialize)]
struct Manifest {
    containers: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
struct Entry {
    file: String,
    /// Detected format; alternatives separated by `|`.
    format: String,
    /// Extraction status of the container; alternatives separated by `|`.
    status: String,
    password: Option<String>,
    pending: bool,
    children: Vec<ExpectedChild>,
    entries: Vec<String>,
    skipped: Vec<String>,
    flags: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct ExpectedChild {
    /// Names from the container down, `!` between levels, `**!` for any levels or folders.
    path: String,
    sha256: String,
    #[serde(default)]
    duplicate: bool,
}

impl Entry {
    fn has(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
    }
}

fn manifest() -> Option<(PathBuf, Vec<Entry>)> {
    let dir = common::containers()?;
    let text = std::fs::read_to_string(dir.join("MANIFEST.json")).expect("MANIFEST.json readable");
    let manifest: Manifest = serde_json::from_str(&text).expect("MANIFEST.json parses");
    Some((dir, manifest.containers))
}

/// A submission with every report unpacked, as the checks read it.
struct Submission {
    root: Report,
    descendants: Vec<Report>,
}

impl Submission {
    fn reports(&self) -> impl Iterator<Item = &Report> {
        std::iter::once(&self.root).chain(&self.descendants)
    }
}

/// The submission of one container, on its own thread so that a hang fails within `TIME_LIMIT`.
fn submit(dir: &Path, file: &str) -> Result<(Submission, Duration), String> {
    let bytes = std::fs::read(dir.join(file)).expect("container readable");
    let name = file.to_string();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let started = Instant::now();
        let submission = submission_of_bytes(&name, &bytes, &Options::default(), &[]);
        let took = started.elapsed();
        let mut reports = submission.unpack_all().expect("every report unpacks").into_iter();
        let root = reports.next().expect("the root's report");
        let _ = sender.send((Submission { root, descendants: reports.collect() }, took));
    });
    match receiver.recv_timeout(TIME_LIMIT) {
        Ok(result) => Ok(result),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!("no result within {TIME_LIMIT:?}")),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err("the submission panicked".into()),
    }
}

/// Whether `path` (names joined by `!`) matches `pattern`, where `**!` stands for any levels and
/// folders in between (a disk image's reader may name a file `partition1/docs/x`).
fn path_matches(pattern: &str, path: &str) -> bool {
    let Some((head, tail)) = pattern.split_once("**!") else { return pattern == path };
    path.len() >= head.len() + tail.len()
        && path.starts_with(head)
        && path.ends_with(tail)
        && matches!(path.as_bytes()[path.len() - tail.len() - 1], b'!' | b'/')
}

/// Everything wrong with `submission` against `entry`; empty when it is what the tools made.
fn problems(entry: &Entry, submission: &Submission) -> Vec<String> {
    let mut problems = Vec::new();
    let root = &submission.root;
    let one_of = |alternatives: &str, value: &str| alternatives.split('|').any(|a| a == value);
    if !one_of(&entry.format, root.format.as_str()) {
        problems.push(format!("format {} instead of {}", root.format.as_str(), entry.format));
    }
    for report in submission.reports().filter(|r| r.has_panic()) {
        problems.push(format!("{} panicked: {:?}", report.path, report.errors));
    }
    let Some(extraction) = &root.extraction else {
        problems.push("not opened as a container (no extraction)".into());
        return problems;
    };
    let status = extraction.status.as_str();
    if !one_of(&entry.status, status) {
        problems.push(format!("status {status} instead of {} ({:?})", entry.status, extraction.message));
    }
    if extraction.password != entry.password {
        problems.push(format!("password {:?} instead of {:?}", extraction.password, entry.password));
    }
    if matches!(status, "partial" | "failed" | "unsupported") && extraction.message.as_deref().unwrap_or("").is_empty() {
        problems.push(format!("status {status} without a message"));
    }
    let mut listed: Vec<&str> = extraction.entries.iter().map(|e| e.name.as_str()).collect();
    let mut expected_listed: Vec<&str> = entry.entries.iter().map(String::as_str).collect();
    listed.sort_unstable();
    expected_listed.sort_unstable();
    if listed != expected_listed {
        problems.push(format!("listed entries {listed:?} instead of {expected_listed:?}"));
    }
    for name in &entry.skipped {
        if !extraction.skipped.iter().any(|s| &s.name == name) {
            problems.push(format!("{name} not in skipped {:?}", extraction.skipped));
        }
    }
    problems.extend(child_problems(entry, submission));
    problems
}

/// Each expected child present at its path with its sha256 (analysed there, or marked duplicate),
/// and the container's own children exactly the expected ones when no `**` is involved.
fn child_problems(entry: &Entry, submission: &Submission) -> Vec<String> {
    let mut problems = Vec::new();
    // (path from the root, sha256, duplicate) of every child at every depth.
    let found: Vec<(String, &str, bool)> = submission
        .reports()
        .flat_map(|parent| parent.children.iter().map(move |c| (format!("{}!{}", parent.path, c.name), c.sha256.as_str(), c.duplicate)))
        .collect();
    for child in &entry.children {
        let pattern = format!("{}!{}", entry.file, child.path);
        let matching: Vec<&(String, &str, bool)> = found.iter().filter(|(path, ..)| path_matches(&pattern, path)).collect();
        let Some((path, sha256, duplicate)) = matching.iter().find(|(_, sha256, _)| *sha256 == child.sha256) else {
            let seen: Vec<_> = matching.iter().map(|(p, s, _)| format!("{p} {s}")).collect();
            problems.push(format!("no child {} with sha256 {} (same path: {seen:?})", child.path, child.sha256));
            continue;
        };
        if *duplicate != child.duplicate {
            problems.push(format!("{path}: duplicate is {duplicate}, expected {}", child.duplicate));
        }
        if !duplicate && !submission.descendants.iter().any(|d| &d.path == path && d.hashes.sha256 == *sha256 && lineage_fits(d, path)) {
            problems.push(format!("{path}: no descendant report at that path with its lineage"));
        }
    }
    if entry.children.iter().all(|c| !c.path.contains("**")) {
        let mut own: Vec<&str> = submission.root.children.iter().map(|c| c.name.as_str()).collect();
        let mut expected: Vec<&str> = entry.children.iter().filter(|c| !c.path.contains('!')).map(|c| c.path.as_str()).collect();
        own.sort_unstable();
        expected.sort_unstable();
        if own != expected {
            let extra: Vec<String> = submission
                .root
                .children
                .iter()
                .filter(|c| !expected.contains(&c.name.as_str()))
                .map(|c| format!("{} ({} bytes, sha256 {})", c.name, c.size, c.sha256))
                .collect();
            problems.push(format!("the container's children are {own:?}, expected {expected:?}; unexpected: {extra:?}"));
        }
    }
    problems
}

/// A descendant's lineage names every container above it, the submitted file first.
fn lineage_fits(report: &Report, path: &str) -> bool {
    let names: Vec<&str> = path.split('!').collect();
    report.lineage.len() == names.len() - 1 && report.lineage.iter().zip(&names).all(|(step, name)| step.name == *name)
}

/// Runs every entry `select` picks (pending ones excluded) and fails listing every problem.
fn check_all(select: impl Fn(&Entry) -> bool, extra: impl Fn(&Entry, &Submission) -> Vec<String>) -> usize {
    let Some((dir, entries)) = manifest() else { return 0 };
    let chosen: Vec<&Entry> = entries.iter().filter(|e| !e.pending && select(e)).collect();
    let mut failures = Vec::new();
    for entry in &chosen {
        match submit(&dir, &entry.file) {
            Ok((submission, took)) => {
                println!("{}: {} reports in {took:.1?}", entry.file, submission.descendants.len() + 1);
                let mut found = problems(entry, &submission);
                found.extend(extra(entry, &submission));
                failures.extend(found.into_iter().map(|p| format!("{}: {p}", entry.file)));
            }
            Err(why) => failures.push(format!("{}: {why}", entry.file)),
        }
    }
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
    chosen.len()
}

fn plain(entry: &Entry) -> bool {
    !entry.has("bomb") && !entry.has("damaged") && !entry.has("traversal")
}

#[test]
fn archives_give_the_children_the_tools_put_in_them() {
    let checked = check_all(plain, |_, _| Vec::new());
    println!("{checked} containers checked");
}

#[test]
fn unknown_passwords_leave_the_container_encrypted_with_its_entries_listed() {
    check_all(
        |e| plain(e) && e.status == "encrypted",
        |entry, submission| {
            let mut problems = Vec::new();
            if !submission.root.children.is_empty() || !submission.descendants.is_empty() {
                problems.push("children came out of a container no password opened".into());
            }
            let listed = submission.root.extraction.as_ref().map_or(0, |x| x.entries.len());
            if !entry.entries.is_empty() && listed == 0 {
                problems.push("no entry listed".into());
            }
            problems
        },
    );
}

#[test]
fn four_levels_of_nesting_resolve_down_to_the_executable() {
    let Some((dir, _)) = manifest() else { return };
    let (submission, _) = submit(&dir, "nested4.zip").unwrap();
    let exe = submission.descendants.iter().find(|d| d.path.ends_with("!t64.exe")).expect("the executable came out");
    assert_eq!(exe.path, "nested4.zip!level2.7z!level3.tar.gz!level3.tar!t64.exe");
    let names: Vec<&str> = exe.lineage.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["nested4.zip", "level2.7z", "level3.tar.gz", "level3.tar"]);
    assert_eq!(exe.format.as_str(), "pe");
    // Each step of the lineage is the sha256 of the report above it.
    for (step, parent) in exe.lineage.iter().zip(submission.reports()) {
        assert_eq!(step.sha256, parent.hashes.sha256, "{}", parent.path);
    }
}

#[test]
fn a_quine_stops_at_its_first_child() {
    let Some((dir, _)) = manifest() else { return };
    // A gzip file that decompresses to itself: its child has its sha256, so it is marked
    // duplicate and not opened again; no depth or count limit is needed to stop it.
    let (submission, _) = submit(&dir, "quine.gz").unwrap();
    let root = &submission.root;
    assert_eq!(root.children.len(), 1, "{:?}", root.children);
    assert_eq!(root.children[0].sha256, root.hashes.sha256);
    assert!(root.children[0].duplicate);
    assert!(submission.descendants.is_empty(), "{} descendants", submission.descendants.len());
    assert!(root.extraction.as_ref().is_some_and(|e| e.limits_hit.is_empty()), "{:?}", root.extraction);
}

#[test]
fn a_zip_quine_stops_at_its_first_child() {
    let Some((dir, _)) = manifest() else { return };
    // A ZIP whose one entry, r/r.zip, is the ZIP itself (its CRC-32 checks): the entry is
    // decompressed once, found to be its own container, and not opened again.
    let (submission, _) = submit(&dir, "quine.zip").unwrap();
    let root = &submission.root;
    let names: Vec<&str> = root.children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["r/r.zip"]);
    assert_eq!(root.children[0].sha256, root.hashes.sha256);
    assert_eq!(root.children[0].size, root.size);
    assert!(root.children[0].duplicate);
    assert!(submission.descendants.is_empty(), "{} descendants", submission.descendants.len());
    let extraction = root.extraction.as_ref().expect("extraction");
    assert_eq!(extraction.status, ExtractionStatus::Opened, "{extraction:?}");
    assert!(extraction.limits_hit.is_empty(), "{extraction:?}");
}

#[test]
fn traversal_and_absolute_names_stay_names() {
    let checked = check_all(
        |e| !e.pending && e.has("traversal"),
        |entry, submission| {
            let mut problems = Vec::new();
            // The child names are the raw names, in the container's order.
            let names: Vec<&str> = submission.root.children.iter().map(|c| c.name.as_str()).collect();
            let expected: Vec<&str> = entry.children.iter().map(|c| c.path.as_str()).collect();
            if names != expected {
                problems.push(format!("names {names:?} instead of {expected:?}"));
            }
            // Nothing was written where an extractor using them as paths would have.
            for name in &expected {
                let target = Path::new(name);
                if target.is_absolute() && target.exists() || std::env::current_dir().unwrap().join(target).exists() {
                    problems.push(format!("{name} exists on disk"));
                }
            }
            problems
        },
    );
    assert!(checked >= 2 || std::env::var_os("FCAS_CONTAINERS").is_none(), "the traversal zip and tar are in the manifest");
}

#[test]
fn bombs_stop_at_a_limit_in_bounded_time_and_memory() {
    let before = peak_rss();
    let checked = check_all(
        |e| e.has("bomb"),
        |_, submission| {
            let limits: Vec<String> = submission
                .reports()
                .filter_map(|r| r.extraction.as_ref())
                .flat_map(|x| x.limits_hit.iter().map(|l| l.limit.clone()))
                .collect();
            println!("  limits hit: {limits:?}");
            let mut problems = Vec::new();
            if limits.is_empty() {
                problems.push("no limit reported".to_string());
            }
            // Opening a container stays within its time budget (its children's analyses not counted).
            let budget = Options::default().extraction.limits.container_time + Duration::from_secs(5);
            for report in submission.reports() {
                let ms = report.extraction.as_ref().map_or(0.0, |x| x.ms);
                if ms > budget.as_secs_f64() * 1e3 {
                    problems.push(format!("{}: opening it took {ms:.0} ms", report.path));
                }
            }
            problems
        },
    );
    let after = peak_rss();
    println!("{checked} bombs; peak RSS {} MiB before, {} MiB after", before >> 20, after >> 20);
    assert!(after < MAX_PEAK_RSS, "peak RSS {} MiB after the bombs", after >> 20);
}

#[test]
fn damaged_containers_say_so_without_panicking() {
    check_all(|e| e.has("damaged"), |_, _| Vec::new());
}

/// Formats whose reader is not written yet: run, reported, never failing.
#[test]
fn pending_formats_are_reported() {
    let Some((dir, entries)) = manifest() else { return };
    let mut still_pending = Vec::new();
    for entry in entries.iter().filter(|e| e.pending) {
        let found = match submit(&dir, &entry.file) {
            Ok((submission, _)) => problems(entry, &submission),
            Err(why) => vec![why],
        };
        if found.is_empty() {
            println!("pending {} ({}) passes: mark it not pending in the corpus script", entry.file, entry.format);
        } else {
            println!("pending {} ({}): {}", entry.file, entry.format, found.join("; "));
            still_pending.push(entry.format.as_str());
        }
    }
    still_pending.sort_unstable();
    still_pending.dedup();
    println!("formats pending: {still_pending:?}");
}

/// The process's peak resident set (VmHWM), bytes; 0 where /proc is not available.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kib| kib << 10)
}
