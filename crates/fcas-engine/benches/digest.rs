//! Throughput of the one-pass content digest and of its slowest parts alone.
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use fcas_engine::hashes::{content_digest, ssdeep, tlsh};
use fcas_engine::Limits;
use md5::Digest;

/// Deterministic pseudo-random bytes (xorshift64*), so runs compare.
fn pseudo_random(len: usize) -> Vec<u8> {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        out.extend_from_slice(&x.wrapping_mul(0x2545_f491_4f6c_dd1d).to_le_bytes());
    }
    out.truncate(len);
    out
}

fn digest(c: &mut Criterion) {
    let limits = Limits::default();
    let mut group = c.benchmark_group("content_digest");
    for (name, len) in [("64KiB", 64 << 10), ("1MiB", 1 << 20), ("64MiB", 64 << 20)] {
        let data = pseudo_random(len);
        group.throughput(Throughput::Bytes(len as u64));
        if len >= 64 << 20 {
            group.sample_size(10);
        }
        group.bench_with_input(BenchmarkId::from_parameter(name), &data, |b, data| b.iter(|| content_digest(black_box(data), &limits)));
    }
    group.finish();

    let data = pseudo_random(16 << 20);
    let mut group = c.benchmark_group("alone_16MiB");
    group.throughput(Throughput::Bytes(data.len() as u64));
    group.sample_size(10);
    group.bench_function("ssdeep", |b| b.iter(|| ssdeep::digest(black_box(&data))));
    group.bench_function("tlsh", |b| b.iter(|| tlsh::digest(black_box(&data))));
    group.bench_function("md5", |b| b.iter(|| md5::Md5::digest(black_box(&data))));
    group.bench_function("sha512", |b| b.iter(|| sha2::Sha512::digest(black_box(&data))));

    group.finish();
}

criterion_group!(benches, digest);
criterion_main!(benches);
