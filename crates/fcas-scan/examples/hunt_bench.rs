//! Retro-hunt throughput: builds a vault of N samples (default 10,000) beside a new case store
//! and runs the hunt runner over it, on 1 thread and then on every core, with the YARA rules of
//! RULES_DIR when given (as `fcas hunt` runs them), else a memchr test matcher (three byte
//! patterns: the runner's own cost). Prints JSON lines. Run through `bench/vault/hunt.sh`.
//!
//! Usage: `hunt_bench [N] [DB] [RULES_DIR]`.
//!
//! The samples: every file of `tests/fixtures/corpus/files` (PE, ELF, Mach-O, packed, malformed
//! and other files from registry packages, see tests/fixtures/SOURCES.md), cut to its first 256
//! KiB, each used for N / (number of fixtures) variants that differ by a 16-byte suffix (the
//! variant's number), so every sample has its own SHA-256.
type Failure = Box<dyn std::error::Error + Send + Sync>;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use fcas_report::RuleMatch;
use fcas_rules::{RuleSet, RuleSources};
use fcas_scan::hunt::{run_hunt, start_hunt, HuntSettings, Matcher};
use fcas_store::hunt::NewHunt;
use fcas_store::vault::VaultEntry;
use fcas_store::writer::Writer;
use fcas_store::{Store, VaultConfig};

const MAX_FIXTURE_PREFIX: usize = 256 << 10;
const PATTERNS: [&[u8]; 3] = [b"VirtualAllocEx", b"UPX!", b"This program cannot be run"];

fn fixtures(root: &Path) -> Result<Vec<Vec<u8>>, Failure> {
    let mut paths = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                paths.push(path);
            }
        }
    }
    paths.sort();
    let mut files = Vec::new();
    for path in &paths {
        let mut bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        bytes.truncate(MAX_FIXTURE_PREFIX);
        if !bytes.is_empty() {
            files.push(bytes);
        }
    }
    Ok(files)
}

fn matcher(bytes: &[u8]) -> Result<Vec<RuleMatch>, String> {
    Ok(PATTERNS
        .iter()
        .filter_map(|pattern| {
            memchr::memmem::find(bytes, pattern)
                .map(|_| RuleMatch { rule: String::from_utf8_lossy(pattern).into_owned(), ..RuleMatch::default() })
        })
        .collect())
}

fn main() -> Result<(), Failure> {
    let mut args = std::env::args().skip(1);
    let samples: usize = args.next().map(|n| n.parse()).transpose().map_err(|e| format!("N: {e}"))?.unwrap_or(10_000);
    let db = PathBuf::from(args.next().unwrap_or_else(|| "target/bench-vault/cases.sqlite".into()));
    let rules = args
        .next()
        .map(|dir| {
            let sources = RuleSources { builtin: false, folders: vec![PathBuf::from(dir)], ..RuleSources::default() };
            let (rules, errors) = RuleSet::load(&sources);
            if errors.is_empty() {
                Ok(rules)
            } else {
                Err(format!("the rules do not compile: {errors:?}"))
            }
        })
        .transpose()?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus/files");
    let _ = std::fs::remove_file(&db);
    let _ = std::fs::remove_dir_all(fcas_store::vault::files::vault_dir_of(&db));
    if let Some(parent) = db.parent() {
        std::fs::create_dir_all(parent)?;
    }

    let sources = fixtures(&root)?;
    if sources.is_empty() {
        return Err(format!("no fixture under {}", root.display()).into());
    }
    let store = Store::open(&db)?;
    let vault = store.vault(VaultConfig { quota: u64::MAX / 2, ..VaultConfig::default() })?;
    let writer = Writer::start(store.reopen()?)?;
    let started = Instant::now();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let (vault, handle, sources) = (vault.clone(), writer.handle(), &sources);
                scope.spawn(move || {
                    let mut entries: Vec<VaultEntry> = Vec::new();
                    for i in (t..samples).step_by(threads) {
                        let mut bytes = sources.get(i % sources.len()).cloned().unwrap_or_default();
                        bytes.extend_from_slice(format!("{i:016}").as_bytes());
                        entries.push(vault.write(&fcas_engine::sha256_hex(&bytes), &bytes)?);
                        if entries.len() == 256 {
                            handle.vault_record(vault.clone(), std::mem::take(&mut entries))?;
                        }
                    }
                    handle.vault_record(vault.clone(), entries)?;
                    Ok::<(), Failure>(())
                })
            })
            .collect();
        workers.into_iter().try_for_each(|worker| worker.join().map_err(|_| Failure::from("a writing thread panicked"))?)
    })?;
    writer.finish()?;
    let stats = store.vault_stats()?;
    println!(
        "{{\"step\": \"build\", \"samples\": {}, \"bytes\": {}, \"stored_bytes\": {}, \"seconds\": {:.2}, \"fixtures\": {}}}",
        stats.samples,
        stats.bytes,
        stats.stored_bytes,
        started.elapsed().as_secs_f64(),
        sources.len()
    );

    let mut store = store;
    let yara =
        |bytes: &[u8]| rules.as_ref().map_or(Ok(Vec::new()), |rules| rules.scan(bytes).map(|r| r.matches).map_err(|e| e.to_string()));
    let (chosen, name): (Matcher<'_>, String) = match &rules {
        Some(rules) => (&yara, format!("yara-x, {} rules", rules.len())),
        None => (&matcher, "memchr x3".to_string()),
    };
    for threads in [1, threads] {
        let id = start_hunt(&mut store, &NewHunt { rules_hash: name.clone(), rules_source: name.clone(), ..NewHunt::default() })?;
        let settings = HuntSettings { threads, ..HuntSettings::default() };
        let started = Instant::now();
        let hunt = run_hunt(&mut store, id, chosen, &settings, &|_| {}, &AtomicBool::new(false))?;
        let seconds = started.elapsed().as_secs_f64();
        let mb_s = hunt.bytes as f64 / 1e6 / seconds;
        println!(
            "{{\"step\": \"hunt\", \"matcher\": \"{name}\", \"threads\": {threads}, \"scanned\": {}, \"matched\": {}, \"bytes\": {}, \"seconds\": {seconds:.2}, \"mb_per_s\": {mb_s:.1}, \"mb_per_s_per_core\": {:.1}}}",
            hunt.scanned,
            hunt.matched,
            hunt.bytes,
            mb_s / threads as f64
        );
    }
    Ok(())
}
