//! Shortcuts: every field FCAS reports agrees with LnkParse3 on every corpus shortcut
//! (`tests/fixtures/documents/reference/lnk.json`), and hostile shortcuts come back bounded.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;

use std::time::{Duration, Instant};

use fcas_documents::{analyze, DocLimits, Findings};
use fcas_report::{Format, LnkReport};
use serde_json::Value;

fn lnk_of(bytes: &[u8]) -> (Findings, LnkReport) {
    let findings = analyze(Format::Lnk, bytes, &DocLimits::default()).expect("a shortcut is a document");
    let report = findings.lnk.clone().expect("the lnk part");
    (findings, report)
}

fn text(value: &Value) -> Option<String> {
    value.as_str().map(str::to_string)
}

#[test]
fn every_corpus_shortcut_agrees_with_lnkparse3() {
    let Some(corpus) = common::documents() else { return };
    let reference = common::reference("lnk.json");
    let files = common::files(&corpus, "lnk");
    assert!(!files.is_empty(), "no shortcuts in the corpus");
    assert_eq!(files.len(), reference["files"].as_object().unwrap().len(), "reference/lnk.json is stale");
    let mut compared = 0usize;
    for path in files {
        let expected = &reference["files"][&path];
        assert!(expected.is_object(), "{path}: not in reference/lnk.json");
        let (findings, report) = lnk_of(&std::fs::read(corpus.join(&path)).unwrap());
        assert!(findings.errors.is_empty(), "{path}: {:?}", findings.errors);
        let fields: [(&str, Option<String>); 14] = [
            ("target", report.target.clone()),
            ("arguments", report.arguments.clone()),
            ("working_dir", report.working_dir.clone()),
            ("icon", report.icon.clone()),
            ("description", report.description.clone()),
            ("relative_path", report.relative_path.clone()),
            ("machine_id", report.machine_id.clone()),
            ("mac_address", report.mac_address.clone()),
            ("created", report.created.clone()),
            ("accessed", report.accessed.clone()),
            ("modified", report.modified.clone()),
            ("environment_target", report.environment_target.clone()),
            ("icon_environment", report.icon_environment.clone()),
            ("known_folder", report.known_folder.clone()),
        ];
        for (field, ours) in fields {
            assert_eq!(ours, text(&expected[field]), "{path}: {field}");
            compared += 1;
        }
        let volume = report.volume.clone().unwrap_or_default();
        let volume_fields = [("drive_type", volume.drive_type), ("serial", volume.serial), ("label", volume.label)];
        for (field, ours) in volume_fields {
            assert_eq!(ours, text(&expected[field]).unwrap_or_default(), "{path}: {field}");
        }
        assert_eq!(report.network_share, text(&expected["network_share"]), "{path}: share");
        assert_eq!(report.network_device, text(&expected["network_device"]), "{path}: device");
        assert_eq!(report.file_size, expected["file_size"].as_u64().unwrap(), "{path}: size");
        assert_eq!(report.show_command, expected["show_command"].as_str().unwrap(), "{path}: show command");
        assert_eq!(report.special_folder.map(u64::from), expected["special_folder"].as_u64(), "{path}: special folder");
        assert_eq!(report.hotkey.is_some(), expected["hotkey_raw"].as_u64() != Some(0), "{path}: hot key");
        let flags: Vec<String> = serde_json::from_value(expected["flags"].clone()).unwrap();
        assert_eq!(report.flags, flags, "{path}: flags");
        let droids: Vec<String> = serde_json::from_value(expected["droids"].clone()).unwrap();
        assert_eq!(report.droids, droids, "{path}: droids");
        // LnkParse3 names file entries by their 8.3 name only (it does not read the 0xBEEF0004
        // long name): compare the ID list path where the two are the same.
        if let Some(listed) = text(&expected["id_list_path"]).filter(|p| !p.contains('~')) {
            assert_eq!(report.id_list_path.as_deref(), Some(listed.as_str()), "{path}: ID list path");
        }
        compared += 1;
    }
    assert!(compared > 0);
}

#[test]
fn corpus_shortcuts_raise_what_they_carry() {
    let Some(corpus) = common::documents() else { return };
    let read = |name: &str| lnk_of(&std::fs::read(corpus.join("lnk").join(name)).unwrap()).0;
    let ids = |findings: &Findings| findings.indicators.iter().map(|i| i.id.clone()).collect::<Vec<_>>();

    let powershell = read("powershell-encoded.lnk");
    let found = ids(&powershell);
    for id in ["lnk.arguments_command", "lnk.encoded_command", "lnk.icon_mismatch"] {
        assert!(found.contains(&id.to_string()), "powershell-encoded.lnk: {id} missing from {found:?}");
    }
    assert!(powershell.decoded_text.iter().any(|t| t.contains("http://example.invalid/stage2.ps1")));
    // The long name from the 0xBEEF0004 block, not the 8.3 name.
    let report = powershell.lnk.unwrap();
    assert_eq!(report.id_list_path.as_deref(), Some(r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe"));

    let padded = read("cmd-padded.lnk");
    let found = ids(&padded);
    for id in ["lnk.arguments_command", "lnk.long_arguments", "lnk.icon_mismatch"] {
        assert!(found.contains(&id.to_string()), "cmd-padded.lnk: {id} missing from {found:?}");
    }
    assert!(!found.contains(&"lnk.encoded_command".to_string()));
    assert_eq!(padded.lnk.unwrap().hotkey.as_deref(), Some("CTRL+ALT+F5"));

    assert!(ids(&read("notepad.lnk")).is_empty(), "a plain shortcut raises nothing");
    assert!(ids(&read("mshta-url.lnk")).contains(&"lnk.arguments_command".to_string()));
}

#[test]
fn every_cut_of_a_corpus_shortcut_is_survived() {
    let Some(corpus) = common::documents() else { return };
    for path in common::files(&corpus, "lnk") {
        let bytes = std::fs::read(corpus.join(&path)).unwrap();
        for cut in 0..bytes.len() {
            let findings = analyze(Format::Lnk, &bytes[..cut], &DocLimits::default()).unwrap();
            assert!(findings.lnk.is_some() || !findings.errors.is_empty(), "{path} cut at {cut}");
        }
        // Every byte flipped in turn: values change, nothing panics.
        for at in 0..bytes.len() {
            let mut mutant = bytes.clone();
            mutant[at] ^= 0xff;
            let _ = analyze(Format::Lnk, &mutant, &DocLimits::default());
        }
    }
}

/// A header with the given flags.
fn header(flags: u32) -> Vec<u8> {
    let mut bytes = vec![0x4c, 0, 0, 0, 0x01, 0x14, 0x02, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46];
    bytes.extend_from_slice(&flags.to_le_bytes());
    bytes.resize(0x4c, 0);
    bytes
}

#[test]
fn hostile_shortcuts_return_in_bounded_time() {
    let started = Instant::now();
    // All sections announced, none there.
    let (findings, _) = lnk_of(&header(0x0300_00ff));
    assert!(!findings.errors.is_empty());
    // An ID list that claims 64 KiB.
    let mut bytes = header(0x1);
    bytes.extend_from_slice(&[0xff, 0xff, 4, 0]);
    assert!(!lnk_of(&bytes).0.errors.is_empty());
    // String counts past the end.
    let mut bytes = header(0x20 | 0x80);
    bytes.extend_from_slice(&[0xff, 0xff, b'a', 0]);
    let (findings, report) = lnk_of(&bytes);
    assert!(!findings.errors.is_empty());
    assert_eq!(report.arguments, None);
    // A megabyte of one-item ID lists and tiny extra blocks.
    let mut bytes = header(0x1);
    bytes.extend_from_slice(&[0xfe, 0xff]);
    bytes.extend(std::iter::repeat_n([2u8, 0], 0x7fff).flatten());
    for _ in 0..100_000 {
        bytes.extend_from_slice(&[8, 0, 0, 0, 5, 0, 0, 0xa0]);
    }
    let (findings, _) = lnk_of(&bytes);
    assert!(findings.errors.iter().any(|e| e.contains("extra data blocks")), "{:?}", findings.errors);
    // Link info offsets pointing anywhere.
    let mut bytes = header(0x2);
    let mut info = vec![0u8; 0x24];
    info[..4].copy_from_slice(&0x24u32.to_le_bytes());
    info[4..8].copy_from_slice(&0x24u32.to_le_bytes());
    info[8..12].copy_from_slice(&3u32.to_le_bytes());
    for field in (12..0x24).step_by(4) {
        info[field..field + 4].copy_from_slice(&0xffff_fff0u32.to_le_bytes());
    }
    bytes.extend_from_slice(&info);
    let _ = lnk_of(&bytes);
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    // Not a shortcut at all.
    let findings = analyze(Format::Lnk, b"not a link", &DocLimits::default()).unwrap();
    assert!(findings.lnk.is_none() && !findings.errors.is_empty());
}
