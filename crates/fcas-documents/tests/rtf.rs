//! RTF objects compared with rtfobj (oletools 0.60.2), DDE fields with msodde, over the corpus
//! and over RTF documents built with the format's obfuscation tricks (reference/rtf.json, from
//! scripts/document-reference-rtf.py), and hostile inputs that must end quickly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;

use std::io::Read;
use std::time::{Duration, Instant};

use fcas_documents::{analyze, embedded, DocLimits, Findings};
use fcas_report::Format;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Password of the corpus's encrypted test archives.
const ZIP_PASSWORD: &[u8] = b"infected-test";
const EQUATION_CLSID: &str = "0002CE02-0000-0000-C000-000000000046";

fn findings(bytes: &[u8]) -> Findings {
    analyze(Format::Rtf, bytes, &DocLimits::default()).expect("RTF is analysed")
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn has(findings: &Findings, id: &str) -> bool {
    findings.indicators.iter().any(|indicator| indicator.id == id)
}

/// Objects of one document that agree with the reference, and how many the reference has.
fn agreement(label: &str, bytes: &[u8], reference: &Value) -> (usize, usize) {
    let found = findings(bytes);
    let expected = reference["objects"].as_array().unwrap();
    let mut same = 0;
    for object in expected {
        let Some(ours) = found.document.embedded.iter().find(|ours| ours.sha256 == object["sha256"]) else {
            eprintln!("{label}: rtfobj's {object} not found in {:?}", found.document.embedded);
            continue;
        };
        assert_eq!(ours.size, object["size"].as_u64().unwrap(), "{label}");
        if let Some(class) = object["class"].as_str() {
            assert_eq!(ours.class.as_deref(), Some(class), "{label}: class");
        }
        if object["is_package"] == true {
            assert_eq!(Some(ours.name.as_str()), object["filename"].as_str(), "{label}: package file name");
        }
        same += 1;
    }
    // What `embedded` hands out is what the report lists.
    let payloads = embedded(Format::Rtf, bytes, &DocLimits::default());
    let listed: Vec<&str> = found.document.embedded.iter().map(|e| e.sha256.as_str()).collect();
    let handed: Vec<String> = payloads.payloads.iter().map(|p| sha256(&p.bytes)).collect();
    assert_eq!(listed, handed, "{label}: payloads and report entries");
    // Equation Editor objects as rtfobj sees them: by class, by root CLSID, by stream.
    let equation = expected.iter().any(|object| {
        object["class"].as_str().is_some_and(|c| ["equation", "equation.2", "equation.3"].contains(&c.to_lowercase().as_str()))
            || object["clsid"] == EQUATION_CLSID
            || object["streams"].as_array().unwrap().iter().any(|s| s == "Equation Native")
    });
    assert_eq!(has(&found, "document.rtf.equation_editor"), equation, "{label}: Equation Editor indicator");
    assert_eq!(has(&found, "document.rtf.embedded_object"), !expected.is_empty() || !listed.is_empty(), "{label}");
    let ole2link = expected.iter().any(|object| object["class"] == "OLE2Link");
    assert_eq!(has(&found, "document.rtf.ole_link"), ole2link, "{label}: OLE link indicator");
    // DDE fields as msodde sees them.
    let dde: Vec<&str> = reference["dde"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert_eq!(found.document.dde, dde, "{label}: DDE fields");
    assert_eq!(has(&found, "document.rtf.dde"), !dde.is_empty(), "{label}");
    (same, expected.len())
}

fn read_corpus_document(corpus: &std::path::Path, document: &Value) -> Vec<u8> {
    let bytes = std::fs::read(corpus.join(document["path"].as_str().unwrap())).unwrap();
    match document["member"].as_str() {
        None => bytes,
        Some(member) => {
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            let mut file = archive.by_name_decrypt(member, ZIP_PASSWORD).unwrap();
            let mut content = Vec::new();
            file.read_to_end(&mut content).unwrap();
            content
        }
    }
}

fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let digits: Vec<u8> = text.bytes().filter(|&c| c != b'=').map(value).collect();
    digits
        .chunks(4)
        .flat_map(|chunk| {
            let bits = chunk.iter().enumerate().fold(0u32, |bits, (i, &d)| bits | u32::from(d) << (18 - 6 * i));
            bits.to_be_bytes()[1..chunk.len()].to_vec()
        })
        .collect()
}

fn built() -> Vec<(String, Vec<u8>, Value)> {
    let reference = common::reference("rtf.json");
    reference["built"]
        .as_array()
        .unwrap()
        .iter()
        .map(|document| {
            let name = document["name"].as_str().unwrap().to_string();
            (name, base64(document["rtf_base64"].as_str().unwrap()), document.clone())
        })
        .collect()
}

#[test]
fn corpus_objects_agree_with_rtfobj() {
    let Some(corpus) = common::documents() else { return };
    let reference = common::reference("rtf.json");
    let documents = reference["documents"].as_array().unwrap();
    assert!(documents.len() >= 3, "the corpus's RTF documents are in the reference");
    let (mut same, mut total) = (0, 0);
    for document in documents {
        let bytes = read_corpus_document(&corpus, document);
        let (agree, of) = agreement(document["path"].as_str().unwrap(), &bytes, document);
        same += agree;
        total += of;
    }
    eprintln!("corpus: {same} of {total} rtfobj objects found alike");
    assert!(total > 0);
    assert!(same * 100 >= total * 95, "{same} of {total}");
}

#[test]
fn built_documents_agree_with_rtfobj() {
    let (mut same, mut total) = (0, 0);
    for (name, bytes, document) in built() {
        let (agree, of) = agreement(&name, &bytes, &document);
        same += agree;
        total += of;
    }
    eprintln!("built documents: {same} of {total} rtfobj objects found alike");
    assert!(total >= 14);
    assert!(same * 100 >= total * 95, "{same} of {total}");
}

#[test]
fn tricks_raise_their_indicators() {
    for (name, bytes, _) in built() {
        let found = findings(&bytes);
        let obfuscated = name.starts_with("hex_") || name == "odd_digit_and_noise";
        assert_eq!(has(&found, "document.rtf.objdata_obfuscated"), obfuscated, "{name}: {:?}", found.indicators);
        let objupdate = bytes.windows(10).any(|word| word == b"\\objupdate");
        assert_eq!(has(&found, "document.rtf.objupdate"), objupdate, "{name}");
        assert_eq!(has(&found, "document.rtf.header_obfuscated"), name.starts_with("rtx_header"), "{name}");
        let executable = found.document.embedded.iter().any(|e| e.name.ends_with(".exe") || e.name.ends_with(".vbs"));
        assert_eq!(has(&found, "document.rtf.executable_package"), executable, "{name}");
    }
}

#[test]
fn records_after_the_first_are_objects_too() {
    let (_, bytes, document) = built().into_iter().find(|(name, _, _)| name == "two_records_in_one_objdata").unwrap();
    let found = findings(&bytes);
    // rtfobj reads the first record only; the second is the packaged executable.
    assert_eq!(document["objects"].as_array().unwrap().len(), 1);
    let names: Vec<&str> = found.document.embedded.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["invoice.vbs", "update.exe"]);
}

#[test]
fn remote_template_is_an_external_relationship() {
    let (_, bytes, _) = built().into_iter().find(|(name, _, _)| name == "two_objects_remote_template").unwrap();
    let found = findings(&bytes);
    let targets: Vec<&str> = found.document.external_relationships.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(targets, ["http://203.0.113.7/t.dotm"]);
    assert!(has(&found, "document.rtf.remote_template"));
    assert!(found.decoded_text.iter().any(|text| text.contains("203.0.113.7")));
}

#[test]
fn field_instructions_are_searched_for_iocs() {
    let (_, bytes, _) = built().into_iter().find(|(name, _, _)| name == "hyperlink_field").unwrap();
    let found = findings(&bytes);
    assert!(found.document.dde.is_empty());
    assert!(found.decoded_text.iter().any(|text| text.contains("http://198.51.100.3/x")), "{:?}", found.decoded_text);
}

#[test]
fn ole2link_url_is_an_external_relationship() {
    let (_, bytes, document) = built().into_iter().find(|(name, _, _)| name == "ole2link_url_moniker").unwrap();
    assert_eq!(document["objects"][0]["streams"][0], "\u{1}Ole");
    let found = findings(&bytes);
    let links: Vec<(&str, &str)> = found.document.external_relationships.iter().map(|r| (r.kind.as_str(), r.target.as_str())).collect();
    assert_eq!(links, [("oleLink", "http://192.0.2.10/doc.hta")]);
    assert!(found.decoded_text.iter().any(|text| text == "http://192.0.2.10/doc.hta"));
}

fn bounded(label: &str, bytes: &[u8], limits: &DocLimits) -> Findings {
    let started = Instant::now();
    let found = analyze(Format::Rtf, bytes, limits).unwrap();
    let _ = embedded(Format::Rtf, bytes, limits);
    assert!(started.elapsed() < Duration::from_secs(20), "{label}: {:?}", started.elapsed());
    assert!(found.errors.iter().all(|e| !e.contains("panic")), "{label}: {:?}", found.errors);
    found
}

#[test]
fn absurd_nesting_is_bounded() {
    let mut rtf = b"{\\rtf1".to_vec();
    rtf.extend(std::iter::repeat_n(b'{', 1_000_000));
    rtf.extend(std::iter::repeat_n(&b"{\\*\\objdata 0105"[..], 20_000).flatten());
    let found = bounded("nesting", &rtf, &DocLimits::default());
    assert!(found.document.truncated.iter().any(|t| t == "rtf.nesting"), "{:?}", found.document.truncated);
}

#[test]
fn endless_hex_is_capped() {
    let mut rtf = b"{\\rtf1{\\object{\\*\\objdata ".to_vec();
    rtf.extend(std::iter::repeat_n(b'f', 8_000_000));
    let limits = DocLimits { max_decoded_stream: 1 << 20, ..DocLimits::default() };
    let found = bounded("hex", &rtf, &limits);
    assert!(found.document.truncated.iter().any(|t| t == "rtf.objdata"));
    assert_eq!(found.document.embedded[0].size, 1 << 20);
}

#[test]
fn many_objects_are_capped() {
    let rtf: Vec<u8> = std::iter::repeat_n(&b"{\\*\\objdata 0102}"[..], 50_000).flatten().copied().collect();
    let limits = DocLimits { max_items: 100, ..DocLimits::default() };
    let found = bounded("objects", &rtf, &limits);
    assert_eq!(found.document.embedded.len(), 100);
    assert!(found.document.truncated.iter().any(|t| t == "rtf.objects"));
}

#[test]
fn truncated_records_and_documents_never_panic() {
    for (name, bytes, _) in built() {
        for cut in (0..bytes.len()).step_by(61) {
            bounded(&name, &bytes[..cut], &DocLimits::default());
        }
    }
    // OLE1 records whose lengths lie: a class name, a native data size past the end.
    for record in ["0105000002000000ffffffff", "0105000002000000080000005061636b61676500000000000000000000ffffff7f00"] {
        let rtf = format!("{{\\rtf1{{\\object{{\\*\\objdata {record}}}}}}}");
        let found = bounded(record, rtf.as_bytes(), &DocLimits::default());
        // Not a record: the decoded bytes themselves are the object.
        assert_eq!(found.document.embedded.len(), 1);
        assert_eq!(found.document.embedded[0].class, None);
    }
}
