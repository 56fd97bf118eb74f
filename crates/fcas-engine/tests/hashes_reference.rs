//! Whole-file digests against the corpus references (md5sum & co., libfuzzy, py-tlsh, EMBER v2)
//! and against reference outputs for synthetic edge cases (`tests/data/*.json`, made by
//! `scripts/make_ssdeep_compare_refs.py`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
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

/// The generator's pseudo-random stream: xorshift32, top byte of each state.
fn xorshift(seed: u32, n: usize) -> Vec<u8> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}

/// Rebuilds a synthetic input from its recipe (see the generating script).
fn build(recipe: &Value) -> Vec<u8> {
    let mut data = Vec::new();
    for part in recipe.as_array().unwrap() {
        let n = part[2].as_u64().unwrap() as usize;
        match part[0].as_str().unwrap() {
            "random" => data.extend(xorshift(part[1].as_u64().unwrap() as u32, n)),
            "fill" => data.extend(std::iter::repeat_n(part[1].as_u64().unwrap() as u8, n)),
            "repeat" => {
                let hex = part[1].as_str().unwrap();
                let unit: Vec<u8> = (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
                data.extend(unit.iter().cycle().take(n));
            }
            other => panic!("unknown recipe part {other}"),
        }
    }
    data
}

#[test]
fn synthetic_edge_cases_match_libfuzzy_and_py_tlsh() {
    let cases = data_file("fuzzy_synthetic.json");
    let cases = cases["cases"].as_array().unwrap();
    assert!(cases.len() > 60);
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let data = build(&case["recipe"]);
        assert_eq!(data.len() as u64, case["size"].as_u64().unwrap(), "{name}: recipe rebuilt wrongly");
        let expected_ssdeep = case["ssdeep"].as_str();
        let expected_tlsh = case["tlsh"].as_str();
        let one_shot = ssdeep::digest(&data);
        if one_shot.as_deref() != expected_ssdeep {
            failures.push(format!("{name}: ssdeep {one_shot:?} vs {expected_ssdeep:?}"));
        }
        // Fed in odd pieces: chunk boundaries must not matter.
        let mut streaming = ssdeep::Generator::new(data.len() as u64);
        for piece in data.chunks(4099) {
            streaming.update(piece);
        }
        if streaming.digest() != one_shot {
            failures.push(format!("{name}: ssdeep streaming differs"));
        }
        let ours_tlsh = tlsh::digest(&data);
        if ours_tlsh.as_deref() != expected_tlsh {
            failures.push(format!("{name}: tlsh {ours_tlsh:?} vs {expected_tlsh:?}"));
        }
        let digest = content_digest(&data, &Limits::default());
        if digest.hashes.ssdeep != one_shot || digest.hashes.tlsh != ours_tlsh {
            failures.push(format!("{name}: content_digest differs from the single hashers"));
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn ssdeep_compare_matches_libfuzzy() {
    let pairs = data_file("fuzzy_compare.json");
    let pairs = pairs["ssdeep"].as_array().unwrap();
    assert!(pairs.len() > 100);
    let mut scores = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    for pair in pairs {
        let (a, b) = (pair["a"].as_str().unwrap(), pair["b"].as_str().unwrap());
        let expected = pair["score"].as_i64().unwrap();
        let ours = ssdeep::compare(a, b).map_or(-1, i64::from);
        scores.insert(expected);
        if ours != expected {
            failures.push(format!("{}: {a} ~ {b}: {ours} vs {expected}", pair["why"]));
        }
        // Every pair that scores shares a 7-gram at a common block size.
        if expected > 0 && a.split(':').next() == b.split(':').next() {
            let (ga, gb) = (ssdeep::index_grams(a).unwrap(), ssdeep::index_grams(b).unwrap());
            let shared =
                ga.part1.iter().any(|g| gb.part1.binary_search(g).is_ok()) || ga.part2.iter().any(|g| gb.part2.binary_search(g).is_ok());
            if !shared {
                failures.push(format!("{a} ~ {b}: scores {expected} without a shared 7-gram"));
            }
        }
    }
    assert!(scores.len() > 10, "the pairs should cover many scores: {scores:?}");
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn tlsh_distance_matches_py_tlsh() {
    let pairs = data_file("fuzzy_compare.json");
    let pairs = pairs["tlsh"].as_array().unwrap();
    assert!(pairs.len() > 50);
    for pair in pairs {
        let (a, b) = (pair["a"].as_str().unwrap(), pair["b"].as_str().unwrap());
        let expected = pair["distance"].as_u64().unwrap() as u32;
        assert_eq!(tlsh::distance(a, b), Some(expected), "{}", pair["why"]);
        assert_eq!(tlsh::distance(a, a), Some(0));
    }
    assert_eq!(tlsh::distance("T1", "TNULL"), None);
}

#[test]
fn tiny_and_degenerate_inputs_are_total() {
    let limits = Limits::default();
    for data in [&b""[..], b"a", b"ab", &[0u8; 7], &[0xffu8; 100]] {
        let d = content_digest(data, &limits);
        assert_eq!(d.byte_histogram.len(), 256);
        assert_eq!(d.byte_entropy_histogram.len(), 256);
        assert_eq!(d.byte_entropy_counts.len(), 256);
        assert!(d.hashes.ssdeep.is_some());
        assert!(d.entropy_profile.len() <= 1);
    }
    let empty = content_digest(b"", &limits);
    assert_eq!(empty.hashes.md5, "d41d8cd98f00b204e9800998ecf8427e");
    assert_eq!(empty.hashes.ssdeep.as_deref(), Some("3::"));
    assert_eq!(empty.hashes.tlsh, None);
    assert_eq!(empty.entropy, 0.0);
}
