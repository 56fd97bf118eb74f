//! Throughput of string and IOC extraction on binary-like and text-heavy buffers.
use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fcas_engine::strings::extract;
use fcas_engine::{Deadline, Limits};

/// Deterministic pseudo-random bytes (xorshift), so runs compare.
fn noise(len: usize) -> Vec<u8> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

/// Noise with a printable string (some with IOCs) every few hundred bytes, in both encodings.
fn binary_like(len: usize) -> Vec<u8> {
    let mut bytes = noise(len);
    let planted = ["GetProcAddress", "http://example.com/path?q=1", "C:\\Windows\\System32\\cmd.exe", "192.168.1.20"];
    let mut at = 0;
    let mut index = 0;
    while at + 128 < len {
        let text = planted[index % planted.len()];
        if index % 2 == 0 {
            bytes[at..at + text.len()].copy_from_slice(text.as_bytes());
        } else {
            for (i, b) in text.bytes().enumerate() {
                bytes[at + 2 * i] = b;
                bytes[at + 2 * i + 1] = 0;
            }
        }
        at += 300;
        index += 1;
    }
    bytes
}

fn bench(c: &mut Criterion) {
    let limits = Limits::default();
    let mut group = c.benchmark_group("strings");
    group.measurement_time(Duration::from_secs(5)).sample_size(10);
    for (name, bytes) in
        [("noise_16MiB", noise(16 << 20)), ("binary_like_16MiB", binary_like(16 << 20)), ("zeros_16MiB", vec![0u8; 16 << 20])]
    {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut notes = Vec::new();
                black_box(extract(black_box(&bytes), &limits, Deadline::after(Duration::from_secs(600)), &mut notes))
            })
        });
    }
    group.finish();

    // The real workload: every corpus file in turn (a few hundred thousand strings in all).
    let corpus = corpus_files();
    let mut group = c.benchmark_group("strings");
    group.measurement_time(Duration::from_secs(5)).sample_size(10);
    group.throughput(Throughput::Bytes(corpus.iter().map(|f| f.len() as u64).sum()));
    group.bench_function("corpus_all_files", |b| {
        b.iter(|| {
            for bytes in &corpus {
                let mut notes = Vec::new();
                black_box(extract(black_box(bytes), &limits, Deadline::after(Duration::from_secs(600)), &mut notes));
            }
        })
    });
    group.finish();
}

/// The bytes of every file the test corpus's manifest lists (none when it is missing).
fn corpus_files() -> Vec<Vec<u8>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus");
    let manifest = std::fs::read_to_string(root.join("MANIFEST.tsv")).unwrap_or_default();
    manifest.lines().skip(1).filter_map(|line| line.split('\t').next()).filter_map(|path| std::fs::read(root.join(path)).ok()).collect()
}

criterion_group!(benches, bench);
criterion_main!(benches);
