//! A STIX 2.1 bundle for a set of samples.
//!
//! Per sample: a `file` observable (hashes, name, size; its children through `contains_refs`)
//! and a `malware-analysis` (product `fcas`, the engine version, the verdict as `result`, FCAS's
//! own findings in the property extension declared in the bundle). A malicious sample also gets a
//! `malware` object, an `indicator` with its SHA-256 pattern that `indicates` it, and the
//! analysis is the `static-analysis-of` it (the relationships STIX defines for these types;
//! strict validation refuses others). A child that is not itself exported still gets a `file`
//! observable (SHA-256 and name, as its container's report lists it).
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use crate::ids;
use crate::sample::Sample;

/// The `identity` that creates every object of an export.
pub const IDENTITY_ID: &str = "identity--4f3c2a8e-5b1d-4c7e-9a63-2d8e0f1b7c55";
/// The extension definition holding FCAS's own properties of a `malware-analysis`.
pub const EXTENSION_ID: &str = "extension-definition--0b6e5f2c-8d4a-4e91-b3c7-6a1f9d2e4b80";

/// When the identity and the extension definition were written (they never change).
const DEFINED_AT: &str = "2026-12-01T00:00:00.000Z";

const EXTENSION_SCHEMA: &str = "Properties FCAS adds to a malware-analysis: score (number, 0..1, the \
ensemble's combined score), disagreement (number, 0..1), models (list of model ids), \
verdict_reasons (list of sentences), format (detected file format), indicators (list of objects \
with id, severity (info, low, medium, high), title and attack_id (MITRE ATT&CK technique id)), \
rules (list of matching rule names).";

/// The bundle for `samples`, made at `created` (a STIX timestamp). Samples without a SHA-256
/// (reports that failed before hashing) are left out.
pub fn bundle(samples: &[Sample], created: &str) -> Value {
    let samples: Vec<&Sample> = samples.iter().filter(|s| !s.hashes.sha256.is_empty()).collect();
    let exported: BTreeMap<&str, String> = samples.iter().map(|s| (s.hashes.sha256.as_str(), file_id(s))).collect();
    let mut objects = vec![identity(), extension_definition()];
    let mut outside: BTreeMap<String, Value> = BTreeMap::new();
    for sample in &samples {
        let Some(file) = exported.get(sample.hashes.sha256.as_str()) else { continue };
        let mut contains = BTreeSet::new();
        for child in sample.children.iter().filter(|c| !c.sha256.is_empty()) {
            match exported.get(child.sha256.as_str()) {
                Some(id) => contains.insert(id.clone()),
                None => {
                    let object = outside.entry(child.sha256.clone()).or_insert_with(|| child_file(&child.sha256, &child.name, child.size));
                    contains.insert(object["id"].as_str().unwrap_or_default().to_string())
                }
            };
        }
        objects.push(file_object(sample, file, &contains));
        let analysis = malware_analysis(sample, file);
        let analysis_id = analysis["id"].as_str().unwrap_or_default().to_string();
        objects.push(analysis);
        if sample.result() == "malicious" {
            objects.extend(malicious(sample, file, &analysis_id));
        }
    }
    objects.extend(outside.into_values());
    let key: Vec<&str> = samples.iter().map(|s| s.hashes.sha256.as_str()).collect();
    json!({
        "type": "bundle",
        "id": ids::domain("bundle", &format!("{created}\n{}", key.join(","))),
        "objects": objects,
    })
}

fn identity() -> Value {
    json!({
        "type": "identity", "spec_version": "2.1", "id": IDENTITY_ID,
        "created": DEFINED_AT, "modified": DEFINED_AT,
        "name": "FCAS", "identity_class": "system",
        "description": "FCAS malware-analysis workbench (static analysis and model predictions).",
    })
}

fn extension_definition() -> Value {
    json!({
        "type": "extension-definition", "spec_version": "2.1", "id": EXTENSION_ID,
        "created_by_ref": IDENTITY_ID, "created": DEFINED_AT, "modified": DEFINED_AT,
        "name": "FCAS analysis", "description": "FCAS's findings on an analysed file.",
        "schema": EXTENSION_SCHEMA, "version": "1.0.0", "extension_types": ["property-extension"],
    })
}

/// The hashes of a sample under STIX's hash algorithm names, in the order STIX prefers them.
fn stix_hashes(sample: &Sample) -> Vec<(&'static str, String)> {
    let h = &sample.hashes;
    let mut hashes: Vec<(&'static str, String)> = [("MD5", &h.md5), ("SHA-1", &h.sha1), ("SHA-256", &h.sha256), ("SHA-512", &h.sha512)]
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| (name, value.clone()))
        .collect();
    if let Some(ssdeep) = h.ssdeep.as_ref().filter(|s| !s.is_empty()) {
        hashes.push(("SSDEEP", ssdeep.clone()));
    }
    if let Some(tlsh) = sample.tlsh_digits() {
        hashes.push(("TLSH", tlsh));
    }
    hashes
}

/// The deterministic id of a `file`: its id-contributing properties are `hashes` (one hash only,
/// the first of MD5, SHA-1, SHA-256, SHA-512 present, STIX 2.1 section 2.9) and `name`.
fn file_id(sample: &Sample) -> String {
    let hashes = stix_hashes(sample);
    let (algorithm, value) = hashes.first().map(|(a, v)| (*a, v.as_str())).unwrap_or(("SHA-256", sample.hashes.sha256.as_str()));
    file_id_of(algorithm, value, &sample.name)
}

fn file_id_of(algorithm: &str, value: &str, name: &str) -> String {
    let mut canonical = format!("{{\"hashes\":{{{}:{}}}", ids::json_string(algorithm), ids::json_string(value));
    if !name.is_empty() {
        canonical.push_str(&format!(",\"name\":{}", ids::json_string(name)));
    }
    canonical.push('}');
    ids::observable("file", &canonical)
}

/// No `mime_type`: strict validation wants IANA-registered types, and the engine's (for example
/// `application/x-pie-executable`) often are not.
fn file_object(sample: &Sample, id: &str, contains: &BTreeSet<String>) -> Value {
    let hashes: Map<String, Value> = stix_hashes(sample).into_iter().map(|(k, v)| (k.to_string(), Value::String(v))).collect();
    let mut file = json!({ "type": "file", "spec_version": "2.1", "id": id, "hashes": hashes, "size": sample.size });
    if !sample.name.is_empty() {
        file["name"] = json!(sample.name);
    }
    if !contains.is_empty() {
        file["contains_refs"] = json!(contains);
    }
    file
}

fn child_file(sha256: &str, name: &str, size: u64) -> Value {
    let mut file = json!({
        "type": "file", "spec_version": "2.1", "id": file_id_of("SHA-256", sha256, name),
        "hashes": { "SHA-256": sha256 }, "size": size,
    });
    if !name.is_empty() {
        file["name"] = json!(name);
    }
    file
}

fn malware_analysis(sample: &Sample, file: &str) -> Value {
    let key = format!("{}\n{}\n{}", sample.hashes.sha256, sample.engine_version, sample.analysed_at);
    let mut analysis = json!({
        "type": "malware-analysis", "spec_version": "2.1", "id": ids::domain("malware-analysis", &key),
        "created_by_ref": IDENTITY_ID, "created": sample.analysed_at, "modified": sample.analysed_at,
        "product": "fcas", "result": sample.result(),
        "analysis_sco_refs": [file], "sample_ref": file,
        "extensions": { EXTENSION_ID: extension_properties(sample) },
    });
    if !sample.engine_version.is_empty() {
        analysis["version"] = json!(sample.engine_version);
    }
    analysis
}

/// FCAS's own properties. STIX forbids empty lists and nulls, so absent facts are left out.
fn extension_properties(sample: &Sample) -> Value {
    let mut properties = json!({ "extension_type": "property-extension" });
    if !sample.format.is_empty() {
        properties["format"] = json!(sample.format);
    }
    if let Some(verdict) = &sample.verdict {
        if let Some(score) = verdict.score.filter(|s| s.is_finite()) {
            properties["score"] = json!(score);
        }
        if let Some(disagreement) = verdict.disagreement.filter(|d| d.is_finite()) {
            properties["disagreement"] = json!(disagreement);
        }
        if !verdict.models.is_empty() {
            properties["models"] = json!(verdict.models);
        }
        if !verdict.reasons.is_empty() {
            properties["verdict_reasons"] = json!(verdict.reasons);
        }
    }
    if !sample.indicators.is_empty() {
        let indicators: Vec<Value> = sample
            .indicators
            .iter()
            .map(|i| {
                let mut indicator = json!({ "id": i.id, "severity": i.severity.as_str(), "title": i.title });
                if let Some(attack) = &i.attack_id {
                    indicator["attack_id"] = json!(attack);
                }
                indicator
            })
            .collect();
        properties["indicators"] = json!(indicators);
    }
    if !sample.rules.is_empty() {
        properties["rules"] = json!(sample.rules);
    }
    properties
}

/// The `malware`, `indicator` and relationships of a malicious sample.
fn malicious(sample: &Sample, file: &str, analysis: &str) -> Vec<Value> {
    let sha256 = &sample.hashes.sha256;
    let at = &sample.analysed_at;
    let name = if sample.name.is_empty() { sha256.clone() } else { sample.name.clone() };
    let malware_id = ids::domain("malware", sha256);
    let indicator_id = ids::domain("indicator", sha256);
    let reasons = sample.verdict.as_ref().map(|v| v.reasons.join(" ")).unwrap_or_default();
    let description = format!("FCAS judged the file with SHA-256 {sha256} malicious. {reasons}").trim_end().to_string();
    let relationship = |source: &str, kind: &str, target: &str| {
        json!({
            "type": "relationship", "spec_version": "2.1",
            "id": ids::domain("relationship", &format!("{source}\n{kind}\n{target}")),
            "created_by_ref": IDENTITY_ID, "created": at, "modified": at,
            "relationship_type": kind, "source_ref": source, "target_ref": target,
        })
    };
    vec![
        json!({
            "type": "malware", "spec_version": "2.1", "id": malware_id,
            "created_by_ref": IDENTITY_ID, "created": at, "modified": at,
            "name": name, "description": format!("The file with SHA-256 {sha256}, judged malicious by FCAS."),
            "is_family": false, "malware_types": ["unknown"], "sample_refs": [file],
        }),
        json!({
            "type": "indicator", "spec_version": "2.1", "id": indicator_id,
            "created_by_ref": IDENTITY_ID, "created": at, "modified": at,
            "name": format!("Malicious file {name}"), "description": description,
            "indicator_types": ["malicious-activity"],
            "pattern": format!("[file:hashes.'SHA-256' = '{sha256}']"), "pattern_type": "stix", "pattern_version": "2.1",
            "valid_from": at,
        }),
        relationship(&indicator_id, "indicates", &malware_id),
        relationship(analysis, "static-analysis-of", &malware_id),
    ]
}
