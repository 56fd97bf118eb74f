#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use std::time::{Duration, Instant};

use super::*;

/// A p-code area as Office lays it out: some cache bytes, the line table, the p-code.
fn area(lines: &[&[u8]]) -> Vec<u8> {
    let mut code = Vec::new();
    let mut records = Vec::new();
    for line in lines {
        let mut record = vec![0u8; 12];
        record[4..6].copy_from_slice(&(line.len() as u16).to_le_bytes());
        record[8..12].copy_from_slice(&(code.len() as u32).to_le_bytes());
        records.extend(record);
        code.extend_from_slice(line);
    }
    let mut area = vec![0x11u8; 33];
    area.extend([0xfe, 0xca, 0x01, 0x00]);
    area.extend((lines.len() as u16).to_le_bytes());
    area.extend(records);
    area.extend([0xff, 0xff, 0xff, 0xff, 0x01, 0x01]);
    area.extend((code.len() as u32).to_le_bytes());
    area.extend(code);
    area
}

fn literal(text: &str) -> Vec<u8> {
    let mut line = vec![0xb6, 0x00];
    line.extend((text.len() as u16).to_le_bytes());
    line.extend(text.as_bytes());
    if text.len() % 2 == 1 {
        line.push(0);
    }
    line
}

fn strings(area: &[u8]) -> Vec<String> {
    literals_of(area, Layout::Vba7).unwrap().iter().map(|bytes| String::from_utf8_lossy(bytes).into_owned()).collect()
}

#[test]
fn literals_of_every_line_are_read() {
    let mut call = literal("cmd /c calc");
    call.extend([0x41, 0x40, 0x30, 0x02, 0x01, 0x00]);
    let assign = [[0x20, 0x00, 0x10, 0x02].as_slice(), &literal("ab")].concat();
    let area = area(&[&[0x96, 0x04, 0, 2, 0, 0], &call, &[], &assign, &[0x6f, 0x00]]);
    assert_eq!(strings(&area), ["cmd /c calc", "ab"]);
}

#[test]
fn control_bytes_are_not_a_literal() {
    // The opcode word as an argument, followed by what is no text.
    let area = area(&[&[0xb6, 0x00, 0x02, 0x00, 0x01, 0x00]]);
    assert!(strings(&area).is_empty());
}

#[test]
fn a_literal_missing_from_the_source_is_stomping() {
    let module = |source: &str| VbaModule { source: source.to_string(), ..VbaModule::default() };
    let compiled = [ModuleLiterals {
        stream: "VBA/Module1".into(),
        literals: vec![b"say \"hi\"".to_vec(), b"http://x.test/a".to_vec()],
        code_page: 1252,
    }];
    let written = [module("MsgBox \"say \"\"hi\"\"\"\nShell \"http://x.test/a\"")];
    assert!(missing_from_source(&compiled, &written).is_empty());
    let benign = [module("Sub Hello()\nEnd Sub"), module("x = \"say \"\"hi\"\"\"")];
    let missing = missing_from_source(&compiled, &benign);
    assert_eq!(missing, [VbaPcodeString { stream: "VBA/Module1".into(), text: "http://x.test/a".into() }]);
}

#[test]
fn versions_read_and_not_read() {
    assert_eq!(version_of(&[0xcc, 0x61, 0x97, 0x00, 0, 1]), Ok(0x97));
    assert!(version_of(&[0xcc, 0x61, 0x97]).is_err());
    assert!(version_of(&[0, 0, 0x97, 0]).is_err());
    assert_eq!(Layout::try_from(0xaf), Ok(Layout::Vba7));
    assert!(Layout::try_from(0x5e).unwrap_err().contains("not determined"));
}

#[test]
fn hostile_tables_end_in_bounded_time() {
    let good = area(&[&literal("hello"), &[0x6f, 0x00]]);
    // Every cut and every flipped byte: an answer, never a panic.
    for cut in 0..good.len() {
        let _ = literals_of(&good[..cut], Layout::Vba7);
    }
    for at in 0..good.len() {
        for flip in [0x01, 0x80, 0xff] {
            let mut broken = good.clone();
            broken[at] ^= flip;
            let _ = literals_of(&broken, Layout::Vba7);
        }
    }
    // Lying counts, offsets and sizes.
    let mut lying = good.clone();
    let marker = lying.windows(2).position(|w| w == [0xfe, 0xca]).unwrap();
    lying[marker + 4..marker + 6].copy_from_slice(&u16::MAX.to_le_bytes());
    assert!(literals_of(&lying, Layout::Vba7).is_err());
    let mut lying = good.clone();
    lying[marker + 6 + 8..marker + 6 + 12].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(literals_of(&lying, Layout::Vba7).is_err());
    // An area of markers and of literal opcodes claiming 64 KiB each.
    let started = Instant::now();
    let markers = [0xfe, 0xca].repeat(4 << 20);
    assert!(literals_of(&markers, Layout::Vba7).is_err());
    let opcodes = [0xb6, 0x00, 0xff, 0xff].repeat(1 << 20);
    let _ = literals::in_line(&opcodes, Layout::Vba7);
    let line = [0xb6, 0x00].repeat(1 << 20);
    let _ = literals::in_line(&line, Layout::Vba7);
    assert!(started.elapsed() < Duration::from_secs(10));
}
