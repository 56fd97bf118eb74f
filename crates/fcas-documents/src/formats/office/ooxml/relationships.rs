//! Relationships that leave the package (`TargetMode="External"`): remote templates, frames,
//! linked OLE objects, hyperlinks.
use fcas_report::ExternalRelationship;

use super::super::xml::{self, Node};

/// The external relationships in the `.rels` part `part`.
pub(super) fn external(rels: &[u8], part: &str, found: &mut Vec<ExternalRelationship>, max: usize) -> Result<(), String> {
    xml::walk(rels, |node| {
        let Node::Open { name, attributes, .. } = node else { return };
        if name != "Relationship" || xml::attribute(&attributes, "TargetMode") != Some("External") || found.len() >= max {
            return;
        }
        let kind = xml::attribute(&attributes, "Type").unwrap_or_default();
        found.push(ExternalRelationship {
            kind: kind.rsplit('/').next().unwrap_or(kind).to_string(),
            target: xml::attribute(&attributes, "Target").unwrap_or_default().to_string(),
            part: part.to_string(),
        });
    })
}

/// Relationship ids and targets of a `.rels` part (internal ones too).
pub(super) fn targets(rels: &[u8]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let _ = xml::walk(rels, |node| {
        if let Node::Open { name, attributes, .. } = node {
            if let (true, Some(id), Some(target)) =
                (name == "Relationship", xml::attribute(&attributes, "Id"), xml::attribute(&attributes, "Target"))
            {
                found.push((id.to_string(), target.to_string()));
            }
        }
    });
    found
}
