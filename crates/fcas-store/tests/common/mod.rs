//! Shared by the store's tests: reports built from the corpus reference JSONs, and a simple
//! fuzzy metric with the properties the similarity index relies on.
#![allow(dead_code)]
use std::path::{Path, PathBuf};

use fcas_report::{Format, PeExport, PeImport, PeReport, PeSection, Report};
use fcas_store::similarity::{ssdeep_grams, tlsh_key, FuzzyMetric};
use serde_json::Value;

pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus")
}

/// Every reference JSON, sorted.
pub fn reference_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![corpus().join("refs")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("refs folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

pub fn load_reference(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("read ref")).expect("parse ref")
}

fn text(value: &Value, key: &str) -> String {
    value.get(key).and_then(Value::as_str).unwrap_or_default().to_string()
}

/// A report holding what the reference knows: hashes, type, PE imports/sections/exports.
pub fn report_from_reference(reference: &Value) -> Report {
    let mut report = Report { schema_version: fcas_report::SCHEMA_VERSION, engine_version: "test-engine".into(), ..Report::default() };
    report.path = text(reference, "path");
    report.size = reference.get("size").and_then(Value::as_u64).unwrap_or(0);
    report.hashes.md5 = text(reference, "md5");
    report.hashes.sha1 = text(reference, "sha1");
    report.hashes.sha256 = text(reference, "sha256");
    report.hashes.sha512 = text(reference, "sha512");
    report.hashes.ssdeep = Some(text(reference, "ssdeep")).filter(|s| !s.is_empty());
    report.hashes.tlsh = Some(text(reference, "tlsh")).filter(|s| s.starts_with("T1"));
    if let Some(file) = reference.get("file") {
        report.file_type.description = text(file, "brief");
        report.file_type.mime = text(file, "mime_type");
    }
    let pefile = reference.get("pefile").filter(|p| p.get("parsed").and_then(Value::as_bool) == Some(true));
    report.format = match (text(reference, "kind").as_str(), pefile.is_some()) {
        (_, true) => Format::Pe,
        ("elf", _) => Format::Elf,
        ("macho", _) => Format::Macho,
        _ => Format::Unknown,
    };
    if let Some(pe) = pefile {
        report.pe = Some(pe_from_pefile(pe));
    }
    if report.format == Format::Elf {
        let libraries = reference.pointer("/lief/libraries").and_then(Value::as_array).cloned().unwrap_or_default();
        report.elf = Some(fcas_report::ElfReport {
            libraries: libraries.iter().filter_map(|l| l.as_str().map(str::to_owned)).collect(),
            ..Default::default()
        });
    }
    report
}

fn pe_from_pefile(pe: &Value) -> PeReport {
    let array = |key: &str| pe.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
    let sections = array("sections")
        .iter()
        .map(|s| PeSection {
            name: text(s, "name"),
            entropy: s.get("entropy").and_then(Value::as_f64).unwrap_or(0.0),
            ..Default::default()
        })
        .collect();
    let imports_of = |key: &str| -> Vec<PeImport> {
        array(key)
            .iter()
            .map(|i| PeImport {
                dll: text(i, "dll"),
                functions: i
                    .get("functions")
                    .and_then(Value::as_array)
                    .map(|fs| {
                        fs.iter()
                            .map(|f| match f.get("name").and_then(Value::as_str) {
                                Some(name) => name.to_string(),
                                None => format!("ord{}", f.get("ordinal").and_then(Value::as_u64).unwrap_or(0)),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                ..Default::default()
            })
            .collect()
    };
    let exports = pe
        .pointer("/exports/symbols")
        .and_then(Value::as_array)
        .map(|symbols| {
            symbols
                .iter()
                .map(|s| PeExport { name: s.get("name").and_then(Value::as_str).map(str::to_owned), ..Default::default() })
                .collect()
        })
        .unwrap_or_default();
    PeReport {
        imphash: text(pe, "imphash"),
        sections,
        imports: imports_of("imports"),
        delay_imports: imports_of("delay_imports"),
        exports,
        ..PeReport::default()
    }
}

/// Every reference as a report (with the parsed reference alongside).
/// True when pefile saw `dll` (and `function`, when given) among the imports or delay imports.
pub fn pefile_imports(reference: &Value, dll: &str, function: Option<&str>) -> bool {
    ["imports", "delay_imports"].iter().flat_map(|key| reference["pefile"][key].as_array().into_iter().flatten()).any(|i| {
        i["dll"].as_str().is_some_and(|d| d.eq_ignore_ascii_case(dll))
            && function.is_none_or(|f| {
                i["functions"].as_array().into_iter().flatten().any(|x| x["name"].as_str().is_some_and(|n| n.eq_ignore_ascii_case(f)))
            })
    })
}

pub fn corpus_reports() -> Vec<(Report, Value)> {
    reference_files()
        .iter()
        .map(|path| {
            let reference = load_reference(path);
            (report_from_reference(&reference), reference)
        })
        .filter(|(report, _)| report.hashes.sha256.len() == 64)
        .collect()
}

/// A stand-in metric for tests: TLSH "distance" = the standard length term plus the sum of
/// absolute differences of the remaining hex digits; ssdeep "score" = share of common 7-gram
/// keys. Both have the properties the index relies on (the length term is a lower bound; no
/// common gram means score 0).
pub struct TestMetric;

impl FuzzyMetric for TestMetric {
    fn tlsh_distance(&self, a: &str, b: &str) -> Option<u32> {
        let (la, lb) = (tlsh_key::lvalue(a)?, tlsh_key::lvalue(b)?);
        let digits = |h: &str| h.get(8..).unwrap_or_default().chars().filter_map(|c| c.to_digit(16)).collect::<Vec<_>>();
        let body: u32 = digits(a).iter().zip(digits(b)).map(|(x, y)| x.abs_diff(y)).sum();
        Some(tlsh_key::length_lower_bound(la, lb) + body)
    }

    fn ssdeep_score(&self, a: &str, b: &str) -> Option<u32> {
        let (ka, kb) = (ssdeep_grams::gram_keys(a), ssdeep_grams::gram_keys(b));
        if ka.is_empty() || kb.is_empty() {
            return None;
        }
        let shared = ka.iter().filter(|k| kb.contains(k)).count();
        let smaller = ka.len().min(kb.len()).max(1);
        Some((shared * 100 / smaller).min(100) as u32)
    }
}

/// The schema-6 fixture (scripts/make-store-v6-fixture.sh), copied to `dir` as `old.sqlite`.
pub fn v6_store(dir: &Path) -> PathBuf {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store-v6.sqlite.zst");
    let compressed = std::fs::read(fixture).expect("the schema-6 fixture");
    let path = dir.join("old.sqlite");
    std::fs::write(&path, zstd::decode_all(compressed.as_slice()).expect("the fixture decompresses")).expect("write the copy");
    path
}
