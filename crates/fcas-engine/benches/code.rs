//! Disassembly throughput on real binaries of the fixture corpus.
use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fcas_engine::code::{analyze_elf, analyze_pe};
use fcas_engine::{Deadline, Limits};
use goblin::elf::Elf;
use goblin::pe::PE;

/// The fixture's bytes, or `None` (said on standard error) when it cannot be read: that
/// binary's benchmark is skipped, the others still run.
fn fixture(relative: &str) -> Option<Vec<u8>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus/files").join(relative);
    std::fs::read(&path).map_err(|error| eprintln!("skipped {relative}: cannot read {}: {error}", path.display())).ok()
}

fn disassembly(c: &mut Criterion) {
    let limits = Limits::default();
    let mut group = c.benchmark_group("code");
    group.sample_size(10);
    for relative in ["pe/deb-libwine-amd64/kernel32.dll", "pe/deb-libwine-i386/kernel32.dll"] {
        let Some(bytes) = fixture(relative) else { continue };
        let pe = match PE::parse(&bytes) {
            Ok(pe) => pe,
            Err(error) => {
                eprintln!("skipped {relative}: not a PE goblin parses: {error}");
                continue;
            }
        };
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(relative, |b| {
            b.iter(|| analyze_pe(&pe, black_box(&bytes), &limits, Deadline::after(limits.stage_time), &mut Vec::new()))
        });
    }
    for relative in ["elf/deb-elf-amd64/ls", "elf/deb-elf-amd64/libc.so.6"] {
        let Some(bytes) = fixture(relative) else { continue };
        let elf = match Elf::parse(&bytes) {
            Ok(elf) => elf,
            Err(error) => {
                eprintln!("skipped {relative}: not an ELF goblin parses: {error}");
                continue;
            }
        };
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(relative, |b| {
            b.iter(|| analyze_elf(&elf, black_box(&bytes), &limits, Deadline::after(limits.stage_time), &mut Vec::new()))
        });
    }
    group.finish();
}

criterion_group!(benches, disassembly);
criterion_main!(benches);
