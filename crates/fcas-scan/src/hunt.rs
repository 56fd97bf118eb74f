//! Retro-hunts: a matcher (a compiled rule set) run over the samples kept in the case store's
//! vault, in sha256 order, in batches. Each batch's samples are read, decoded and matched on
//! worker threads; its matches, counts and checkpoint (the last sha256 done) commit in one
//! transaction, so a hunt killed at any moment resumes after its checkpoint with no match lost
//! or repeated, and a cancelled one stops after the samples in hand and says so.
//!
//! The runner knows nothing of rules: the matcher is any function from bytes to matches.
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use fcas_report::RuleMatch;
use fcas_store::hunt::{Hunt, HuntBatch, HuntSample, HuntStatus, NewHunt};
use fcas_store::vault::{Vault, VaultConfig};
use fcas_store::{Store, StoreError};

/// What a hunt runs on each sample: its matches, or why it could not match.
pub type Matcher<'a> = &'a (dyn Fn(&[u8]) -> Result<Vec<RuleMatch>, String> + Sync);

/// Samples per batch by default: one commit per batch keeps the checkpoint's cost small, and a
/// kill loses at most a batch of work.
pub const DEFAULT_HUNT_BATCH: usize = 64;

/// How a hunt runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HuntSettings {
    /// Samples per committed batch.
    pub batch: usize,
    /// Threads reading, decoding and matching (default: one per core).
    pub threads: usize,
    /// The vault's read limit (a larger sample is an error of that sample, not read).
    pub vault: VaultConfig,
}

impl Default for HuntSettings {
    fn default() -> Self {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self { batch: DEFAULT_HUNT_BATCH, threads, vault: VaultConfig::default() }
    }
}

/// Where a running hunt stands, after each committed batch.
#[derive(Debug, Clone, PartialEq)]
pub struct HuntProgress {
    /// The hunt.
    pub hunt_id: i64,
    /// Samples scanned so far (over every run of the hunt).
    pub scanned: u64,
    /// Samples its filter selects in all.
    pub total: u64,
    /// Samples with a match so far.
    pub matched: u64,
    /// Bytes scanned in this run, and the seconds it took.
    pub run_bytes: u64,
    /// Seconds since this run started.
    pub run_seconds: f64,
}

/// Records a new hunt; run it with [`run_hunt`].
pub fn start_hunt(store: &mut Store, hunt: &NewHunt) -> Result<i64, StoreError> {
    store.create_hunt(hunt)
}

/// Resumes hunt `hunt_id` after its checkpoint (a hunt killed while running, or cancelled);
/// a finished one is refused.
pub fn resume_hunt(
    store: &mut Store,
    hunt_id: i64,
    matcher: Matcher<'_>,
    settings: &HuntSettings,
    progress: &dyn Fn(&HuntProgress),
    cancel: &AtomicBool,
) -> Result<Hunt, StoreError> {
    let hunt = find(store, hunt_id)?;
    if hunt.status == HuntStatus::Done {
        return Err(StoreError::Hunt(format!("hunt {hunt_id} is done already; start a new hunt to run its rules again")));
    }
    store.set_hunt_status(hunt_id, HuntStatus::Running, "resumed")?;
    run_hunt(store, hunt_id, matcher, settings, progress, cancel)
}

/// Runs hunt `hunt_id` from its checkpoint to the end of the vault, or until `cancel` is set
/// (status `cancelled`); returns the hunt as stored at the end. A store error fails the hunt
/// (status `failed`, with the reason) and is returned.
pub fn run_hunt(
    store: &mut Store,
    hunt_id: i64,
    matcher: Matcher<'_>,
    settings: &HuntSettings,
    progress: &dyn Fn(&HuntProgress),
    cancel: &AtomicBool,
) -> Result<Hunt, StoreError> {
    match run_batches(store, hunt_id, matcher, settings, progress, cancel) {
        Ok(status) => {
            store.set_hunt_status(hunt_id, status, "")?;
            find(store, hunt_id)
        }
        Err(error) => {
            // Best effort: the store may be what failed.
            let _ = store.set_hunt_status(hunt_id, HuntStatus::Failed, &error.to_string());
            Err(error)
        }
    }
}

fn run_batches(
    store: &mut Store,
    hunt_id: i64,
    matcher: Matcher<'_>,
    settings: &HuntSettings,
    progress: &dyn Fn(&HuntProgress),
    cancel: &AtomicBool,
) -> Result<HuntStatus, StoreError> {
    let vault = store.vault(settings.vault)?;
    let total = store.hunt_sample_count(&find(store, hunt_id)?)?;
    let started = Instant::now();
    let mut run_bytes = 0;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Ok(HuntStatus::Cancelled);
        }
        let hunt = find(store, hunt_id)?;
        let samples = store.hunt_next_samples(&hunt, settings.batch.max(1))?;
        if samples.is_empty() {
            return Ok(HuntStatus::Done);
        }
        let results = scan_batch(&vault, &samples, matcher, settings.threads, cancel);
        let Some(last) = results.last() else { return Ok(HuntStatus::Cancelled) };
        let mut batch = HuntBatch { after: hunt.checkpoint.clone(), checkpoint: last.sha256.clone(), ..HuntBatch::default() };
        for result in results {
            match result.outcome {
                Ok((bytes, matches)) => {
                    batch.scanned += 1;
                    batch.bytes += bytes;
                    if !matches.is_empty() {
                        batch.matches.push((result.sha256, matches));
                    }
                }
                Err(reason) => batch.errors.push((result.sha256, reason)),
            }
        }
        run_bytes += batch.bytes;
        store.commit_hunt_batch(hunt_id, &batch)?;
        let hunt = find(store, hunt_id)?;
        progress(&HuntProgress {
            hunt_id,
            scanned: hunt.scanned + hunt.errors,
            total,
            matched: hunt.matched,
            run_bytes,
            run_seconds: started.elapsed().as_secs_f64(),
        });
    }
}

/// One sample's result: its size and matches, or why it was not matched.
struct SampleResult {
    sha256: String,
    outcome: Result<(u64, Vec<RuleMatch>), String>,
}

/// Reads, decodes and matches `samples` on `threads` threads. Threads take samples in order
/// and stop taking on `cancel`, finishing the one in hand, so the results are always a prefix
/// of `samples` (what the checkpoint can cover).
fn scan_batch(vault: &Vault, samples: &[HuntSample], matcher: Matcher<'_>, threads: usize, cancel: &AtomicBool) -> Vec<SampleResult> {
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<SampleResult>>> = samples.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, samples.len()) {
            scope.spawn(|| loop {
                if cancel.load(Ordering::Relaxed) {
                    break;
                }
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(sample) = samples.get(index) else { break };
                let result = SampleResult { sha256: sample.sha256.clone(), outcome: scan_one(vault, sample, matcher) };
                if let Some(slot) = slots.get(index) {
                    *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(result);
                }
            });
        }
    });
    slots.into_iter().map_while(|slot| slot.into_inner().unwrap_or_else(|p| p.into_inner())).collect()
}

fn scan_one(vault: &Vault, sample: &HuntSample, matcher: Matcher<'_>) -> Result<(u64, Vec<RuleMatch>), String> {
    let bytes = match vault.read(&sample.sha256) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Err("no longer in the vault (evicted while the hunt ran)".into()),
        Err(error) => return Err(error.to_string()),
    };
    // A matcher's panic is that sample's error, not the hunt's end.
    let matched = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| matcher(&bytes)))
        .map_err(|panic| fcas_report::stage::panic_message(&fcas_report::stage::panic_payload_text(panic.as_ref())))?;
    Ok((bytes.len() as u64, matched?))
}

fn find(store: &Store, hunt_id: i64) -> Result<Hunt, StoreError> {
    store
        .hunt(hunt_id)?
        .ok_or_else(|| StoreError::Hunt(format!("there is no hunt {hunt_id} in this case store; `fcas db hunts` lists them")))
}
