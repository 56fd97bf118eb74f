//! Office in text form: Office 2003 XML (Word's `w:wordDocument`, Excel's `Workbook`) and CSV,
//! whose cells and fields carry DDE (`=cmd|'/c calc'!A0`).
use std::sync::LazyLock;

use fcas_report::DocumentKind;
use regex::Regex;

use super::ooxml::word;
use super::xml::{self, Node};
use crate::{DocLimits, Findings};

/// A DDE formula in a cell: an operator-like first character, application `|` topic `!` item
/// (the form Excel accepts in CSV and XML spreadsheets).
fn dde_formula() -> Option<&'static Regex> {
    static PATTERN: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r#"^\s*"?[=+-@](.+)\|(.+)!(.*)\s*"#).ok());
    PATTERN.as_ref()
}

/// The DDE link of a cell (`application topic`), when the cell is a DDE formula.
fn cell_dde(cell: &str) -> Option<String> {
    let captures = dde_formula()?.captures(cell)?;
    Some(format!("{} {}", captures.get(1)?.as_str(), captures.get(2)?.as_str()))
}

/// The DDE links of CSV text, at most `max`: every line split at its delimiter.
pub(super) fn csv_dde_links(text: &str, max: usize) -> impl Iterator<Item = String> + '_ {
    text.lines()
        .flat_map(|line| {
            let delimiter = [',', ';', '\t'].into_iter().find(|delimiter| line.contains(*delimiter)).unwrap_or('\n');
            line.split(delimiter)
        })
        .filter_map(cell_dde)
        .take(max)
}

/// Analyses Office 2003 XML or CSV text.
pub(super) fn analyze(bytes: &[u8], limits: &DocLimits) -> Findings {
    let mut findings = Findings::new(DocumentKind::Ole);
    let kept = bytes.get(..limits.max_decoded_stream.min(bytes.len())).unwrap_or_default();
    if kept.len() < bytes.len() {
        findings.document.truncated.push("text".to_string());
    }
    let text = String::from_utf8_lossy(kept);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if !trimmed.starts_with('<') {
        findings.document.dde.extend(csv_dde_links(&text, limits.max_items));
        return findings;
    }
    if trimmed.contains("<w:wordDocument") {
        let (fields, error) = word::dde_fields(kept, limits.max_items);
        findings.document.dde = fields;
        findings.errors.extend(error);
        return findings;
    }
    let dde = &mut findings.document.dde;
    let result = xml::walk(kept, |node| {
        let Node::Open { name, attributes, .. } = node else { return };
        if name == "Cell" && dde.len() < limits.max_items {
            if let Some(link) = xml::attribute(&attributes, "Formula").and_then(cell_dde) {
                dde.push(link);
            }
        }
    });
    findings.errors.extend(result.err());
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_and_spreadsheet_xml_dde() {
        let csv = "a,b\n=cmd|'/k calc.exe'!A0,3\n";
        assert_eq!(csv_dde_links(csv, 10).collect::<Vec<_>>(), vec!["cmd '/k calc.exe'".to_string()]);
        let xml = br#"<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook xmlns:ss="s"><Cell ss:Formula="=cmd|'/c calc.exe'!A1"/></Workbook>"#;
        assert_eq!(analyze(xml, &DocLimits::default()).document.dde, vec!["cmd '/c calc.exe'".to_string()]);
    }
}
