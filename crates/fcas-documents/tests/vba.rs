//! VBA projects compared with olevba (oletools 0.60.2) on the document corpus: the same files
//! with VBA, the same module names and streams, the same auto-run triggers, and suspicious
//! keywords (figures printed). The reference is `tests/fixtures/documents/reference/vba.json`
//! (scripts/document-reference-vba.py).
//!
//! The corpus comparison goes through the crate's public analysis; the VBA module itself is
//! crate-private, so the test builds it into itself for the checks of hand-built projects.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

mod common;

/// The allocator every analysis runs with (`fcas`'s own, which the app's and the workers'
/// analysis processes are), so that the time per file printed for
/// `bench/documents/olevba-vs-fcas.sh` is the product's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../src/formats/office/vba/mod.rs"]
mod vba;
/// What the VBA module takes from its crate's root.
use fcas_documents::{open_compound, CompoundFile};

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use fcas_documents::DocLimits;
use fcas_report::{Format, Severity, VbaReport};

const OLE_MAGIC: [u8; 8] = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/// Names FCAS gives obfuscation signs among the suspicious keywords (olevba reports those apart).
const SIGNS: [&str; 3] = ["Chr chain", "Hex String", "Base64 String"];

/// FCAS's VBA project of one corpus file, through the crate's public analysis (an OLE file, or
/// an OOXML package's `vbaProject.bin`, or a presentation's compressed object), and the
/// analysis's errors.
fn fcas_vba(bytes: &[u8], limits: &DocLimits) -> (Option<VbaReport>, Vec<String>) {
    let format = if bytes.starts_with(&OLE_MAGIC) {
        Format::Ole
    } else if bytes.starts_with(b"PK") {
        Format::Zip
    } else {
        return (None, Vec::new());
    };
    match fcas_documents::analyze(format, bytes, limits) {
        Some(findings) => (findings.document.vba, findings.errors),
        None => (None, Vec::new()),
    }
}

fn lowercase_set<'a>(items: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
    items.map(str::to_lowercase).collect()
}

fn strings(value: &serde_json::Value) -> Vec<&str> {
    value.as_array().map(|items| items.iter().filter_map(|v| v.as_str()).collect()).unwrap_or_default()
}

/// olevba names a module's file `Name.bas`, `Name.cls` or `Name.frm`.
fn module_name(file: &str) -> &str {
    [".bas", ".cls", ".frm"].iter().find_map(|ext| file.strip_suffix(ext)).unwrap_or(file)
}

fn percent(agree: usize, total: usize) -> f64 {
    if total == 0 {
        100.0
    } else {
        100.0 * agree as f64 / total as f64
    }
}

#[test]
fn vba_agrees_with_olevba_on_the_corpus() {
    let Some(corpus) = common::documents() else { return };
    let reference = common::reference("vba.json");
    let expected = &reference["files"];
    let limits = DocLimits::default();
    let files = common::files(&corpus, "oletools");
    // bench/documents/olevba-vs-fcas.sh reads each file several times for steadier times.
    let repeat: u32 = std::env::var("FCAS_VBA_REPEAT").ok().and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
    assert!(!files.is_empty());
    let (mut presence_agree, mut with_vba) = (0, 0);
    let (mut names_agree, mut streams_agree, mut autoexec_agree, mut suspicious_agree) = (0, 0, 0, 0);
    let mut times = Vec::new();
    let mut disagreements = Vec::new();
    for file in &files {
        let want = &expected[file.as_str()];
        assert!(want.is_object(), "{file} is not in the reference; run scripts/document-reference-vba.py");
        let bytes = std::fs::read(corpus.join(file)).unwrap();
        let started = Instant::now();
        let (got, errors) = fcas_vba(&bytes, &limits);
        for _ in 1..repeat {
            std::hint::black_box(fcas_vba(&bytes, &limits));
        }
        times.push(started.elapsed() / repeat);
        if !errors.is_empty() {
            println!("  errors read: {file}: {errors:?}");
        }
        let want_vba = want["has_vba"].as_bool().unwrap();
        if got.is_some() == want_vba {
            presence_agree += 1;
        } else {
            disagreements.push(format!("{file}: VBA {} (olevba {want_vba}); errors {errors:?}", got.is_some()));
        }
        if !want_vba {
            continue;
        }
        with_vba += 1;
        let got = got.unwrap_or_default();
        let names: Vec<&str> = got.modules.iter().map(|m| m.name.as_str()).collect();
        let want_names: Vec<&str> = strings(&want["modules"]).into_iter().map(module_name).collect();
        if names == want_names {
            names_agree += 1;
        } else {
            disagreements.push(format!("{file}: modules {names:?}, olevba {want_names:?}"));
        }
        let streams: Vec<&str> = got.modules.iter().map(|m| m.stream.as_str()).collect();
        if streams == strings(&want["streams"]) {
            streams_agree += 1;
        } else {
            disagreements.push(format!("{file}: streams {streams:?}, olevba {:?}", strings(&want["streams"])));
        }
        let autoexec = lowercase_set(got.modules.iter().flat_map(|m| m.autoexec.iter().map(String::as_str)));
        let want_autoexec = lowercase_set(strings(&want["autoexec"]).into_iter());
        if autoexec == want_autoexec {
            autoexec_agree += 1;
        } else {
            disagreements.push(format!("{file}: autoexec {autoexec:?}, olevba {want_autoexec:?}"));
        }
        let suspicious =
            lowercase_set(got.modules.iter().flat_map(|m| m.suspicious.iter().map(String::as_str)).filter(|k| !SIGNS.contains(k)));
        let want_suspicious = lowercase_set(strings(&want["suspicious"]).into_iter());
        if suspicious == want_suspicious {
            suspicious_agree += 1;
        } else {
            disagreements.push(format!("{file}: suspicious {suspicious:?}, olevba {want_suspicious:?}"));
        }
    }
    times.sort();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    println!("VBA vs olevba on {} files ({with_vba} with VBA by olevba):", files.len());
    println!("  VBA present/absent agree: {presence_agree}/{} ({:.1}%)", files.len(), percent(presence_agree, files.len()));
    println!("  module names agree:       {names_agree}/{with_vba} ({:.1}%)", percent(names_agree, with_vba));
    println!("  module streams agree:     {streams_agree}/{with_vba} ({:.1}%)", percent(streams_agree, with_vba));
    println!("  autoexec keywords agree:  {autoexec_agree}/{with_vba} ({:.1}%)", percent(autoexec_agree, with_vba));
    println!("  suspicious keywords agree: {suspicious_agree}/{with_vba} ({:.1}%)", percent(suspicious_agree, with_vba));
    println!("  median time per file: {median:?} (mean of {repeat} reads; build profile decides)");
    for line in &disagreements {
        println!("  disagreement: {line}");
    }
    assert!(with_vba > 0, "the corpus holds VBA projects; the reference says none");
    assert_eq!(presence_agree, files.len(), "files with VBA differ: {disagreements:#?}");
    assert!(percent(names_agree, with_vba) >= 95.0, "module names: {disagreements:#?}");
    assert!(percent(autoexec_agree, with_vba) >= 95.0, "autoexec: {disagreements:#?}");
}

#[test]
fn indicators_of_an_auto_run_project_that_shells_out() {
    let module = fcas_report::VbaModule {
        name: "Module1".into(),
        stream: "Macros/VBA/Module1".into(),
        source: String::new(),
        truncated: false,
        autoexec: vec!["AutoOpen".into()],
        suspicious: vec!["Shell".into(), "Chr chain".into()],
    };
    let report = VbaReport { modules: vec![module], ..VbaReport::default() };
    let mut found = Vec::new();
    vba::indicators(&report, &mut found);
    let ids: Vec<&str> = found.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["document.vba.macros", "document.vba.autoexec", "document.vba.suspicious", "document.vba.obfuscation"]);
    assert_eq!(found[2].severity, Severity::High);
    assert_eq!(found[1].attack_id.as_deref(), Some("T1204.002"));
    assert_eq!(found[3].attack_id.as_deref(), Some("T1027"));
    let mut none = Vec::new();
    vba::indicators(&VbaReport::default(), &mut none);
    assert!(none.is_empty());
}

#[test]
fn hostile_ole_files_are_errors_in_bounded_time() {
    let limits = DocLimits::default();
    let started = Instant::now();
    assert!(vba::from_ole(b"", &limits).is_err());
    assert!(vba::from_ole(&OLE_MAGIC, &limits).is_err());
    let mut header = OLE_MAGIC.to_vec();
    header.resize(4096, 0xff);
    assert!(vba::from_ole(&header, &limits).is_err());
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn truncated_and_corrupted_corpus_projects_do_not_panic() {
    let Some(corpus) = common::documents() else { return };
    let limits = DocLimits { max_module_source: 100, ..DocLimits::default() };
    for file in ["oletools/encrypted/autostart-encrypt-standardpassword.xls", "oletools/olevba/sample_with_vba.ppt"] {
        let bytes = std::fs::read(corpus.join(file)).unwrap();
        // The source limit cuts modules and says so.
        let (report, _) = fcas_vba(&bytes, &limits);
        let report = report.unwrap();
        assert!(report.modules.iter().any(|m| m.truncated && m.source.len() <= 100), "{file}");
        // Cut anywhere and flipped bytes: an answer every time, never a panic.
        let started = Instant::now();
        for cut in (0..bytes.len()).step_by(bytes.len() / 50 + 1) {
            let _ = fcas_vba(&bytes[..cut], &limits);
        }
        for at in (0..bytes.len()).step_by(bytes.len() / 200 + 1) {
            let mut broken = bytes.clone();
            broken[at] ^= 0x5a;
            let _ = fcas_vba(&broken, &limits);
        }
        assert!(started.elapsed() < Duration::from_secs(60), "{file}");
    }
}
