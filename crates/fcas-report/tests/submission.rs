//! A submission keeps its descendants packed: each comes back equal to what was packed, as the
//! JSON a front end prints, and relabelled or carried on the wire without loss.
use fcas_report::{FoundString, Origin, PackedReport, Report, Submission};

fn report(path: &str, sha256: &str, strings: usize) -> Report {
    let mut report = Report { path: path.into(), size: 4096 + strings as u64, ..Report::default() };
    report.hashes.sha256 = sha256.into();
    report.entropy = 7.123_456_789_012_345;
    report.strings.items = (0..strings)
        .map(|i| FoundString { offset: i as u64 * 16, encoding: "ascii".into(), value: format!("string number {i} of {path}") })
        .collect();
    report
}

#[test]
fn a_packed_report_unpacks_equal_and_its_json_is_serde_s() {
    let original = report("a.zip!b.exe", &"b".repeat(64), 2_000);
    let packed = PackedReport::pack(&original).unwrap();
    assert_eq!(packed.unpack().unwrap(), original);
    assert_eq!(packed.json().unwrap(), serde_json::to_vec(&original).unwrap());
    assert_eq!((packed.sha256(), packed.size()), (original.hashes.sha256.as_str(), original.size));
    // The point of packing: far smaller than the JSON (and the JSON than the report in memory).
    let json_len = packed.json().unwrap().len();
    assert!(packed.packed_len() * 4 < json_len, "{} packed bytes of {json_len}", packed.packed_len());
}

#[test]
fn the_wire_form_carries_every_descendant_in_order() {
    let descendants = [report("a.zip!b.exe", &"b".repeat(64), 3), report("a.zip!c.dll", &"c".repeat(64), 5)];
    let submission = Submission::packing(report("a.zip", &"a".repeat(64), 1), &descendants).unwrap();
    let wire = submission.clone().into_wire();
    assert_eq!(wire.descendants, descendants);
    let back = Submission::from_wire(wire);
    assert_eq!(back, submission);
    assert!(back.root.descendants.is_empty(), "the root no longer carries them");
    assert_eq!(back.unpack_all().unwrap().len(), 3);
}

#[test]
fn an_origin_set_after_the_analysis_reaches_every_descendant() {
    let descendants = [report("a.zip!b.exe", &"b".repeat(64), 3)];
    let mut submission = Submission::packing(report("a.zip", &"a".repeat(64), 1), &descendants).unwrap();
    submission.set_origin(&Origin::LocalFallback { reason: "no worker answered".into() });
    for report in submission.unpack_all().unwrap() {
        assert!(matches!(report.provenance.origin, Some(Origin::LocalFallback { .. })), "{}", report.path);
        assert_eq!(report.provenance.worker.as_deref(), Some("local"));
    }
    assert!(submission.root.errors.is_empty());
}

#[test]
fn a_wire_answer_is_labelled_with_its_descendants() {
    let mut answer = report("a.zip", &"a".repeat(64), 1);
    answer.descendants = vec![report("a.zip!b.exe", &"b".repeat(64), 3), report("a.zip!c.dll", &"c".repeat(64), 5)];
    answer.set_origin_with_descendants(&Origin::Worker { id: "w1".into() });
    for labelled in std::iter::once(&answer).chain(&answer.descendants) {
        assert_eq!(labelled.provenance.origin, Some(Origin::Worker { id: "w1".into() }), "{}", labelled.path);
        assert_eq!(labelled.provenance.worker.as_deref(), Some("w1"));
    }
}
