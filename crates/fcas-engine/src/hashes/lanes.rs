//! The one pass: chunking, the groups of hashers, and running them in parallel.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::Thread;
use std::time::Duration;

use fcas_report::hex;
use md5::{Digest, Md5};
use sha1::Sha1;
use sha2::{Sha256, Sha512};

use super::{ssdeep, tlsh, ContentDigest};
use crate::entropy::{shannon_of_counts, ByteEntropyHistogram, EntropyProfile};
use crate::parallel::Task;
use fcas_report::Hashes;

/// Bytes handed to every hasher at a time: small enough to stay in the core's L2 cache.
const CHUNK: usize = 256 << 10;
/// From this size on, the lanes run on two threads of their own that walk the chunks in step,
/// so that a chunk is read from memory once for both; below it the file fits in the shared
/// cache and the lanes are tasks of the engine's pool, free to drift apart.
const IN_STEP_FROM: usize = 8 << 20;
/// How many chunks one lane may run ahead of the other (so the slower one still finds the
/// chunk in a shared cache).
const MAX_LEAD: usize = 2;

/// TLSH alone: the costliest hasher per byte.
#[derive(Default)]
struct TlshGroup {
    tlsh: tlsh::Generator,
}

/// ssdeep and the byte counts behind the histogram and the entropy profile.
struct FuzzyGroup {
    ssdeep: ssdeep::Generator,
    profile: EntropyProfile,
}

/// MD5, SHA-1 and SHA-256 (the last two hardware-accelerated where the CPU can); SHA-256 is
/// left out when the caller knows it already.
#[derive(Default)]
struct ShortDigestGroup {
    md5: Md5,
    sha1: Sha1,
    sha256: Option<Sha256>,
}

/// SHA-512 and the EMBER histogram.
#[derive(Default)]
struct WideGroup {
    sha512: Sha512,
    ember: ByteEntropyHistogram,
}

impl TlshGroup {
    fn update(&mut self, chunk: &[u8]) {
        self.tlsh.update(chunk);
    }
}

impl FuzzyGroup {
    fn update(&mut self, chunk: &[u8]) {
        self.ssdeep.update(chunk);
        self.profile.update(chunk);
    }
}

impl ShortDigestGroup {
    fn update(&mut self, chunk: &[u8]) {
        self.md5.update(chunk);
        self.sha1.update(chunk);
        if let Some(sha256) = &mut self.sha256 {
            sha256.update(chunk);
        }
    }
}

impl WideGroup {
    fn update(&mut self, chunk: &[u8]) {
        self.sha512.update(chunk);
        self.ember.update(chunk);
    }
}

/// Every hasher, in four groups of roughly equal cost per byte (measured on the PE files of the
/// test corpus). The first two form lane A and the last two lane B, of about equal cost, when
/// the two lanes run in step on a large file.
struct Groups {
    tlsh: TlshGroup,
    fuzzy: FuzzyGroup,
    short: ShortDigestGroup,
    wide: WideGroup,
}

/// What one task of a [`Digester`] left behind: its time, and why it failed if it did.
#[derive(Default)]
struct TaskOutcome {
    ms: f64,
    panic: Option<String>,
}

/// The one pass over a file's bytes, as independent tasks (see [`Digester::tasks`]).
pub struct Digester<'a> {
    bytes: &'a [u8],
    groups: Groups,
    /// The SHA-256 of `bytes` when the caller computed it already (a container's walk hashes
    /// each child to recognise one met twice before analysing it).
    known_sha256: Option<String>,
    outcomes: [TaskOutcome; 4],
}

impl<'a> Digester<'a> {
    /// A digester of `bytes` whose entropy profile has at most `profile_points` points.
    pub fn new(bytes: &'a [u8], profile_points: usize) -> Self {
        let len = bytes.len() as u64;
        let groups = Groups {
            tlsh: TlshGroup::default(),
            fuzzy: FuzzyGroup { ssdeep: ssdeep::Generator::new(len), profile: EntropyProfile::new(len, profile_points) },
            short: ShortDigestGroup { sha256: Some(Sha256::default()), ..ShortDigestGroup::default() },
            wide: WideGroup::default(),
        };
        Self { bytes, groups, known_sha256: None, outcomes: Default::default() }
    }

    /// The same digester, taking `sha256` (the lowercase hex SHA-256 of the bytes, computed by
    /// the caller) instead of computing it again.
    pub fn knowing_sha256(mut self, sha256: &str) -> Self {
        self.groups.short.sha256 = None;
        self.known_sha256 = Some(sha256.to_string());
        self
    }

    /// The work as tasks to run in any order, in parallel or not, costliest first. A large file
    /// is one task that walks the bytes on two threads in step (so each chunk is read from
    /// memory once); any other, a task per group of hashers.
    pub(crate) fn tasks(&mut self) -> Vec<Task<'_>> {
        let bytes = self.bytes;
        let Groups { tlsh, fuzzy, short, wide } = &mut self.groups;
        let [o1, o2, o3, o4] = &mut self.outcomes;
        if bytes.len() >= IN_STEP_FROM {
            return vec![guarded(o1, move || {
                let mut lane_a = |chunk: &[u8]| {
                    tlsh.update(chunk);
                    fuzzy.update(chunk);
                };
                let mut lane_b = |chunk: &[u8]| {
                    short.update(chunk);
                    wide.update(chunk);
                };
                if !run_in_step(bytes, &mut lane_a, &mut lane_b) {
                    bytes.chunks(CHUNK).for_each(|chunk| {
                        lane_a(chunk);
                        lane_b(chunk);
                    });
                }
            })];
        }
        vec![
            guarded(o1, move || bytes.chunks(CHUNK).for_each(|c| fuzzy.update(c))),
            guarded(o2, move || bytes.chunks(CHUNK).for_each(|c| tlsh.update(c))),
            guarded(o3, move || bytes.chunks(CHUNK).for_each(|c| short.update(c))),
            guarded(o4, move || bytes.chunks(CHUNK).for_each(|c| wide.update(c))),
        ]
    }

    /// The results, once every task ran; the time spent in the tasks, summed; the first task's
    /// panic if one failed.
    pub fn finish(self) -> (Result<ContentDigest, String>, f64) {
        let ms = self.outcomes.iter().map(|o| o.ms).sum();
        if let Some(panic) = self.outcomes.into_iter().find_map(|o| o.panic) {
            return (Err(fcas_report::stage::panic_message(&panic)), ms);
        }
        (Ok(finish(self.groups, self.bytes.len() as u64, self.known_sha256)), ms)
    }
}

/// `work` as a task that records its time and catches its panic in `outcome`.
fn guarded<'a>(outcome: &'a mut TaskOutcome, work: impl FnOnce() + Send + 'a) -> Task<'a> {
    Box::new(move || {
        let started = std::time::Instant::now();
        if let Err(panic) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
            outcome.panic = Some(crate::stage::panic_text(&*panic));
        }
        outcome.ms = started.elapsed().as_secs_f64() * 1e3;
    })
}

/// Runs every hasher over `bytes` and collects the results.
pub(super) fn digest_all(bytes: &[u8], profile_points: usize) -> ContentDigest {
    let mut digester = Digester::new(bytes, profile_points);
    crate::parallel::run_all(digester.tasks(), bytes.len());
    match digester.finish().0 {
        Ok(digest) => digest,
        // A hasher's panic stays a panic for the callers outside the pipeline (which catches
        // it per stage, through `Digester`).
        Err(message) => std::panic::resume_unwind(Box::new(message)),
    }
}

/// Runs `lane_a` on a second thread and `lane_b` on this one, over the same chunks. False (and
/// nothing consumed) if no thread could be started.
fn run_in_step(bytes: &[u8], lane_a: &mut (dyn FnMut(&[u8]) + Send), lane_b: &mut dyn FnMut(&[u8])) -> bool {
    let progress_a = AtomicUsize::new(0);
    let progress_b = AtomicUsize::new(0);
    let this_thread = std::thread::current();
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("fcas-digest".into())
            .spawn_scoped(scope, || walk(bytes, &progress_a, &progress_b, &this_thread, |chunk| lane_a(chunk)));
        let Ok(handle) = spawned else { return false };
        walk(bytes, &progress_b, &progress_a, handle.thread(), |chunk| lane_b(chunk));
        true
    })
}

/// Feeds the chunks of `bytes` to `update`, publishing progress in `mine` (and waking
/// `partner`) and sleeping while `other` is more than [`MAX_LEAD`] chunks behind. A lane that
/// ends, even by a panic, marks itself finished so the other never waits for it.
fn walk(bytes: &[u8], mine: &AtomicUsize, other: &AtomicUsize, partner: &Thread, mut update: impl FnMut(&[u8])) {
    struct Finished<'a>(&'a AtomicUsize, &'a Thread);
    impl Drop for Finished<'_> {
        fn drop(&mut self) {
            self.0.store(usize::MAX, Ordering::Release);
            self.1.unpark();
        }
    }
    let _finished = Finished(mine, partner);
    for (index, chunk) in bytes.chunks(CHUNK).enumerate() {
        while other.load(Ordering::Acquire).saturating_add(MAX_LEAD) < index {
            // Woken by the partner's progress; the timeout only guards against a lost wake-up.
            std::thread::park_timeout(Duration::from_millis(1));
        }
        update(chunk);
        mine.store(index + 1, Ordering::Release);
        partner.unpark();
    }
}

fn finish(groups: Groups, len: u64, known_sha256: Option<String>) -> ContentDigest {
    let Groups { tlsh, fuzzy, short, wide } = groups;
    let (entropy_profile, histogram) = fuzzy.profile.finish();
    ContentDigest {
        hashes: Hashes {
            md5: hex(&short.md5.finalize()),
            sha1: hex(&short.sha1.finalize()),
            sha256: known_sha256.or_else(|| short.sha256.map(|sha256| hex(&sha256.finalize()))).unwrap_or_default(),
            sha512: hex(&wide.sha512.finalize()),
            ssdeep: fuzzy.ssdeep.digest(),
            tlsh: tlsh.tlsh.digest(),
        },
        byte_histogram: histogram.to_vec(),
        entropy: shannon_of_counts(&histogram, len),
        byte_entropy_histogram: wide.ember.normalized(),
        byte_entropy_counts: wide.ember.counts(),
        entropy_profile,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(bytes: &[u8], known: Option<&str>) -> ContentDigest {
        let mut digester = Digester::new(bytes, 64);
        if let Some(sha256) = known {
            digester = digester.knowing_sha256(sha256);
        }
        crate::parallel::run_all(digester.tasks(), bytes.len());
        digester.finish().0.unwrap_or_default()
    }

    #[test]
    fn a_known_sha256_is_taken_and_every_other_digest_is_unchanged() {
        // Below and above the size from which the lanes run in step.
        for len in [5_000, IN_STEP_FROM + 12_345] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            let computed = digest(&bytes, None);
            assert_eq!(computed.hashes.sha256, hex(&Sha256::digest(&bytes)));
            let known = digest(&bytes, Some("given"));
            assert_eq!(known.hashes.sha256, "given", "the caller's hash is taken as is");
            assert_eq!(Hashes { sha256: computed.hashes.sha256.clone(), ..known.hashes.clone() }, computed.hashes);
            assert_eq!(known.byte_entropy_histogram, computed.byte_entropy_histogram);
            assert_eq!(known.entropy_profile.len(), computed.entropy_profile.len());
        }
    }
}
