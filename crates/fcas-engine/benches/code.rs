//! Disassembly throughput on real binaries of the fixture corpus.
use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fcas_engine::code::{analyze_elf, analyze_pe};
use fcas_engine::{Deadline, Limits};
use goblin::elf::Elf;
use goblin::pe::PE;

fn fixture(relative: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus/files").join(relative);
    std::fs::read(path).expect("fixture")
}

fn disassembly(c: &mut Criterion) {
    let limits = Limits::default();
    let mut group = c.benchmark_group("code");
    group.sample_size(10);
    for relative in ["pe/deb-libwine-amd64/kernel32.dll", "pe/deb-libwine-i386/kernel32.dll"] {
        let bytes = fixture(relative);
        let pe = PE::parse(&bytes).expect("PE");
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(relative, |b| {
            b.iter(|| analyze_pe(&pe, black_box(&bytes), &limits, Deadline::after(limits.stage_time), &mut Vec::new()))
        });
    }
    for relative in ["elf/deb-elf-amd64/ls", "elf/deb-elf-amd64/libc.so.6"] {
        let bytes = fixture(relative);
        let elf = Elf::parse(&bytes).expect("ELF");
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(relative, |b| {
            b.iter(|| analyze_elf(&elf, black_box(&bytes), &limits, Deadline::after(limits.stage_time), &mut Vec::new()))
        });
    }
    group.finish();
}

criterion_group!(benches, disassembly);
criterion_main!(benches);
