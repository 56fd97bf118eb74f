//! Projects built by hand in an OLE file: where they are found, what is read from them, and
//! what broken ones give.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use std::io::{Cursor, Write};

use super::*;

/// A compressed container of literal tokens only (no copies): what the decompressor must read
/// back byte for byte. One chunk per 3,600 bytes keeps each chunk under the 4,098-byte maximum.
fn compress_literally(bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![0x01];
    for chunk in bytes.chunks(3600) {
        let mut body = Vec::new();
        for group in chunk.chunks(8) {
            body.push(0x00);
            body.extend_from_slice(group);
        }
        let header = 0xb000 | (body.len() + 2 - 3) as u16;
        out.extend_from_slice(&header.to_le_bytes());
        out.extend_from_slice(&body);
    }
    out
}

fn record(dir: &mut Vec<u8>, id: u16, data: &[u8]) {
    dir.extend_from_slice(&id.to_le_bytes());
    dir.extend_from_slice(&(data.len() as u32).to_le_bytes());
    dir.extend_from_slice(data);
}

fn dir_stream(modules: &[(&str, u32)]) -> Vec<u8> {
    let mut dir = Vec::new();
    record(&mut dir, 0x0003, &1252u16.to_le_bytes());
    for (name, offset) in modules {
        record(&mut dir, 0x0019, name.as_bytes());
        record(&mut dir, 0x001a, name.as_bytes());
        record(&mut dir, 0x0031, &offset.to_le_bytes());
        record(&mut dir, 0x0021, &[]);
        record(&mut dir, 0x002b, &[]);
    }
    record(&mut dir, 0x0010, &[]);
    dir
}

/// An OLE file with a project in `storage` (`Macros`, `_VBA_PROJECT_CUR`, `` for the root):
/// its modules' sources after `pcode` bytes of stand-in p-code.
pub(crate) fn ole_with_project(storage: &str, modules: &[(&str, &str)], pcode: usize) -> Vec<u8> {
    let mut ole = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    let vba = if storage.is_empty() { "/VBA".to_string() } else { format!("/{storage}/VBA") };
    if !storage.is_empty() {
        ole.create_storage(format!("/{storage}")).unwrap();
    }
    ole.create_storage(&vba).unwrap();
    let entries: Vec<(&str, u32)> = modules.iter().map(|(name, _)| (*name, pcode as u32)).collect();
    ole.create_stream(format!("{vba}/dir")).unwrap().write_all(&compress_literally(&dir_stream(&entries))).unwrap();
    for (name, source) in modules {
        let mut stream = vec![0xaa; pcode];
        stream.extend_from_slice(&compress_literally(source.as_bytes()));
        ole.create_stream(format!("{vba}/{name}")).unwrap().write_all(&stream).unwrap();
    }
    ole.flush().unwrap();
    ole.into_inner().into_inner()
}

const DROPPER: &str = "Attribute VB_Name = \"Module1\"\r\nSub AutoOpen()\r\n    \
    Set s = CreateObject(\"WScript.Shell\")\r\n    s.Run Chr(99) & Chr(109) & Chr(100) & Chr(32) & Chr(47) & Chr(99)\r\nEnd Sub\r\n";

#[test]
fn projects_are_found_in_any_storage_and_read() {
    for storage in ["Macros", "_VBA_PROJECT_CUR", ""] {
        let ole = ole_with_project(storage, &[("Module1", DROPPER), ("Other", "Sub Hello()\r\nEnd Sub\r\n")], 37);
        let report = from_ole(&ole, &DocLimits::default()).unwrap().unwrap();
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        assert_eq!(report.modules.len(), 2);
        let module = &report.modules[0];
        assert_eq!(module.name, "Module1");
        let prefix = if storage.is_empty() { String::new() } else { format!("{storage}/") };
        assert_eq!(module.stream, format!("{prefix}VBA/Module1"));
        assert_eq!(module.source, DROPPER);
        assert_eq!(module.autoexec, ["AutoOpen"]);
        for keyword in ["CreateObject", "WScript.Shell", "Run", "Chr", "Chr chain"] {
            assert!(module.suspicious.iter().any(|k| k == keyword), "{keyword} in {:?}", module.suspicious);
        }
        assert!(report.modules[1].autoexec.is_empty());
        let mut found = Vec::new();
        indicators(&report, &mut found);
        let suspicious = found.iter().find(|i| i.id == "document.vba.suspicious").unwrap();
        assert_eq!(suspicious.severity, fcas_report::Severity::High);
    }
}

#[test]
fn an_ole_file_without_a_project_has_none() {
    let mut ole = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    ole.create_stream("/WordDocument").unwrap().write_all(b"text").unwrap();
    ole.flush().unwrap();
    let bytes = ole.into_inner().into_inner();
    assert_eq!(from_ole(&bytes, &DocLimits::default()), Ok(None));
}

#[test]
fn long_sources_are_cut_at_the_limit() {
    let long = "' filler line of a long module\r\n".repeat(400);
    let ole = ole_with_project("Macros", &[("Module1", &long)], 0);
    let limits = DocLimits { max_module_source: 1000, ..DocLimits::default() };
    let report = from_ole(&ole, &limits).unwrap().unwrap();
    assert_eq!(report.modules[0].source.len(), 1000);
    assert!(report.modules[0].truncated);
    let whole = from_ole(&ole, &DocLimits::default()).unwrap().unwrap();
    assert_eq!(whole.modules[0].source, long);
    assert!(!whole.modules[0].truncated);
}

#[test]
fn broken_modules_are_errors_beside_the_rest() {
    // The offset of the source is past the end of the module stream.
    let mut ole = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    ole.create_storage("/VBA").unwrap();
    let dir = dir_stream(&[("Good", 0), ("Far", 1 << 30), ("Missing", 0)]);
    ole.create_stream("/VBA/dir").unwrap().write_all(&compress_literally(&dir)).unwrap();
    ole.create_stream("/VBA/Good").unwrap().write_all(&compress_literally(b"Sub Document_Open()\r\nEnd Sub")).unwrap();
    ole.create_stream("/VBA/Far").unwrap().write_all(b"\x01\x00").unwrap();
    ole.flush().unwrap();
    let report = from_ole(&ole.into_inner().into_inner(), &DocLimits::default()).unwrap().unwrap();
    let names: Vec<&str> = report.modules.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["Good", "Far", "Missing"]);
    assert_eq!(report.modules[0].autoexec, ["Document_Open"]);
    assert_eq!(report.errors.len(), 2, "{:?}", report.errors);
}

#[test]
fn an_unreadable_dir_is_an_error() {
    let mut ole = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    ole.create_storage("/VBA").unwrap();
    ole.create_stream("/VBA/dir").unwrap().write_all(b"\x07garbage").unwrap();
    ole.flush().unwrap();
    assert!(from_ole(&ole.into_inner().into_inner(), &DocLimits::default()).is_err());
}

#[test]
fn too_many_modules_are_cut_at_the_limit() {
    let names: Vec<String> = (0..40).map(|i| format!("M{i}")).collect();
    let modules: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "Sub X()\r\nEnd Sub")).collect();
    let ole = ole_with_project("Macros", &modules, 0);
    let limits = DocLimits { max_modules: 5, ..DocLimits::default() };
    let report = from_ole(&ole, &limits).unwrap().unwrap();
    assert_eq!(report.modules.len(), 5);
    assert!(report.errors.iter().any(|e| e.contains("35 modules")), "{:?}", report.errors);
}

#[test]
fn the_decoded_total_bounds_all_modules_together() {
    let source = "' x\r\n".repeat(500);
    let modules: Vec<(String, &str)> = (0..10).map(|i| (format!("M{i}"), source.as_str())).collect();
    let refs: Vec<(&str, &str)> = modules.iter().map(|(n, s)| (n.as_str(), *s)).collect();
    let ole = ole_with_project("Macros", &refs, 0);
    let limits = DocLimits { max_decoded_total: 6000, ..DocLimits::default() };
    let report = from_ole(&ole, &limits).unwrap().unwrap();
    let total: usize = report.modules.iter().map(|m| m.source.len()).sum();
    assert!(total <= 6000, "{total}");
    assert!(report.modules.iter().any(|m| m.truncated));
}
