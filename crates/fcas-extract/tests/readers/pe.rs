//! PE payloads: an overlay and RT_RCDATA resources, in a PE32 built here.
use fcas_report::{ExtractionStatus, Format};

use crate::common::{damage_never_panics, garbage_is_a_value, names, open};

fn put16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

fn put32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// A PE32 with one `.rsrc` section holding RT_RCDATA 101 (`embedded`) and 102 (`text`), then
/// `overlay`, then an 8-byte certificate table when `signed`.
pub fn pe(embedded: &[u8], text: &[u8], overlay: &[u8], signed: bool) -> Vec<u8> {
    let mut rsrc = vec![0u8; 0x88];
    let dir = |r: &mut Vec<u8>, at: usize, entries: &[(u32, u32)]| {
        put16(r, at + 14, entries.len() as u16);
        for (i, (id, target)) in entries.iter().enumerate() {
            put32(r, at + 16 + i * 8, *id);
            put32(r, at + 20 + i * 8, *target);
        }
    };
    dir(&mut rsrc, 0, &[(10, 0x8000_0018)]);
    dir(&mut rsrc, 0x18, &[(101, 0x8000_0038), (102, 0x8000_0050)]);
    dir(&mut rsrc, 0x38, &[(0x409, 0x68)]);
    dir(&mut rsrc, 0x50, &[(0x409, 0x78)]);
    let a = rsrc.len() as u32;
    rsrc.extend(embedded);
    let b = rsrc.len() as u32;
    rsrc.extend(text);
    put32(&mut rsrc, 0x68, 0x1000 + a);
    put32(&mut rsrc, 0x6c, embedded.len() as u32);
    put32(&mut rsrc, 0x78, 0x1000 + b);
    put32(&mut rsrc, 0x7c, text.len() as u32);
    let raw = rsrc.len().div_ceil(0x200) * 0x200;
    rsrc.resize(raw, 0);

    let mut file = vec![0u8; 0x200];
    file[..2].copy_from_slice(b"MZ");
    put32(&mut file, 0x3c, 0x40);
    file[0x40..0x44].copy_from_slice(b"PE\0\0");
    put16(&mut file, 0x44, 0x14c);
    put16(&mut file, 0x46, 1);
    put16(&mut file, 0x54, 224);
    let opt = 0x58;
    put16(&mut file, opt, 0x10b);
    put32(&mut file, opt + 92, 16);
    put32(&mut file, opt + 96 + 16, 0x1000);
    put32(&mut file, opt + 96 + 20, rsrc.len() as u32);
    let section = opt + 224;
    file[section..section + 5].copy_from_slice(b".rsrc");
    put32(&mut file, section + 8, rsrc.len() as u32);
    put32(&mut file, section + 12, 0x1000);
    put32(&mut file, section + 16, raw as u32);
    put32(&mut file, section + 20, 0x200);
    file.extend(&rsrc);
    file.extend(overlay);
    if signed {
        let at = file.len() as u32;
        put32(&mut file, opt + 96 + 32, at);
        put32(&mut file, opt + 96 + 36, 8);
        file.extend([8, 0, 0, 0, 0, 2, 2, 0]);
    }
    file
}

#[test]
fn pe_overlay_and_rcdata() {
    let cab = crate::cab::cabinet(&[("x.exe", b"MZ x")]);
    let inner = pe(b"", b"", b"", false);
    let file = pe(&inner, b"just text", &cab, true);
    let (extraction, children) = open(Format::Pe, &file);
    assert_eq!((extraction.status, extraction.format.as_str()), (ExtractionStatus::Opened, "pe"), "{extraction:?}");
    assert_eq!(names(&children), ["overlay", "resource/RCDATA/101"]);
    // The certificate is left out of the overlay.
    assert_eq!(children[0].1, cab);
    assert_eq!(children[1].1, inner);
}

#[test]
fn ordinary_pe_is_no_container() {
    assert!(!fcas_extract::is_container(Format::Pe, &pe(b"", b"", b"", true)));
    // Text in a resource and padding after the sections are not payloads.
    assert!(!fcas_extract::is_container(Format::Pe, &pe(b"plain", b"text", &[0u8; 100], false)));
    assert!(fcas_extract::is_container(Format::Pe, &pe(b"", b"", b"PK\x03\x04 rest", false)));
}

#[test]
fn pe_damage_never_panics() {
    let file = pe(&pe(b"", b"", b"", false), b"t", b"MZ overlay", true);
    damage_never_panics(Format::Pe, &file, 13);
    let mut head = file[..0x200].to_vec();
    head.resize(4096, 0);
    garbage_is_a_value(Format::Pe, &head[..0x150]);
    // A resource tree pointing at itself ends.
    let mut looped = file.clone();
    put32(&mut looped, 0x200 + 0x38 + 20, 0x8000_0000);
    let _ = open(Format::Pe, &looped);
}
