//! Measures model inference over the corpus; `bench/models.sh` runs it (release build) beside the
//! Python reference. Prints one JSON object per measurement.
//!
//! Usage: bench_models CORPUS_DIR [REPEAT]
use std::path::{Path, PathBuf};
use std::time::Instant;

use fcas_models::{Predictor, PredictorConfig};

fn main() {
    let mut args = std::env::args().skip(1);
    let corpus = PathBuf::from(args.next().unwrap_or_else(|| "tests/fixtures/corpus".into()));
    let repeat: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5).max(1);
    let predictor = Predictor::new(&PredictorConfig::discover(None));
    if let Err(e) = predictor.runtime() {
        eprintln!("bench_models: {e}");
        std::process::exit(1);
    }
    let started = Instant::now();
    predictor.warm_up();
    report("session_load_all_models", &[started.elapsed().as_secs_f64() * 1e3], 0);

    let pe_files: Vec<PathBuf> =
        files_under(&corpus.join("files")).into_iter().filter(|p| std::fs::read(p).is_ok_and(|b| b.starts_with(b"MZ"))).collect();
    let per_file: Vec<f64> = pe_files
        .iter()
        .map(|path| {
            let bytes = std::fs::read(path).unwrap_or_default();
            median((0..repeat).map(|_| time(|| predictor.score_bytes("malconv-ember", &bytes).map(|_| ()))).collect())
        })
        .collect();
    report("malconv_rust_ms_per_pe_file", &per_file, repeat);

    let vectors: Vec<(PathBuf, Vec<f32>)> = files_under(&corpus.join("refs"))
        .into_iter()
        .filter_map(|path| {
            let value: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
            let vector = value.pointer("/ember_v2/vector")?.as_array()?;
            Some((path, vector.iter().map(|v| v.as_f64().unwrap_or(f64::NAN) as f32).collect()))
        })
        .collect();
    let per_vector: Vec<f64> = vectors
        .iter()
        .map(|(_, v)| median((0..repeat).map(|_| time(|| predictor.score_vector("ember2018-lgbm", v).map(|_| ()))).collect()))
        .collect();
    report("ember_rust_inference_ms_on_reference_vectors", &per_vector, repeat);

    let extractable: Vec<Vec<u8>> = pe_files
        .iter()
        .filter_map(|path| std::fs::read(path).ok())
        .filter(|bytes| fcas_engine::features::ember_v2::vector(bytes).is_ok())
        .collect();
    let extraction_only: Vec<f64> = extractable
        .iter()
        .map(|bytes| median((0..repeat).map(|_| time(|| fcas_engine::features::ember_v2::vector(bytes).map(|_| ()))).collect()))
        .collect();
    report("ember_rust_extraction_ms_per_pe_file", &extraction_only, repeat);

    let extraction: Vec<f64> = extractable
        .iter()
        .map(|bytes| {
            median(
                (0..repeat)
                    .map(|_| {
                        time(|| {
                            let v = fcas_engine::features::ember_v2::vector(bytes)?;
                            predictor.score_vector("ember2018-lgbm", &v).map(|_| ())
                        })
                    })
                    .collect(),
            )
        })
        .collect();
    report("ember_rust_extraction_plus_inference_ms_per_pe_file", &extraction, repeat);
}

fn time(f: impl FnOnce() -> Result<(), String>) -> f64 {
    let started = Instant::now();
    if let Err(e) = f() {
        eprintln!("bench_models: {e}");
    }
    started.elapsed().as_secs_f64() * 1e3
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn report(name: &str, values: &[f64], repeat: usize) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let at = |q: f64| sorted.get(((sorted.len() as f64 - 1.0) * q).round() as usize).copied();
    let line = serde_json::json!({
        "measure": name, "impl": "rust", "n": values.len(), "repeat": repeat,
        "median_ms": at(0.5), "p90_ms": at(0.9), "max_ms": at(1.0),
    });
    println!("{line}");
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}
