//! Indicator rules over the corpus (packed files flagged, their unpacked originals and every other
//! benign file not) and over synthetic reports, one per rule.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use fcas_engine::{analyze_bytes, analyze_path, indicators, Options};
use fcas_report::{Indicator, PeReport, PeSection, PeTls, Report, Severity};

fn is_packed(indicators: &[Indicator]) -> bool {
    indicators.iter().any(|i| i.id.starts_with("pe.packer.") || i.id == "file.packer.upx")
}

fn kind_of(path: &std::path::Path) -> String {
    let files = common::corpus().join("files");
    path.strip_prefix(&files)
        .ok()
        .and_then(|p| p.components().next())
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[test]
fn upx_files_are_flagged_packed_and_benign_originals_are_not() {
    let options = Options::default();
    let (mut packed, mut clean) = (0, 0);
    for path in common::corpus_files() {
        let kind = kind_of(&path);
        if kind == "malformed" {
            continue;
        }
        let report = analyze_path(&path, &options);
        let flagged = is_packed(&report.indicators);
        if kind == "packed" {
            assert!(
                flagged,
                "{} is UPX-packed but not flagged: {:?}",
                path.display(),
                report.indicators.iter().map(|i| &i.id).collect::<Vec<_>>()
            );
            packed += 1;
        } else {
            let packer: Vec<_> = report.indicators.iter().filter(|i| i.id.contains("packer")).collect();
            assert!(!flagged, "{} is not packed but flagged: {packer:?}", path.display());
            clean += 1;
        }
    }
    assert_eq!(packed, 4);
    assert!(clean > 90);
}

#[test]
fn every_indicator_is_well_formed() {
    for path in common::corpus_files() {
        let report = analyze_path(&path, &Options::default());
        for ind in &report.indicators {
            assert!(ind.id.contains('.') && !ind.title.is_empty(), "{}: {ind:?}", path.display());
            if let Some(attack) = &ind.attack_id {
                assert!(attack.starts_with('T') && attack[1..].chars().all(|c| c.is_ascii_digit() || c == '.'), "{attack}");
            }
        }
        let severities: Vec<Severity> = report.indicators.iter().map(|i| i.severity).collect();
        assert!(severities.windows(2).all(|w| w[0] >= w[1]), "{}: not sorted by severity", path.display());
    }
}

#[test]
fn signed_files_have_sound_signatures_and_unsigned_ones_say_so() {
    let corpus = common::corpus().join("files/pe");
    for (file, signed) in [("pypi-msvc-runtime-win_amd64/vcruntime140_1.dll", true), ("pypi-pip-any/t32.exe", false)] {
        let report = analyze_path(&corpus.join(file), &Options::default());
        let ids: Vec<_> = report.indicators.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids.contains(&"pe.signature.absent"), !signed, "{file}: {ids:?}");
        assert!(!ids.iter().any(|i| i.starts_with("pe.signature.") && *i != "pe.signature.absent"), "{file}: {ids:?}");
    }
}

#[test]
fn a_pe_appended_to_a_pe_is_an_embedded_payload() {
    let host = std::fs::read(common::corpus().join("files/pe/pypi-pip-any/t32.exe")).unwrap();
    let payload = std::fs::read(common::corpus().join("files/pe/pypi-setuptools-any/gui-32.exe")).unwrap();
    let mut dropper = host.clone();
    dropper.extend_from_slice(&payload);
    let report = analyze_bytes("dropper.exe", &dropper, &Options::default());
    let embedded = report.indicators.iter().find(|i| i.id == "file.embedded_pe").expect("embedded PE flagged");
    assert_eq!(embedded.evidence[0].offset, Some(host.len() as u64));
    assert_eq!(embedded.evidence[0].detail.as_deref(), Some("in the overlay"));
    assert!(analyze_bytes("host.exe", &host, &Options::default()).indicators.iter().all(|i| i.id != "file.embedded_pe"));
}

fn synthetic(pe: PeReport) -> Vec<String> {
    let report = Report { pe: Some(pe), ..Report::default() };
    indicators::evaluate(&report, &[]).into_iter().map(|i| i.id).collect()
}

fn section(name: &str, executable: bool, writable: bool, entropy: f64) -> PeSection {
    PeSection { name: name.into(), is_executable: executable, is_code: executable, is_writable: writable, entropy, ..PeSection::default() }
}

#[test]
fn layout_rules_fire_on_synthetic_reports() {
    let mut pe = PeReport { sections: vec![section(".text", true, false, 6.0), section(".evil", true, true, 7.9)], ..PeReport::default() };
    pe.headers.entry_point = 0x2000;
    pe.entry_point_section = Some(".evil".into());
    pe.headers.timestamp = u32::MAX;
    pe.headers.checksum = 0x1234;
    pe.checksum_computed = 0x4321;
    pe.tls = Some(PeTls { callbacks: vec![0x401000], ..PeTls::default() });
    let ids = synthetic(pe);
    for expected in [
        "pe.section.writable_executable",
        "pe.entry.last_section",
        "pe.timestamp.future",
        "pe.checksum.mismatch",
        "pe.tls.callbacks",
        "pe.packer.entropy",
        "pe.imports.none",
        "pe.signature.absent",
    ] {
        assert!(ids.iter().any(|i| i == expected), "{expected} missing from {ids:?}");
    }

    let mut quiet =
        PeReport { sections: vec![section(".text", true, false, 6.0), section(".data", false, true, 2.0)], ..PeReport::default() };
    quiet.headers.entry_point = 0x1000;
    quiet.headers.timestamp = 1_600_000_000;
    quiet.entry_point_section = Some(".text".into());
    quiet.imports = vec![fcas_report::PeImport {
        dll: "kernel32.dll".into(),
        functions: (0..20).map(|i| format!("F{i}")).collect(),
        ..Default::default()
    }];
    let ids = synthetic(quiet);
    assert_eq!(ids, vec!["pe.signature.absent".to_string()], "a plain file raises nothing else");
}

#[test]
fn entry_outside_sections_and_in_data_are_high() {
    let mut pe = PeReport {
        sections: vec![section(".text", true, false, 6.0), section(".data", false, true, 2.0), section(".rsrc", false, false, 3.0)],
        ..PeReport::default()
    };
    pe.headers.entry_point = 0x9999_0000;
    assert!(synthetic(pe.clone()).contains(&"pe.entry.outside_sections".to_string()));
    pe.entry_point_section = Some(".data".into());
    assert!(synthetic(pe).contains(&"pe.entry.not_code".to_string()));
}

#[test]
fn capabilities_seen_only_in_the_imports_are_never_high() {
    // A `high` API behaviour must cite the call sites the disassembly found; without the code
    // stage the same file keeps the import severity (at most medium).
    for path in common::corpus_files() {
        for disassemble in [true, false] {
            let report = analyze_path(&path, &Options { disassemble, ..Options::default() });
            for ind in report.indicators.iter().filter(|i| i.id.starts_with("pe.api.")) {
                let call_sites =
                    ind.evidence.iter().filter(|e| e.detail.as_deref().is_some_and(|d| d.contains("in the function at 0x"))).count();
                if !disassemble {
                    assert!(ind.severity <= Severity::Medium && call_sites == 0, "{} without code: {ind:?}", path.display());
                } else if ind.severity == Severity::High {
                    assert!(call_sites > 0, "{}: high without call sites: {ind:?}", path.display());
                }
            }
        }
    }
}

#[test]
fn the_report_s_call_sites_raise_an_import_capability() {
    let pe = PeReport {
        imports: vec![fcas_report::PeImport {
            dll: "user32.dll".into(),
            functions: vec!["SetWindowsHookExW".into(), "GetAsyncKeyState".into(), "CallNextHookEx".into()],
            ..Default::default()
        }],
        ..PeReport::default()
    };
    let severity = |code: Option<fcas_report::CodeReport>| {
        let report = Report { pe: Some(pe.clone()), code, ..Report::default() };
        indicators::evaluate(&report, &[]).into_iter().find(|i| i.id == "pe.api.keylogging").map(|i| i.severity)
    };
    assert_eq!(severity(None), Some(Severity::Low));
    let hook = |id_hook: i64| fcas_report::CodeReport {
        api_calls: vec![fcas_report::ApiCallSite {
            address: 0x140001020,
            function: 0x140001000,
            api: "user32.dll!SetWindowsHookExW".into(),
            kind: "call".into(),
            arguments: vec![fcas_report::CallArgument { position: 0, value: id_hook }],
        }],
        ..Default::default()
    };
    assert_eq!(severity(Some(hook(13))), Some(Severity::High), "WH_KEYBOARD_LL");
    assert_eq!(severity(Some(hook(4))), Some(Severity::Low), "WH_CALLWNDPROC sees no keys");
}
