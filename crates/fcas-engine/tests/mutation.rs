//! Deterministic mutation test: thousands of malformed variants of corpus files, each of which
//! must yield a report, with no panic escaping a stage, within a time bound and a memory bound.
//!
//! Mutations aim where parsers look: header fields overwritten with extreme values, counts and
//! offsets flipped, truncations at every interesting length, and random byte flips. The seed is
//! printed; `FCAS_MUTATION_SEED=<n>` reproduces a run, `FCAS_MUTANTS=<n>` changes how many.
//! The small containers of the container corpus (`FCAS_CONTAINERS`, flag `small` in its
//! manifest) and the document corpus (`FCAS_DOCUMENTS`) are mutated too, and go through the
//! whole submission walk.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{corpus_files, Rng};
use fcas_engine::{analyze_bytes, submission_of_bytes, Options};
use fcas_report::Report;

/// Counts live heap bytes so the test can bound what one analysis allocates.
struct CountingAllocator;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call to the system allocator unchanged; only counts sizes.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Files larger than this are cut before mutating, to keep the run short; parsers read headers,
/// tables and the start of sections, which all lie well inside it.
const MAX_BASE_LEN: usize = 256 << 10;
/// No single mutant may take longer than this (the engine's own stage budget is 10 s).
const MAX_MUTANT_TIME: Duration = Duration::from_secs(20);
/// Allocation a single analysis may make beyond the input itself.
const MAX_EXTRA_HEAP: usize = 96 << 20;

const EXTREMES: [u32; 8] = [0, 1, 0x7f, 0xff, 0x7fff, 0xffff, 0x7fff_ffff, 0xffff_ffff];

fn mutate(base: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut bytes = base.to_vec();
    if bytes.is_empty() {
        return bytes;
    }
    match rng.below(6) {
        // Truncate anywhere.
        0 => bytes.truncate(rng.below(bytes.len())),
        // Overwrite a 32-bit field in the first 4 KiB (headers) with an extreme value.
        1 | 2 => {
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(bytes.len().min(4096));
                let value = EXTREMES[rng.below(EXTREMES.len())].to_le_bytes();
                for (i, b) in value.iter().enumerate() {
                    if let Some(slot) = bytes.get_mut(at + i) {
                        *slot = *b;
                    }
                }
            }
        }
        // Flip random bits anywhere.
        3 => {
            for _ in 0..1 + rng.below(32) {
                let at = rng.below(bytes.len());
                bytes[at] ^= 1 << rng.below(8);
            }
        }
        // Overwrite a 16-bit count in the first 1 KiB.
        4 => {
            let at = rng.below(bytes.len().min(1024));
            let value = [0xffffu16, 0, 0x8000, 0x0101][rng.below(4)].to_le_bytes();
            for (i, b) in value.iter().enumerate() {
                if let Some(slot) = bytes.get_mut(at + i) {
                    *slot = *b;
                }
            }
        }
        // Duplicate a header-sized block over a later part of the file (self-referencing tables).
        _ => {
            let len = bytes.len().min(512);
            let to = rng.below(bytes.len());
            let block: Vec<u8> = bytes[..len].to_vec();
            for (i, b) in block.iter().enumerate() {
                if let Some(slot) = bytes.get_mut(to + i) {
                    *slot = *b;
                }
            }
        }
    }
    bytes
}

#[test]
fn thousands_of_mutants_each_yield_a_report_without_panic() {
    let seed: u64 = std::env::var("FCAS_MUTATION_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x00_FC_A5_20_26);
    let mutants: usize = std::env::var("FCAS_MUTANTS").ok().and_then(|s| s.parse().ok()).unwrap_or(3000);
    println!("mutation seed {seed}, {mutants} mutants");
    let mut rng = Rng::new(seed);

    let mut bases: Vec<(String, Vec<u8>)> = corpus_files()
        .into_iter()
        .filter(|p| ["pe", "elf", "macho", "packed", "malformed"].iter().any(|k| p.components().any(|c| c.as_os_str() == *k)))
        .map(|p| {
            let mut bytes = std::fs::read(&p).expect("fixture readable");
            bytes.truncate(MAX_BASE_LEN);
            (p.display().to_string(), bytes)
        })
        .collect();
    assert!(bases.len() > 50, "expected the executable corpus, found {} files", bases.len());
    let executables = bases.len();
    bases.extend(small_containers());
    bases.extend(documents());

    let options = Options::default();
    let started = Instant::now();
    let mut slowest = Duration::ZERO;
    for i in 0..mutants {
        let (name, base) = &bases[i % bases.len()];
        let mutant = mutate(base, &mut rng);
        let heap_before = LIVE.load(Ordering::Relaxed);
        PEAK.store(heap_before, Ordering::Relaxed);
        let t = Instant::now();
        // Containers go through the submission walk: each child that comes out is analysed too.
        let reports: Vec<Report> = if i % bases.len() < executables {
            vec![analyze_bytes(name, &mutant, &options)]
        } else {
            submission_of_bytes(name, &mutant, &options, &[]).unpack_all().expect("every report unpacks")
        };
        let took = t.elapsed();
        let extra_heap = PEAK.load(Ordering::Relaxed).saturating_sub(heap_before);
        slowest = slowest.max(took);

        let context = format!("mutant {i} of {name} (seed {seed})");
        let report = &reports[0];
        assert_eq!(report.size, mutant.len() as u64, "{context}: size");
        let panics: Vec<_> = reports.iter().flat_map(|r| &r.errors).filter(|e| fcas_report::stage::is_panic(&e.message)).collect();
        assert!(panics.is_empty(), "{context}: a stage panicked: {panics:?}");
        assert!(took < MAX_MUTANT_TIME, "{context}: took {took:?}");
        assert!(extra_heap < MAX_EXTRA_HEAP, "{context}: allocated {extra_heap} bytes beyond the input");
        // Every stage ran: the report serialises and carries the stage timings.
        assert!(!report.provenance.stage_ms.is_empty(), "{context}: no stage ran");
    }
    println!("{mutants} mutants in {:?}, slowest {:?}", started.elapsed(), slowest);
}

/// The document corpus (Office, RTF, PDF, shortcuts, OneNote, scripts; each cut to the base
/// length), when `FCAS_DOCUMENTS` is set. They go through the submission walk, since
/// documents carry files.
fn documents() -> Vec<(String, Vec<u8>)> {
    let documents: Vec<(String, Vec<u8>)> = common::document_files()
        .into_iter()
        .filter_map(|(name, path)| {
            let mut bytes = std::fs::read(path).expect("document readable");
            bytes.truncate(MAX_BASE_LEN);
            (!bytes.is_empty()).then_some((name, bytes))
        })
        .collect();
    println!("mutating {} documents too", documents.len());
    documents
}

/// The container corpus's small containers (manifest flag `small`), when `FCAS_CONTAINERS` is set.
fn small_containers() -> Vec<(String, Vec<u8>)> {
    let Some(dir) = common::containers() else { return Vec::new() };
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("MANIFEST.json")).expect("MANIFEST.json readable"))
            .expect("MANIFEST.json parses");
    let small: Vec<(String, Vec<u8>)> = manifest["containers"]
        .as_array()
        .expect("a list of containers")
        .iter()
        .filter(|entry| entry["flags"].as_array().is_some_and(|flags| flags.iter().any(|f| f == "small")))
        .filter_map(|entry| entry["file"].as_str())
        .map(|file| (file.to_string(), std::fs::read(dir.join(file)).expect("container readable")))
        .collect();
    assert!(!small.is_empty(), "the container manifest has no small containers");
    println!("mutating {} small containers too", small.len());
    small
}
