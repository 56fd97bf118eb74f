//! The report contract over time: stored reports of every earlier schema version still load,
//! and the enums' contract names come from `as_str`, equal to what serde writes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
use std::path::{Path, PathBuf};

use fcas_report::{stage, AnalysisOptions, Format, Origin, Provenance, Report, Severity, SCHEMA_VERSION};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Reports as earlier versions wrote them: the first release's shape (this crate's
/// `tests/golden/`) and the reports the browser tests replay, recorded with the real engine
/// before `provenance.origin` existed.
fn earlier_reports() -> Vec<(PathBuf, serde_json::Value)> {
    let mut files = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/schema1-first-release.json")];
    for name in ["pe.json", "pe-upx.json", "elf.json"] {
        files.push(workspace().join("tests/browser/fixtures").join(name));
    }
    files
        .into_iter()
        .map(|path| {
            let value: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            // The browser fixtures wrap the report as the app's `get_report` answers it.
            let report = value.get("report").cloned().unwrap_or(value);
            (path, report)
        })
        .collect()
}

#[test]
fn reports_of_every_earlier_schema_version_still_load() {
    let reports = earlier_reports();
    assert!(reports.len() >= 4);
    for (path, value) in reports {
        let version = value["schema_version"].as_u64().unwrap();
        assert!(version >= 1 && version <= u64::from(SCHEMA_VERSION), "{}", path.display());
        let report: Report = serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(report.hashes.sha256, value["hashes"]["sha256"].as_str().unwrap(), "{}", path.display());
        assert_eq!(report.format.as_str(), value["format"].as_str().unwrap(), "{}", path.display());
        assert_eq!(report.provenance.origin, None, "{}: older reports have no origin", path.display());
        // What loads writes back the contract paths unchanged.
        let again = serde_json::to_value(&report).unwrap();
        for pointer in ["/path", "/size", "/format", "/hashes/sha256", "/hashes/ssdeep", "/hashes/tlsh", "/errors", "/indicators"] {
            assert_eq!(again.pointer(pointer), value.pointer(pointer), "{}: {pointer}", path.display());
        }
    }
}

#[test]
fn contract_names_come_from_as_str_and_equal_the_json() {
    for format in Format::ALL {
        assert_eq!(serde_json::to_value(format).unwrap(), format.as_str(), "{format:?}");
    }
    assert_eq!(Format::SevenZip.as_str(), "sevenzip");
    for severity in [Severity::Info, Severity::Low, Severity::Medium, Severity::High] {
        assert_eq!(serde_json::to_value(severity).unwrap(), severity.as_str());
    }
}

#[test]
fn origin_is_one_tagged_value_and_sets_the_worker_as_the_contract_spells_it() {
    let mut provenance = Provenance::default();
    provenance.set_origin(Origin::LocalFallback { reason: "the fleet is unreachable".into() });
    assert_eq!(provenance.worker.as_deref(), Some("local"));
    let json = serde_json::to_value(&provenance).unwrap();
    assert_eq!(json["origin"], serde_json::json!({"kind": "local_fallback", "reason": "the fleet is unreachable"}));
    provenance.set_origin(Origin::Worker { id: "w1:8700".into() });
    assert_eq!(provenance.worker.as_deref(), Some("w1:8700"));
    let back: Provenance = serde_json::from_value(serde_json::to_value(&provenance).unwrap()).unwrap();
    assert_eq!(back, provenance);
}

#[test]
fn a_failed_report_holds_only_its_error_and_counts_as_fatal() {
    let report = Report::failed("/samples/p", stage::INPUT, "not a regular file (a FIFO)");
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert_eq!(report.fatal_error().map(|e| e.stage.as_str()), Some("input"));
    assert!(report.hashes.sha256.is_empty());
    let mut partial = Report::failed("x", "pe", "truncated section table");
    assert!(partial.fatal_error().is_none());
    partial.errors.push(fcas_report::StageError::new("strings", stage::panic_message("index out of bounds")));
    assert!(partial.has_panic());
}

#[test]
fn analysis_options_read_from_any_front_ends_json() {
    let settings: AnalysisOptions = serde_json::from_str(r#"{"max_size": 536870912, "no_disasm": true}"#).unwrap();
    assert_eq!(settings.max_size, 512 << 20);
    assert!(settings.no_disasm && !settings.no_models);
}
