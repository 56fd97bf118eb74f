//! A MISP event for a set of samples.
//!
//! Per sample a `file` object (MISP's object template, its uuid and version) with the
//! attributes `md5`, `sha1`, `sha256`, `sha512`, `ssdeep`, `tlsh`, `filename`, `size-in-bytes`, and a
//! `text` attribute with the verdict and its reasons. The verdict (`fcas:verdict="malicious"`),
//! each indicator (`fcas:indicator="pe.packer.upx"`) and each ATT&CK technique (the
//! `mitre-attack-pattern` galaxy's tag) are tags of the sample's `sha256` attribute; the event
//! carries every technique's and verdict's tag once. A container's object refers to each child's
//! object with a `contains` reference; a child that is not itself exported gets a `file` object
//! of its own (SHA-256, name and size as its container's report lists them).
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::attack;
use crate::ids;
use crate::sample::Sample;

/// MISP's `file` object template (misp-objects `objects/file/definition.json`).
pub const FILE_TEMPLATE_UUID: &str = "688c46fb-5edb-40a3-8273-1af7923e2215";
/// The version of that template these objects follow.
pub const FILE_TEMPLATE_VERSION: &str = "25";

/// What the event says of itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventInfo {
    /// The event's title (`info`).
    pub info: String,
    /// Its date, `YYYY-MM-DD`.
    pub date: String,
    /// When it was made, Unix seconds.
    pub timestamp: i64,
}

/// The event for `samples`. Samples without a SHA-256 are left out.
pub fn event(samples: &[Sample], info: &EventInfo) -> Value {
    let samples: Vec<&Sample> = samples.iter().filter(|s| !s.hashes.sha256.is_empty()).collect();
    let exported: BTreeSet<&str> = samples.iter().map(|s| s.hashes.sha256.as_str()).collect();
    let timestamp = info.timestamp.to_string();
    let mut objects = Vec::new();
    let mut outside: BTreeMap<String, Value> = BTreeMap::new();
    let mut event_tags = BTreeSet::new();
    for sample in &samples {
        let tags = sample_tags(sample);
        event_tags.extend(tags.iter().filter(|t| !t.starts_with("fcas:indicator")).cloned());
        let mut object = file_object(sample, &tags, &timestamp);
        let mut references = Vec::new();
        for child in sample.children.iter().filter(|c| !c.sha256.is_empty()) {
            if !exported.contains(child.sha256.as_str()) && !outside.contains_key(&child.sha256) {
                let mut listed = Sample { name: child.name.clone(), size: child.size, ..Sample::default() };
                listed.hashes.sha256 = child.sha256.clone();
                outside.insert(child.sha256.clone(), file_object(&listed, &[], &timestamp));
            }
            references.push(json!({
                "uuid": ids::misp("reference", &format!("{}\n{}\n{}", sample.hashes.sha256, child.sha256, child.name)),
                "object_uuid": object_uuid(&sample.hashes.sha256),
                "referenced_uuid": object_uuid(&child.sha256),
                "relationship_type": "contains",
                "comment": child.name,
                "timestamp": timestamp,
            }));
        }
        if !references.is_empty() {
            object["ObjectReference"] = json!(references);
        }
        objects.push(object);
    }
    objects.extend(outside.into_values());
    let key: Vec<&str> = samples.iter().map(|s| s.hashes.sha256.as_str()).collect();
    json!({
        "Event": {
            "uuid": ids::misp("event", &format!("{}\n{}", info.date, key.join(","))),
            "info": info.info,
            "date": info.date,
            "timestamp": timestamp,
            "threat_level_id": threat_level(&samples),
            "analysis": "2",
            "distribution": "0",
            "published": false,
            "Tag": event_tags.into_iter().map(|name| json!({ "name": name })).collect::<Vec<_>>(),
            "Object": objects,
        }
    })
}

/// MISP's threat levels: 1 high (something malicious), 2 medium (suspicious), 3 low (every
/// sample benign), 4 undefined.
fn threat_level(samples: &[&Sample]) -> &'static str {
    let results: BTreeSet<&str> = samples.iter().map(|s| s.result()).collect();
    if results.contains("malicious") {
        "1"
    } else if results.contains("suspicious") {
        "2"
    } else if !results.is_empty() && results.iter().all(|r| *r == "benign") {
        "3"
    } else {
        "4"
    }
}

fn sample_tags(sample: &Sample) -> Vec<String> {
    let mut tags = BTreeSet::new();
    tags.insert(format!("fcas:verdict=\"{}\"", sample.result()));
    for indicator in &sample.indicators {
        tags.insert(format!("fcas:indicator=\"{}\"", indicator.id.replace('"', "'")));
        if let Some(tag) = indicator.attack_id.as_deref().and_then(attack::galaxy_tag) {
            tags.insert(tag);
        }
    }
    tags.into_iter().collect()
}

fn object_uuid(sha256: &str) -> String {
    ids::misp("object", sha256)
}

fn file_object(sample: &Sample, tags: &[String], timestamp: &str) -> Value {
    let h = &sample.hashes;
    let to_ids = sample.result() == "malicious";
    // (object_relation and attribute type, category, value, correlate, to_ids)
    let mut attributes: Vec<(&str, &str, String, bool, bool)> = Vec::new();
    for (relation, value) in [("md5", &h.md5), ("sha1", &h.sha1), ("sha256", &h.sha256), ("sha512", &h.sha512)] {
        if !value.is_empty() {
            attributes.push((relation, "Payload delivery", value.clone(), true, to_ids));
        }
    }
    if let Some(ssdeep) = h.ssdeep.as_ref().filter(|s| !s.is_empty()) {
        attributes.push(("ssdeep", "Payload delivery", ssdeep.clone(), true, false));
    }
    if let Some(tlsh) = sample.tlsh_digits() {
        attributes.push(("tlsh", "Payload delivery", tlsh, true, false));
    }
    if !sample.name.is_empty() {
        attributes.push(("filename", "Payload delivery", sample.name.clone(), false, false));
    }
    attributes.push(("size-in-bytes", "Other", sample.size.to_string(), false, false));
    if let Some(text) = verdict_text(sample) {
        attributes.push(("text", "Other", text, false, false));
    }
    let attributes: Vec<Value> = attributes
        .into_iter()
        .map(|(relation, category, value, correlate, to_ids)| {
            let mut attribute = json!({
                "uuid": ids::misp("attribute", &format!("{}\n{relation}\n{value}", h.sha256)),
                "object_relation": relation, "type": relation, "category": category, "value": value,
                "to_ids": to_ids, "disable_correlation": !correlate, "distribution": "5", "timestamp": timestamp,
            });
            if relation == "sha256" && !tags.is_empty() {
                attribute["Tag"] = json!(tags.iter().map(|name| json!({ "name": name })).collect::<Vec<_>>());
            }
            attribute
        })
        .collect();
    json!({
        "uuid": object_uuid(&h.sha256),
        "name": "file", "meta-category": "file",
        "description": "File object describing a file with meta-information",
        "template_uuid": FILE_TEMPLATE_UUID, "template_version": FILE_TEMPLATE_VERSION,
        "distribution": "5", "timestamp": timestamp, "comment": "",
        "Attribute": attributes,
    })
}

/// `fcas verdict: malicious (score 0.93). <reasons>`; `None` when no models ran.
fn verdict_text(sample: &Sample) -> Option<String> {
    let verdict = sample.verdict.as_ref()?;
    let mut text = format!("fcas verdict: {}", sample.result());
    if let Some(score) = verdict.score.filter(|s| s.is_finite()) {
        text.push_str(&format!(" (score {score:.3})"));
    }
    text.push('.');
    for reason in &verdict.reasons {
        text.push(' ');
        text.push_str(reason);
    }
    Some(text)
}
