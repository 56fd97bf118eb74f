//! RTF: the objects its `\objdata` destinations carry, read through the format's obfuscation
//! tricks (control words and groups inside the hex, `\bin`, `\'xx`, odd digits, unbalanced
//! braces), Equation Editor objects, OLE links, `\objupdate`, DDE fields, remote templates and odd headers.
use std::borrow::Cow;

use fcas_report::{DocumentKind, ExternalRelationship};

use crate::{DocLimits, Embedded, Findings, Payload};

mod compound;
mod destinations;
mod equation;
mod fields;
mod hex;
mod indicators;
mod objects;
mod scanner;

pub(crate) fn analyze(bytes: &[u8], limits: &DocLimits) -> Findings {
    let mut findings = Findings::new(DocumentKind::Rtf);
    let scan = scanner::scan(bytes, limits);
    let (objects, cut) = objects::decode(&scan.objects, limits.max_items);
    for object in &objects {
        findings.document.embedded.push(embedded_object(&object.name, object.class.clone(), &object.payload));
        findings.decoded_text.extend(object.package_paths.iter().filter(|path| !path.is_empty()).cloned());
        for link in &object.links {
            findings.document.external_relationships.push(ExternalRelationship {
                kind: "oleLink".to_string(),
                target: link.clone(),
                part: "\\objdata".to_string(),
            });
            findings.decoded_text.push(link.clone());
        }
    }
    for target in &scan.templates {
        findings.document.external_relationships.push(ExternalRelationship {
            kind: "attachedTemplate".to_string(),
            target: target.clone(),
            part: "\\*\\template".to_string(),
        });
        findings.decoded_text.push(target.clone());
    }
    for instruction in &scan.fields {
        if fields::is_dde(instruction) {
            findings.document.dde.push(instruction.clone());
        }
        findings.decoded_text.push(instruction.clone());
    }
    findings.indicators = indicators::indicators(bytes, &scan, &objects);
    findings.document.truncated = scan.truncated.iter().map(|cut| (*cut).to_string()).collect();
    if cut && !findings.document.truncated.iter().any(|t| t == "rtf.objects") {
        findings.document.truncated.push("rtf.objects".to_string());
    }
    findings
}

pub(crate) fn embedded<'a>(bytes: &'a [u8], limits: &DocLimits) -> Embedded<'a> {
    let scan = scanner::scan(bytes, limits);
    let (objects, _) = objects::decode(&scan.objects, limits.max_items);
    // The hex is decoded into owned buffers that `scan` holds; payloads are copied out of them.
    let payloads = objects
        .into_iter()
        .map(|object| Payload { name: object.name, class: object.class, bytes: Cow::Owned(object.payload.into_owned()) })
        .collect();
    Embedded { payloads, error: None }
}

pub(crate) use crate::findings::embedded_object;
