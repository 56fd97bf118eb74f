#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The rule set: sources, compile errors, the cache, scanning limits and the stage's indicators.
use std::path::Path;
use std::time::Duration;

use fcas_engine::ExtraStage;
use fcas_report::{Prediction, Report, Severity};
use fcas_rules::{excerpt, RuleSet, RuleSources, RulesLimits, RulesStage};

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn user_only(folder: &Path) -> RuleSources {
    RuleSources { builtin: false, folders: vec![folder.to_path_buf()], ..RuleSources::default() }
}

#[test]
fn compile_errors_name_file_and_line_and_the_other_rules_still_load() {
    let folder = tempfile::tempdir().unwrap();
    write(folder.path(), "good.yar", "rule good_one { strings: $a = \"GOOD\" condition: $a }\n");
    write(folder.path(), "sub/bad.yara", "rule fine { condition: true }\n\nrule broken {\n  condition: $missing\n}\n");
    write(folder.path(), "notes.txt", "not a rule file");
    let sources = RuleSources { folders: vec![folder.path().to_path_buf()], ..RuleSources::default() };
    let (set, errors) = RuleSet::load(&sources);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].origin.ends_with("sub/bad.yara"), "{:?}", errors[0]);
    assert_eq!(errors[0].line, 4, "{:?}", errors[0]);
    assert!(errors[0].to_string().contains("bad.yara:4: "), "{}", errors[0]);
    let rules = set.rules();
    assert!(rules.iter().any(|r| r.namespace == "good.yar" && r.rule == "good_one"));
    assert!(rules.iter().any(|r| r.namespace == "fcas" && r.rule == "packer_upx"), "built-in rules kept");
    assert!(!rules.iter().any(|r| r.rule == "broken"));
}

#[test]
fn unreadable_sources_are_errors_and_limits_hold() {
    let folder = tempfile::tempdir().unwrap();
    write(folder.path(), "a.yar", "rule a { condition: true }");
    write(folder.path(), "b.yar", "rule b { condition: true }");
    write(folder.path(), "c.yar", &format!("rule c {{ condition: true }} // {}", "x".repeat(2000)));
    write(folder.path(), "latin1.yar", "");
    std::fs::write(folder.path().join("latin1.yar"), b"rule l { meta: d = \"\xe9\" condition: true }").unwrap();
    let mut sources = user_only(folder.path());
    sources.folders.push(folder.path().join("missing"));
    sources.limits = RulesLimits { max_files: 3, max_file_bytes: 1000, ..RulesLimits::default() };
    let (set, errors) = RuleSet::load(&sources);
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(text.iter().any(|e| e.contains("c.yar: skipped:") && e.contains("1000 bytes")), "{text:?}");
    assert!(text.iter().any(|e| e.contains("latin1.yar: skipped: more than 3 rule files")), "{text:?}");
    assert!(text.iter().any(|e| e.contains("missing: is not a folder")), "{text:?}");
    assert_eq!(set.len(), 2);
}

#[test]
fn the_id_depends_on_the_sources_only() {
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    write(one.path(), "x.yar", "rule x { condition: true }");
    write(two.path(), "x.yar", "rule x { condition: true }");
    let (a, _) = RuleSet::load(&user_only(one.path()));
    let (b, _) = RuleSet::load(&user_only(two.path()));
    assert_eq!(a.id(), b.id());
    assert_eq!(a.id().len(), 64);
    write(two.path(), "x.yar", "rule x { condition: false }");
    let (c, _) = RuleSet::load(&user_only(two.path()));
    assert_ne!(a.id(), c.id());
    let (builtin, errors) = RuleSet::load(&RuleSources::default());
    assert!(errors.is_empty(), "the built-in rules compile cleanly: {errors:?}");
    assert_ne!(builtin.id(), a.id());
}

#[test]
fn a_cached_set_skips_compilation_and_a_corrupt_cache_is_rebuilt() {
    let cache = tempfile::tempdir().unwrap();
    let sources = RuleSources { cache_dir: Some(cache.path().to_path_buf()), ..RuleSources::default() };
    let (first, _) = RuleSet::load(&sources);
    assert!(!first.loaded_from_cache());
    assert_eq!(first.cache_note(), None);
    let file = fcas_rules::cache_path(cache.path(), first.id());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let (second, _) = RuleSet::load(&sources);
    assert!(second.loaded_from_cache());
    assert_eq!(second.id(), first.id());
    assert_eq!(second.rules(), first.rules());
    let upx = b"MZ... This file is packed with the UPX executable packer ...";
    assert_eq!(second.scan(upx).unwrap().matches, first.scan(upx).unwrap().matches);

    std::fs::write(&file, b"not a compiled rule set").unwrap();
    let (third, _) = RuleSet::load(&sources);
    assert!(!third.loaded_from_cache(), "a corrupt cache is ignored");
    let (fourth, _) = RuleSet::load(&sources);
    assert!(fourth.loaded_from_cache(), "and written again");
}

#[test]
fn a_set_with_errors_is_not_cached() {
    let cache = tempfile::tempdir().unwrap();
    let folder = tempfile::tempdir().unwrap();
    write(folder.path(), "bad.yar", "rule bad { condition: nope }");
    let sources = RuleSources { cache_dir: Some(cache.path().to_path_buf()), ..user_only(folder.path()) };
    let (_, errors) = RuleSet::load(&sources);
    assert_eq!(errors.len(), 1);
    let (again, errors) = RuleSet::load(&sources);
    assert!(!again.loaded_from_cache());
    assert_eq!(errors.len(), 1, "the errors show again");
}

#[test]
fn a_scan_past_its_time_limit_says_timed_out() {
    let folder = tempfile::tempdir().unwrap();
    write(folder.path(), "slow.yar", "rule slow { condition: for all i in (0..10000000000) : (uint8(i % filesize) != 0xFF) }");
    let mut sources = user_only(folder.path());
    sources.limits.scan_timeout = Duration::from_secs(1);
    let (set, errors) = RuleSet::load(&sources);
    assert!(errors.is_empty(), "{errors:?}");
    let started = std::time::Instant::now();
    let report = set.scan(&[0u8; 4096]).unwrap();
    assert!(report.timed_out);
    assert!(report.matches.is_empty());
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());

    let mut analysed = Report::default();
    RulesStage::new(&set).run(&mut analysed, &[0u8; 4096]).unwrap();
    assert!(analysed.rules.as_ref().unwrap().timed_out);
    assert!(analysed.errors.iter().any(|e| e.stage == "rules" && e.message.contains("time limit")), "{:?}", analysed.errors);
}

#[test]
fn string_matches_are_capped_and_excerpts_escaped_and_short() {
    assert_eq!(excerpt(b"ab\\\x00\xff\n~", 64), "ab\\\\\\x00\\xff\\x0a~");
    assert_eq!(excerpt(&[b'A'; 100], 64).len(), 64);
    let folder = tempfile::tempdir().unwrap();
    write(folder.path(), "many.yar", "rule many { strings: $a = \"AB\" $long = /Z{100,}/ condition: any of them }");
    let mut sources = user_only(folder.path());
    sources.limits.max_strings_per_rule = 5;
    let (set, _) = RuleSet::load(&sources);
    let mut bytes = b"AB".repeat(50);
    bytes.extend_from_slice(&[b'Z'; 300]);
    let report = set.scan(&bytes).unwrap();
    assert_eq!(report.matches.len(), 1);
    let strings = &report.matches[0].strings;
    assert_eq!(strings.len(), 5);
    assert_eq!(strings.iter().map(|s| s.offset).collect::<Vec<_>>(), [0, 2, 4, 6, 8]);
    assert!(strings.iter().all(|s| s.identifier == "$a" && s.length == 2 && s.excerpt == "AB"));

    sources.limits.max_strings_per_rule = 100;
    let (set, _) = RuleSet::load(&sources);
    let report = set.scan(&bytes).unwrap();
    let long = report.matches[0].strings.iter().find(|s| s.identifier == "$long").unwrap();
    assert_eq!((long.offset, long.length), (100, 300));
    assert_eq!(long.excerpt, "Z".repeat(64));
}

fn stage_report(rules: &str, bytes: &[u8]) -> Report {
    let folder = tempfile::tempdir().unwrap();
    write(folder.path(), "mine.yar", rules);
    let (set, errors) = RuleSet::load(&user_only(folder.path()));
    assert!(errors.is_empty(), "{errors:?}");
    let mut report = Report::default();
    RulesStage::new(&set).run(&mut report, bytes).unwrap();
    assert_eq!(report.provenance.rules.as_deref(), Some(set.id()));
    report
}

#[test]
fn matches_raise_indicators_by_their_severity() {
    let rules = r#"
        rule evil { meta: description = "An evil marker" severity = "high" attack = "T1059.001" strings: $a = "EVIL\x00MARK" condition: $a }
        rule tagged : malicious { strings: $a = "EVIL" condition: $a }
        rule worth_a_look { meta: severity = "medium" strings: $a = "EVIL" condition: $a }
        rule common { meta: severity = "low" strings: $a = "EVIL" condition: $a }
        rule context { meta: severity = "info" strings: $a = "EVIL" condition: $a }
        rule silent { strings: $a = "NOTHERE" condition: $a }
    "#;
    let report = stage_report(rules, b"....EVIL\x00MARK....");
    let found = |id: &str| report.indicators.iter().find(|i| i.id == id);
    let evil = found("rules.mine.yar.evil").expect("a high-severity match is an indicator");
    assert_eq!(evil.severity, Severity::High);
    assert_eq!(evil.title, "An evil marker");
    assert_eq!(evil.attack_id.as_deref(), Some("T1059.001"));
    assert_eq!(evil.evidence[0].offset, Some(4));
    assert_eq!(evil.evidence[0].detail.as_deref(), Some("$a = \"EVIL\\x00MARK\""));
    assert_eq!(found("rules.mine.yar.tagged").unwrap().severity, Severity::High);
    assert_eq!(found("rules.mine.yar.worth_a_look").unwrap().severity, Severity::Medium);
    assert_eq!(found("rules.mine.yar.common").unwrap().severity, Severity::Low);
    assert!(found("rules.mine.yar.context").is_none());
    let matched: Vec<&str> = report.rules.as_ref().unwrap().matches.iter().map(|m| m.rule.as_str()).collect();
    assert_eq!(matched, ["evil", "tagged", "worth_a_look", "common", "context"]);
}

fn benign(model: &str) -> Prediction {
    Prediction {
        model: model.into(),
        version: "1".into(),
        score: Some(0.01),
        threshold: Some(0.5),
        label: "benign".into(),
        applicable: true,
        ..Prediction::default()
    }
}

#[test]
fn a_high_severity_match_makes_a_benign_verdict_suspicious() {
    let report = stage_report(r#"rule evil { meta: severity = "high" strings: $a = "EVIL" condition: $a }"#, b"EVIL");
    let predictions = [benign("malconv"), benign("ember")];
    let verdict = fcas_models::ensemble::consensus(&predictions, &report.indicators);
    assert_eq!(verdict.label, "suspicious", "{:?}", verdict.reasons);
    assert!(verdict.reasons.iter().any(|r| r.contains("rules.mine.yar.evil")), "{:?}", verdict.reasons);
    let quiet = stage_report(r#"rule note { meta: severity = "medium" strings: $a = "EVIL" condition: $a }"#, b"EVIL");
    assert_eq!(fcas_models::ensemble::consensus(&predictions, &quiet.indicators).label, "benign");
}

#[cfg(unix)]
#[test]
fn a_config_map_folder_is_read_once_through_its_links() {
    // The layout Kubernetes gives a ConfigMap volume: the files in a hidden timestamped folder,
    // `..data` linking to it, and a link per key at the top.
    let folder = tempfile::tempdir().unwrap();
    write(folder.path(), "..2026_01_01/mounted.yar", "rule mounted { condition: true }");
    std::os::unix::fs::symlink("..2026_01_01", folder.path().join("..data")).unwrap();
    std::os::unix::fs::symlink("..data/mounted.yar", folder.path().join("mounted.yar")).unwrap();
    let (set, errors) = RuleSet::load(&user_only(folder.path()));
    assert!(errors.is_empty(), "{errors:?}");
    let rules = set.rules();
    assert_eq!(rules.len(), 1, "{rules:?}");
    assert_eq!((rules[0].namespace.as_str(), rules[0].rule.as_str()), ("mounted.yar", "mounted"));
}
