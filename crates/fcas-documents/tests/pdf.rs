//! PDF analysis against the reference tools' outputs (pdfid 1.1.3 for keyword counts, pypdf for
//! JavaScript, URIs, embedded files and encryption; see scripts/document-reference-pdf.py), and
//! hostile inputs that must come back in bounded time without a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::time::{Duration, Instant};

use fcas_documents::{analyze, embedded, DocLimits, Findings};
use fcas_report::{Format, PdfReport, Severity};
use sha2::{Digest, Sha256};

fn run(bytes: &[u8]) -> (Findings, PdfReport) {
    let findings = analyze(Format::Pdf, bytes, &DocLimits::default()).expect("a PDF is analysed");
    let pdf = findings.pdf.clone().expect("pdf part");
    (findings, pdf)
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn strings(value: &serde_json::Value) -> BTreeSet<String> {
    value.as_array().map(|items| items.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

#[test]
fn keyword_counts_agree_with_pdfid_on_every_corpus_pdf() {
    let Some(corpus) = common::documents() else { return };
    let reference = common::reference("pdf.json");
    let files = reference["files"].as_object().unwrap();
    assert!(files.len() >= 70, "{} reference files", files.len());
    let mut agreeing = 0;
    let mut mismatches = Vec::new();
    for (name, expected) in files {
        let bytes = std::fs::read(corpus.join(name)).unwrap();
        let (_, pdf) = run(&bytes);
        assert!(!expected["error"].as_bool().unwrap(), "pdfid failed on {name}");
        let mut same = true;
        for (keyword, count) in expected["keywords"].as_object().unwrap() {
            let ours = pdf.keywords.get(keyword).copied().unwrap_or(u64::MAX);
            let inside = pdf.keywords_in_object_streams.get(keyword).copied().unwrap_or(0);
            if ours - inside != count.as_u64().unwrap() {
                same = false;
                mismatches.push(format!("{name}: {keyword} ours {} (+{inside} in object streams), pdfid {count}", ours - inside));
            }
        }
        let hexcodes: BTreeMap<String, u64> =
            expected["hexcodes"].as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_u64().unwrap())).collect();
        let raw_hex: BTreeMap<String, u64> = pdf.hex_escaped_keywords.clone();
        if hexcodes != raw_hex {
            same = false;
            mismatches.push(format!("{name}: hex-escaped {raw_hex:?}, pdfid {hexcodes:?}"));
        }
        let header = expected["header"].as_str().unwrap();
        assert_eq!(format!("%PDF-{}", pdf.version), header.trim_end(), "{name}");
        agreeing += usize::from(same);
    }
    eprintln!("pdfid agreement: {agreeing}/{} files", files.len());
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
}

/// Byte strings made to stress pdfid's rules (see scripts/document-reference-pdf.py): escapes,
/// `#` that is no escape, `/Colors` values, byte 0xDF.
#[test]
fn keyword_counts_agree_with_pdfid_on_edge_case_strings() {
    let reference = common::reference("pdf.json");
    let cases = reference["synthetic"].as_array().unwrap();
    assert!(cases.len() >= 300);
    for case in cases {
        let text = case["hex"].as_str().unwrap();
        let bytes: Vec<u8> = (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect();
        let (_, pdf) = run(&bytes);
        for (keyword, count) in case["keywords"].as_object().unwrap() {
            assert_eq!(pdf.keywords.get(keyword).copied(), count.as_u64(), "{keyword} in {:?}", String::from_utf8_lossy(&bytes));
        }
        let hexcodes: BTreeMap<String, u64> =
            case["hexcodes"].as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_u64().unwrap())).collect();
        assert_eq!(pdf.hex_escaped_keywords, hexcodes, "{:?}", String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn object_stream_counts_agree_with_pdfid_over_pypdf_decoded_object_streams() {
    let Some(corpus) = common::documents() else { return };
    let reference = common::reference("pdf.json");
    let (mut files, mut with_keywords) = (0, 0);
    for (name, expected) in reference["files"].as_object().unwrap() {
        let Some(theirs) = expected["pypdf"]["keywords_in_object_streams"].as_object() else { continue };
        files += 1;
        let (_, pdf) = run(&std::fs::read(corpus.join(name)).unwrap());
        for keyword in expected["keywords"].as_object().unwrap().keys() {
            let count = theirs.get(keyword).and_then(serde_json::Value::as_u64).unwrap_or(0);
            let ours = pdf.keywords_in_object_streams.get(keyword).copied().unwrap_or(u64::MAX);
            assert_eq!(ours, count, "{name}: {keyword} inside object streams");
        }
        with_keywords += usize::from(theirs.values().any(|count| count.as_u64() != Some(0)));
    }
    eprintln!("object stream counts: {files} files agree, {with_keywords} with keywords inside object streams");
    assert!(files >= 40 && with_keywords >= 10, "{files} files, {with_keywords} with keywords inside");
}

#[test]
fn javascript_uris_and_embedded_files_agree_with_pypdf() {
    let Some(corpus) = common::documents() else { return };
    let reference = common::reference("pdf.json");
    let (mut scripts, mut uris, mut files) = (0, 0, 0);
    for (name, expected) in reference["files"].as_object().unwrap() {
        let view = &expected["pypdf"];
        if view["encrypted"].as_bool() != Some(false) {
            continue;
        }
        let bytes = std::fs::read(corpus.join(name)).unwrap();
        let (findings, pdf) = run(&bytes);
        let ours: BTreeSet<String> = pdf.javascript.iter().map(|script| script.source.clone()).collect();
        let theirs = strings(&view["javascript"]);
        assert_eq!(ours, theirs, "{name}: JavaScript");
        scripts += theirs.len();
        let ours: BTreeSet<String> = pdf.uris.iter().cloned().collect();
        assert_eq!(ours, strings(&view["uris"]), "{name}: URIs");
        uris += ours.len();
        for uri in &pdf.uris {
            assert!(findings.decoded_text.contains(uri), "{name}: {uri} not in decoded_text");
        }
        let mut theirs: Vec<(String, u64, Option<String>)> = view["embedded"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["sha256"].as_str().unwrap().to_string(), e["size"].as_u64().unwrap(), e["name"].as_str().map(str::to_string)))
            .collect();
        theirs.sort();
        // A stream pypdf names no file specification for carries a name of ours: compare
        // names only where the reference has one.
        let reference_named: BTreeSet<&str> = theirs.iter().filter(|e| e.2.is_some()).map(|e| e.0.as_str()).collect();
        let mut ours: Vec<(String, u64, Option<String>)> = findings
            .document
            .embedded
            .iter()
            .map(|e| (e.sha256.clone(), e.size, reference_named.contains(e.sha256.as_str()).then(|| e.name.clone())))
            .collect();
        ours.sort();
        assert_eq!(findings.document.embedded.len(), theirs.len(), "{name}: embedded files");
        assert_eq!(ours, theirs, "{name}: embedded files");
        let payloads = embedded(Format::Pdf, &bytes, &DocLimits::default());
        let mut handed: Vec<(String, u64)> = payloads.payloads.iter().map(|p| (sha256(&p.bytes), p.bytes.len() as u64)).collect();
        handed.sort();
        let expected: Vec<(String, u64)> = theirs.iter().map(|(sha, size, _)| (sha.clone(), *size)).collect();
        assert_eq!(handed, expected, "{name}: embedded() payloads");
        files += theirs.len();
    }
    eprintln!("pypdf agreement: {scripts} scripts, {uris} URIs, {files} embedded files");
    assert!(scripts >= 20 && uris >= 500 && files >= 1, "{scripts} scripts, {uris} URIs, {files} files compared");
}

#[test]
fn encryption_agrees_with_pypdf() {
    let Some(corpus) = common::documents() else { return };
    let reference = common::reference("pdf.json");
    let mut checked = 0;
    for (name, expected) in reference["files"].as_object().unwrap() {
        let view = &expected["pypdf"];
        let (findings, _) = run(&std::fs::read(corpus.join(name)).unwrap());
        let scheme = findings.document.encryption.as_deref();
        if view["encrypted"].as_bool() == Some(true) {
            let version = view["encrypt"]["V"].as_u64().unwrap();
            let method = view["encrypt"]["CFM"].as_str();
            let expected_scheme = match (version, method) {
                (1..=3, _) | (4, Some("/V2")) => "pdf-rc4",
                (4, Some("/AESV2" | "/AESV3")) | (5 | 6, _) => "pdf-aes",
                other => panic!("{name}: unexpected encryption {other:?}"),
            };
            assert!(findings.document.encrypted, "{name}");
            assert_eq!(scheme, Some(expected_scheme), "{name}");
            checked += 1;
        } else if view["message"].as_str().is_some_and(|m| m.contains("AES")) {
            assert!(findings.document.encrypted, "{name}");
            assert_eq!(scheme, Some("pdf-aes"), "{name}");
            checked += 1;
        } else {
            assert!(!findings.document.encrypted, "{name}");
        }
    }
    assert!(checked >= 20, "{checked} encrypted files");
}

#[test]
fn attachment_is_named_by_its_file_specification() {
    let Some(corpus) = common::documents() else { return };
    let bytes = std::fs::read(corpus.join("pdf/attachment.pdf")).unwrap();
    let payloads = embedded(Format::Pdf, &bytes, &DocLimits::default());
    assert_eq!(payloads.payloads.len(), 1);
    // The name is whatever the /F or /UF string says; it must not be our fallback.
    assert!(!payloads.payloads[0].name.starts_with("embedded"), "{}", payloads.payloads[0].name);
    let (findings, _) = run(&bytes);
    assert!(findings.indicators.iter().any(|i| i.id == "pdf.embedded_file"));
}

// Hand-built documents.

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn stream_object(number: u32, dictionary: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("{number} 0 obj\n<< {dictionary} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    out
}

#[test]
fn obfuscated_javascript_in_a_compressed_stream_run_on_open() {
    let mut pdf =
        b"%PDF-1.6\n1 0 obj\n<< /Type /Catalog /Open#41ction 2 0 R >>\nendobj\n2 0 obj\n<< /S /J#61vaScript /#4AS 3 0 R >>\nendobj\n"
            .to_vec();
    pdf.extend(stream_object(3, "/Filter [/AHx /Fl]", hex(&zlib(b"app.launchURL('http://evil.example/x');")).as_bytes()));
    pdf.extend_from_slice(b"trailer << /Root 1 0 R >>\n%%EOF\n");
    let (findings, report) = run(&pdf);
    assert_eq!(report.javascript.len(), 1);
    assert_eq!(report.javascript[0].source, "app.launchURL('http://evil.example/x');");
    assert_eq!(report.javascript[0].object, Some(3));
    assert_eq!(report.keywords["/JS"], 1);
    assert_eq!(report.keywords["/OpenAction"], 1);
    assert_eq!(report.hex_escaped_keywords.get("/JavaScript"), Some(&1));
    assert!(findings.decoded_text.iter().any(|t| t.contains("http://evil.example/x")));
    let javascript = findings.indicators.iter().find(|i| i.id == "pdf.javascript").unwrap();
    assert_eq!(javascript.severity, Severity::High);
    assert_eq!(javascript.attack_id.as_deref(), Some("T1059.007"));
    assert!(findings.indicators.iter().any(|i| i.id == "pdf.obfuscated_names" && i.severity == Severity::Medium));
    assert!(findings.indicators.iter().any(|i| i.id == "pdf.openaction" && i.severity == Severity::Low));
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect::<String>() + ">"
}

#[test]
fn launch_uri_and_embedded_file_inside_an_object_stream() {
    let objects: [&[u8]; 3] = [
        b"<< /S /Launch /F (cmd.exe) >>",
        b"<< /S /URI /URI (http://198.51.100.7/a) >>",
        b"<< /Type /Filespec /UF (\xfe\xff\x00i\x00.\x00e\x00x\x00e) /EF << /F 9 0 R >> >>",
    ];
    let first = 32;
    let (second, third) = (objects[0].len() + 1, objects[0].len() + objects[1].len() + 2);
    let mut content = format!("5 0 6 {second} 7 {third}").into_bytes();
    content.resize(first, b' ');
    content.extend_from_slice(&objects.join(&b' '));
    let mut pdf = b"%PDF-1.5\n".to_vec();
    pdf.extend(stream_object(4, &format!("/Type /ObjStm /N 3 /First {first} /Filter /FlateDecode"), &zlib(&content)));
    pdf.extend(stream_object(9, "/Type /EmbeddedFile /Filter /FlateDecode", &zlib(b"MZ payload")));
    let (findings, report) = run(&pdf);
    assert_eq!(report.uris, vec!["http://198.51.100.7/a".to_string()]);
    assert_eq!(report.keywords_in_object_streams["/Launch"], 1);
    assert_eq!(report.keywords["/Launch"], 1);
    assert!(findings.indicators.iter().any(|i| i.id == "pdf.launch" && i.severity == Severity::High));
    assert!(findings.indicators.iter().any(|i| i.id == "pdf.uri" && i.severity == Severity::Info));
    assert_eq!(findings.document.embedded.len(), 1);
    assert_eq!(findings.document.embedded[0].name, "i.exe");
    assert_eq!(findings.document.embedded[0].sha256, sha256(b"MZ payload"));
    let payloads = embedded(Format::Pdf, &pdf, &DocLimits::default());
    assert_eq!(payloads.payloads[0].bytes.as_ref(), b"MZ payload");
    assert_eq!(payloads.payloads[0].class.as_deref(), Some("EmbeddedFile"));
}

#[test]
fn unnamed_embedded_file_gets_a_name_of_ours() {
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.extend(stream_object(1, "/Type /EmbeddedFile", b"plain bytes"));
    let payloads = embedded(Format::Pdf, &pdf, &DocLimits::default());
    assert_eq!(payloads.payloads[0].name, "embedded1.bin");
    assert!(matches!(payloads.payloads[0].bytes, std::borrow::Cow::Borrowed(_)));
}

#[test]
fn javascript_is_cut_at_the_limit() {
    let script = "a".repeat(10_000);
    let pdf = format!("%PDF-1.4\n1 0 obj << /S /JavaScript /JS ({script}) >> endobj\n");
    let limits = DocLimits { max_script_text: 100, ..DocLimits::default() };
    let findings = analyze(Format::Pdf, pdf.as_bytes(), &limits).unwrap();
    let report = findings.pdf.unwrap();
    assert_eq!(report.javascript[0].source.len(), 100);
    assert!(report.javascript[0].truncated);
    assert!(findings.document.truncated.contains(&"pdf.javascript".to_string()));
    let severity = findings.indicators.iter().find(|i| i.id == "pdf.javascript").unwrap().severity;
    assert_eq!(severity, Severity::Medium);
}

/// Runs `bytes` through both entry points and says how long it took.
fn bounded(bytes: &[u8], limits: &DocLimits) -> (Findings, Duration) {
    let start = Instant::now();
    let findings = analyze(Format::Pdf, bytes, limits).unwrap();
    let _ = embedded(Format::Pdf, bytes, limits);
    (findings, start.elapsed())
}

#[test]
fn hostile_inputs_return_quickly() {
    let limits = DocLimits::default();
    // Deep nesting, unterminated strings in every object, endless streams.
    let mut cases: Vec<(&str, Vec<u8>)> = vec![
        ("nesting", [b"%PDF-1.4\n1 0 obj ".to_vec(), b"<<".repeat(1_000_000)].concat()),
        ("unterminated strings", b"1 0 obj (((".repeat(300_000)),
        ("unterminated arrays", b"1 0 obj [ /JS 2 0 R ".repeat(200_000)),
        ("endless streams", b"1 0 obj << /Length 99999999 >> stream\n".repeat(200_000)),
    ];
    // Every object names the same script object: it is decoded once.
    let mut shared = b"%PDF-1.4\n".to_vec();
    shared.extend(stream_object(1, "/Filter /FlateDecode", &zlib(&vec![b'x'; 8 << 20])));
    shared.extend(b"2 0 obj << /JS 1 0 R /URI 1 0 R >> endobj ".repeat(100_000));
    cases.push(("shared script", shared));
    // An object stream whose header names one huge array again and again.
    let mut content = b"1 0 ".repeat(100_000);
    let first = content.len();
    content.extend(b"[ ");
    content.extend(b"1 ".repeat(1_000_000));
    content.extend(b"]");
    let mut repeated = b"%PDF-1.5\n".to_vec();
    repeated.extend(stream_object(5, &format!("/Type /ObjStm /N 100000 /First {first} /Filter /FlateDecode"), &zlib(&content)));
    cases.push(("object stream offsets repeated", repeated));
    // Nothing but object headers.
    cases.push(("headers only", b"1 0 obj ".repeat(1_000_000)));
    // Reference loops.
    cases.push(("reference loop", b"1 0 obj 2 0 R endobj 2 0 obj 1 0 R endobj 3 0 obj << /JS 1 0 R /Encrypt 2 0 R >> endobj".to_vec()));
    // A cross-reference chain pointing at itself is never followed.
    cases.push(("xref loop", b"%PDF-1.4\nxref\n0 1\n0000000000 65535 f \ntrailer << /Prev 9 /Size 1 >>\nstartxref\n9\n%%EOF".to_vec()));
    // Filter bombs: a 1 GiB expansion claimed many times, and an object stream bomb.
    let bomb = zlib(&vec![0u8; 256 << 20]);
    let mut bombs = b"%PDF-1.4\n".to_vec();
    for number in 1..=4 {
        bombs.extend(stream_object(number, "/Type /ObjStm /N 1000000 /First 0 /Filter /FlateDecode", &bomb));
    }
    bombs.extend(b"9 0 obj << /EF << /F 1 0 R >> /F (bomb) >> endobj");
    cases.push(("filter bombs", bombs));
    // Truncated everywhere.
    let mut good = b"%PDF-1.4\n".to_vec();
    good.extend(stream_object(1, "/Filter /FlateDecode /Type /EmbeddedFile", &zlib(b"content")));
    good.extend(
        b"2 0 obj << /S /JavaScript /JS (x) /URI <414243> >> endobj trailer << /Encrypt << /V 4 /CF << /StdCF << /CFM /AESV2 >> >> >> >>",
    );
    for cut in 0..good.len() {
        let _ = bounded(&good[..cut], &limits);
    }
    for (name, bytes) in &cases {
        // Decoding is bounded by the limits; small ones keep this debug-built test quick.
        let limits = if *name == "filter bombs" {
            DocLimits { max_decoded_stream: 4 << 20, max_decoded_total: 16 << 20, ..DocLimits::default() }
        } else {
            limits.clone()
        };
        let (findings, elapsed) = bounded(bytes, &limits);
        eprintln!("{name}: {} bytes in {elapsed:?}", bytes.len());
        assert!(elapsed < Duration::from_secs(20), "{name} took {elapsed:?}");
        if *name == "filter bombs" {
            assert!(findings.document.truncated.contains(&"pdf.streams".to_string()), "{name}: {:?}", findings.document.truncated);
        }
    }
}

#[test]
fn object_count_is_bounded() {
    let limits = DocLimits { max_pdf_objects: 100, ..DocLimits::default() };
    let findings = analyze(Format::Pdf, &b"1 0 obj null endobj ".repeat(10_000), &limits).unwrap();
    assert!(findings.document.truncated.contains(&"pdf.objects".to_string()));
    assert_eq!(findings.pdf.unwrap().keywords["obj"], 10_000);
}

#[test]
fn encryption_scheme_from_the_trailer() {
    let (findings, _) = run(b"%PDF-1.4\n1 0 obj << /Filter /Standard /V 4 /CF << /StdCF << /CFM /AESV2 >> >> /StmF /StdCF >> endobj trailer << /Encrypt 1 0 R >>");
    assert!(findings.document.encrypted);
    assert_eq!(findings.document.encryption.as_deref(), Some("pdf-aes"));
    assert!(findings.errors.iter().any(|e| e.contains("encrypted")));
    let (findings, _) = run(b"%PDF-1.4\ntrailer << /Encrypt << /Filter /Standard /V 2 /R 3 >> >>");
    assert_eq!(findings.document.encryption.as_deref(), Some("pdf-rc4"));
}
