//! Cabinets written by the `cab` crate's builder: stored and MSZIP folders.
use std::io::{Cursor, Write};

use cab::{CabinetBuilder, CompressionType};
use fcas_report::{ExtractionStatus, Format};

use crate::common::{damage_never_panics, garbage_is_a_value, names, open, sha256};

/// A cabinet of `files`, the first two in a stored folder, the rest in an MSZIP one.
pub fn cabinet(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = CabinetBuilder::new();
    let (stored, zipped) = files.split_at(files.len().min(2));
    for (kind, group) in [(CompressionType::None, stored), (CompressionType::MsZip, zipped)] {
        if group.is_empty() {
            continue;
        }
        let folder = builder.add_folder(kind);
        for (name, _) in group {
            folder.add_file(*name);
        }
    }
    let mut writer = builder.build(Cursor::new(Vec::new())).unwrap();
    let mut contents = files.iter().map(|(_, data)| *data);
    while let Some(mut file) = writer.next_file().unwrap() {
        file.write_all(contents.next().unwrap()).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn sample() -> (Vec<u8>, Vec<u8>) {
    let big: Vec<u8> = (0..100_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
    let cab = cabinet(&[("a.txt", b"hello cabinet\n"), ("dir\\b.bin", &[0, 1, 2, 3]), ("c.dat", &big), ("d.txt", b"tail")]);
    (cab, big)
}

#[test]
fn cab_stored_and_mszip_folders() {
    let (cab, big) = sample();
    let (extraction, children) = open(Format::Cab, &cab);
    assert_eq!(extraction.status, ExtractionStatus::Opened, "{extraction:?}");
    assert_eq!(extraction.format, "cab");
    assert_eq!(names(&children), ["a.txt", "dir\\b.bin", "c.dat", "d.txt"]);
    assert_eq!(children[0].1, b"hello cabinet\n");
    assert_eq!(children[1].1, [0, 1, 2, 3]);
    assert_eq!(sha256(&children[2].1), sha256(&big));
    assert_eq!(children[3].1, b"tail");
}

#[test]
fn cab_truncated_gives_partial_or_error() {
    let (cab, _) = sample();
    let (extraction, children) = open(Format::Cab, &cab[..cab.len() - 100]);
    // The stored folder still comes out whole; the cut MSZIP folder is skipped.
    assert_eq!(names(&children), ["a.txt", "dir\\b.bin"]);
    assert!(!extraction.skipped.is_empty(), "{extraction:?}");
    let (extraction, children) = open(Format::Cab, &cab[..30]);
    assert_eq!(extraction.status, ExtractionStatus::Failed);
    assert!(children.is_empty());
}

#[test]
fn cab_damage_never_panics() {
    let (cab, _) = sample();
    let small = cabinet(&[("a", b"x"), ("b", b"yy"), ("c", b"zzz zzz zzz")]);
    damage_never_panics(Format::Cab, &small, 1);
    damage_never_panics(Format::Cab, &cab[..4096.min(cab.len())], 7);
    garbage_is_a_value(Format::Cab, b"MSCF\0\0\0\0");
}
