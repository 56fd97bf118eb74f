//! The EMBER v2 feature extractor against the reference extractor's outputs in the corpus refs.
//!
//! Two halves, tested apart: (1) vectorising the REFERENCE raw features must reproduce the
//! reference vector (pure arithmetic: every value); (2) our raw features from the bytes, and the
//! vector made from them, against the reference (LIEF-dependent: the goal is at least 99% of
//! values equal on at least 95% of the PE files). The per-group mismatch table printed here is
//! what docs/MODELS.md reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use std::collections::BTreeMap;

use fcas_engine::features::ember_v2::{self, RawFeatures, DIM};
use serde_json::Value;

/// (name, start, length) of each EMBER v2 group in the vector.
const GROUPS: [(&str, usize, usize); 9] = [
    ("histogram", 0, 256),
    ("byteentropy", 256, 256),
    ("strings", 512, 104),
    ("general", 616, 10),
    ("header", 626, 62),
    ("section", 688, 255),
    ("imports", 943, 1280),
    ("exports", 2223, 128),
    ("datadirectories", 2351, 30),
];

fn equal(a: f32, b: f32) -> bool {
    a == b || ((a - b).abs() as f64) <= 1e-5 * (a.abs().max(b.abs()) as f64)
}

struct Reference {
    name: String,
    bytes: Vec<u8>,
    raw: RawFeatures,
    vector: Vec<f32>,
}

fn references() -> Vec<Reference> {
    let corpus = common::corpus();
    let mut out = Vec::new();
    for file in common::corpus_files() {
        let relative = file.strip_prefix(corpus.join("files")).unwrap();
        let ref_path = corpus.join("refs").join(format!("{}.json", relative.display()));
        let Ok(text) = std::fs::read_to_string(&ref_path) else { continue };
        let json: Value = serde_json::from_str(&text).unwrap();
        let ember = &json["ember_v2"];
        if ember["ok"] != Value::Bool(true) {
            continue;
        }
        let raw: RawFeatures = serde_json::from_value(ember["raw"].clone()).expect("reference raw features deserialise");
        let vector: Vec<f32> = serde_json::from_value(ember["vector"].clone()).unwrap();
        assert_eq!(vector.len(), DIM);
        out.push(Reference { name: relative.display().to_string(), bytes: std::fs::read(&file).unwrap(), raw, vector });
    }
    assert!(out.len() >= 60, "expected the PE references, found {}", out.len());
    out
}

fn mismatches(ours: &[f32], theirs: &[f32]) -> BTreeMap<&'static str, usize> {
    let mut by_group = BTreeMap::new();
    for (name, start, len) in GROUPS {
        let n = (start..start + len).filter(|&i| !equal(ours[i], theirs[i])).count();
        by_group.insert(name, n);
    }
    by_group
}

#[test]
fn vectorising_reference_raw_features_gives_the_reference_vector() {
    for r in references() {
        let ours = ember_v2::vectorize(&r.raw);
        assert_eq!(ours.len(), DIM);
        let bad = mismatches(&ours, &r.vector);
        let total: usize = bad.values().sum();
        let diffs: Vec<_> = (0..DIM).filter(|&i| !equal(ours[i], r.vector[i])).map(|i| (i, ours[i], r.vector[i])).take(12).collect();
        assert_eq!(total, 0, "{}: values differ per group: {bad:?}; first (index, ours, reference): {diffs:?}", r.name);
    }
}

#[test]
fn our_vector_matches_the_reference_extractor() {
    let refs = references();
    let mut group_totals: BTreeMap<&str, usize> = BTreeMap::new();
    let mut files_ok = 0;
    for r in &refs {
        let ours = ember_v2::vector(&r.bytes).unwrap();
        let bad = mismatches(&ours, &r.vector);
        for (group, n) in &bad {
            *group_totals.entry(group).or_default() += n;
        }
        let total: usize = bad.values().sum();
        if total * 100 <= DIM {
            files_ok += 1;
        }
        if total > 0 {
            println!("{:<70} {total:>5} values differ {bad:?}", r.name);
        }
    }
    println!("ember v2: {files_ok} of {} PE files have >= 99% of values equal", refs.len());
    println!("mismatched values per group over all files: {group_totals:?}");
    assert!(files_ok * 100 >= refs.len() * 95, "only {files_ok} of {} files reach 99% equal values", refs.len());
    // The per-group budget docs/MODELS.md documents, with a cause for each group's share.
    for (group, total) in &group_totals {
        let budget = DOCUMENTED_GROUP_BUDGET.iter().find(|(name, _)| name == group).map_or(0, |(_, budget)| *budget);
        assert!(*total <= budget, "group {group}: {total} mismatched values, over the documented {budget}: {group_totals:?}");
    }
}

/// Mismatched values summed over the corpus, by group, as docs/MODELS.md states them; every
/// group not listed must match exactly.
const DOCUMENTED_GROUP_BUDGET: &[(&str, usize)] =
    &[("general", 14), ("header", 36), ("section", 174), ("imports", 362), ("exports", 1), ("datadirectories", 28)];

/// The raw groups that differ from LIEF's, each for a cause docs/MODELS.md names: goblin refuses
/// two malformed headers, a byte-flipped import table, and LIEF counting a delay-load import.
const DOCUMENTED_RAW_MISMATCHES: &[(&str, &[&str])] = &[
    ("malformed/pypi-pip-any__t32__nrvaandsizes_huge.exe", &["general", "header", "section.names", "imports", "datadirectories"]),
    ("malformed/pypi-psutil-win_amd64___psutil_windows__flip1pct_seed2.pyd", &["general", "imports"]),
    (
        "malformed/pypi-psutil-win_amd64___psutil_windows__numsections_0xffff.pyd",
        &["general", "header", "section.names", "imports", "exports", "datadirectories"],
    ),
    ("pe/pypi-pywin32-win32/win32api.pyd", &["general"]),
    ("pe/pypi-pywin32-win_amd64/win32api.pyd", &["general"]),
];

/// The reference writes imports as a JSON object with sorted keys; the vector ignores order.
fn sorted(imports: &[(String, Vec<String>)]) -> Vec<(String, Vec<String>)> {
    let mut v = imports.to_vec();
    v.sort();
    v
}

/// LIEF lists flags in an order of its own; the vector only depends on the set.
fn normalised_header(raw: &RawFeatures) -> ember_v2::HeaderFeatures {
    let mut h = raw.header.clone();
    h.coff.characteristics.sort();
    h.optional.dll_characteristics.sort();
    h
}

#[test]
fn raw_groups_match_the_reference_where_they_do_not_depend_on_histograms() {
    let mut report = Vec::new();
    for r in references() {
        let ours = ember_v2::raw_features(&r.bytes);
        let checks: [(&str, bool); 7] = [
            (
                "strings",
                ours.strings.numstrings == r.raw.strings.numstrings
                    && ours.strings.printabledist == r.raw.strings.printabledist
                    && ours.strings.paths == r.raw.strings.paths
                    && ours.strings.urls == r.raw.strings.urls
                    && ours.strings.registry == r.raw.strings.registry
                    && ours.strings.mz == r.raw.strings.mz,
            ),
            ("general", ours.general == r.raw.general),
            ("header", normalised_header(&ours) == normalised_header(&r.raw)),
            (
                "section.names",
                ours.section.sections.iter().map(|s| (&s.name, s.size, s.vsize)).eq(r
                    .raw
                    .section
                    .sections
                    .iter()
                    .map(|s| (&s.name, s.size, s.vsize)))
                    && ours.section.entry == r.raw.section.entry,
            ),
            ("imports", sorted(&ours.imports) == sorted(&r.raw.imports)),
            (
                "exports",
                ours.exports.len() == r.raw.exports.len() && {
                    let mut a = ours.exports.clone();
                    let mut b = r.raw.exports.clone();
                    a.sort();
                    b.sort();
                    a == b
                },
            ),
            ("datadirectories", ours.datadirectories == r.raw.datadirectories),
        ];
        for (group, ok) in checks {
            if !ok {
                report.push(format!("{}: {group}", r.name));
            }
        }
        if std::env::var("EMBER_DEBUG").is_ok() {
            for (a, b) in ours.section.sections.iter().zip(&r.raw.section.sections) {
                if a != b {
                    println!("{} section ours {a:?}\n  ref {b:?}", r.name);
                }
            }
        }
        if std::env::var("EMBER_DEBUG").is_ok() && sorted(&ours.imports) != sorted(&r.raw.imports) {
            println!(
                "{} imports ours {:?}\n  ref {:?}",
                r.name,
                ours.imports.iter().map(|(l, f)| (l, f.len(), f.first())).collect::<Vec<_>>(),
                r.raw.imports.iter().map(|(l, f)| (l, f.len(), f.first())).collect::<Vec<_>>()
            );
        }
        if ours.general != r.raw.general {
            println!("{} general ours {:?}\n  ref {:?}", r.name, ours.general, r.raw.general);
        }
    }
    for line in &report {
        println!("raw mismatch {line}");
    }
    let documented: Vec<String> =
        DOCUMENTED_RAW_MISMATCHES.iter().flat_map(|(file, groups)| groups.iter().map(move |g| format!("{file}: {g}"))).collect();
    let undocumented: Vec<_> = report.iter().filter(|line| !documented.contains(line)).collect();
    assert!(undocumented.is_empty(), "raw groups differ from the reference without a documented cause: {undocumented:?}");
}
