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

/// The middle cabinet of a set, written here: its one stored folder holds the end of a file
/// begun in the previous cabinet, a whole file, and the start of one the next cabinet ends.
fn middle_of_a_set() -> Vec<u8> {
    let (tail, whole, head): (&[u8], &[u8], &[u8]) = (b"end of part one", b"a whole file", b"start of part three");
    let files: [(&str, u32, u32, u16); 3] = [
        ("part1.bin", 40, 0, 0xfffd),
        ("whole.txt", whole.len() as u32, tail.len() as u32, 0),
        ("part3.bin", 50, (tail.len() + whole.len()) as u32, 0xfffe),
    ];
    let strings: &[&[u8]] = &[b"set1.cab\0", b"disk 1\0", b"set3.cab\0", b"disk 3\0"];
    let header_length = 36 + strings.iter().map(|s| s.len()).sum::<usize>();
    let files_at = header_length + 8;
    let file_records: Vec<u8> = files
        .iter()
        .flat_map(|(name, size, offset, folder)| {
            let mut record = Vec::new();
            record.extend(size.to_le_bytes());
            record.extend(offset.to_le_bytes());
            record.extend(folder.to_le_bytes());
            record.extend([0u8; 6]);
            record.extend(name.as_bytes());
            record.push(0);
            record
        })
        .collect();
    let data_at = files_at + file_records.len();
    let content = [tail, whole, head].concat();
    let mut cab = Vec::new();
    cab.extend(b"MSCF");
    cab.extend([0u8; 4]);
    cab.extend(((data_at + 8 + content.len()) as u32).to_le_bytes());
    cab.extend([0u8; 4]);
    cab.extend((files_at as u32).to_le_bytes());
    cab.extend([0u8; 4]);
    cab.extend([3, 1]);
    cab.extend(1u16.to_le_bytes()); // folders
    cab.extend(3u16.to_le_bytes()); // files
    cab.extend(3u16.to_le_bytes()); // flags: a previous and a next cabinet
    cab.extend(0x4643u16.to_le_bytes()); // set id
    cab.extend(1u16.to_le_bytes()); // this cabinet's index in the set
    for string in strings {
        cab.extend(*string);
    }
    cab.extend((data_at as u32).to_le_bytes());
    cab.extend(1u16.to_le_bytes()); // data blocks
    cab.extend(0u16.to_le_bytes()); // stored
    cab.extend(file_records);
    cab.extend([0u8; 4]);
    cab.extend((content.len() as u16).to_le_bytes());
    cab.extend((content.len() as u16).to_le_bytes());
    cab.extend(content);
    cab
}

#[test]
fn files_continued_across_a_set_are_named_with_the_cabinet_that_holds_the_rest() {
    let cab = middle_of_a_set();
    let (extraction, children) = open(Format::Cab, &cab);
    assert_eq!(names(&children), ["whole.txt"], "{extraction:?}");
    assert_eq!(children[0].1, b"a whole file");
    assert_eq!(extraction.status, ExtractionStatus::Opened, "not damaged: {extraction:?}");
    let skipped: Vec<(&str, &str)> = extraction.skipped.iter().map(|s| (s.name.as_str(), s.reason.as_str())).collect();
    assert_eq!(
        skipped,
        [
            ("part1.bin", "not decoded: begun in the previous cabinet of its set (\"set1.cab\"), which this submission does not hold"),
            ("part3.bin", "not decoded: ends in the next cabinet of its set (\"set3.cab\"), which this submission does not hold"),
        ]
    );
    damage_never_panics(Format::Cab, &cab, 7);
}
