//! Queries over a store filled with reports built from the corpus reference JSONs; expected
//! answers are computed from the references themselves.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use std::collections::BTreeSet;

use fcas_report::{Evidence, FoundString, Indicator, Ioc, Prediction, Severity, Verdict};
use fcas_store::export::{export, ExportFormat};
use fcas_store::query::{HistoryFilter, ImportSpec};
use fcas_store::Store;
use serde_json::Value;

const DAY: i64 = 86_400;
const START: i64 = 1_700_000_000;

/// Fills a store with every corpus reference; report i is analysed at START + i days.
fn filled_store(dir: &tempfile::TempDir) -> (Store, Vec<(fcas_report::Report, Value)>) {
    let mut store = Store::open(&dir.path().join("cases.sqlite")).expect("open");
    let reports = common::corpus_reports();
    assert!(reports.len() >= 90, "the corpus has about 100 references");
    for (i, (report, _)) in reports.iter().enumerate() {
        store.insert_report_at(report, START + i as i64 * DAY).expect("insert");
    }
    (store, reports)
}

fn sha256s(samples: &[fcas_store::query::SampleSummary]) -> BTreeSet<String> {
    samples.iter().map(|s| s.sha256.clone()).collect()
}

#[test]
fn every_hash_and_prefix_finds_its_sample() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, reports) = filled_store(&dir);
    for (_, reference) in reports.iter().take(20) {
        let sha256 = reference["sha256"].as_str().expect("sha256");
        for key in ["md5", "sha1", "sha256", "sha512"] {
            let found = store.lookup(reference[key].as_str().expect("hash"), 10).expect("lookup");
            assert_eq!(found.len(), 1, "{key}");
            assert_eq!(found[0].sha256, sha256);
            assert_eq!(found[0].md5, reference["md5"].as_str().expect("md5"));
            assert_eq!(found[0].size, reference["size"].as_u64().expect("size"));
        }
        let upper = sha256[..16].to_ascii_uppercase();
        assert!(store.lookup(&upper, 10).expect("prefix").iter().any(|s| s.sha256 == sha256));
    }
    assert!(store.lookup("zz", 10).is_err(), "not hex");
    assert!(store.lookup("ab", 10).is_err(), "too short");
    assert!(store.lookup(&"0".repeat(64), 10).expect("absent").is_empty());
    assert!(matches!(store.show(&"0".repeat(64)), Err(fcas_store::StoreError::NotFound { .. })));
}

#[test]
fn imphash_and_import_queries_match_pefile() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, reports) = filled_store(&dir);
    let pe_refs: Vec<&Value> = reports.iter().map(|(_, r)| r).filter(|r| r["pefile"]["parsed"] == true).collect();

    let imphash = pe_refs.iter().filter_map(|r| r["pefile"]["imphash"].as_str()).find(|h| !h.is_empty()).expect("an imphash");
    let expected: BTreeSet<String> =
        pe_refs.iter().filter(|r| r["pefile"]["imphash"] == imphash).map(|r| r["sha256"].as_str().expect("sha").to_string()).collect();
    assert_eq!(sha256s(&store.by_imphash(imphash, 1000).expect("imphash")), expected);

    for (dll, function) in [("kernel32.dll", Some("VirtualAlloc")), ("KERNEL32.dll", Some("GetProcAddress")), ("msvcrt.dll", None)] {
        let expected: BTreeSet<String> = pe_refs
            .iter()
            .filter(|r| common::pefile_imports(r, dll, function))
            .map(|r| r["sha256"].as_str().expect("sha").to_string())
            .collect();
        let spec = match function {
            Some(f) => format!("{dll}!{f}"),
            None => dll.to_string(),
        };
        let found = store.by_import(&ImportSpec::parse(&spec).expect("spec"), 1000).expect("imports");
        assert_eq!(sha256s(&found), expected, "{spec}");
        assert!(!expected.is_empty(), "{spec} should occur in the corpus");
    }
    // A function alone matches across DLLs.
    let any_dll = store.by_import(&ImportSpec::parse("GetProcAddress").expect("spec"), 1000).expect("imports");
    assert!(any_dll.len() >= store.by_import(&ImportSpec::parse("kernel32.dll!GetProcAddress").expect("spec"), 1000).expect("q").len());
    assert!(ImportSpec::parse("!").is_err());
}

#[test]
fn history_filters_page_and_annotations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, reports) = filled_store(&dir);
    let total = reports.len();

    let all = store.history(&HistoryFilter { limit: 10_000, ..HistoryFilter::default() }).expect("history");
    assert_eq!(all.len(), total);
    assert!(all.windows(2).all(|w| w[0].analysed_at >= w[1].analysed_at), "newest first");
    // A stored sample says when its latest report was made, as History does.
    for entry in all.iter().step_by(5) {
        let stored = store.stored_sample(&entry.sha256).expect("read").expect("stored");
        assert_eq!(stored.analysed_at, entry.analysed_at, "{}", entry.sha256);
    }

    let page = |offset| store.history(&HistoryFilter { limit: 7, offset, ..HistoryFilter::default() }).expect("page");
    let (first, second) = (page(0), page(7));
    assert_eq!(first.len(), 7);
    assert_eq!(first[0].report_id, all[0].report_id);
    assert_eq!(second[0].report_id, all[7].report_id);
    let ids = |entries: &[fcas_store::query::HistoryEntry]| entries.iter().map(|e| e.report_id).collect::<Vec<_>>();
    let paged: Vec<i64> = (0..total.div_ceil(7) as u32).flat_map(|n| ids(&page(n * 7))).collect();
    assert_eq!(paged, ids(&all), "the pages, one after another, are the whole history in order");

    let pe_count = reports.iter().filter(|(r, _)| r.format == fcas_report::Format::Pe).count();
    let pe = store.history(&HistoryFilter { format: Some("PE".into()), limit: 10_000, ..HistoryFilter::default() }).expect("pe");
    assert_eq!(pe.len(), pe_count);
    assert!(pe.iter().all(|e| e.format == "pe"));
    let pe_page = |offset| store.history(&HistoryFilter { format: Some("pe".into()), limit: 5, offset, ..HistoryFilter::default() });
    let pe_paged: Vec<i64> = (0..pe_count.div_ceil(5) as u32).flat_map(|n| ids(&pe_page(n * 5).expect("pe page"))).collect();
    assert_eq!(pe_paged, ids(&pe), "filtered pages too");

    let window = HistoryFilter { since: Some(START + 10 * DAY), until: Some(START + 20 * DAY), limit: 100, ..HistoryFilter::default() };
    let in_window = store.history(&window).expect("dates");
    assert_eq!(in_window.len(), 10);
    assert!(in_window.iter().all(|e| (START + 10 * DAY..START + 20 * DAY).contains(&e.analysed_at)));

    let tagged = &reports[3].0.hashes.sha256;
    let change = store.add_tag(&tagged[..12], "campaign-x").expect("tag");
    assert!(change.changed);
    assert!(!store.add_tag(tagged, "campaign-x").expect("tag again").changed);
    store.add_note(tagged, "seen in the phishing wave").expect("note");
    let by_tag = store.history(&HistoryFilter { tag: Some("campaign-x".into()), ..HistoryFilter::default() }).expect("tag filter");
    assert_eq!(by_tag.len(), 1);
    assert_eq!(&by_tag[0].sha256, tagged);
    assert_eq!(by_tag[0].tags, vec!["campaign-x".to_string()]);
    let detail = store.show(tagged).expect("show");
    assert_eq!(detail.notes.len(), 1);
    assert_eq!(detail.latest.as_ref().map(|r| r.hashes.sha256.as_str()), Some(tagged.as_str()));
    assert_eq!(detail.latest.as_ref(), Some(&reports[3].0), "the stored report decodes to what was inserted");
    assert!(store.remove_tag(tagged, "campaign-x").expect("untag").changed);
    assert!(store.add_tag(tagged, "").is_err());

    let stats = store.stats().expect("stats");
    assert_eq!(stats.samples as usize, total);
    assert_eq!(stats.reports as usize, total);
    assert_eq!(stats.formats.iter().find(|c| c.value == "pe").map(|c| c.count as usize), Some(pe_count));
}

#[test]
fn verdicts_indicators_and_text_search_use_the_latest_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(&dir.path().join("cases.sqlite")).expect("open");
    let (mut report, _) = common::corpus_reports().into_iter().next().expect("a reference");
    report.strings.items = vec![
        FoundString { offset: 10, encoding: "ascii".into(), value: "Connecting to the mothership now".into() },
        FoundString { offset: 90, encoding: "ascii".into(), value: "http://evil.example.com/payload.bin".into() },
    ];
    report.strings.iocs =
        vec![Ioc { kind: "url".into(), value: "http://evil.example.com/payload.bin".into(), offset: 90, ..Ioc::default() }];
    report.indicators = vec![Indicator {
        id: "pe.packer.upx".into(),
        severity: Severity::High,
        title: "Packed with UPX".into(),
        evidence: vec![Evidence { section: Some("UPX0".into()), ..Evidence::default() }],
        attack_id: Some("T1027.002".into()),
    }];
    report.predictions = vec![Prediction {
        model: "m".into(),
        version: "1".into(),
        score: Some(0.9),
        label: "malicious".into(),
        applicable: true,
        ..Prediction::default()
    }];
    report.verdict = Some(Verdict { label: "malicious".into(), score: Some(0.9), ..Verdict::default() });
    store.insert_report_at(&report, START).expect("first");
    let verdict_counts = |store: &Store| store.stats().expect("stats").verdicts.into_iter().map(|c| (c.value, c.count)).collect::<Vec<_>>();
    assert_eq!(verdict_counts(&store), vec![("malicious".to_string(), 1)]);

    let sha = report.hashes.sha256.clone();
    assert_eq!(sha256s(&store.by_indicator("pe.packer.upx", 10).expect("indicator")), BTreeSet::from([sha.clone()]));
    assert_eq!(store.by_indicator("pe.packer.*", 10).expect("prefix").len(), 1);
    assert!(store.by_indicator("pe.packer", 10).expect("exact").is_empty());
    let hits = store.search_text("evil.example.com", false, 10).expect("search");
    assert_eq!(hits.len(), 1);
    assert!(hits[0].matches.iter().any(|(kind, value)| kind == "url" && value.contains("evil.example.com")));
    assert_eq!(store.search_text("mothership", true, 10).expect("iocs only").len(), 0);
    assert_eq!(store.search_text("MOTHERSHIP", false, 10).expect("case").len(), 1);
    assert!(store.search_text("\"unbalanced", false, 10).is_ok(), "quotes in the text are not FTS syntax");
    let malicious = HistoryFilter { verdict: Some("malicious".into()), ..HistoryFilter::default() };
    assert_eq!(store.history(&malicious).expect("verdict").len(), 1);

    // A re-analysis without the indicator, string or verdict replaces what the queries see.
    let mut again = report.clone();
    again.indicators.clear();
    again.strings = Default::default();
    again.verdict = None;
    again.predictions.clear();
    store.insert_report_at(&again, START + DAY).expect("second");
    assert!(store.by_indicator("pe.packer.upx", 10).expect("indicator").is_empty());
    assert!(store.search_text("mothership", false, 10).expect("search").is_empty());
    assert_eq!(store.history(&malicious).expect("history").len(), 1, "history keeps every report");
    let latest_only = HistoryFilter { verdict: Some("malicious".into()), latest_only: true, ..HistoryFilter::default() };
    assert!(store.history(&latest_only).expect("latest").is_empty());
    assert_eq!(store.show(&sha).expect("show").reports.len(), 2);
    assert_eq!(store.stats().expect("stats").samples, 1);
    assert_eq!(verdict_counts(&store), vec![("none".to_string(), 1)], "stats count the latest report's verdict");
}

#[test]
fn export_writes_every_selected_report_as_json_or_csv() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, reports) = filled_store(&dir);
    let pe = HistoryFilter { format: Some("pe".into()), ..HistoryFilter::default() };
    let pe_count = reports.iter().filter(|(r, _)| r.format == fcas_report::Format::Pe).count();

    let mut json = Vec::new();
    assert_eq!(export(&store, &pe, ExportFormat::Json, &mut json).expect("json") as usize, pe_count);
    let parsed: Vec<Value> = serde_json::from_slice(&json).expect("valid JSON");
    assert_eq!(parsed.len(), pe_count);
    for item in &parsed {
        let reference = reports.iter().find(|(r, _)| r.hashes.sha256 == item["sha256"]).expect("exported sample is in the corpus");
        assert_eq!(item["report"]["hashes"]["md5"], reference.1["md5"]);
        assert_eq!(item["report"]["pe"]["imphash"], reference.1["pefile"]["imphash"]);
    }

    let mut csv = Vec::new();
    let everything = HistoryFilter::default();
    assert_eq!(export(&store, &everything, ExportFormat::Csv, &mut csv).expect("csv") as usize, reports.len());
    let csv = String::from_utf8(csv).expect("utf-8");
    assert_eq!(csv.lines().count(), reports.len() + 1, "header plus one line per report (no field has a newline)");
    assert!(csv.starts_with("report_id,analysed_at,sha256,"));
}

#[test]
fn a_sample_stored_again_keeps_its_row_and_gains_the_fuzzy_hash_it_lacked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(&dir.path().join("cases.sqlite")).expect("open");
    let (report, reference) =
        common::corpus_reports().into_iter().find(|(r, _)| r.hashes.tlsh.is_some()).expect("a corpus file with a TLSH");
    let mut without_tlsh = report.clone();
    without_tlsh.hashes.tlsh = None;
    let first = store.insert_report_at(&without_tlsh, START).expect("first insert");
    let second = store.insert_report_at(&report, START + DAY).expect("second insert");
    assert!(first.new_sample && !second.new_sample);
    assert_eq!(first.sample_id, second.sample_id);
    assert_ne!(first.report_id, second.report_id);
    let conn = store.connection();
    let (tlsh, first_seen, last_seen, latest): (Option<String>, i64, i64, i64) = conn
        .query_row("SELECT tlsh, first_seen, last_seen, latest_report_id FROM samples WHERE id = ?1", [first.sample_id], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .expect("sample row");
    assert_eq!(tlsh.as_deref().map(str::to_ascii_uppercase), reference["tlsh"].as_str().map(str::to_ascii_uppercase));
    assert_eq!((first_seen, last_seen, latest), (START, START + DAY, second.report_id));
    let indexed: i64 =
        conn.query_row("SELECT count(*) FROM tlsh_index WHERE sample_id = ?1", [first.sample_id], |row| row.get(0)).expect("count");
    assert_eq!(indexed, 1, "the TLSH gained on the second report is indexed");
}
