//! Excel 4.0 (XLM) macros in a BIFF `Workbook` stream: macro sheets with their visibility and
//! formulas, the DDE and external links of its SUPBOOK records, and the FILEPASS record that
//! says the workbook is encrypted.
pub(super) mod biff;
mod functions;
mod ptg;

use crate::findings::latin1;
use fcas_report::{XlmFormula, XlmReport, XlmSheet};

use crate::bytes::{u16_at, u32_at};
use biff::{records, BOF, BOUNDSHEET, EOF, FILEPASS, FILEPASS_WITHIN, FORMULA};
use ptg::Biff;

pub(super) use ptg::cell_name;

/// Sheet type of a macro sheet in BOUNDSHEET (`dt`).
const MACRO_SHEET: u8 = 1;
/// BOF version of BIFF8.
const BIFF8: u16 = 0x0600;

/// What a `Workbook` stream says about macros and encryption.
#[derive(Default)]
pub(super) struct Workbook {
    /// Macro sheets and formulas, when there are macro sheets.
    pub(super) xlm: Option<XlmReport>,
    /// The encryption scheme when a FILEPASS record is there.
    pub(super) encryption: Option<String>,
    /// Formulas were cut at the limit.
    pub(super) truncated: bool,
    /// The DDE and external links (`application topic`, as msodde writes them).
    pub(super) dde: Vec<String>,
}

/// SUPBOOK: a supporting link to an external workbook, DDE or OLE data source (MS-XLS 2.4.271).
const SUPBOOK: u16 = 0x01AE;

/// Reads the globals substream and the macro sheets of a BIFF5/BIFF8 workbook, keeping at most
/// `max_formulas` formulas and `max_links` links.
pub(super) fn workbook(stream: &[u8], max_formulas: usize, max_links: usize) -> Workbook {
    let mut found = Workbook::default();
    let mut biff = Biff::Eight;
    let mut sheets = Vec::new();
    for (index, record) in records(stream, 0).enumerate() {
        match record.kind {
            BOF if u16_at(record.data, 0).is_some_and(|version| version < BIFF8) => biff = Biff::Five,
            // The same rule as decryption's: a FilePass further on does not hide what follows.
            FILEPASS if index < FILEPASS_WITHIN => {
                found.encryption = Some(filepass_scheme(record.data, biff));
                // What follows is encrypted: sheet names and formulas would be noise.
                return found;
            }
            BOUNDSHEET => {
                if let Some(sheet) = boundsheet(record.data, biff) {
                    sheets.push(sheet);
                }
            }
            SUPBOOK if found.dde.len() < max_links => found.dde.extend(supbook_link(record.data)),
            EOF => break,
            _ => {}
        }
    }
    let macro_sheets: Vec<_> = sheets.into_iter().filter(|(_, kind, _)| *kind == MACRO_SHEET).collect();
    if macro_sheets.is_empty() {
        return found;
    }
    let mut report = XlmReport::default();
    for (sheet, _, position) in macro_sheets {
        for record in records(stream, position as usize).skip(1).take_while(|record| record.kind != EOF && record.kind != BOF) {
            if record.kind != FORMULA {
                continue;
            }
            if report.formulas.len() >= max_formulas {
                found.truncated = true;
                break;
            }
            if let Some(formula) = formula(record.data, biff, &sheet.name) {
                report.formulas.push(formula);
            }
        }
        report.sheets.push(sheet);
    }
    found.xlm = Some(report);
    found
}

/// A BOUNDSHEET record: the sheet, its type and where its substream starts.
fn boundsheet(data: &[u8], biff: Biff) -> Option<(XlmSheet, u8, u32)> {
    let position = u32_at(data, 0)?;
    let visibility = match data.get(4)? & 0x03 {
        0 => "visible",
        1 => "hidden",
        _ => "very_hidden",
    };
    let kind = *data.get(5)?;
    let count = usize::from(*data.get(6)?);
    let name = match biff {
        Biff::Five => latin1(data.get(7..7 + count)?),
        Biff::Eight if data.get(7)? & 1 != 0 => {
            let raw = data.get(8..8 + count * 2)?;
            String::from_utf16_lossy(&raw.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]])).collect::<Vec<_>>())
        }
        Biff::Eight => latin1(data.get(8..8 + count)?),
    };
    Some((XlmSheet { name, visibility: visibility.to_string() }, kind, position))
}

/// A FORMULA record (row, column, ..., `cce` and the parsed formula).
fn formula(data: &[u8], biff: Biff, sheet: &str) -> Option<XlmFormula> {
    let row = u16_at(data, 0)?;
    let column = u16_at(data, 2)?;
    let length = usize::from(u16_at(data, 20)?);
    let rgce = data.get(22..22 + length).unwrap_or_else(|| data.get(22..).unwrap_or_default());
    Some(XlmFormula { sheet: sheet.to_string(), cell: cell_name(u32::from(row), column), formula: ptg::decode(rgce, biff) })
}

/// The scheme a FILEPASS record names (MS-XLS 2.4.117).
fn filepass_scheme(data: &[u8], biff: Biff) -> String {
    if biff == Biff::Five {
        return "xor".to_string();
    }
    match (u16_at(data, 0), u16_at(data, 2)) {
        (Some(0), _) => "xor",
        (Some(1), Some(1)) => "rc4",
        (Some(1), Some(2..=4)) => "rc4-cryptoapi",
        _ => "unknown",
    }
    .to_string()
}

/// The link a SUPBOOK names when it is a DDE or OLE data source or an external workbook (as
/// msodde reports both): its virtual path, with the U+0003 between a DDE link's application and
/// topic written as a space. Self references, add-ins and unused links name none.
fn supbook_link(data: &[u8]) -> Option<String> {
    // After the sheet count, the path's length in characters.
    let length = usize::from(u16_at(data, 2)?);
    // 0x0401 marks a self reference and 0x3A01 an add-in: both above a path's 255 characters.
    if length == 0 || length > 0xff {
        return None;
    }
    // XLUnicodeStringNoCch: a flag byte (bit 0: two bytes per character), then the characters.
    let wide = data.get(4)? & 1 != 0;
    let path = if wide {
        let units: Vec<u16> = data.get(5..5 + 2 * length)?.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]])).collect();
        String::from_utf16_lossy(&units)
    } else {
        latin1(data.get(5..5 + length)?)
    };
    // A space marks an unused link, a NUL one to the same sheet.
    if path == " " || path == "\0" {
        return None;
    }
    Some(path.replace('\u{3}', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut bytes = kind.to_le_bytes().to_vec();
        bytes.extend_from_slice(&(data.len() as u16).to_le_bytes());
        bytes.extend_from_slice(data);
        bytes
    }

    #[test]
    fn hidden_macro_sheet_and_its_formula() {
        let mut globals = record(BOF, &[0, 6, 5, 0]);
        let sheet_at = globals.len() + 4 + 13 + 4;
        let mut boundsheet = (sheet_at as u32).to_le_bytes().to_vec();
        boundsheet.extend_from_slice(&[2, MACRO_SHEET, 5, 0]);
        boundsheet.extend_from_slice(b"Macro");
        globals.extend(record(BOUNDSHEET, &boundsheet));
        globals.extend(record(EOF, &[]));
        assert_eq!(globals.len(), sheet_at);
        globals.extend(record(BOF, &[0, 6, 0x40, 0]));
        let mut formula = vec![0, 0, 0, 0, 0, 0];
        formula.extend_from_slice(&[0; 8]);
        formula.extend_from_slice(&[0; 6]);
        formula.extend_from_slice(&4u16.to_le_bytes());
        formula.extend_from_slice(&[0x42, 0, 54, 0]);
        globals.extend(record(FORMULA, &formula));
        globals.extend(record(EOF, &[]));
        let found = workbook(&globals, 10, 10);
        let xlm = found.xlm.unwrap();
        assert_eq!(xlm.sheets, vec![XlmSheet { name: "Macro".into(), visibility: "very_hidden".into() }]);
        assert_eq!(xlm.formulas[0].cell, "A1");
        assert_eq!(xlm.formulas[0].formula, "HALT()");
    }

    #[test]
    fn lying_lengths_and_positions_end_the_walk() {
        let mut bytes = record(BOF, &[0, 6, 5, 0]);
        bytes.extend_from_slice(&[0x85, 0, 0xff, 0xff, 1, 2, 3]);
        assert!(workbook(&bytes, 10, 10).xlm.is_none());
        let mut boundsheet = u32::MAX.to_le_bytes().to_vec();
        boundsheet.extend_from_slice(&[0, MACRO_SHEET, 1, 0, b'M']);
        let bytes = record(BOUNDSHEET, &boundsheet);
        assert_eq!(workbook(&bytes, 10, 10).xlm.unwrap().formulas.len(), 0);
        let filepass = record(FILEPASS, &[1, 0, 4, 0]);
        assert_eq!(workbook(&filepass, 10, 10).encryption.as_deref(), Some("rc4-cryptoapi"));
    }

    #[test]
    fn a_filepass_past_the_first_records_hides_nothing() {
        // A macro sheet listed after a FilePass placed where Excel never reads one.
        let mut boundsheet = 0u32.to_le_bytes().to_vec();
        boundsheet.extend_from_slice(&[0, MACRO_SHEET, 1, 0, b'M']);
        let filler = record(0x0042, &[0xe4, 0x04]);
        let mut stream = record(BOF, &[0, 6, 5, 0]);
        for _ in 0..FILEPASS_WITHIN {
            stream.extend(&filler);
        }
        stream.extend(record(FILEPASS, &[1, 0, 4, 0]));
        stream.extend(record(BOUNDSHEET, &boundsheet));
        let found = workbook(&stream, 10, 10);
        assert_eq!(found.encryption, None);
        assert_eq!(found.xlm.map(|x| x.sheets.len()), Some(1));
        // Right after BOF it is encryption, and the walk stops there.
        let mut early = record(BOF, &[0, 6, 5, 0]);
        early.extend(record(FILEPASS, &[1, 0, 4, 0]));
        early.extend(record(BOUNDSHEET, &boundsheet));
        let found = workbook(&early, 10, 10);
        assert_eq!(found.encryption.as_deref(), Some("rc4-cryptoapi"));
        assert!(found.xlm.is_none());
    }

    #[test]
    fn supbook_records_name_dde_and_external_links_only() {
        let supbook = |sheets: u16, length: u16, path: &[u8]| {
            let mut data = sheets.to_le_bytes().to_vec();
            data.extend(length.to_le_bytes());
            data.extend_from_slice(path);
            record(SUPBOOK, &data)
        };
        let mut stream = record(BOF, &[0, 6, 5, 0]);
        stream.extend(supbook(0, 15, b"\0cmd\x03/c calc.exe"));
        stream.extend(supbook(1, 0x0401, b""));
        stream.extend(supbook(1, 0x3A01, b""));
        stream.extend(supbook(0, 1, b"\0 "));
        stream.extend(supbook(2, 4, b"\x01b\0o\0o\0k\0"));
        // Cut short: a path longer than the record.
        stream.extend(supbook(0, 200, b"\0short"));
        stream.extend(record(EOF, &[]));
        assert_eq!(workbook(&stream, 10, 10).dde, ["cmd /c calc.exe", "book"]);
        assert_eq!(workbook(&stream, 10, 1).dde, ["cmd /c calc.exe"]);
    }
}
