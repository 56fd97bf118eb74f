//! Measurements behind docs/bench/fleet.md (run by bench/fleet.sh against real workers):
//!   fleet_bench overhead FILE URL TOKEN RUNS     median local vs remote time of one file
//!   fleet_bench throughput DIR URL TOKEN JOBS    files per second of a batch through URL
use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fcas_fleet::client::{ClientConfig, FleetClient, Url};

type Outcome<T> = Result<T, Box<dyn Error>>;

/// The allocator of the `fcas` binary, whose analyses this compares with the local one.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Outcome<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).cloned().unwrap_or_else(|| usage());
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    match arg(0).as_str() {
        "overhead" => {
            let (file, client, runs) = (PathBuf::from(arg(1)), client(&arg(2), &arg(3), 1)?, arg(4).parse().unwrap_or(30));
            let options = fcas_engine::Options::default();
            let local = median(runs, || {
                std::hint::black_box(fcas_engine::analyze_path(&file, &options));
                Ok(())
            })?;
            let remote = median(runs, || {
                let report = runtime.block_on(client.analyze(&file))?;
                report.provenance.worker.map(|_| ()).ok_or_else(|| "the report names no worker".into())
            })?;
            let overhead = remote.as_secs_f64() * 1e3 - local.as_secs_f64() * 1e3;
            println!(
                "{{\"file_bytes\":{},\"runs\":{runs},\"local_ms\":{:.2},\"remote_ms\":{:.2},\"overhead_ms\":{overhead:.2}}}",
                std::fs::metadata(&file)?.len(),
                local.as_secs_f64() * 1e3,
                remote.as_secs_f64() * 1e3
            );
        }
        "throughput" => {
            let files = list(Path::new(&arg(1)))?;
            let client = client(&arg(2), &arg(3), arg(4).parse().unwrap_or(4))?;
            let started = Instant::now();
            let results = runtime.block_on(client.analyze_batch(&files, |_, _| {}));
            let seconds = started.elapsed().as_secs_f64();
            let failed = results.iter().filter(|r| r.is_err()).count();
            println!(
                "{{\"files\":{},\"failed\":{failed},\"seconds\":{seconds:.2},\"files_per_second\":{:.2}}}",
                files.len(),
                files.len() as f64 / seconds
            );
        }
        _ => usage(),
    }
    Ok(())
}

fn client(url: &str, token: &str, concurrency: usize) -> Outcome<FleetClient> {
    let config = ClientConfig {
        endpoints: vec![Url::parse(url)?],
        token: Some(token.to_string()),
        concurrency,
        // The engine alone on both sides: the local figure is `fcas_engine::analyze_path`.
        options: fcas_report::AnalysisOptions { no_models: true, ..Default::default() },
        ..ClientConfig::default()
    };
    Ok(FleetClient::new(config)?)
}

/// Median wall time of `runs` calls, after two warm-up calls; the first failing call stops it.
fn median(runs: usize, mut run: impl FnMut() -> Outcome<()>) -> Outcome<Duration> {
    run()?;
    run()?;
    let mut times = Vec::with_capacity(runs.max(1));
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        run()?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times.get(times.len() / 2).copied().unwrap_or_default())
}

fn list(dir: &Path) -> Outcome<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect();
    files.sort();
    Ok(files)
}

fn usage() -> ! {
    eprintln!("usage: fleet_bench overhead FILE URL TOKEN RUNS | fleet_bench throughput DIR URL TOKEN JOBS");
    std::process::exit(2)
}
