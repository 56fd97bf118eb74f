//! File-type identification against the corpus references (`file` 5.44, pefile, LIEF) and on
//! synthetic headers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
use std::path::{Path, PathBuf};

use fcas_engine::identity::detect;
use fcas_engine::report::Format;
use serde_json::Value;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus")
}

/// Every corpus file with its reference JSON.
fn corpus_files() -> Vec<(String, Vec<u8>, Value)> {
    let root = corpus();
    let manifest = std::fs::read_to_string(root.join("MANIFEST.tsv")).expect("manifest");
    manifest
        .lines()
        .skip(1)
        .filter_map(|line| line.split('\t').next())
        .map(|path| {
            let bytes = std::fs::read(root.join(path)).expect("fixture");
            let reference = path.strip_prefix("files/").expect("files/ prefix");
            let json = std::fs::read_to_string(root.join("refs").join(format!("{reference}.json"))).expect("reference");
            (path.to_string(), bytes, serde_json::from_str(&json).expect("reference JSON"))
        })
        .collect()
}

/// Files where `file` knows more than a magic-number detector should, with the reason.
const MIME_ALLOWLIST: &[(&str, &str)] = &[];

#[test]
fn mime_types_match_file_for_every_corpus_file() {
    let files = corpus_files();
    assert!(files.len() >= 100, "corpus incomplete: {} files", files.len());
    let mut mismatches = Vec::new();
    for (path, bytes, reference) in &files {
        let expected = reference["file"]["mime_type"].as_str().expect("mime_type");
        let (_, file_type) = detect(bytes);
        if file_type.mime != expected && !MIME_ALLOWLIST.iter().any(|(allowed, _)| path.ends_with(allowed)) {
            mismatches.push(format!("{path}: got {} want {expected}", file_type.mime));
        }
    }
    assert!(mismatches.is_empty(), "MIME mismatches:\n{}", mismatches.join("\n"));
}

#[test]
fn executable_formats_match_pefile_and_lief() {
    for (path, bytes, reference) in corpus_files() {
        let (format, file_type) = detect(&bytes);
        let pefile_parsed = reference["pefile"]["parsed"].as_bool() == Some(true);
        let lief_format = reference["lief"]["format"].as_str().filter(|_| reference["lief"]["parsed"].as_bool() == Some(true));
        // pefile refuses a PE whose NT headers are cut short; its header still starts right.
        let header_only_pe = path.ends_with("trunc_in_nt_headers.exe");
        assert_eq!(format == Format::Pe, pefile_parsed || header_only_pe, "{path}: {format:?}");
        match lief_format {
            Some("ELF") => assert_eq!(format, Format::Elf, "{path}"),
            Some("MachO") => assert_eq!(format, Format::Macho, "{path}"),
            _ => {}
        }
        let brief = reference["file"]["brief"].as_str().unwrap_or_default();
        match format {
            // Our PE and ELF descriptions are the leading part of what `file` prints.
            Format::Pe | Format::Elf => {
                assert!(brief.starts_with(&file_type.description), "{path}: {:?} vs {brief:?}", file_type.description)
            }
            Format::Macho if !brief.contains("universal") => {
                assert_eq!(brief.split(',').next(), Some(file_type.description.as_str()), "{path}")
            }
            _ => {}
        }
    }
}

#[test]
fn truncated_headers_never_panic() {
    for (_, bytes, _) in corpus_files() {
        for length in 0..bytes.len().min(600) {
            let _ = detect(&bytes[..length]);
        }
    }
}

fn with_padding(head: &[u8]) -> Vec<u8> {
    let mut bytes = head.to_vec();
    bytes.resize(head.len() + 512, 0);
    bytes
}

#[test]
fn magic_numbers() {
    let cases: &[(&[u8], Format, &str)] = &[
        (b"\x1f\x8b\x08\x00", Format::Gzip, "application/gzip"),
        (b"BZh91AY&SY", Format::Bzip2, "application/x-bzip2"),
        (b"\xfd7zXZ\x00\x00\x04", Format::Xz, "application/x-xz"),
        (b"\x28\xb5\x2f\xfd\x24\x00", Format::Zstd, "application/zstd"),
        (b"7z\xbc\xaf\x27\x1c\x00\x04", Format::SevenZip, "application/x-7z-compressed"),
        (b"Rar!\x1a\x07\x00", Format::Rar, "application/x-rar"),
        (b"Rar!\x1a\x07\x01\x00", Format::Rar, "application/x-rar"),
        (b"MSCF\0\0\0\0", Format::Cab, "application/vnd.ms-cab-compressed"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", Format::Ole, "application/x-ole-storage"),
        (b"\0asm\x01\0\0\0", Format::Wasm, "application/wasm"),
        (b"\x89PNG\r\n\x1a\n", Format::Png, "image/png"),
        (b"\xff\xd8\xff\xe0", Format::Jpeg, "image/jpeg"),
        (b"GIF89a\x10\0", Format::Gif, "image/gif"),
        (b"%PDF-1.7\n", Format::Pdf, "application/pdf"),
        (b"\xca\xfe\xba\xbe\x00\x00\x00\x34", Format::Class, "application/x-java-applet"),
        (b"!<arch>\nfoo.o/", Format::Ar, "application/x-archive"),
        (b"!<arch>\ndebian-binary   ", Format::Ar, "application/vnd.debian.binary-package"),
        (b"\0\0\x01\0\x01\0\x20\x20\0\0", Format::Ico, "image/vnd.microsoft.icon"),
    ];
    for (head, format, mime) in cases {
        let (found, file_type) = detect(&with_padding(head));
        assert_eq!((found, file_type.mime.as_str()), (*format, *mime), "{head:?}");
    }
    let mut tar = vec![0u8; 1024];
    tar[257..263].copy_from_slice(b"ustar\0");
    assert_eq!(detect(&tar).0, Format::Tar);
    assert_eq!(detect(&[]).0, Format::Empty);
    assert_eq!(detect(&[0u8; 64]).0, Format::Unknown);
}

#[test]
fn universal_binary_is_not_a_java_class() {
    let mut fat = b"\xca\xfe\xba\xbe\x00\x00\x00\x02".to_vec();
    for cpu in [0x0100_0007u32, 0x0100_000c] {
        fat.extend(cpu.to_be_bytes());
        fat.extend([0u8; 16]);
    }
    let (format, file_type) = detect(&fat);
    assert_eq!(format, Format::Macho);
    assert_eq!(file_type.description, "Mach-O universal binary with 2 architectures: [x86_64] [arm64]");
}

/// A stored (uncompressed) ZIP with the given entry names, first one first.
fn zip_with(names: &[&str]) -> Vec<u8> {
    let mut local = Vec::new();
    let mut central = Vec::new();
    for name in names {
        let offset = local.len() as u32;
        local.extend(b"PK\x03\x04");
        local.extend([0u8; 22]);
        local.extend((name.len() as u16).to_le_bytes());
        local.extend([0u8; 2]);
        local.extend(name.as_bytes());
        central.extend(b"PK\x01\x02");
        central.extend([0u8; 24]);
        central.extend((name.len() as u16).to_le_bytes());
        central.extend([0u8; 12]);
        central.extend(offset.to_le_bytes());
        central.extend(name.as_bytes());
    }
    let central_at = local.len() as u32;
    let mut bytes = local;
    bytes.extend(&central);
    bytes.extend(b"PK\x05\x06\0\0\0\0");
    bytes.extend((names.len() as u16).to_le_bytes());
    bytes.extend((names.len() as u16).to_le_bytes());
    bytes.extend((central.len() as u32).to_le_bytes());
    bytes.extend(central_at.to_le_bytes());
    bytes.extend([0u8; 2]);
    bytes
}

#[test]
fn zip_family() {
    let kind = |names: &[&str]| {
        let (format, file_type) = detect(&zip_with(names));
        (format, file_type.mime)
    };
    assert_eq!(kind(&["a.txt"]), (Format::Zip, "application/zip".into()));
    assert_eq!(kind(&["META-INF/MANIFEST.MF", "a.class"]), (Format::Jar, "application/java-archive".into()));
    // The manifest found through the central directory only.
    assert_eq!(kind(&["a.class", "META-INF/MANIFEST.MF"]).0, Format::Jar);
    assert_eq!(kind(&["AndroidManifest.xml", "classes.dex", "META-INF/MANIFEST.MF"]).1, "application/vnd.android.package-archive");
    assert_eq!(
        kind(&["[Content_Types].xml", "word/document.xml"]).1,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert_eq!(kind(&["[Content_Types].xml", "xl/workbook.xml"]).1, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    // A central directory offset pointing anywhere must not hurt.
    let mut broken = zip_with(&["a", "b"]);
    let at = broken.len() - 6;
    broken[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(detect(&broken).0, Format::Zip);
}

#[test]
fn scripts_and_text() {
    let kind = |text: &[u8]| {
        let (format, file_type) = detect(text);
        (format, file_type.mime)
    };
    assert_eq!(kind(b"#!/bin/sh\necho hi\n"), (Format::Script, "text/x-shellscript".into()));
    assert_eq!(kind(b"#!/usr/bin/env python3\nprint(1)\n"), (Format::Script, "text/x-script.python".into()));
    assert_eq!(kind(b"#!/usr/bin/perl\nprint 1;\n"), (Format::Script, "text/x-perl".into()));
    assert_eq!(kind(b"@echo off\r\nset X=1\r\n"), (Format::Script, "text/x-msdos-batch".into()));
    assert_eq!(kind(b"$p = Get-Process\nWrite-Host $p\nInvoke-Expression $x\n").0, Format::Script);
    assert_eq!(kind(b"Dim o\nSet o = CreateObject(\"WScript.Shell\")\n").0, Format::Script);
    assert_eq!(kind(b"var s = new ActiveXObject('WScript.Shell');\nfunction f() { eval(x); }\n").0, Format::Script);
    assert_eq!(kind(b"<html><head><HTA:APPLICATION id=\"x\"></head></html>\n"), (Format::Script, "text/html".into()));
    assert_eq!(kind(b"<!DOCTYPE html>\n<html><body>x</body></html>\n"), (Format::Html, "text/html".into()));
    assert_eq!(kind(b"<?xml version=\"1.0\"?>\n<a>b</a>\n"), (Format::Xml, "text/xml".into()));
    assert_eq!(kind(b"hello world\n"), (Format::Text, "text/plain".into()));
    assert_eq!(kind("h\u{e9}llo w\u{f6}rld\n".as_bytes()), (Format::Text, "text/plain".into()));
    let utf16: Vec<u8> = "\u{feff}$env:TEMP; Write-Host hi\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    assert_eq!(kind(&utf16).0, Format::Script);
    assert_eq!(kind(b"hello\0world").0, Format::Unknown);
}

#[test]
fn mz_without_pe_is_msdos() {
    let mut dos = vec![0u8; 256];
    dos[..2].copy_from_slice(b"MZ");
    assert_eq!(detect(&dos), (Format::Msdos, detect(&dos).1));
    assert_eq!(detect(&dos).1.mime, "application/x-dosexec");
    // e_lfanew past the end of the file, with a relocation table where PE files keep it.
    dos[0x18] = 0x40;
    dos[0x3c..0x40].copy_from_slice(&0x7fff_fff0u32.to_le_bytes());
    assert_eq!(detect(&dos).0, Format::Msdos);
    dos[0x3c..0x40].copy_from_slice(&0x80u32.to_le_bytes());
    dos[0x80..0x84].copy_from_slice(b"PE\0\0");
    assert_eq!(detect(&dos).0, Format::Pe);
}

#[test]
fn disc_and_disk_images() {
    let kind = |bytes: &[u8]| {
        let (format, file_type) = detect(bytes);
        (format, file_type.mime)
    };
    // ISO 9660 at sector 16; UDF's NSR descriptor a few sectors on (a UDF bridge image).
    let mut iso = vec![0u8; 0x9800];
    iso[0x8000] = 1;
    iso[0x8001..0x8006].copy_from_slice(b"CD001");
    assert_eq!(kind(&iso), (Format::Iso, "application/x-iso9660-image".into()));
    iso[0x9001..0x9006].copy_from_slice(b"NSR02");
    assert_eq!(kind(&iso).0, Format::Udf);
    let mut udf = vec![0u8; 0x9800];
    udf[0x8001..0x8006].copy_from_slice(b"BEA01");
    udf[0x8801..0x8806].copy_from_slice(b"NSR03");
    assert_eq!(kind(&udf).0, Format::Udf);
    // VHD: the footer at the end (fixed) or its copy at the start (dynamic); VHDX.
    let mut fixed = vec![0u8; 4096];
    fixed[4096 - 512..4096 - 504].copy_from_slice(b"conectix");
    assert_eq!(kind(&fixed).0, Format::Vhd);
    assert_eq!(kind(&with_padding(b"conectix\0\0\0\x02")), (Format::Vhd, "application/x-virtualbox-vhd".into()));
    assert_eq!(kind(&with_padding(b"vhdxfile")).0, Format::Vhdx);
    // A FAT12 floppy boot sector, its FAT right behind it.
    let mut floppy = vec![0u8; 1024];
    floppy[..3].copy_from_slice(&[0xeb, 0x3c, 0x90]);
    floppy[3..11].copy_from_slice(b"mkfs.fat");
    floppy[11..13].copy_from_slice(&512u16.to_le_bytes());
    floppy[13] = 1;
    floppy[14] = 1;
    floppy[16] = 2;
    floppy[17] = 224;
    floppy[21] = 0xf0;
    floppy[22] = 9;
    floppy[54..59].copy_from_slice(b"FAT12");
    floppy[510..512].copy_from_slice(&[0x55, 0xaa]);
    floppy[512..515].copy_from_slice(&[0xf0, 0xff, 0xff]);
    let (format, file_type) = detect(&floppy);
    assert_eq!((format, file_type.mime.as_str()), (Format::DiskImage, "application/x-ima"));
    assert!(file_type.description.ends_with("FAT (12 bit), followed by FAT"), "{}", file_type.description);
    // An MBR with one FAT32 (LBA) partition; a table whose status bytes are not 0/0x80 is not one.
    let mut mbr = vec![0u8; 512];
    mbr[446 + 4] = 0x0c;
    mbr[446 + 8..446 + 12].copy_from_slice(&2048u32.to_le_bytes());
    mbr[446 + 12..446 + 16].copy_from_slice(&65536u32.to_le_bytes());
    mbr[510..512].copy_from_slice(&[0x55, 0xaa]);
    let (format, file_type) = detect(&mbr);
    assert_eq!(format, Format::DiskImage);
    assert_eq!(file_type.description, "DOS/MBR boot sector; partition 1 : ID=0xc, startsector 2048, 65536 sectors");
    mbr[446] = 0x12;
    assert_eq!(detect(&mbr).0, Format::Unknown);
    // Truncated anywhere: an answer, no panic.
    for length in 0..iso.len().min(0x8010) {
        let _ = detect(&iso[..length]);
    }
}
