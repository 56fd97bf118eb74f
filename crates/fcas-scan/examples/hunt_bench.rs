//! Retro-hunt throughput: builds a vault of N samples (default 10,000) beside a new case store
//! and runs the hunt runner over it with a memchr-based test matcher (three byte patterns), on
//! 1 thread and then on every core. Prints JSON lines. Run through `bench/vault/hunt.sh`.
//!
//! The samples: every file of `tests/fixtures/corpus/files` (PE, ELF, Mach-O, packed, malformed
//! and other files from registry packages, see tests/fixtures/SOURCES.md), cut to its first 256
//! KiB, each used for N / (number of fixtures) variants that differ by a 16-byte suffix (the
//! variant's number), so every sample has its own SHA-256.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use fcas_report::RuleMatch;
use fcas_scan::hunt::{run_hunt, start_hunt, HuntSettings};
use fcas_store::hunt::NewHunt;
use fcas_store::vault::VaultEntry;
use fcas_store::writer::Writer;
use fcas_store::{Store, VaultConfig};

const MAX_FIXTURE_PREFIX: usize = 256 << 10;
const PATTERNS: [&[u8]; 3] = [b"VirtualAllocEx", b"UPX!", b"This program cannot be run"];

fn fixtures(root: &Path) -> Vec<Vec<u8>> {
    let mut paths = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .filter(|b| !b.is_empty())
        .map(|mut b| {
            b.truncate(MAX_FIXTURE_PREFIX);
            b
        })
        .collect()
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

fn main() {
    let mut args = std::env::args().skip(1);
    let samples: usize = args.next().map_or(10_000, |n| n.parse().unwrap());
    let db = PathBuf::from(args.next().unwrap_or_else(|| "target/bench-vault/cases.sqlite".into()));
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus/files");
    let _ = std::fs::remove_file(&db);
    let _ = std::fs::remove_dir_all(fcas_store::vault::files::vault_dir_of(&db));
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();

    let sources = fixtures(&root);
    let store = Store::open(&db).unwrap();
    let vault = store.vault(VaultConfig { quota: u64::MAX / 2, ..VaultConfig::default() }).unwrap();
    let writer = Writer::start(store.reopen().unwrap()).unwrap();
    let started = Instant::now();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        for t in 0..threads {
            let (vault, handle, sources) = (vault.clone(), writer.handle(), &sources);
            scope.spawn(move || {
                let mut entries: Vec<VaultEntry> = Vec::new();
                for i in (t..samples).step_by(threads) {
                    let mut bytes = sources[i % sources.len()].clone();
                    bytes.extend_from_slice(format!("{i:016}").as_bytes());
                    entries.push(vault.write(&fcas_engine::sha256_hex(&bytes), &bytes).unwrap());
                    if entries.len() == 256 {
                        handle.vault_record(vault.clone(), std::mem::take(&mut entries)).unwrap();
                    }
                }
                handle.vault_record(vault.clone(), entries).unwrap();
            });
        }
    });
    writer.finish().unwrap();
    let stats = store.vault_stats().unwrap();
    println!(
        "{{\"step\": \"build\", \"samples\": {}, \"bytes\": {}, \"stored_bytes\": {}, \"seconds\": {:.2}, \"fixtures\": {}}}",
        stats.samples,
        stats.bytes,
        stats.stored_bytes,
        started.elapsed().as_secs_f64(),
        sources.len()
    );

    let mut store = store;
    for threads in [1, threads] {
        let id = start_hunt(
            &mut store,
            &NewHunt { rules_hash: "bench-memchr-3".into(), rules_source: "memchr x3".into(), ..NewHunt::default() },
        )
        .unwrap();
        let settings = HuntSettings { threads, ..HuntSettings::default() };
        let started = Instant::now();
        let hunt = run_hunt(&mut store, id, &matcher, &settings, &|_| {}, &AtomicBool::new(false)).unwrap();
        let seconds = started.elapsed().as_secs_f64();
        let mb_s = hunt.bytes as f64 / 1e6 / seconds;
        println!(
            "{{\"step\": \"hunt\", \"threads\": {threads}, \"scanned\": {}, \"matched\": {}, \"bytes\": {}, \"seconds\": {seconds:.2}, \"mb_per_s\": {mb_s:.1}, \"mb_per_s_per_core\": {:.1}}}",
            hunt.scanned,
            hunt.matched,
            hunt.bytes,
            mb_s / threads as f64
        );
    }
}
