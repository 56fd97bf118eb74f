//! Whole-file digests against the corpus references (md5sum & co., libfuzzy, py-tlsh, EMBER v2)
//! and against reference outputs for synthetic edge cases (`tests/data/*.json`, made by
//! `scripts/make_ssdeep_compare_refs.py`).
use std::path::{Path, PathBuf};

use fcas_engine::entropy;
use fcas_engine::hashes::{content_digest, ssdeep, tlsh};
use fcas_engine::Limits;
use serde_json::Value;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus")
}

fn data_file(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name);
    serde_json::from_slice(&std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

fn reference_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            reference_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") && path.file_name().is_some_and(|n| n != "TOOLS.json") {
            out.push(path);
        }
    }
}

#[test]
fn every_corpus_file_matches_its_references() {
    let mut refs = Vec::new();
    reference_files(&corpus().join("refs"), &mut refs);
    refs.sort();
    assert!(refs.len() >= 100, "corpus references missing: {}", refs.len());
    let limits = Limits::default();
    let mut failures = Vec::new();
    let mut ember_checked = 0;
    for ref_path in &refs {
        let r: Value = serde_json::from_slice(&std::fs::read(ref_path).unwrap()).unwrap();
        let rel = r["path"].as_str().unwrap();
        let bytes = std::fs::read(corpus().join(rel)).unwrap();
        let d = content_digest(&bytes, &limits);
        let mut check = |what: &str, ok: bool, detail: String| {
            if !ok {
                failures.push(format!("{rel}: {what}: {detail}"));
            }
        };
        check("size", r["size"].as_u64() == Some(bytes.len() as u64), format!("{}", r["size"]));
        for (name, ours) in [("md5", &d.hashes.md5), ("sha1", &d.hashes.sha1), ("sha256", &d.hashes.sha256), ("sha512", &d.hashes.sha512)] {
            check(name, r[name].as_str() == Some(ours.as_str()), format!("{ours} vs {}", r[name]));
        }
        let ssdeep_ref = r["ssdeep"].as_str();
        check("ssdeep", d.hashes.ssdeep.as_deref() == ssdeep_ref, format!("{:?} vs {:?}", d.hashes.ssdeep, ssdeep_ref));
        let tlsh_ref = r["tlsh"].as_str().filter(|&t| t != "TNULL");
        check("tlsh", d.hashes.tlsh.as_deref() == tlsh_ref, format!("{:?} vs {:?}", d.hashes.tlsh, tlsh_ref));
        let entropy_ref = r["entropy"].as_f64().unwrap();
        check("entropy", (d.entropy - entropy_ref).abs() < 1e-9, format!("{} vs {entropy_ref}", d.entropy));
        check("histogram", d.byte_histogram.iter().sum::<u64>() == bytes.len() as u64, String::new());

        let ember = &r["ember_v2"];
        if ember["ok"].as_bool() == Some(true) {
            ember_checked += 1;
            let raw: Vec<u64> = ember["raw"]["byteentropy"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
            check("byteentropy raw", d.byte_entropy_counts == raw, first_difference(&d.byte_entropy_counts, &raw));
            let vector: Vec<f32> = ember["vector"].as_array().unwrap()[256..512].iter().map(|v| v.as_f64().unwrap() as f32).collect();
            check("byteentropy vector", d.byte_entropy_histogram == vector, first_difference(&d.byte_entropy_histogram, &vector));
            check("byteentropy slice api", entropy::byte_entropy_histogram(&bytes) == vector, String::new());
        }
    }
    assert!(ember_checked >= 50, "EMBER references missing: {ember_checked}");
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

fn first_difference<T: PartialEq + std::fmt::Debug>(ours: &[T], theirs: &[T]) -> String {
    if ours.len() != theirs.len() {
        return format!("length {} vs {}", ours.len(), theirs.len());
    }
    match ours.iter().zip(theirs).position(|(a, b)| a != b) {
        Some(i) => format!("at {i}: {:?} vs {:?}", ours[i], theirs[i]),
        None => String::new(),
    }
}
