//! Compound files written by the `cfb` crate, plain and marked as an MSI.
use std::io::{Cursor, Write};

use cfb::CompoundFile;
use fcas_report::{ExtractionStatus, Format};

use crate::common::{damage_never_panics, garbage_is_a_value, names, open, sha256};

/// MSI's compressed form of `name` (see the reader's decoder).
fn msi_encode(name: &str) -> String {
    let alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._";
    let index = |c: char| alphabet.find(c).unwrap() as u32;
    let chars: Vec<char> = name.chars().collect();
    chars
        .chunks(2)
        .map(|pair| {
            let code = if pair.len() == 2 { 0x3800 + index(pair[0]) + (index(pair[1]) << 6) } else { 0x4800 + index(pair[0]) };
            char::from_u32(code).unwrap()
        })
        .collect()
}

fn compound(streams: &[(&str, &[u8])]) -> Vec<u8> {
    let mut file = CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    for (path, data) in streams {
        if let Some((storage, _)) = path.rsplit_once('/') {
            file.create_storage_all(storage).unwrap();
        }
        file.create_stream(path).unwrap().write_all(data).unwrap();
    }
    file.flush().unwrap();
    file.into_inner().into_inner()
}

/// Sets the root entry's CLSID to MSI's, where the header says the directory starts.
fn mark_msi(bytes: &mut [u8]) {
    let first = u32::from_le_bytes(bytes[0x30..0x34].try_into().unwrap()) as usize;
    let shift = u16::from_le_bytes([bytes[0x1e], bytes[0x1f]]);
    let root = ((first + 1) << shift) + 0x50;
    bytes[root..root + 16].copy_from_slice(&[0x84, 0x10, 0x0c, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46]);
}

fn sample() -> (Vec<u8>, Vec<u8>) {
    let cab = crate::cab::cabinet(&[("payload.exe", b"MZ not really")]);
    let big: Vec<u8> = (0..20_000u32).map(|i| (i * 7) as u8).collect();
    let bin = format!("\u{4840}{}", msi_encode("Binary.CustomAction1"));
    let cab_name = msi_encode("cab1.cab");
    let file =
        compound(&[("\u{5}SummaryInformation", b"summary"), (&bin, &big), (&cab_name, &cab), ("Macros/VBA/Module1", b"Sub AutoOpen()")]);
    (file, big)
}

#[test]
fn ole_streams_by_path() {
    let (file, big) = sample();
    let (extraction, children) = open(Format::Ole, &file);
    assert_eq!((extraction.status, extraction.format.as_str()), (ExtractionStatus::Opened, "ole"), "{extraction:?}");
    let mut got: Vec<(String, String)> = children.iter().map(|(name, data)| (name.clone(), sha256(data))).collect();
    got.sort();
    let cab = crate::cab::cabinet(&[("payload.exe", b"MZ not really")]);
    let mut want = vec![
        ("\u{5}SummaryInformation".to_string(), sha256(b"summary")),
        ("!Binary.CustomAction1".to_string(), sha256(&big)),
        ("cab1.cab".to_string(), sha256(&cab)),
        ("Macros/VBA/Module1".to_string(), sha256(b"Sub AutoOpen()")),
    ];
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn msi_is_named_by_its_root_clsid() {
    let (mut file, _) = sample();
    mark_msi(&mut file);
    let (extraction, children) = open(Format::Ole, &file);
    assert_eq!(extraction.format, "msi");
    assert!(names(&children).contains(&"cab1.cab"));
}

#[test]
fn ole_damage_never_panics() {
    let (file, _) = sample();
    let (extraction, children) = open(Format::Ole, &file[..file.len() / 2]);
    assert!(extraction.status != ExtractionStatus::Opened || children.len() < 4, "{extraction:?}");
    damage_never_panics(Format::Ole, &file, 509);
    let small = compound(&[("a", b"x")]);
    damage_never_panics(Format::Ole, &small, 61);
    garbage_is_a_value(Format::Ole, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1");
}
