//! OneNote attachments compared with one-extract (0.1.4) over the corpus (reference/rtf.json,
//! from scripts/document-reference-rtf.py), a section built from MS-ONESTORE's structures, and
//! hostile inputs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;

use std::time::{Duration, Instant};

use fcas_documents::{analyze, embedded, DocLimits, Findings};
use fcas_report::{Format, Severity};
use sha2::{Digest, Sha256};

/// A section's file type GUID ({7B5C52E4-D88C-4DA7-AEB1-5378D02996D3}), as stored.
const FILE_TYPE: &[u8] = b"\xe4\x52\x5c\x7b\x8c\xd8\xa7\x4d\xae\xb1\x53\x78\xd0\x29\x96\xd3";
/// The revision store's file format GUID ({109ADD3F-911B-49F5-A5D0-1791EDC8AED8}), as stored.
const FILE_FORMAT: &[u8] = b"\x3f\xdd\x9a\x10\x1b\x91\xf5\x49\xa5\xd0\x17\x91\xed\xc8\xae\xd8";
const DATA_HEADER: &[u8] = b"\xe7\x16\xe3\xbd\x65\x26\x11\x45\xa4\xc4\x8d\x4d\x0b\x7a\x9e\xac";
const DATA_FOOTER: &[u8] = b"\x22\xa7\xfb\x71\x79\x0f\x0b\x4a\xbb\x13\x89\x92\x56\x42\x6b\x24";

fn findings(bytes: &[u8]) -> Findings {
    analyze(Format::OneNote, bytes, &DocLimits::default()).expect("OneNote is analysed")
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A FileDataStoreObject (MS-ONESTORE 2.6.13) claiming `claimed` bytes and holding `data`.
fn file_data(data: &[u8], claimed: u64) -> Vec<u8> {
    let mut bytes = DATA_HEADER.to_vec();
    bytes.extend_from_slice(&claimed.to_le_bytes());
    bytes.extend_from_slice(&[0; 12]);
    bytes.extend_from_slice(data);
    // Padding makes the object so far a multiple of 8 bytes.
    bytes.resize(bytes.len().div_ceil(8) * 8, 0);
    bytes.extend_from_slice(DATA_FOOTER);
    bytes
}

/// A section: the header (1024 bytes: guidFileType, guidFile, guidLegacyFileVersion,
/// guidFileFormat, the rest zero), then the objects.
fn section(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = FILE_TYPE.to_vec();
    bytes.extend_from_slice(&[0x11; 16]);
    bytes.extend_from_slice(&[0; 16]);
    bytes.extend_from_slice(FILE_FORMAT);
    bytes.resize(1024, 0);
    for object in objects {
        bytes.extend_from_slice(object);
    }
    bytes
}

#[test]
fn corpus_attachments_agree_with_one_extract() {
    let Some(corpus) = common::documents() else { return };
    let reference = common::reference("rtf.json");
    let sections = reference["onenote"].as_array().unwrap();
    assert!(!sections.is_empty(), "the corpus has OneNote sections");
    let (mut same, mut total) = (0, 0);
    for section in sections {
        let path = section["path"].as_str().unwrap();
        let bytes = std::fs::read(corpus.join(path)).unwrap();
        let found = findings(&bytes);
        let ours: Vec<&str> = found.document.embedded.iter().map(|e| e.sha256.as_str()).collect();
        for attachment in section["attachments"].as_array().unwrap() {
            total += 1;
            same += usize::from(ours.contains(&attachment["sha256"].as_str().unwrap()));
        }
        assert_eq!(ours.len(), section["attachments"].as_array().unwrap().len(), "{path}");
        let handed = embedded(Format::OneNote, &bytes, &DocLimits::default());
        assert_eq!(handed.payloads.iter().map(|p| sha256(&p.bytes)).collect::<Vec<_>>(), ours, "{path}");
        assert!(found.errors.is_empty(), "{path}: {:?}", found.errors);
    }
    eprintln!("OneNote: {same} of {total} one-extract attachments found alike");
    assert_eq!(same, total);
}

#[test]
fn built_section_gives_its_files_named_by_kind() {
    let hta = b"<html><head><HTA:APPLICATION ID=\"x\"><script>new ActiveXObject('WScript.Shell')</script>";
    let bytes = section(&[file_data(b"\x89PNG\r\n\x1a\nimage", 13), file_data(hta, hta.len() as u64)]);
    let found = findings(&bytes);
    let names: Vec<&str> = found.document.embedded.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["attachment1.png", "attachment2.hta"]);
    assert_eq!(found.document.embedded[1].sha256, sha256(hta));
    let indicator = found.indicators.iter().find(|i| i.id == "document.onenote.embedded_file").unwrap();
    assert_eq!(indicator.severity, Severity::High);
    let payloads = embedded(Format::OneNote, &bytes, &DocLimits::default()).payloads;
    assert_eq!(payloads[1].bytes.as_ref(), hta);
    assert_eq!(payloads[1].name, "attachment2.hta");
    // The script's text is searched for IOCs; the picture is not text.
    assert_eq!(found.decoded_text.len(), 1);
    assert!(found.decoded_text[0].contains("WScript.Shell"));
}

#[test]
fn a_picture_alone_is_medium() {
    let found = findings(&section(&[file_data(b"GIF89a....", 10)]));
    let indicator = found.indicators.iter().find(|i| i.id == "document.onenote.embedded_file").unwrap();
    assert_eq!(indicator.severity, Severity::Medium);
}

#[test]
fn huge_claimed_length_is_bounded() {
    let mut bytes = section(&[file_data(b"MZ\x90\x00", u64::MAX)]);
    bytes.extend(file_data(b"MZ", 1 << 40));
    let started = Instant::now();
    let found = findings(&bytes);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(found.document.embedded.len(), 2);
    assert!(found.errors.iter().any(|e| e.contains("claims")), "{:?}", found.errors);
}

#[test]
fn many_objects_and_cut_sections_are_bounded() {
    let objects: Vec<Vec<u8>> = (0..100_000).map(|_| file_data(b"x", 1)).collect();
    let bytes = section(&objects);
    let limits = DocLimits { max_items: 50, ..DocLimits::default() };
    let found = analyze(Format::OneNote, &bytes, &limits).unwrap();
    assert_eq!(found.document.embedded.len(), 50);
    assert!(found.document.truncated.iter().any(|t| t == "onenote.attachments"));
    let small = section(&[file_data(b"@echo off\r\ncalc", 15)]);
    for cut in 0..small.len() {
        let _ = findings(&small[..cut]);
        let _ = embedded(Format::OneNote, &small[..cut], &DocLimits::default());
    }
}
