//! Case-store benchmark: builds a store of N reports (default 100,000) from the corpus (engine
//! reports of the corpus files, with the reference hashes, varied per copy), measuring the
//! insert rate through the single writer, then times the queries and reports the size.
//!
//! Run from the repository root: `bench/store/run.sh [N]` (release build). With a third argument
//! `--reuse`, only the queries are timed, on the store an earlier run left at the path given.
// The tests' helpers, which state their expectations with expect.
#[allow(clippy::expect_used)]
#[path = "../tests/common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fcas_report::{FoundString, Ioc, Prediction, Report, Verdict};
use fcas_store::query::{HistoryFilter, HistorySort, ImportSpec};
use fcas_store::similarity::{similar, EngineMetric};
use fcas_store::writer::{Writer, WriterConfig};
use fcas_store::Store;
use sha2::{Digest, Sha256};

/// The allocator of the `fcas` binary, whose `scan --db` this stands for.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const WORDS: usize = 20_000;
/// The dictionary the store compresses bodies with (`src/dictionary.rs`).
const DICTIONARY: &[u8] = include_bytes!("../dictionaries/reports-1.zdict");
/// History rows the app asks for at once.
const APP_PAGE: u32 = 1000;
const EXTRA_STRINGS: usize = 100;
const HEX: &[u8] = b"0123456789ABCDEF";
const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

use fcas_report::hex;

/// The engine's report of each corpus file (its own hashes checked against the reference's).
fn templates() -> Vec<Report> {
    let options = fcas_engine::Options::default();
    common::reference_files()
        .iter()
        .filter_map(|path| {
            let reference = common::load_reference(path);
            let file = common::corpus().join(reference["path"].as_str()?);
            let report = fcas_engine::analyze_path(&file, &options);
            Some(report).filter(|r| r.hashes.sha256 == reference["sha256"].as_str().unwrap_or_default())
        })
        .collect()
}

fn vary(template: &Report, i: u64, rng: &mut fastrand::Rng) -> Report {
    let mut report = template.clone();
    let digest = Sha256::digest(format!("{i}:{}", template.hashes.sha256));
    report.hashes.sha256 = hex(&digest);
    report.hashes.md5 = hex(&digest[..16]);
    report.hashes.sha1 = hex(&digest[..20]);
    report.hashes.sha512 = format!("{}{}", hex(&digest), hex(&digest));
    if let Some(tlsh) = &mut report.hashes.tlsh {
        let mut bytes = tlsh.clone().into_bytes();
        for _ in 0..rng.usize(1..12) {
            let at = rng.usize(8..bytes.len());
            bytes[at] = HEX[rng.usize(..16)];
        }
        *tlsh = String::from_utf8(bytes).unwrap_or_default();
    }
    if let Some(ssdeep) = &mut report.hashes.ssdeep {
        let mut bytes = ssdeep.clone().into_bytes();
        let start = bytes.iter().position(|&b| b == b':').map_or(0, |p| p + 1);
        for _ in 0..rng.usize(1..4) {
            let at = rng.usize(start..bytes.len());
            if bytes[at] != b':' {
                bytes[at] = B64[rng.usize(..64)];
            }
        }
        *ssdeep = String::from_utf8(bytes).unwrap_or_default();
    }
    // Strings unique to this copy (on top of the file's own), so that the full-text index sees
    // varied documents and the queries below have words of known frequency to look for.
    report.strings.items.extend((0..EXTRA_STRINGS).map(|k| FoundString {
        offset: k as u64 * 16,
        encoding: "ascii".into(),
        value: format!("w{} w{} w{}", rng.usize(..WORDS), rng.usize(..WORDS), rng.usize(..WORDS)),
    }));
    report.strings.iocs.extend((0..4).map(|k| Ioc {
        kind: "domain".into(),
        value: format!("host{}.example{}.net", rng.usize(..50_000), k),
        offset: k * 100,
        ..Ioc::default()
    }));
    let score = rng.f64();
    let label = if score > 0.8 {
        "malicious"
    } else if score > 0.5 {
        "suspicious"
    } else {
        "benign"
    };
    report.predictions = vec![Prediction {
        model: "bench-model".into(),
        version: "1".into(),
        score: Some(score),
        label: label.into(),
        applicable: true,
        ..Prediction::default()
    }];
    report.verdict = Some(Verdict { label: label.into(), score: Some(score), ..Verdict::default() });
    report.path = format!("/cases/{i}/{}", template.path.rsplit('/').next().unwrap_or("sample"));
    report
}

struct Timing {
    name: String,
    samples: Vec<Duration>,
    rows: usize,
}

fn time(name: &str, runs: usize, mut work: impl FnMut(usize) -> usize) -> Timing {
    let mut samples = Vec::with_capacity(runs);
    let mut rows = 0;
    for run in 0..runs {
        let started = Instant::now();
        rows = work(run);
        samples.push(started.elapsed());
    }
    samples.sort();
    Timing { name: name.into(), samples, rows }
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1e3)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let count: u64 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(100_000);
    let db: PathBuf = args.next().map(PathBuf::from).unwrap_or_else(|| std::env::temp_dir().join("fcas-store-bench.sqlite"));
    // `--reuse`: time the queries on the store a previous run built (nothing is inserted).
    let reuse = args.next().as_deref() == Some("--reuse");
    if !reuse {
        for suffix in ["", "-wal", "-shm", "-text", "-text-wal", "-text-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
    }

    let started = Instant::now();
    let templates = std::sync::Arc::new(templates());
    let strings: usize = templates.iter().map(|t| t.strings.items.len()).sum();
    println!(
        "templates: {} corpus reports (engine {}) in {:.1}s, {} strings each on average",
        templates.len(),
        fcas_engine::ENGINE_VERSION,
        started.elapsed().as_secs_f64(),
        strings / templates.len().max(1)
    );

    let now = fcas_store::unix_now();
    if !reuse {
        // Inserts: one producer thread varying and encoding reports, the store's single writer
        // committing them. CPU time is measured too: the machine may be shared.
        // The peak printed after inserting is that of the insert phase: analysing the corpus built
        // and dropped reports (Linux: writing 5 to clear_refs resets VmHWM).
        println!("memory before inserting: {:.0} MB resident, peak so far {:.0} MB", status_mb("VmRSS:"), peak_resident_mb());
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        let config = writer_config()?;
        println!("writer: {config:?}");
        fts_settings(&db)?;
        let writer = Writer::start_with(Store::open(&db)?, config)?;
        let handle = writer.handle();
        let insert_started = Instant::now();
        let cpu_before = process_cpu_seconds();
        let (read_before, written_before, stored_before) = process_io_bytes();
        let producer = std::thread::spawn({
            let templates = std::sync::Arc::clone(&templates);
            move || {
                let mut rng = fastrand::Rng::with_seed(42);
                for i in 0..count {
                    let report = vary(&templates[(i as usize) % templates.len()], i, &mut rng);
                    let analysed_at = now - rng.i64(0..365 * 86_400);
                    if handle.insert_at(report, analysed_at).is_err() {
                        break;
                    }
                }
            }
        });
        producer.join().map_err(|_| "producer panicked")?;
        writer.handle().flush()?;
        let writer_cpu = thread_cpu_seconds("fcas-store-writ");
        let text_cpu = thread_cpu_seconds("fcas-store-text");
        let (writer_run, writer_waiting) = thread_schedstat_seconds("fcas-store-writ");
        let stats = writer.finish()?;
        let insert_time = insert_started.elapsed();
        println!(
            "writer thread: {:.1}s on a CPU, {:.1}s ready but waiting for a CPU (other load), {:.1}s blocked or idle, of {:.1}s",
            writer_run,
            writer_waiting,
            (insert_time.as_secs_f64() - writer_run - writer_waiting).max(0.0),
            insert_time.as_secs_f64()
        );
        let cpu = process_cpu_seconds() - cpu_before;
        let (read_after, written_after, stored_after) = process_io_bytes();
        println!(
        "io: {:.1} kB written and {:.1} kB read per report (database, WAL and checkpoints, through the OS); {:.1} kB per report sent to the disk (write_bytes)",
        (written_after - written_before) as f64 / 1e3 / count.max(1) as f64,
        (read_after - read_before) as f64 / 1e3 / count.max(1) as f64,
        stored_after.saturating_sub(stored_before) as f64 / 1e3 / count.max(1) as f64
    );
        println!(
            "writer thread: {:.1} CPU-seconds = {:.0} reports per writer CPU-second (its capacity on a free core)",
            writer_cpu,
            stats.reports_stored as f64 / writer_cpu.max(1e-9)
        );
        println!(
            "full-text index thread: {:.1} CPU-seconds = {:.0} reports per CPU-second",
            text_cpu,
            stats.reports_stored as f64 / text_cpu.max(1e-9)
        );
        println!(
        "insert: {} reports in {:.1}s wall = {:.0} reports/s; {:.1} CPU-seconds (producer + writer) = {:.0} reports per CPU-second ({} transactions, {} failed)",
        stats.reports_stored,
        insert_time.as_secs_f64(),
        stats.reports_stored as f64 / insert_time.as_secs_f64(),
        cpu,
        stats.reports_stored as f64 / cpu.max(1e-9),
        stats.transactions,
        stats.failed
    );
        for failure in &stats.failures {
            println!("failure: {failure}");
        }

        println!("memory: peak resident while inserting {:.0} MB (templates, queued and batched reports, page cache)", peak_resident_mb());
    }
    let mut store = Store::open_existing(&db)?;
    store.connection().execute_batch("PRAGMA main.wal_checkpoint(TRUNCATE); PRAGMA text.wal_checkpoint(TRUNCATE);")?;
    let index = std::fs::metadata(fcas_store::text_index_path(&db))?.len();
    let size = std::fs::metadata(&db)?.len() + index;
    println!(
        "size: {} bytes = {} bytes per report (the full-text index's file: {} bytes = {} per report)",
        size,
        size / count.max(1),
        index,
        index / count.max(1)
    );
    let (bodies, encoding): (f64, String) =
        store.connection().query_row("SELECT avg(length(body)), group_concat(DISTINCT body_encoding) FROM reports", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
    println!("bodies: {bodies:.0} bytes per report as stored ({encoding})");
    if let Ok(mut statement) = store.connection().prepare("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 12") {
        let rows = statement.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?)))?;
        for row in rows {
            let (name, bytes) = row?;
            println!("  {name:<28} {:>8.1} MB", bytes as f64 / 1e6);
        }
    }

    // Tags on 1% of samples, for the tag filter.
    let shas: Vec<String> = {
        let mut statement = store.connection().prepare("SELECT sha256 FROM samples ORDER BY id")?;
        let rows = statement.query_map([], |row| row.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    for sha in shas.iter().step_by(100) {
        store.add_tag(sha, "campaign")?;
    }
    let md5s: Vec<String> = {
        let mut statement = store.connection().prepare("SELECT md5 FROM samples ORDER BY id LIMIT 1000")?;
        let rows = statement.query_map([], |row| row.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    let imphash: String = store.connection().query_row(
        "SELECT imphash FROM samples WHERE imphash IS NOT NULL AND imphash != '' GROUP BY imphash ORDER BY count(*) LIMIT 1",
        [],
        |row| row.get(0),
    )?;
    let indicator: Option<String> = store.connection().query_row("SELECT indicator_id FROM indicators LIMIT 1", [], |row| row.get(0)).ok();

    let runs = 30;
    let pick = |run: usize| &shas[(run * 7919) % shas.len()];
    let mut timings = vec![
        time("history: newest 50", runs, |_| store.history(&HistoryFilter::default()).map(|r| r.len()).unwrap_or(0)),
        time("history: page 100 of 50", runs, |_| {
            store.history(&HistoryFilter { offset: 4950, ..HistoryFilter::default() }).map(|r| r.len()).unwrap_or(0)
        }),
        time("history: verdict=malicious", runs, |_| {
            store.history(&HistoryFilter { verdict: Some("malicious".into()), ..HistoryFilter::default() }).map(|r| r.len()).unwrap_or(0)
        }),
        time("history: format=elf", runs, |_| {
            store.history(&HistoryFilter { format: Some("elf".into()), ..HistoryFilter::default() }).map(|r| r.len()).unwrap_or(0)
        }),
        time("history: tag=campaign", runs, |_| {
            store.history(&HistoryFilter { tag: Some("campaign".into()), ..HistoryFilter::default() }).map(|r| r.len()).unwrap_or(0)
        }),
        time("history: 30-day window", runs, |_| {
            let filter = HistoryFilter { since: Some(now - 60 * 86_400), until: Some(now - 30 * 86_400), ..HistoryFilter::default() };
            store.history(&filter).map(|r| r.len()).unwrap_or(0)
        }),
        time("lookup: full sha256", runs, |run| store.lookup(pick(run), 10).map(|r| r.len()).unwrap_or(0)),
        time("lookup: md5", runs, |run| store.lookup(&md5s[run % md5s.len()], 10).map(|r| r.len()).unwrap_or(0)),
        time("lookup: 8-digit prefix", runs, |run| store.lookup(&pick(run)[..8], 10).map(|r| r.len()).unwrap_or(0)),
        time("imphash (rarest)", runs, |_| store.by_imphash(&imphash, 50).map(|r| r.len()).unwrap_or(0)),
        time("imports: kernel32.dll!GetProcAddress (50)", runs, |_| {
            store
                .by_import(&ImportSpec { dll: Some("kernel32.dll".into()), function: Some("GetProcAddress".into()) }, 50)
                .map(|r| r.len())
                .unwrap_or(0)
        }),
        time("imports: VirtualAllocEx any DLL (50)", runs, |_| {
            store.by_import(&ImportSpec { dll: None, function: Some("VirtualAllocEx".into()) }, 50).map(|r| r.len()).unwrap_or(0)
        }),
        time("search: common word (50)", runs, |run| store.search_text(&format!("w{}", run * 13), false, 50).map(|r| r.len()).unwrap_or(0)),
        time("search: two words (50)", runs, |run| {
            store.search_text(&format!("w{} w{}", run * 13, run * 17 + 1), false, 50).map(|r| r.len()).unwrap_or(0)
        }),
        time("search: IOC domain", runs, |run| {
            store.search_text(&format!("host{}.example1.net", run * 101), true, 50).map(|r| r.len()).unwrap_or(0)
        }),
        time("similar: top-10", runs, |run| {
            similar(store.connection(), pick(run), 10, &EngineMetric).map(|r| r.by_tlsh.len() + r.by_ssdeep.len()).unwrap_or(0)
        }),
        time("stats", 3, |_| store.stats().map(|s| s.samples as usize).unwrap_or(0)),
    ];
    // History as the app asks for it: each sample's latest report, one page, sorted and
    // filtered by the store; then opening one stored sample (its report decoded whole).
    let app_page = |sort, ascending, change: &dyn Fn(&mut HistoryFilter)| {
        let mut filter = HistoryFilter { latest_only: true, sort, ascending, limit: APP_PAGE, ..HistoryFilter::default() };
        change(&mut filter);
        store.history(&filter).map(|r| r.len()).unwrap_or(0)
    };
    for (sort, name) in [
        (HistorySort::Date, "date"),
        (HistorySort::Name, "name"),
        (HistorySort::Verdict, "verdict"),
        (HistorySort::Score, "score"),
        (HistorySort::Size, "size"),
        (HistorySort::Format, "format"),
    ] {
        for ascending in [false, true] {
            let label = format!("app history: sort by {name} {}", if ascending { "ascending" } else { "descending" });
            timings.push(time(&label, runs, |_| app_page(sort, ascending, &|_| {})));
        }
    }
    timings.push(time("app history: verdict=malicious, by size", runs, |_| {
        app_page(HistorySort::Size, false, &|f| f.verdict = Some("malicious".into()))
    }));
    timings.push(time("app history: format=elf, by name", runs, |_| app_page(HistorySort::Name, true, &|f| f.format = Some("elf".into()))));
    timings.push(time("app history: tag=campaign, by score", runs, |_| {
        app_page(HistorySort::Score, false, &|f| f.tag = Some("campaign".into()))
    }));
    timings.push(time("app history: not reviewed, by date", runs, |_| app_page(HistorySort::Date, false, &|f| f.reviewed = Some(false))));
    timings.push(time("app history: lookup by md5", runs, |run| {
        app_page(HistorySort::Date, false, &|f| f.hash = Some(md5s[run % md5s.len()].clone()))
    }));
    timings.push(time("app history: lookup by imphash (rarest)", runs, |_| {
        app_page(HistorySort::Name, true, &|f| f.hash = Some(imphash.clone()))
    }));
    timings
        .push(time("app: open a stored sample", runs, |run| store.stored_sample(pick(run)).map(|s| usize::from(s.is_some())).unwrap_or(0)));
    if let Some(indicator) = indicator {
        timings.push(time(&format!("indicator: {indicator} (50)"), runs, |_| {
            store.by_indicator(&indicator, 50).map(|r| r.len()).unwrap_or(0)
        }));
    }
    println!("\n| query | median ms | p95 ms | max ms | rows |\n|---|---:|---:|---:|---:|");
    for t in &timings {
        let p95 = t.samples[(t.samples.len() * 95 / 100).min(t.samples.len() - 1)];
        println!(
            "| {} | {} | {} | {} | {} |",
            t.name,
            ms(t.samples[t.samples.len() / 2]),
            ms(p95),
            ms(*t.samples.last().unwrap_or(&Duration::ZERO)),
            t.rows
        );
    }
    println!();
    body_figures(&templates)
}

/// Body encoding cost: JSON alone, then zstd at a few levels without and with the store's
/// dictionary (the sending thread's time per report, and the body's size), and where a body's
/// bytes go. Run after the inserts, so that the memory it leaves with the allocator does not
/// count in the insert phase's peak.
fn body_figures(templates: &[Report]) -> Result<(), Box<dyn std::error::Error>> {
    let mut rng = fastrand::Rng::with_seed(7);
    let sample_reports: Vec<Report> = (0..200).map(|i| vary(&templates[i % templates.len()], i as u64, &mut rng)).collect();
    let json_started = Instant::now();
    let jsons: Vec<Vec<u8>> = sample_reports.iter().map(serde_json::to_vec).collect::<Result<_, _>>()?;
    let json_time = json_started.elapsed();
    let json_bytes: usize = jsons.iter().map(Vec::len).sum();
    println!("body: JSON {} B/report in {:.3} ms", json_bytes / 200, json_time.as_secs_f64() * 1e3 / 200.0);
    for (level, dictionary) in [(1, false), (3, false), (1, true), (3, true), (6, true)] {
        let mut compressor =
            if dictionary { zstd::bulk::Compressor::with_dictionary(level, DICTIONARY)? } else { zstd::bulk::Compressor::new(level)? };
        let started = Instant::now();
        let mut bytes = 0;
        for json in &jsons {
            bytes += compressor.compress(json)?.len();
        }
        println!(
            "body: zstd-{level}{} {} B/report in {:.3} ms (ratio {:.1}x)",
            if dictionary { " with the dictionary" } else { "" },
            bytes / 200,
            started.elapsed().as_secs_f64() * 1e3 / 200.0,
            json_bytes as f64 / bytes.max(1) as f64
        );
    }
    body_breakdown(&sample_reports)
}

/// Where a body's bytes go: for each top-level field of the report (and the parts of `strings`),
/// its share of the JSON and how much smaller the zstd-compressed body gets without it (what
/// storing that field costs once compressed with the rest).
fn body_breakdown(reports: &[Report]) -> Result<(), Box<dyn std::error::Error>> {
    use std::collections::BTreeMap;
    let compressed = |value: &serde_json::Value| -> Result<usize, Box<dyn std::error::Error>> {
        Ok(zstd::bulk::compress(&serde_json::to_vec(value)?, 1)?.len())
    };
    let (mut json_total, mut zstd_total) = (0usize, 0usize);
    let mut fields: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for report in reports {
        let value = serde_json::to_value(report)?;
        let full = compressed(&value)?;
        json_total += serde_json::to_vec(&value)?.len();
        zstd_total += full;
        let Some(object) = value.as_object() else { continue };
        let mut parts: Vec<(String, serde_json::Value)> = Vec::new();
        for key in object.keys() {
            let mut without = value.clone();
            if let Some(o) = without.as_object_mut() {
                o.remove(key);
            }
            parts.push((key.clone(), without));
        }
        if let Some(strings) = object.get("strings").and_then(|s| s.as_object()) {
            for key in strings.keys() {
                let mut without = value.clone();
                if let Some(o) = without.get_mut("strings").and_then(|s| s.as_object_mut()) {
                    o.remove(key);
                }
                parts.push((format!("strings.{key}"), without));
            }
        }
        let json_len = serde_json::to_vec(&value)?.len();
        for (name, without) in parts {
            let entry = fields.entry(name).or_default();
            entry.0 += json_len - serde_json::to_vec(&without)?.len();
            entry.1 += full.saturating_sub(compressed(&without)?);
        }
    }
    let n = reports.len().max(1);
    println!("\nbody breakdown over {n} reports: JSON {} B, zstd-1 {} B per report", json_total / n, zstd_total / n);
    println!("| field | JSON B/report | JSON share | zstd B/report saved without it | zstd share |\n|---|---:|---:|---:|---:|");
    let mut rows: Vec<_> = fields.into_iter().collect();
    rows.sort_by_key(|row| std::cmp::Reverse(row.1 .1));
    for (name, (json, zstd)) in rows.into_iter().filter(|(_, (j, _))| *j * 1000 >= json_total) {
        println!(
            "| {name} | {} | {:.1}% | {} | {:.1}% |",
            json / n,
            json as f64 * 100.0 / json_total.max(1) as f64,
            zstd / n,
            zstd as f64 * 100.0 / zstd_total.max(1) as f64
        );
    }
    Ok(())
}

/// The writer's settings: the defaults, each replaced by its environment variable when set
/// (`FCAS_BENCH_MAX_MESSAGES`, `FCAS_BENCH_TRANSACTION_MS`, `FCAS_BENCH_CHANNEL`, `FCAS_BENCH_CACHE_MB`,
/// `FCAS_BENCH_CHECKPOINT_MB`),
/// so settings can be compared without rebuilding.
fn writer_config() -> Result<WriterConfig, Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).ok().map(|v| v.parse::<u64>()).transpose();
    let mut config = WriterConfig::default();
    if let Some(n) = var("FCAS_BENCH_MAX_MESSAGES")? {
        config.max_messages_per_transaction = n as usize;
    }
    if let Some(ms) = var("FCAS_BENCH_TRANSACTION_MS")? {
        config.max_transaction_time = std::time::Duration::from_millis(ms);
    }
    if let Some(n) = var("FCAS_BENCH_CHANNEL")? {
        config.channel_capacity = n as usize;
    }
    if let Some(mb) = var("FCAS_BENCH_CACHE_MB")? {
        config.page_cache_bytes = mb << 20;
    }
    if let Some(mb) = var("FCAS_BENCH_CHECKPOINT_MB")? {
        config.checkpoint_wal_bytes = mb << 20;
    }
    Ok(config)
}

/// The full-text index's settings, when their environment variables are set: FTS5's `hashsize`
/// in MB (`FCAS_BENCH_FTS_HASH_MB`, what its pending terms may take before they are written out
/// as a segment) and `automerge` (`FCAS_BENCH_FTS_AUTOMERGE`).
fn fts_settings(db: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    drop(Store::open(db)?);
    let conn = rusqlite::Connection::open(fcas_store::text_index_path(db))?;
    if let Some(mb) = std::env::var("FCAS_BENCH_FTS_HASH_MB").ok().map(|v| v.parse::<i64>()).transpose()? {
        conn.execute("INSERT INTO report_text (report_text, rank) VALUES ('hashsize', ?1)", [mb << 20])?;
        println!("full-text index: hashsize {mb} MB");
    }
    if let Some(n) = std::env::var("FCAS_BENCH_FTS_AUTOMERGE").ok().map(|v| v.parse::<i64>()).transpose()? {
        conn.execute("INSERT INTO report_text (report_text, rank) VALUES ('automerge', ?1)", [n])?;
        println!("full-text index: automerge {n}");
    }
    Ok(())
}

/// User + system CPU time of this process so far (Linux `/proc/self/stat`; 0 elsewhere).
fn process_cpu_seconds() -> f64 {
    cpu_seconds_in(&std::fs::read_to_string("/proc/self/stat").unwrap_or_default())
}

/// Bytes this process has read and written through system calls so far, and the bytes it caused
/// to be sent to the disk (Linux `/proc/self/io`: `rchar`, `wchar`, `write_bytes`; zeros
/// elsewhere). Unlike time, these do not depend on other load on the machine.
fn process_io_bytes() -> (u64, u64, u64) {
    let io = std::fs::read_to_string("/proc/self/io").unwrap_or_default();
    let field = |name: &str| io.lines().find_map(|line| line.strip_prefix(name)).and_then(|v| v.trim().parse().ok()).unwrap_or(0);
    (field("rchar:"), field("wchar:"), field("write_bytes:"))
}

/// CPU time of this process's thread named `name` (Linux; 0 when not found).
fn thread_cpu_seconds(name: &str) -> f64 {
    cpu_seconds_in(&thread_file(name, "stat").unwrap_or_default())
}

/// Time on a CPU and time runnable but waiting for one, of this process's thread named `name`
/// (Linux `schedstat`; zeros when not found).
fn thread_schedstat_seconds(name: &str) -> (f64, f64) {
    let schedstat = thread_file(name, "schedstat").unwrap_or_default();
    let nanos: Vec<f64> = schedstat.split_whitespace().filter_map(|f| f.parse().ok()).collect();
    let seconds = |i: usize| nanos.get(i).copied().unwrap_or(0.0) / 1e9;
    (seconds(0), seconds(1))
}

/// The `/proc` file `file` of this process's thread named `name`.
fn thread_file(name: &str, file: &str) -> Option<String> {
    let tasks = std::fs::read_dir("/proc/self/task").ok()?;
    for task in tasks.flatten() {
        let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        if comm.trim() == name {
            return std::fs::read_to_string(task.path().join(file)).ok();
        }
    }
    None
}

/// Peak resident memory of this process in MB (Linux `VmHWM`; 0 elsewhere).
fn peak_resident_mb() -> f64 {
    status_mb("VmHWM:")
}

/// A memory figure of `/proc/self/status` in MB (0 elsewhere).
fn status_mb(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 =
        status.lines().find_map(|l| l.strip_prefix(field)).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok()).unwrap_or(0.0);
    kb / 1e3
}

fn cpu_seconds_in(stat: &str) -> f64 {
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    let after = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}
