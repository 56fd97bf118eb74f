//! SpreadsheetML: DDE links of external link parts, and Excel 4.0 macro sheets (their names and
//! visibility from `xl/workbook.xml`, their formulas from `xl/macrosheets/*.xml`).
use fcas_report::{XlmFormula, XlmSheet};

use super::super::xml::{self, Node};

/// The DDE links (`ddeService ddeTopic`) of an external link part.
pub(super) fn dde_links(part: &[u8], found: &mut Vec<String>, max: usize) -> Result<(), String> {
    xml::walk(part, |node| {
        let Node::Open { name, attributes, .. } = node else { return };
        if name == "ddeLink" && found.len() < max {
            let link: Vec<&str> = ["ddeService", "ddeTopic"].iter().filter_map(|key| xml::attribute(&attributes, key)).collect();
            found.push(link.join(" "));
        }
    })
}

/// A sheet of the workbook part: name, visibility and relationship id.
pub(super) struct WorkbookSheet {
    pub(super) name: String,
    pub(super) visibility: String,
    pub(super) relationship: String,
}

/// The sheets `xl/workbook.xml` lists.
pub(super) fn workbook_sheets(part: &[u8]) -> Vec<WorkbookSheet> {
    let mut sheets = Vec::new();
    let _ = xml::walk(part, |node| {
        let Node::Open { name, attributes, .. } = node else { return };
        if name == "sheet" {
            let visibility = match xml::attribute(&attributes, "state") {
                Some("hidden") => "hidden",
                Some("veryHidden") => "very_hidden",
                _ => "visible",
            };
            sheets.push(WorkbookSheet {
                name: xml::attribute(&attributes, "name").unwrap_or_default().to_string(),
                visibility: visibility.to_string(),
                relationship: xml::attribute(&attributes, "id").unwrap_or_default().to_string(),
            });
        }
    });
    sheets
}

/// The sheet entry of a macro sheet.
pub(super) fn sheet(name: &str, visibility: &str) -> XlmSheet {
    XlmSheet { name: name.to_string(), visibility: visibility.to_string() }
}

/// The formulas of a macro sheet part (`<c r="A1"><f>EXEC("calc")</f></c>`).
pub(super) fn macro_formulas(
    part: &[u8],
    sheet: &str,
    found: &mut Vec<XlmFormula>,
    max: usize,
    truncated: &mut bool,
) -> Result<(), String> {
    let mut cell = String::new();
    let mut formula: Option<String> = None;
    xml::walk(part, |node| match node {
        Node::Open { name, attributes, empty } if name == "c" && !empty => {
            cell = xml::attribute(&attributes, "r").unwrap_or_default().to_string();
        }
        Node::Open { name, empty: false, .. } if name == "f" => formula = Some(String::new()),
        Node::Text(text) => {
            if let Some(formula) = formula.as_mut().filter(|formula| formula.len() < 1 << 16) {
                formula.push_str(&text);
            }
        }
        Node::Close { name } if name == "f" => {
            if let Some(text) = formula.take() {
                if found.len() >= max {
                    *truncated = true;
                } else {
                    found.push(XlmFormula { sheet: sheet.to_string(), cell: cell.clone(), formula: text });
                }
            }
        }
        _ => {}
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macro_sheet_formulas_and_dde_links() {
        let part = br#"<xm:macrosheet xmlns:xm="x"><sheetData><row><c r="A1"><f>EXEC("calc.exe")</f></c><c r="A2"><f>HALT()</f></c></row></sheetData></xm:macrosheet>"#;
        let mut found = Vec::new();
        let mut truncated = false;
        macro_formulas(part, "Macro1", &mut found, 1, &mut truncated).unwrap();
        assert_eq!(found, vec![XlmFormula { sheet: "Macro1".into(), cell: "A1".into(), formula: "EXEC(\"calc.exe\")".into() }]);
        assert!(truncated);
        let mut links = Vec::new();
        dde_links(br#"<externalLink><ddeLink ddeService="cmd" ddeTopic="/c calc.exe"/></externalLink>"#, &mut links, 10).unwrap();
        assert_eq!(links, vec!["cmd /c calc.exe".to_string()]);
    }
}
