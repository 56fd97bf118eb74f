//! Exports of made-up samples (a container holding a malicious file, a file outside the export)
//! checked for their structure and, when the validators are installed
//! (`scripts/exchange-validate.sh setup`), by strict STIX validation and MISP's object templates;
//! imports of every format and of hostile input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
use std::path::{Path, PathBuf};
use std::process::Command;

use fcas_exchange::misp::{self, EventInfo};
use fcas_exchange::{read_known, stix, HashKind, ImportError, ImportLimits, ListFormat, Sample};
use fcas_report::{ChildRef, Indicator, Severity, Verdict};
use serde_json::Value;

fn hex(seed: u8, len: usize) -> String {
    format!("{seed:02x}").repeat(len / 2)
}

fn sample(seed: u8, name: &str, label: Option<&str>) -> Sample {
    let mut sample = Sample {
        name: name.into(),
        size: 1000 + u64::from(seed),
        format: "pe".into(),
        engine_version: "0.1.0".into(),
        analysed_at: "2026-12-06T11:16:12.000Z".into(),
        ..Sample::default()
    };
    sample.hashes.md5 = hex(seed, 32);
    sample.hashes.sha1 = hex(seed, 40);
    sample.hashes.sha256 = hex(seed, 64);
    sample.hashes.sha512 = hex(seed, 128);
    sample.hashes.ssdeep = Some("3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C".into());
    sample.hashes.tlsh = Some(format!("T1{}", "A".repeat(70)));
    sample.verdict = label.map(|label| Verdict {
        label: label.into(),
        score: Some(0.93),
        models: vec!["malconv".into()],
        reasons: vec!["MalConv scored it 0.93.".into()],
        ..Verdict::default()
    });
    sample.indicators = vec![Indicator {
        id: "pe.injection.apis".into(),
        severity: Severity::High,
        title: "Imports process injection APIs".into(),
        evidence: Vec::new(),
        attack_id: Some("T1055".into()),
    }];
    sample
}

/// `outer.zip` holding `evil.exe` (exported, malicious) and `other.dll` (not exported).
fn samples() -> Vec<Sample> {
    let evil = sample(0xab, "evil.exe", Some("malicious"));
    let mut zip = sample(0x01, "outer.zip", Some("benign"));
    zip.format = "zip".into();
    zip.indicators.clear();
    zip.children = vec![
        ChildRef {
            name: "evil.exe".into(),
            sha256: evil.hashes.sha256.clone(),
            size: evil.size,
            format: "pe".into(),
            ..ChildRef::default()
        },
        ChildRef { name: "other.dll".into(), sha256: hex(0x77, 64), size: 12, format: "pe".into(), ..ChildRef::default() },
    ];
    vec![zip, evil, sample(0x02, "plain.bin", None)]
}

fn of_type<'a>(bundle: &'a Value, kind: &str) -> Vec<&'a Value> {
    bundle["objects"].as_array().unwrap().iter().filter(|o| o["type"] == kind).collect()
}

#[test]
fn stix_bundle_links_files_analyses_and_indicators() {
    let bundle = stix::bundle(&samples(), "2026-12-06T12:00:00.000Z");
    assert_eq!(bundle, stix::bundle(&samples(), "2026-12-06T12:00:00.000Z"), "exports are repeatable");
    let files = of_type(&bundle, "file");
    assert_eq!(files.len(), 4, "three samples and the child outside the export");
    let zip = files.iter().find(|f| f["name"] == "outer.zip").unwrap();
    let evil = files.iter().find(|f| f["name"] == "evil.exe").unwrap();
    let other = files.iter().find(|f| f["name"] == "other.dll").unwrap();
    let contains: Vec<&Value> = zip["contains_refs"].as_array().unwrap().iter().collect();
    assert!(contains.contains(&&evil["id"]) && contains.contains(&&other["id"]));
    assert_eq!(evil["hashes"]["TLSH"].as_str().unwrap().len(), 70);
    assert_eq!(evil["hashes"]["SHA-512"].as_str().unwrap().len(), 128);

    let analyses = of_type(&bundle, "malware-analysis");
    assert_eq!(analyses.len(), 3);
    let results: Vec<&str> = analyses.iter().map(|a| a["result"].as_str().unwrap()).collect();
    assert_eq!(results, ["benign", "malicious", "unknown"]);
    let evil_analysis = analyses.iter().find(|a| a["sample_ref"] == evil["id"]).unwrap();
    let ours = &evil_analysis["extensions"][stix::EXTENSION_ID];
    assert_eq!(ours["indicators"][0]["attack_id"], "T1055");
    assert_eq!(ours["score"], 0.93);

    let indicators = of_type(&bundle, "indicator");
    assert_eq!(indicators.len(), 1, "only the malicious sample");
    assert!(indicators[0]["pattern"].as_str().unwrap().contains(&hex(0xab, 64)));
    let relationships: Vec<&str> = of_type(&bundle, "relationship").iter().map(|r| r["relationship_type"].as_str().unwrap()).collect();
    assert_eq!(relationships, ["indicates", "static-analysis-of"]);
}

#[test]
fn misp_event_has_template_objects_tags_and_references() {
    let info = EventInfo { info: "FCAS export".into(), date: "2026-12-06".into(), timestamp: 1_796_555_772 };
    let event = misp::event(&samples(), &info);
    let event = &event["Event"];
    assert_eq!(event["threat_level_id"], "1");
    let objects = event["Object"].as_array().unwrap();
    assert_eq!(objects.len(), 4);
    for object in objects {
        assert_eq!(object["template_uuid"], misp::FILE_TEMPLATE_UUID);
        assert_eq!(object["template_version"], misp::FILE_TEMPLATE_VERSION);
    }
    let value = |object: &Value, relation: &str| -> Option<String> {
        object["Attribute"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["object_relation"] == relation)
            .map(|a| a["value"].as_str().unwrap().to_string())
    };
    let zip = objects.iter().find(|o| value(o, "filename").as_deref() == Some("outer.zip")).unwrap();
    let references = zip["ObjectReference"].as_array().unwrap();
    assert_eq!(references.len(), 2);
    let uuids: Vec<&Value> = objects.iter().map(|o| &o["uuid"]).collect();
    assert!(references.iter().all(|r| r["relationship_type"] == "contains" && uuids.contains(&&r["referenced_uuid"])));
    let tags: Vec<&str> = event["Tag"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert!(tags.contains(&"misp-galaxy:mitre-attack-pattern=\"Process Injection - T1055\""), "{tags:?}");
    assert!(tags.contains(&"fcas:verdict=\"malicious\""));
}

fn validator() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let installed = root.join("target/venv-exchange/.fcas-exchange-1").exists();
    if !installed && std::env::var_os("FCAS_REQUIRE_EXCHANGE").is_none() {
        eprintln!("skipped: the exchange validators are not installed (scripts/exchange-validate.sh setup)");
        return None;
    }
    Some(root.join("scripts/exchange-validate.sh"))
}

fn validate(script: &Path, kind: &str, document: &Value) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("export.{kind}.json"));
    std::fs::write(&file, serde_json::to_vec_pretty(document).unwrap()).unwrap();
    let output = Command::new(script).arg(kind).arg(&file).output().unwrap();
    assert!(
        output.status.success(),
        "{kind} validation failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn exports_pass_the_reference_validators() {
    let Some(script) = validator() else { return };
    validate(&script, "stix", &stix::bundle(&samples(), "2026-12-06T12:00:00.000Z"));
    let info = EventInfo { info: "FCAS export".into(), date: "2026-12-06".into(), timestamp: 1_796_555_772 };
    validate(&script, "misp", &misp::event(&samples(), &info));
}

#[test]
fn exports_read_back_as_known_files() {
    let limits = ImportLimits::default();
    let bundle = serde_json::to_vec(&stix::bundle(&samples(), "2026-12-06T12:00:00.000Z")).unwrap();
    let imported = read_known(&bundle, "intel", &limits).unwrap();
    assert_eq!(imported.format, ListFormat::Stix);
    let evil = hex(0xab, 64);
    assert!(imported
        .entries
        .iter()
        .any(|e| e.hash == evil && e.hash_kind == HashKind::Sha256 && e.tags.contains(&"malicious-activity".into())));
    assert!(imported.entries.iter().any(|e| e.hash == hex(0xab, 32) && e.hash_kind == HashKind::Md5 && e.name == "evil.exe"));

    let info = EventInfo { info: "FCAS export".into(), date: "2026-12-06".into(), timestamp: 0 };
    let event = serde_json::to_vec(&misp::event(&samples(), &info)).unwrap();
    let imported = read_known(&event, "misp-feed", &limits).unwrap();
    assert_eq!(imported.format, ListFormat::Misp);
    let entry = imported.entries.iter().find(|e| e.hash == evil).unwrap();
    assert_eq!((entry.name.as_str(), entry.source.as_str()), ("evil.exe", "misp-feed"));
    assert!(entry.tags.iter().any(|t| t.contains("T1055")));
    // md5, sha1 and sha256 of three samples and the sha256 of the child outside the export.
    assert_eq!(imported.entries.len(), 10);
}

#[test]
fn hash_lists_take_comments_names_and_skip_garbage() {
    let text = format!(
        "# known bad\n{}  dropper.exe\n{}\n\n{} # trailing comment\nnot-a-hash\n{}\n",
        "A".repeat(32),
        "b".repeat(40),
        "c".repeat(64),
        "d".repeat(63)
    );
    let imported = read_known(text.as_bytes(), "list", &ImportLimits::default()).unwrap();
    assert_eq!(imported.format, ListFormat::HashList);
    let kinds: Vec<(HashKind, &str)> = imported.entries.iter().map(|e| (e.hash_kind, e.name.as_str())).collect();
    assert_eq!(kinds, [(HashKind::Md5, "dropper.exe"), (HashKind::Sha1, ""), (HashKind::Sha256, "")]);
    assert_eq!(imported.entries[0].hash, "a".repeat(32), "lowercased");
    assert_eq!(imported.skipped, 2);
}

#[test]
fn hostile_inputs_are_errors_not_panics() {
    let limits = ImportLimits { max_bytes: 1024 * 1024, max_entries: 10, ..ImportLimits::default() };
    let huge = vec![b'a'; limits.max_bytes + 1];
    assert!(matches!(read_known(&huge, "x", &limits), Err(ImportError::TooLarge { .. })));
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(matches!(read_known(deep.as_bytes(), "x", &limits), Err(ImportError::Json(_))));
    let deep_object = format!("{{\"Event\":{}1{}}}", "{\"a\":".repeat(50_000), "}".repeat(50_000));
    assert!(matches!(read_known(deep_object.as_bytes(), "x", &limits), Err(ImportError::Json(_))));
    assert!(matches!(read_known(b"{\"Event\": [1, 2", "x", &limits), Err(ImportError::Json(_))));
    assert_eq!(read_known(b"{\"hello\": 1}", "x", &limits), Err(ImportError::UnknownJson));
    let many = (0..11).map(|i| format!("{i:032x}\n")).collect::<String>();
    assert_eq!(read_known(many.as_bytes(), "x", &limits), Err(ImportError::TooManyEntries(10)));
    // Wrong types everywhere: nothing read, nothing failed.
    let odd = br#"{"Event": {"info": 5, "Attribute": {"x": 1}, "Object": [1, null, {"Attribute": [{"type": "md5", "value": 7}]}]}}"#;
    let imported = read_known(odd, "x", &limits).unwrap();
    assert!(imported.entries.is_empty());
    let odd_stix = br#"{"type": "bundle", "objects": [{"type": "indicator", "pattern_type": "stix", "pattern": "[file:hashes.'MD5' = '"}, {"type": "file", "hashes": []}]}"#;
    assert!(read_known(odd_stix, "x", &limits).unwrap().entries.is_empty());
    // Random bytes are a (mostly skipped) hash list.
    let mut rng = 0x1234_5678_u32;
    let noise: Vec<u8> = (0..100_000)
        .map(|_| {
            rng ^= rng << 13;
            rng ^= rng >> 17;
            rng ^= rng << 5;
            rng as u8
        })
        .collect();
    assert!(read_known(&noise, "x", &limits).is_ok());
}
