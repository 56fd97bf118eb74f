//! The PE structure compared with pefile's on every corpus file pefile parses, and every
//! malformed file analysed without a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
use std::path::{Path, PathBuf};

use fcas_engine::{analyze_path, Limits, Options};
use serde_json::Value;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus")
}

/// Files goblin rejects, so `analyze_path` has no PE report for them; their structure is still
/// compared through `formats::pe::structure`, which reads the bytes alone.
const GOBLIN_REJECTS: &[(&str, &str)] = &[
    ("malformed/pypi-pip-any__t32__nrvaandsizes_huge.exe", "goblin refuses NumberOfRvaAndSizes > 16; pefile reads 16"),
    (
        "malformed/pypi-psutil-win_amd64___psutil_windows__numsections_0xffff.pyd",
        "goblin refuses a section table past the end of the file; pefile stops at the first all-zero header",
    ),
];

fn refs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            refs(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

fn options() -> Options {
    Options { disassemble: false, ..Options::default() }
}

/// Records a difference when `ours` and `theirs` differ.
fn check(diffs: &mut Vec<String>, what: &str, ours: &Value, theirs: &Value) {
    let equal = match (ours.as_f64(), theirs.as_f64()) {
        (Some(a), Some(b)) if ours.is_f64() || theirs.is_f64() => (a - b).abs() < 1e-9,
        _ => ours == theirs,
    };
    if !equal {
        diffs.push(format!("{what}: ours {ours} pefile {theirs}"));
    }
}

fn field<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or(&Value::Null)
}

fn compare_imports(diffs: &mut Vec<String>, what: &str, ours: &Value, theirs: &Value) {
    let empty = Vec::new();
    let (ours, theirs) = (ours.as_array().unwrap_or(&empty), theirs.as_array().unwrap_or(&empty));
    check(diffs, &format!("{what} count"), &ours.len().into(), &theirs.len().into());
    for (i, (o, t)) in ours.iter().zip(theirs).enumerate() {
        check(diffs, &format!("{what}[{i}].dll"), field(o, "dll"), field(t, "dll"));
        let functions = field(o, "functions").as_array().unwrap_or(&empty);
        let symbols = field(o, "symbols").as_array().unwrap_or(&empty);
        let theirs = field(t, "functions").as_array().unwrap_or(&empty);
        check(diffs, &format!("{what}[{i}] function count"), &functions.len().into(), &theirs.len().into());
        for (j, ((function, symbol), reference)) in functions.iter().zip(symbols).zip(theirs).enumerate() {
            match field(reference, "name") {
                // By name: the very name.
                Value::String(_) => check(diffs, &format!("{what}[{i}].functions[{j}]"), function, field(reference, "name")),
                // By ordinal: the references print no name; pefile's imphash (compared
                // below) checks the name its ordinal tables give, or `ord<N>`.
                _ => check(diffs, &format!("{what}[{i}].symbols[{j}].ordinal"), field(symbol, "ordinal"), field(reference, "ordinal")),
            }
        }
        let hints: Vec<Value> = field(t, "functions").as_array().unwrap_or(&empty).iter().map(|f| field(f, "hint").clone()).collect();
        let our_hints: Vec<Value> = field(o, "symbols").as_array().unwrap_or(&empty).iter().map(|f| field(f, "hint").clone()).collect();
        check(diffs, &format!("{what}[{i}].hints"), &Value::Array(our_hints), &Value::Array(hints));
    }
}

fn compare(pe: &Value, reference: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    let headers = field(pe, "headers");
    for key in [
        "dos_e_lfanew",
        "machine",
        "machine_name",
        "timestamp",
        "characteristics",
        "characteristics_flags",
        "optional_magic",
        "is_pe32_plus",
        "major_linker_version",
        "minor_linker_version",
        "major_os_version",
        "minor_os_version",
        "major_subsystem_version",
        "minor_subsystem_version",
        "image_base",
        "section_alignment",
        "file_alignment",
        "size_of_code",
        "size_of_headers",
        "size_of_image",
        "size_of_optional_header",
        "subsystem",
        "subsystem_name",
        "dll_characteristics",
        "dll_characteristics_flags",
        "entry_point",
        "number_of_rva_and_sizes",
        "number_of_sections",
        "pointer_to_symbol_table",
        "number_of_symbols",
        "checksum",
    ] {
        check(&mut diffs, key, field(headers, key), field(reference, key));
    }
    check(&mut diffs, "checksum_computed", field(pe, "checksum_computed"), field(reference, "checksum_computed"));
    check(&mut diffs, "data_directories", field(pe, "data_directories"), field(reference, "data_directories"));

    // pefile lists sections sorted by address; we keep header order.
    let mut sections = field(pe, "sections").as_array().cloned().unwrap_or_default();
    sections.sort_by_key(|s| field(s, "virtual_address").as_u64());
    let empty = Vec::new();
    let theirs = field(reference, "sections").as_array().unwrap_or(&empty);
    check(&mut diffs, "section count", &sections.len().into(), &theirs.len().into());
    for (i, (o, t)) in sections.iter().zip(theirs).enumerate() {
        for key in [
            "name",
            "name_raw_hex",
            "virtual_address",
            "virtual_size",
            "raw_pointer",
            "raw_size",
            "characteristics",
            "characteristics_flags",
            "entropy",
            "md5",
        ] {
            check(&mut diffs, &format!("sections[{i}].{key}"), field(o, key), field(t, key));
        }
    }

    compare_imports(&mut diffs, "imports", field(pe, "imports"), field(reference, "imports"));
    compare_imports(&mut diffs, "delay_imports", field(pe, "delay_imports"), field(reference, "delay_imports"));
    check(&mut diffs, "import_function_count", field(pe, "import_function_count"), field(reference, "import_function_count"));
    check(&mut diffs, "imphash", field(pe, "imphash"), field(reference, "imphash"));
    check(&mut diffs, "exphash", field(pe, "exphash"), field(reference, "exphash"));

    match field(reference, "exports") {
        Value::Null => check(&mut diffs, "export directory", field(pe, "export_directory"), &Value::Null),
        exports => {
            let directory = field(pe, "export_directory");
            check(&mut diffs, "exports.dll_name", field(directory, "dll_name"), field(exports, "dll_name"));
            check(&mut diffs, "exports.ordinal_base", field(directory, "ordinal_base"), field(exports, "ordinal_base"));
            check(&mut diffs, "exports.timestamp", field(directory, "timestamp"), field(exports, "timestamp"));
            check(&mut diffs, "exports.symbols", field(pe, "exports"), field(exports, "symbols"));
        }
    }

    match field(reference, "rich_header") {
        Value::Null => check(&mut diffs, "rich_header", field(pe, "rich_header"), &Value::Null),
        rich => {
            let ours = field(pe, "rich_header");
            for key in ["key", "checksum", "clear_data_md5", "entries"] {
                check(&mut diffs, &format!("rich_header.{key}"), field(ours, key), field(rich, key));
            }
            check(&mut diffs, "rich_header.rich_hash", field(ours, "clear_data_md5"), field(rich, "rich_hash"));
        }
    }

    let debug: Vec<Value> = field(pe, "debug")
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|d| {
            let mut entry = serde_json::Map::new();
            for key in ["type", "type_name", "size", "timestamp", "pdb"] {
                entry.insert(key.to_string(), field(d, key).clone());
            }
            Value::Object(entry)
        })
        .collect();
    let reference_debug: Vec<Value> = field(reference, "debug")
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|d| {
            let mut entry = d.as_object().cloned().unwrap_or_default();
            entry.entry("pdb".to_string()).or_insert(Value::Null);
            Value::Object(entry)
        })
        .collect();
    check(&mut diffs, "debug", &Value::Array(debug), &Value::Array(reference_debug));

    check(&mut diffs, "has_tls", &Value::Bool(!field(pe, "tls").is_null()), field(reference, "has_tls"));
    check(&mut diffs, "overlay", field(pe, "overlay"), field(reference, "overlay"));
    diffs
}

#[test]
fn pe_structure_matches_pefile() {
    let root = corpus();
    let mut paths = Vec::new();
    refs(&root.join("refs"), &mut paths);
    paths.sort();
    let (mut files, mut equal, mut failures) = (0, 0, Vec::new());
    for path in paths {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let Ok(reference) = serde_json::from_str::<Value>(&text) else { continue };
        let pefile = field(&reference, "pefile");
        if field(pefile, "parsed") != &Value::Bool(true) {
            continue;
        }
        let relative = path.strip_prefix(root.join("refs")).unwrap_or(&path).to_string_lossy().trim_end_matches(".json").to_string();
        let file = root.join("files").join(&relative);
        files += 1;
        let report = analyze_path(&file, &options());
        let rejected = GOBLIN_REJECTS.iter().any(|(name, _)| *name == relative);
        let pe = match (&report.pe, rejected) {
            // goblin refuses these headers; the pipeline falls back to our own structure reader
            // and says what it skipped.
            (Some(pe), true) => {
                if !report.errors.iter().any(|e| e.stage == "pe" && e.message.contains("skipped")) {
                    failures.push(format!("{relative}: the fallback did not say what it skipped: {:?}", report.errors));
                }
                pe.clone()
            }
            (Some(pe), false) => pe.clone(),
            (None, true) => {
                failures.push(format!("{relative}: the goblin-free fallback gave no PE report: {:?}", report.errors));
                continue;
            }
            (None, false) => {
                failures.push(format!("{relative}: no PE report: {:?}", report.errors));
                continue;
            }
        };
        let diffs = compare(&serde_json::to_value(&pe).unwrap_or(Value::Null), pefile);
        if diffs.is_empty() {
            equal += 1;
        } else {
            failures.push(format!("{relative}:\n  {}", diffs.iter().take(8).cloned().collect::<Vec<_>>().join("\n  ")));
        }
    }
    println!("pe reference: {files} files, {equal} equal");
    assert!(files >= 70, "expected the corpus' PE references, found {files}");
    assert!(failures.is_empty(), "{} files differ from pefile:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn malformed_files_give_a_report() {
    let dir = corpus().join("files/malformed");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("malformed corpus").flatten() {
        let report = analyze_path(&entry.path(), &Options::default());
        assert!(!report.has_panic(), "{}: {:?}", entry.path().display(), report.errors);
        count += 1;
    }
    assert!(count >= 17, "expected the 17 malformed files, found {count}");
}

#[test]
fn damaged_headers_never_panic() {
    let bytes = std::fs::read(corpus().join("files/pe/pypi-pip-any/t32.exe")).expect("t32.exe in the corpus");
    let limits = Limits::default();
    // A cut every 7 bytes of the first 4 KiB, then every 4099 bytes.
    let cuts = (0..4096.min(bytes.len())).step_by(7).chain((4096..bytes.len()).step_by(4099));
    for cut in cuts {
        let _ = fcas_engine::formats::pe::structure(bytes.get(..cut).unwrap_or_default(), &limits, &mut Vec::new());
    }
    // Each header byte set to 0x00 and 0xff in turn.
    for offset in 0..512.min(bytes.len()) {
        for value in [0x00, 0xff] {
            let mut mutant = bytes.clone();
            if let Some(byte) = mutant.get_mut(offset) {
                *byte = value;
            }
            let _ = fcas_engine::formats::pe::structure(&mutant, &limits, &mut Vec::new());
        }
    }
}
