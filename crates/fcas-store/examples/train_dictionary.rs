//! Trains the zstd dictionary report bodies are compressed with, on the engine's reports of the
//! test corpus (every file with a reference JSON), and writes it to the path given (the store's
//! `dictionaries/reports-N.zdict`). It also measures the dictionary on reports it was not
//! trained on: trained on half the corpus, applied to the other half.
//!
//! Run from the repository root: `scripts/train-store-dictionary.sh`.
#[allow(clippy::expect_used)]
#[path = "../tests/common/mod.rs"]
mod common;

use std::path::PathBuf;

/// zstd's default dictionary size.
const DICTIONARY_BYTES: usize = 112_640;
/// Training works on many small samples: each report's JSON is cut in pieces of this size.
const PIECE_BYTES: usize = 16 * 1024;
/// The store's level (`src/dictionary.rs`).
const LEVEL: i32 = 1;

fn report_jsons() -> Result<Vec<Vec<u8>>, Box<dyn std::error::Error>> {
    let options = fcas_engine::Options::default();
    let mut jsons = Vec::new();
    for path in common::reference_files() {
        let reference = common::load_reference(&path);
        let Some(relative) = reference["path"].as_str() else { continue };
        let report = fcas_engine::analyze_path(&common::corpus().join(relative), &options);
        jsons.push(serde_json::to_vec(&report)?);
    }
    Ok(jsons)
}

fn train(jsons: &[&Vec<u8>]) -> std::io::Result<Vec<u8>> {
    let pieces: Vec<&[u8]> = jsons.iter().flat_map(|json| json.chunks(PIECE_BYTES)).collect();
    zstd::dict::from_samples(&pieces, DICTIONARY_BYTES)
}

fn compressed_size(jsons: &[&Vec<u8>], dictionary: Option<&[u8]>) -> std::io::Result<usize> {
    let mut compressor = match dictionary {
        Some(dictionary) => zstd::bulk::Compressor::with_dictionary(LEVEL, dictionary)?,
        None => zstd::bulk::Compressor::new(LEVEL)?,
    };
    let mut total = 0;
    for json in jsons {
        total += compressor.compress(json)?.len();
    }
    Ok(total)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let output: PathBuf = std::env::args().nth(1).ok_or("usage: train_dictionary OUTPUT.zdict")?.into();
    let jsons = report_jsons()?;
    let all: Vec<&Vec<u8>> = jsons.iter().collect();
    let (even, odd): (Vec<_>, Vec<_>) = all.iter().enumerate().partition(|(i, _)| i % 2 == 0);
    let even: Vec<&Vec<u8>> = even.into_iter().map(|(_, j)| *j).collect();
    let odd: Vec<&Vec<u8>> = odd.into_iter().map(|(_, j)| *j).collect();
    let half = train(&even)?;
    let json_bytes: usize = odd.iter().map(|j| j.len()).sum();
    let plain = compressed_size(&odd, None)?;
    let with_half = compressed_size(&odd, Some(&half))?;
    println!(
        "held out ({} reports, {} B of JSON each): zstd-{LEVEL} {} B, with a dictionary trained on the other {} reports {} B ({:.0}% smaller)",
        odd.len(),
        json_bytes / odd.len().max(1),
        plain / odd.len().max(1),
        even.len(),
        with_half / odd.len().max(1),
        100.0 - with_half as f64 * 100.0 / plain.max(1) as f64
    );
    let dictionary = train(&all)?;
    std::fs::write(&output, &dictionary)?;
    println!("trained on {} reports: {} bytes written to {}", all.len(), dictionary.len(), output.display());
    Ok(())
}
