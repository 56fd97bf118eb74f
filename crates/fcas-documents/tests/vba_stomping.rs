//! VBA stomping compared with olevba 0.60.2 (with pcodedmp 1.2.6 disassembling the p-code) on
//! every corpus file with VBA: the clean documents of the `oletools` part and the stomped copies
//! `scripts/documents/stomped.sh` builds from them. The reference is
//! `tests/fixtures/documents/reference/stomping.json` (scripts/document-reference-stomping.py).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::io::{Cursor, Read, Write};
use std::time::{Duration, Instant};

use fcas_documents::DocLimits;
use fcas_report::{Format, VbaReport};

const OLE_MAGIC: [u8; 8] = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

fn fcas_vba(bytes: &[u8], limits: &DocLimits) -> Option<(VbaReport, Vec<String>)> {
    let format = if bytes.starts_with(&OLE_MAGIC) { Format::Ole } else { Format::Zip };
    let findings = fcas_documents::analyze(format, bytes, limits)?;
    let ids: Vec<String> = findings.indicators.iter().map(|i| i.id.clone()).collect();
    findings.document.vba.map(|vba| (vba, ids))
}

fn strings(value: &serde_json::Value) -> Vec<String> {
    value.as_array().map(|items| items.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

#[test]
fn stomping_agrees_with_olevba_on_the_corpus() {
    let Some(corpus) = common::documents() else { return };
    let reference = common::reference("stomping.json");
    let expected = reference["files"].as_object().unwrap();
    let limits = DocLimits::default();
    let (mut agree, mut stomped) = (0, 0);
    let mut disagreements = Vec::new();
    for (file, want) in expected {
        let bytes = std::fs::read(corpus.join(file)).unwrap_or_else(|e| panic!("{file}: {e}; rebuild the corpus"));
        let (vba, ids) = fcas_vba(&bytes, &limits).unwrap_or_else(|| panic!("{file}: olevba finds VBA, FCAS none"));
        assert!(vba.stomping_checked, "{file}: p-code not read: {:?}", vba.errors);
        let want_stomped = want["stomped"].as_bool().unwrap();
        stomped += usize::from(want_stomped);
        if vba.stomped == want_stomped {
            agree += 1;
        } else {
            disagreements
                .push(format!("{file}: stomped {} (olevba {want_stomped}): {:?}", vba.stomped, vba.pcode_strings_missing_from_source));
        }
        assert_eq!(ids.iter().any(|id| id == "document.vba.stomped"), vba.stomped, "{file}");
        // What FCAS finds missing is what pcodedmp's literals leave out of the sources.
        let sources: String = vba.modules.iter().map(|m| m.source.as_str()).collect::<Vec<_>>().join("\n");
        let want_missing: BTreeSet<String> = strings(&want["pcode_literals"])
            .into_iter()
            .filter(|l| !sources.contains(&format!("\"{}\"", l.replace('"', "\"\""))))
            .collect();
        let missing: BTreeSet<String> = vba.pcode_strings_missing_from_source.iter().map(|s| s.text.clone()).collect();
        assert_eq!(missing, want_missing, "{file}");
    }
    println!("VBA stomping vs olevba on {} files with VBA ({stomped} stomped by olevba): {agree} agree", expected.len());
    for line in &disagreements {
        println!("  disagreement: {line}");
    }
    assert!(stomped > 0, "the corpus holds stomped documents; rebuild it with scripts/make-document-corpus.sh");
    assert_eq!(agree, expected.len(), "{disagreements:#?}");
}

/// The clean corpus workbook with each module's source replaced by `benign` (literal tokens of
/// MS-OVBA compression) and its p-code kept: stomped here, in memory.
fn stomp(ole_bytes: &[u8], benign: &str) -> Vec<u8> {
    let mut ole = cfb::CompoundFile::open(Cursor::new(ole_bytes.to_vec())).unwrap();
    let modules: Vec<std::path::PathBuf> = ole
        .walk()
        .filter(|e| e.is_stream() && e.path().parent().is_some_and(|p| p.ends_with("VBA")))
        .filter(|e| !["dir", "_VBA_PROJECT"].contains(&e.name()) && !e.name().starts_with("__SRP"))
        .map(|e| e.path().to_path_buf())
        .collect();
    for path in modules {
        let mut stream = Vec::new();
        ole.open_stream(&path).unwrap().read_to_end(&mut stream).unwrap();
        // The compressed source starts where the container signature and a chunk header are.
        let Some(at) = (0..stream.len().saturating_sub(3)).rev().find(|&i| stream[i] == 1 && stream[i + 2] & 0xf0 == 0xb0) else {
            continue;
        };
        stream.truncate(at);
        stream.push(1);
        let text = benign.as_bytes();
        let mut chunk = Vec::new();
        for group in text.chunks(8) {
            chunk.push(0);
            chunk.extend_from_slice(group);
        }
        let header = 0xb000u16 | (chunk.len() as u16 + 2 - 3);
        stream.extend(header.to_le_bytes());
        stream.extend(chunk);
        ole.create_stream(&path).unwrap().write_all(&stream).unwrap();
    }
    ole.flush().unwrap();
    ole.into_inner().into_inner()
}

#[test]
fn a_workbook_stomped_in_memory_shows_its_p_code_literals() {
    let Some(corpus) = common::documents() else { return };
    let reference = common::reference("stomping.json");
    let file = "oletools/encrypted/autostart-encrypt-standardpassword.xls";
    let bytes = std::fs::read(corpus.join(file)).unwrap();
    let limits = DocLimits::default();
    let (clean, _) = fcas_vba(&bytes, &limits).unwrap();
    assert!(!clean.stomped && clean.stomping_checked);
    let (stomped, ids) = fcas_vba(&stomp(&bytes, "Attribute VB_Name = \"Modul1\"\r\nSub Nothing()\r\nEnd Sub\r\n"), &limits).unwrap();
    let missing: Vec<String> = stomped.pcode_strings_missing_from_source.iter().map(|s| s.text.clone()).collect();
    assert_eq!(missing, strings(&reference["files"][file]["pcode_literals"]));
    assert!(stomped.stomped && ids.iter().any(|id| id == "document.vba.stomped"));
}

#[test]
fn a_source_cut_at_the_limit_is_not_taken_for_stomping() {
    let Some(corpus) = common::documents() else { return };
    let bytes = std::fs::read(corpus.join("oletools/encrypted/autostart-encrypt-standardpassword.xls")).unwrap();
    let limits = DocLimits { max_module_source: 20, ..DocLimits::default() };
    let (vba, ids) = fcas_vba(&bytes, &limits).unwrap();
    assert!(!vba.stomped && !vba.stomping_checked);
    assert!(vba.errors.iter().any(|e| e.contains("stomping not determined")), "{:?}", vba.errors);
    assert!(!ids.iter().any(|id| id == "document.vba.stomped"));
}

#[test]
fn stomped_documents_cut_and_flipped_end_in_bounded_time() {
    let Some(corpus) = common::documents() else { return };
    let limits = DocLimits::default();
    for file in common::files(&corpus, "stomped") {
        let bytes = std::fs::read(corpus.join(&file)).unwrap();
        let started = Instant::now();
        for cut in (0..bytes.len()).step_by(bytes.len() / 50 + 1) {
            let _ = fcas_vba(&bytes[..cut], &limits);
        }
        for at in (0..bytes.len()).step_by(bytes.len() / 300 + 1) {
            let mut broken = bytes.clone();
            broken[at] ^= 0xa5;
            let _ = fcas_vba(&broken, &limits);
        }
        assert!(started.elapsed() < Duration::from_secs(60), "{file}");
    }
}
