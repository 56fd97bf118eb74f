//! Decodes every entry of the containers named (recursively, as a scan would, but analysing
//! nothing) and prints the entries, bytes and seconds: the extraction figure of
//! bench/containers.sh, against `7z x` and `unzip` on the same archives.
use std::time::Instant;

use fcas_extract::{Budget, Child, Flow, Settings};
use fcas_report::Format;

fn main() {
    let settings = Settings::default();
    let started = Instant::now();
    let (mut entries, mut bytes) = (0u64, 0u64);
    for path in std::env::args().skip(1) {
        let data = match std::fs::read(&path) {
            Ok(data) => data,
            Err(error) => {
                eprintln!("{path}: {error}");
                std::process::exit(1);
            }
        };
        let mut budget = Budget::default();
        let format = sniff(&data);
        fcas_extract::open(format, &data, &settings, &mut budget, &mut |child: Child<'_>| {
            entries += 1;
            bytes += child.data.len() as u64;
            Flow::Continue
        });
    }
    println!("entries={entries} bytes={bytes} seconds={:.3}", started.elapsed().as_secs_f64());
}

/// The containers this benchmark feeds it.
fn sniff(data: &[u8]) -> Format {
    match data {
        [b'P', b'K', ..] => Format::Zip,
        [b'7', b'z', 0xbc, 0xaf, ..] => Format::SevenZip,
        _ => Format::Unknown,
    }
}
