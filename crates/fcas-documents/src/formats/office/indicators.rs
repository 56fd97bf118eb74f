//! The indicators an Office document's findings raise, and the decoded text (formulas, DDE
//! commands, external targets) handed to the IOC extraction.
use fcas_report::{Evidence, Indicator, Severity};

use super::objects::is_executable_name;
use crate::Findings;

/// Relationship types that load content when the document opens (remote template injection).
const LOADS_REMOTELY: &[&str] = &["attachedTemplate", "frame", "oleObject", "subDocument"];

/// Adds the indicators and decoded text of `findings.document`.
pub(super) fn raise(findings: &mut Findings) {
    let document = &findings.document;
    let mut raised = Vec::new();
    let mut text = Vec::new();
    if !document.dde.is_empty() {
        raised.push(indicator("document.dde", Severity::High, "DDE field or formula that runs a command", "T1559.002", &document.dde));
        text.extend(document.dde.iter().cloned());
    }
    let remote: Vec<String> = document
        .external_relationships
        .iter()
        .filter(|relationship| LOADS_REMOTELY.contains(&relationship.kind.as_str()))
        .map(|relationship| format!("{} {} ({})", relationship.kind, relationship.target, relationship.part))
        .collect();
    if !remote.is_empty() {
        raised.push(indicator(
            "document.remote_template",
            Severity::High,
            "Loads a template, frame or object from outside the file",
            "T1221",
            &remote,
        ));
    }
    let links: Vec<String> = document
        .external_relationships
        .iter()
        .filter(|relationship| !LOADS_REMOTELY.contains(&relationship.kind.as_str()))
        .map(|relationship| format!("{} {} ({})", relationship.kind, relationship.target, relationship.part))
        .collect();
    if !links.is_empty() {
        let severity = if links.iter().all(|link| link.starts_with("hyperlink ")) { Severity::Low } else { Severity::Medium };
        raised.push(indicator("document.external_link", severity, "Links to content outside the file", "T1204.002", &links));
    }
    text.extend(document.external_relationships.iter().map(|relationship| relationship.target.clone()));
    if let Some(xlm) = &document.xlm {
        let sheets: Vec<String> = xlm.sheets.iter().map(|sheet| format!("{} ({})", sheet.name, sheet.visibility)).collect();
        raised.push(indicator("document.xlm.macros", Severity::High, "Excel 4.0 (XLM) macro sheet", "T1059", &sheets));
        let hidden: Vec<String> = xlm
            .sheets
            .iter()
            .filter(|sheet| sheet.visibility != "visible")
            .map(|sheet| format!("{} ({})", sheet.name, sheet.visibility))
            .collect();
        if !hidden.is_empty() {
            raised.push(indicator("document.xlm.hidden_sheet", Severity::Medium, "Hidden Excel 4.0 macro sheet", "T1564", &hidden));
        }
        text.extend(xlm.formulas.iter().map(|formula| formula.formula.clone()));
    }
    if !document.embedded.is_empty() {
        let executable =
            document.embedded.iter().any(|object| object.class.as_deref() == Some("Package") && is_executable_name(&object.name));
        let names: Vec<String> = document.embedded.iter().map(|object| format!("{} sha256:{}", object.name, object.sha256)).collect();
        let (severity, title) = if executable {
            (Severity::High, "Embedded package with an executable file name")
        } else {
            (Severity::Medium, "Embedded object")
        };
        raised.push(indicator("document.embedded_object", severity, title, "T1204.002", &names));
    }
    if document.encrypted {
        let scheme = vec![document.encryption.clone().unwrap_or_default()];
        raised.push(indicator("document.encrypted", Severity::Low, "Encrypted document (content hidden from scanners)", "T1027", &scheme));
    }
    findings.indicators.extend(raised);
    findings.decoded_text.extend(text);
}

fn indicator(id: &str, severity: Severity, title: &str, attack_id: &str, details: &[String]) -> Indicator {
    Indicator {
        id: id.to_string(),
        severity,
        title: title.to_string(),
        evidence: details.iter().take(16).map(|detail| Evidence { detail: Some(detail.clone()), ..Evidence::default() }).collect(),
        attack_id: Some(attack_id.to_string()),
    }
}
