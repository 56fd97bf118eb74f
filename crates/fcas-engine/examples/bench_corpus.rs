//! Benchmark driver used by `bench/run.sh`: for each file, the median over REPS runs of the full
//! engine analysis and of the PE structure analysis alone, as JSON lines. The PE structure is
//! timed as pefile's full parse does the work (`pe_ms`: no hashing of the sections' data, which
//! pefile does only on request) and with the sections' entropy and md5 (`pe_hashed_ms`).
//!
//! `cargo run --release -p fcas-engine --example bench_corpus -- REPS FILE...`
use std::time::Instant;

use fcas_engine::{analyze_bytes, formats, Limits, Options};

/// The allocator of the `fcas` binary, so that the figures are the product's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn median_ms(reps: usize, mut run: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..reps)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times.get(times.len() / 2).copied().unwrap_or(f64::NAN)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let reps: usize = args.next().and_then(|r| r.parse().ok()).filter(|&r| r > 0).ok_or("usage: bench_corpus REPS FILE...")?;
    let options = Options::default();
    let limits = Limits::default();
    for path in args {
        let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
        let analyze_ms = median_ms(reps, || {
            std::hint::black_box(analyze_bytes(&path, &bytes, &options));
        });
        let is_pe = formats::pe::parse(&bytes).is_ok();
        let pe_ms = is_pe.then(|| {
            median_ms(reps, || {
                if let Ok(pe) = formats::pe::parse(&bytes) {
                    std::hint::black_box(formats::pe::analyze_unhashed(&pe, &bytes, &limits, &mut Vec::new()));
                }
            })
        });
        let pe_hashed_ms = is_pe.then(|| {
            median_ms(reps, || {
                if let Ok(pe) = formats::pe::parse(&bytes) {
                    std::hint::black_box(formats::pe::analyze(&pe, &bytes, &limits, &mut Vec::new()));
                }
            })
        });
        let pe_field = pe_ms.zip(pe_hashed_ms).map(|(ms, hashed)| format!(",\"pe_ms\":{ms},\"pe_hashed_ms\":{hashed}")).unwrap_or_default();
        println!("{{\"path\":{:?},\"size\":{},\"analyze_ms\":{analyze_ms}{pe_field}}}", path, bytes.len());
    }
    Ok(())
}
