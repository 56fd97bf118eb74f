//! Benchmark driver used by `bench/run.sh`: maps one file and computes every whole-file digest
//! (MD5, SHA-1, SHA-256, SHA-512, ssdeep, TLSH, histograms, entropy) in one pass, as the engine
//! does. Pin it to one core with `taskset -c 0` to measure the single-core case.
//!
//! `cargo run --release -p fcas-engine --example digest_file -- FILE`
use std::time::Instant;

use fcas_engine::{hashes, Limits, MappedInput};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: digest_file FILE")?;
    let started = Instant::now();
    let input = MappedInput::open(std::path::Path::new(&path), u64::MAX)?;
    let digest = hashes::content_digest(&input, &Limits::default());
    let h = &digest.hashes;
    println!("md5 {}\nsha1 {}\nsha256 {}\nsha512 {}", h.md5, h.sha1, h.sha256, h.sha512);
    println!("ssdeep {}\ntlsh {}", h.ssdeep.as_deref().unwrap_or("-"), h.tlsh.as_deref().unwrap_or("TNULL"));
    eprintln!("{:.3} s", started.elapsed().as_secs_f64());
    Ok(())
}
