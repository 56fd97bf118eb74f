#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The rules run on every file of a submission: the submitted container and each child.
use std::io::{Cursor, Write};

use fcas_engine::{submission_of_bytes, ExtraStage, Options};
use fcas_rules::{RuleSet, RuleSources, RulesStage};

#[test]
fn a_child_inside_a_zip_gets_its_own_rule_matches() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("marker.yar"),
        r#"rule inner_marker { meta: severity = "high" strings: $a = "FCAS-RULES-CHILD-MARKER" condition: $a }"#,
    )
    .unwrap();
    let (set, errors) = RuleSet::load(&RuleSources { folders: vec![folder.path().to_path_buf()], ..RuleSources::default() });
    assert!(errors.is_empty(), "{errors:?}");

    let mut archive = zip::ZipWriter::new(Cursor::new(Vec::new()));
    // Deflated, so the marker is not in the container's own bytes.
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    archive.start_file("inner.bin", deflated).unwrap();
    archive.write_all(&b"padding FCAS-RULES-CHILD-MARKER padding ".repeat(64)).unwrap();
    let bytes = archive.finish().unwrap().into_inner();
    assert!(!bytes.windows(23).any(|w| w == b"FCAS-RULES-CHILD-MARKER"));

    let stage = RulesStage::new(&set);
    let stages: [&dyn ExtraStage; 1] = [&stage];
    let submission = submission_of_bytes("outer.zip", &bytes, &Options::default(), &stages);
    let root_rules = submission.root.rules.as_ref().expect("the container is scanned too");
    assert!(root_rules.matches.iter().all(|m| m.rule != "inner_marker"));
    assert_eq!(submission.root.provenance.rules.as_deref(), Some(set.id()));
    assert_eq!(submission.descendants().len(), 1);
    let child = &submission.descendants()[0].unpack().expect("unpacks");
    let matched = child.rules.as_ref().expect("the child is scanned");
    let marker = matched.matches.iter().find(|m| m.rule == "inner_marker").expect("the child matches");
    assert_eq!(marker.strings[0].offset, 8);
    assert!(child.indicators.iter().any(|i| i.id == "rules.marker.yar.inner_marker"));
    assert_eq!(child.provenance.rules.as_deref(), Some(set.id()));
}
