//! `fcas scan` on documents from the document corpus (`FCAS_DOCUMENTS`), through the real
//! binary: the JSON carries the document parts, the summary names what can run, a DDE document
//! no model scores is `suspicious` on its indicators, and an embedded payload is a child.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way

use std::path::PathBuf;
use std::process::{Command, Output};

use fcas_report::{DocumentKind, Report};

fn documents() -> Option<PathBuf> {
    let dir = std::env::var_os("FCAS_DOCUMENTS").map(PathBuf::from);
    if dir.is_none() {
        assert!(std::env::var("FCAS_REQUIRE_MODELS").map_or(true, |v| v != "1"), "FCAS_DOCUMENTS is not set; run `make documents`");
        eprintln!("skipped: FCAS_DOCUMENTS is not set; `make documents` builds the document corpus");
    }
    dir
}

fn fcas(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fcas")).args(args).output().unwrap()
}

fn reports(output: &Output) -> Vec<Report> {
    String::from_utf8(output.stdout.clone()).unwrap().lines().map(|line| serde_json::from_str(line).unwrap()).collect()
}

#[test]
fn a_dde_document_is_suspicious_on_its_indicators_and_says_why() {
    let Some(dir) = documents() else { return };
    let docx = dir.join("oletools/msodde/dde-test.docx");
    let output = fcas(&["scan", "--jsonl", "--no-extract", docx.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let report = reports(&output).remove(0);
    let document = report.document.as_ref().expect("a document part");
    assert_eq!(document.kind, DocumentKind::Ooxml);
    assert!(document.dde.iter().any(|field| field.contains("cmd.exe")), "{:?}", document.dde);
    assert!(report.indicators.iter().any(|i| i.id == "document.dde" && i.attack_id.as_deref() == Some("T1559.002")));
    let verdict = report.verdict.as_ref().expect("models were asked for");
    let models_ran = report.predictions.iter().all(|p| p.label != "unavailable");
    if models_ran || std::env::var("FCAS_REQUIRE_MODELS").is_ok_and(|v| v == "1") {
        assert_eq!(verdict.label, "suspicious", "{:?}", verdict.reasons);
        assert!(verdict.reasons.iter().any(|r| r.contains("document.dde")), "{:?}", verdict.reasons);
    }

    let human = fcas(&["scan", "--no-models", "--no-extract", docx.to_str().unwrap()]);
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.contains("document  ooxml, 3 DDE field(s)"), "{text}");
    assert!(text.contains("dde       DDEAUTO"), "{text}");
}

#[test]
fn a_shortcut_and_a_script_print_what_they_run() {
    let Some(dir) = documents() else { return };
    let lnk = dir.join("lnk/powershell-encoded.lnk");
    let script = dir.join("scripts/ps-frombase64.ps1");
    let output = fcas(&["scan", "--no-models", "--no-extract", lnk.to_str().unwrap(), script.to_str().unwrap()]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("target    C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"), "{text}");
    assert!(text.contains("arguments -NoP -W Hidden -enc "), "{text}");
    assert!(text.contains("script    powershell, 3 decoded payload(s)"), "{text}");
}

#[test]
fn an_rtf_package_is_analysed_as_a_child() {
    let Some(dir) = documents() else { return };
    let rtfs: Vec<PathBuf> = std::fs::read_to_string(dir.join("MANIFEST.tsv"))
        .unwrap()
        .lines()
        .filter_map(|line| line.split_once('\t').map(|(_, path)| dir.join(path)))
        .filter(|path| path.extension().is_some_and(|e| e == "rtf"))
        .collect();
    let mut with_objects = 0;
    for rtf in &rtfs {
        let output = fcas(&["scan", "--no-models", "--jsonl", rtf.to_str().unwrap()]);
        let reports = reports(&output);
        let (root, descendants) = reports.split_first().unwrap();
        let Some(document) = &root.document else { panic!("{}: no document part", rtf.display()) };
        for object in &document.embedded {
            with_objects += 1;
            assert!(descendants.iter().any(|d| d.hashes.sha256 == object.sha256), "{}: {} is not a child", rtf.display(), object.name);
        }
    }
    assert!(with_objects > 0, "the corpus's RTF documents carry objects");
}
