//! Hex-view read latency on a large sample (`bench/hex/run.sh`): a file of SIZE bytes (default
//! 1 GiB, seeded pseudo-random bytes) with its stored report, read through
//! `SampleBytes` as the app's `read_sample_bytes` command does: the first read (which hashes the
//! original file once), later reads at spread offsets, the first read of a later session (trusting
//! what the scan recorded when it hashed the file), and reads of the vault's copy. Prints one
//! JSON object per figure.
//!
//! `cargo run -p fcas-store --example hex_bench -- [SIZE] [DIR] [--vault]`
use std::error::Error;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use fcas_store::file_stamps::HashedFile;
use fcas_store::queue;
use fcas_store::sample_bytes::{ByteSource, SampleBytes, MAX_WINDOW_BYTES};
use fcas_store::writer::Writer;
use fcas_store::{Store, VaultConfig};

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let size: u64 =
        args.first().map(|s| s.parse().map_err(|e| format!("SIZE must be a number of bytes: {e}"))).transpose()?.unwrap_or(1 << 30);
    let dir = args.get(1).map(PathBuf::from).unwrap_or_else(|| std::env::temp_dir().join("fcas-hex-bench"));
    let with_vault = args.iter().any(|a| a == "--vault");
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("large.bin");
    let db = dir.join("cases.sqlite");
    let _ = std::fs::remove_file(&db);
    let _ = std::fs::remove_dir_all(dir.join("cases.sqlite.vault"));

    // Seeded bytes written in 1 MiB blocks: the same file at every run.
    let started = Instant::now();
    let mut rng = fastrand::Rng::with_seed(16);
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file)?);
    let mut block = vec![0u8; 1 << 20];
    let mut left = size;
    while left > 0 {
        rng.fill(&mut block);
        let n = left.min(block.len() as u64) as usize;
        out.write_all(&block[..n])?;
        left -= n as u64;
    }
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    let sha256 = fcas_engine::OpenedFile::open(&file, u64::MAX).map_err(|e| format!("{e:?}"))?.sha256().map_err(|e| format!("{e:?}"))?;
    eprintln!("wrote and hashed {size} bytes in {:.1} s", started.elapsed().as_secs_f64());

    // The stored report of the file: what the hex view needs is its path, size and SHA-256.
    let mut report = fcas_report::Report { path: file.display().to_string(), size, ..Default::default() };
    report.hashes.sha256 = sha256.clone();
    let mut store = Store::open(&db)?;
    store.insert_report(&report)?;
    let reader = SampleBytes::new();
    let offsets: Vec<u64> = (0..50u64).map(|i| (size / 50) * i + (i * 4099) % 4096).collect();

    let timed_with = |reader: &SampleBytes, store: &Store, vault: Option<&fcas_store::Vault>, offset: u64| {
        let started = Instant::now();
        let located = reader.locate(store, &sha256).map_err(|e| format!("{e:?}"))?.map_err(|e| format!("{e:?}"))?;
        let window = reader.read(&located, vault, offset, MAX_WINDOW_BYTES).map_err(|e| format!("{e:?}"))?;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        if window.offset != offset {
            return Err(format!("asked for offset {offset}, read {}", window.offset));
        }
        let source = match window.source {
            ByteSource::Vault => "vault",
            ByteSource::Original { .. } => "original",
        };
        Ok::<_, String>((ms, source))
    };
    let timed = |store: &Store, vault: Option<&fcas_store::Vault>, offset: u64| timed_with(&reader, store, vault, offset);
    let report_figure = |figure: &str, times: &mut Vec<f64>, source: &str| {
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        println!(
            "{{\"figure\":\"{figure}\",\"source\":\"{source}\",\"size\":{size},\"runs\":{},\"median_ms\":{median:.3},\"max_ms\":{:.3}}}",
            times.len(),
            times[times.len() - 1]
        );
    };

    let (first, source) = timed(&store, None, size / 2)?;
    report_figure("first read, original file not yet verified (hashes it)", &mut vec![first], source);
    let mut later: Vec<f64> = offsets.iter().map(|&o| timed(&store, None, o).map(|t| t.0)).collect::<Result<_, _>>()?;
    report_figure("later reads, original file verified, 64 KiB at spread offsets", &mut later, "original");

    // A later session (a new reader) opening a file a scan hashed: the scan recorded the file's
    // size and modification time with its SHA-256 in the store, as `fcas scan --db` and the app do.
    let modified = std::fs::metadata(&file)?.modified()?;
    let spec = queue::BatchSpec { engine_version: "hex-bench".into(), models_version: String::new(), rescan: false };
    let batch = queue::enqueue(&mut store, &spec, std::slice::from_ref(&file), &[])?;
    let job = queue::pending_jobs(&store, batch)?.into_iter().next().ok_or("the job was not queued")?;
    let writer = Writer::spawn(&db)?;
    writer.handle().claim_hashed_job(job.id, HashedFile { path: file.clone(), size, modified, sha256: sha256.clone() })?;
    writer.finish()?;
    let mut next_session: Vec<f64> =
        (0..5).map(|_| timed_with(&SampleBytes::new(), &store, None, size / 2).map(|t| t.0)).collect::<Result<_, _>>()?;
    report_figure("first read in a later session, original file a scan hashed", &mut next_session, "original");

    if with_vault {
        let bytes = std::fs::read(&file)?;
        let vault = store.vault(VaultConfig::default())?;
        let started = Instant::now();
        store.vault_put(&vault, &bytes)?;
        eprintln!("kept in the vault in {:.1} s", started.elapsed().as_secs_f64());
        drop(bytes);
        std::fs::remove_file(&file)?; // the original gone: the vault is the only source
        for (figure, offset) in
            [("vault read at offset 0", 0), ("vault read at the middle", size / 2), ("vault read at the end", size - 16)]
        {
            let mut times: Vec<f64> = (0..3).map(|_| timed(&store, Some(&vault), offset).map(|t| t.0)).collect::<Result<_, _>>()?;
            report_figure(figure, &mut times, "vault");
        }
    }
    let _ = std::fs::remove_file(&file);
    Ok(())
}
