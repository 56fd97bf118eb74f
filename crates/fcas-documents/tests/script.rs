//! Scripts: the payloads decoded equal those Python's base64 module decodes from the corpus
//! scripts (`expected.json`, written by scripts/documents/scripts.sh), languages are told apart,
//! the indicators follow, and hostile scripts (megabytes of Base64, deep nesting) stay bounded.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;

use std::time::{Duration, Instant};

use fcas_documents::{analyze, embedded, DocLimits, Findings};
use fcas_report::Format;

fn script(bytes: &[u8], limits: &DocLimits) -> Findings {
    analyze(Format::Script, bytes, limits).expect("a script is a document")
}

fn ids(findings: &Findings) -> Vec<String> {
    findings.indicators.iter().map(|i| i.id.clone()).collect()
}

#[test]
fn decoded_payloads_agree_with_python_base64() {
    let Some(corpus) = common::documents() else { return };
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(corpus.join("scripts/expected.json")).unwrap()).unwrap();
    let files = expected["files"].as_object().unwrap();
    assert!(files.len() >= 6);
    let (mut payloads, mut languages) = (0, 0);
    for (path, want) in files {
        let findings = script(&std::fs::read(corpus.join(path)).unwrap(), &DocLimits::default());
        assert!(findings.errors.is_empty(), "{path}: {:?}", findings.errors);
        let report = findings.script.unwrap();
        assert_eq!(report.language, want["language"].as_str().unwrap(), "{path}: language");
        languages += 1;
        let mut ours: Vec<(String, String, u64)> = report.decoded.iter().map(|d| (d.encoding.clone(), d.sha256.clone(), d.size)).collect();
        let mut theirs: Vec<(String, String, u64)> = want["decoded"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["encoding"].as_str().unwrap().to_string(), d["sha256"].as_str().unwrap().to_string(), d["size"].as_u64().unwrap()))
            .collect();
        ours.sort();
        theirs.sort();
        assert_eq!(ours, theirs, "{path}: decoded payloads");
        payloads += theirs.len();
    }
    assert!(payloads >= 7, "{payloads} payloads compared");
    assert_eq!(languages, files.len());
}

#[test]
fn corpus_scripts_raise_what_they_do() {
    let Some(corpus) = common::documents() else { return };
    let read = |name: &str| script(&std::fs::read(corpus.join("scripts").join(name)).unwrap(), &DocLimits::default());
    let cases: [(&str, &[&str]); 6] = [
        ("ps-encoded.ps1", &["script.encoded_payload", "script.powershell_encoded", "script.download_execute"]),
        ("ps-frombase64.ps1", &["script.encoded_payload", "script.obfuscation"]),
        ("vbs-chr.vbs", &["script.obfuscation", "script.download_execute"]),
        ("js-split.js", &["script.encoded_payload", "script.obfuscation"]),
        ("bat-obf.bat", &["script.obfuscation", "script.download_execute"]),
        ("invoice.hta", &["script.powershell_encoded"]),
    ];
    for (name, wanted) in cases {
        let found = ids(&read(name));
        for id in wanted {
            assert!(found.contains(&id.to_string()), "{name}: {id} missing from {found:?}");
        }
    }
    let signs = |name: &str| -> Vec<String> { read(name).script.unwrap().obfuscation.into_iter().map(|s| s.sign).collect() };
    assert!(signs("vbs-chr.vbs").contains(&"chr-chain".to_string()));
    assert!(signs("js-split.js").contains(&"from-char-code".to_string()));
    assert!(signs("js-split.js").contains(&"string-splitting".to_string()));
    assert!(signs("ps-frombase64.ps1").contains(&"char-cast-join".to_string()));
    assert!(signs("ps-frombase64.ps1").contains(&"backtick-escape".to_string()));
    assert!(signs("bat-obf.bat").contains(&"substring-variable".to_string()));
    assert!(signs("bat-obf.bat").contains(&"caret-escape".to_string()));
    // The decoded command's URL reaches the IOC extraction.
    assert!(read("ps-encoded.ps1").decoded_text.iter().any(|t| t.contains("http://example.invalid/stage2.ps1")));
    // The Base64 file is handed out as a child; the texts are not.
    let bytes = std::fs::read(corpus.join("scripts/ps-frombase64.ps1")).unwrap();
    let children = embedded(Format::Script, &bytes, &DocLimits::default());
    assert!(children.payloads.iter().any(|p| p.bytes.starts_with(b"MZ")), "{:?}", children.payloads.len());
}

#[test]
fn megabytes_of_base64_are_bounded() {
    let started = Instant::now();
    // One 12 MB run: decoded once, within the per-stream cap.
    let run = "QUJD".repeat(3 << 20);
    let findings = script(format!("$x = '{run}'").as_bytes(), &DocLimits::default());
    let report = findings.script.unwrap();
    assert_eq!(report.decoded.len(), 1);
    assert_eq!(report.decoded[0].size, 9 << 20);
    assert!(report.decoded[0].text.as_ref().unwrap().len() < 8192);
    // Under a smaller cap, skipped and said so.
    let small = DocLimits { max_decoded_stream: 1 << 20, ..DocLimits::default() };
    let findings = script(format!("$x = '{run}'").as_bytes(), &small);
    assert!(findings.script.unwrap().decoded.is_empty());
    assert!(findings.document.truncated.contains(&"script.decoded".to_string()));
    // A hundred thousand short runs: the count is capped.
    let many = vec!["SGVsbG8gd29ybGQsIHRoaXMgaXMgYSB0ZXN0IHN0cmluZy4="; 100_000].join("\n");
    let findings = script(many.as_bytes(), &DocLimits::default());
    assert_eq!(findings.script.unwrap().decoded.len(), DocLimits::default().max_decoded_payloads);
    assert!(findings.document.truncated.contains(&"script.decoded".to_string()));
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
}

#[test]
fn nested_encodings_stop_at_a_fixed_depth() {
    use base64::Engine;
    let mut text = "Write-Host 'the innermost layer of a deeply nested test payload'".to_string();
    // Eight rounds of three layers: 24 encodings, a few kilobytes.
    for _ in 0..8 {
        let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
        text = format!("powershell -enc {}", base64::engine::general_purpose::STANDARD.encode(encoded.as_bytes()));
        text = format!("$s = '{}'", base64::engine::general_purpose::STANDARD.encode(text.as_bytes()));
    }
    let started = Instant::now();
    let findings = script(text.as_bytes(), &DocLimits::default());
    let report = findings.script.unwrap();
    assert!(!report.decoded.is_empty() && report.decoded.len() <= 3, "{}", report.decoded.len());
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn garbage_is_a_value() {
    for bytes in [&b""[..], b"\xff\xfe", b"\xff\xfe\x00", &[0u8; 4096], b"-enc ====", b"-e AAAA -e //// -e +"] {
        let findings = script(bytes, &DocLimits::default());
        assert!(findings.script.is_some());
    }
}
