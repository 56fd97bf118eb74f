//! The one pass: chunking, the two lanes of hashers, and running them on one or two threads.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::Thread;
use std::time::Duration;

use md5::{Digest, Md5};
use sha1::Sha1;
use sha2::{Sha256, Sha512};

use super::{ssdeep, tlsh, ContentDigest};
use crate::entropy::{shannon_of_counts, ByteEntropyHistogram, EntropyProfile};
use fcas_report::Hashes;

/// Bytes handed to every hasher at a time: small enough to stay in the core's L2 cache.
const CHUNK: usize = 256 << 10;
/// From this size on, the two lanes run on two threads.
const PARALLEL_FROM: usize = 4 << 20;
/// How many chunks one lane may run ahead of the other (so the slower one still finds the
/// chunk in a shared cache).
const MAX_LEAD: usize = 2;

/// The first lane: ssdeep, MD5, SHA-512 and the byte counts (measured on 256 MiB: about as
/// long as the second lane).
struct LaneA {
    ssdeep: ssdeep::Generator,
    md5: Md5,
    sha512: Sha512,
    profile: EntropyProfile,
}

/// The second lane: TLSH, SHA-1, SHA-256 (both hardware-accelerated where the CPU can) and
/// the EMBER histogram.
struct LaneB {
    tlsh: tlsh::Generator,
    sha1: Sha1,
    sha256: Sha256,
    ember: ByteEntropyHistogram,
}

impl LaneA {
    fn update(&mut self, chunk: &[u8]) {
        self.ssdeep.update(chunk);
        self.md5.update(chunk);
        self.sha512.update(chunk);
        self.profile.update(chunk);
    }
}

impl LaneB {
    fn update(&mut self, chunk: &[u8]) {
        self.tlsh.update(chunk);
        self.sha1.update(chunk);
        self.sha256.update(chunk);
        self.ember.update(chunk);
    }
}

/// Runs every hasher over `bytes` and collects the results.
pub(super) fn digest_all(bytes: &[u8], profile_points: usize) -> ContentDigest {
    let len = bytes.len() as u64;
    let mut a = LaneA {
        ssdeep: ssdeep::Generator::new(len),
        md5: Md5::new(),
        sha512: Sha512::new(),
        profile: EntropyProfile::new(len, profile_points),
    };
    let mut b = LaneB { tlsh: tlsh::Generator::new(), sha1: Sha1::new(), sha256: Sha256::new(), ember: ByteEntropyHistogram::new() };
    if bytes.len() < PARALLEL_FROM || !run_in_parallel(bytes, &mut a, &mut b) {
        for chunk in bytes.chunks(CHUNK) {
            a.update(chunk);
            b.update(chunk);
        }
    }
    finish(a, b, len)
}

/// Runs lane A on a second thread and lane B on this one, over the same chunks. False (and
/// nothing consumed) if no thread could be started.
fn run_in_parallel(bytes: &[u8], a: &mut LaneA, b: &mut LaneB) -> bool {
    let progress_a = AtomicUsize::new(0);
    let progress_b = AtomicUsize::new(0);
    let this_thread = std::thread::current();
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("fcas-digest".into())
            .spawn_scoped(scope, || walk(bytes, &progress_a, &progress_b, &this_thread, |chunk| a.update(chunk)));
        let Ok(handle) = spawned else { return false };
        walk(bytes, &progress_b, &progress_a, handle.thread(), |chunk| b.update(chunk));
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

fn finish(a: LaneA, b: LaneB, len: u64) -> ContentDigest {
    let (entropy_profile, histogram) = a.profile.finish();
    ContentDigest {
        hashes: Hashes {
            md5: hex(&a.md5.finalize()),
            sha1: hex(&b.sha1.finalize()),
            sha256: hex(&b.sha256.finalize()),
            sha512: hex(&a.sha512.finalize()),
            ssdeep: a.ssdeep.digest(),
            tlsh: b.tlsh.digest(),
        },
        byte_histogram: histogram.to_vec(),
        entropy: shannon_of_counts(&histogram, len),
        byte_entropy_histogram: b.ember.normalized(),
        byte_entropy_counts: b.ember.counts(),
        entropy_profile,
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}
