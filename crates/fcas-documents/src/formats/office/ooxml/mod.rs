//! Office Open XML packages: VBA projects, macro sheets, external relationships, DDE fields and
//! links, and embedded objects.
mod excel;
mod package;
mod relationships;
pub(super) mod word;
mod xlsb;

use fcas_report::{DocumentKind, XlmReport};

use super::detect::CFB_MAGIC;
use super::objects;
use super::ole::storage;
use crate::{DocLimits, Findings};
use package::Package;

/// Analyses an OOXML package.
pub(super) fn analyze(bytes: &[u8], limits: &DocLimits) -> Findings {
    match Package::open(bytes, limits) {
        Ok(package) => analyze_package(package, limits),
        Err(error) => {
            let mut findings = Findings::new(DocumentKind::Ooxml);
            findings.errors.push(error);
            findings
        }
    }
}

/// Analyses the ZIP file `bytes` when it is an OOXML package (`None`: another ZIP, or one that
/// cannot be read), opening it once to tell and to analyse.
pub(super) fn analyze_if_ooxml(bytes: &[u8], limits: &DocLimits) -> Option<Findings> {
    let package = Package::open(bytes, limits).ok().filter(Package::is_ooxml)?;
    Some(analyze_package(package, limits))
}

fn analyze_package(mut package: Package<'_>, limits: &DocLimits) -> Findings {
    let mut findings = Findings::new(DocumentKind::Ooxml);
    let mut xlm = XlmReport::default();
    let mut xlm_truncated = false;
    let macro_sheets = macro_sheet_parts(&mut package);
    for name in package.names.clone() {
        let lower = name.to_ascii_lowercase();
        if !is_read(&lower) {
            continue;
        }
        let data = match package.read(&name) {
            Ok(data) => data,
            Err(error) => {
                findings.errors.push(format!("ooxml: {error}"));
                continue;
            }
        };
        let result = read_part(&name, &lower, &data, limits, &macro_sheets, &mut xlm, &mut xlm_truncated, &mut findings);
        if let Err(error) = result {
            findings.errors.push(format!("ooxml {name}: {error}"));
        }
    }
    if package.truncated {
        findings.document.truncated.push("ooxml.parts".to_string());
    }
    if xlm_truncated {
        findings.document.truncated.push("xlm.formulas".to_string());
    }
    if !xlm.sheets.is_empty() {
        findings.document.xlm = Some(xlm);
    }
    findings
}

/// Part names of macro sheets with their sheet name and visibility, from the workbook.
fn macro_sheet_parts(package: &mut Package<'_>) -> Vec<(String, String, String)> {
    let sheets = match (package.read("xl/workbook.xml"), package.read("xl/_rels/workbook.xml.rels")) {
        (Ok(workbook), Ok(rels)) => (excel::workbook_sheets(&workbook), rels),
        _ => match (package.read("xl/workbook.bin"), package.read("xl/_rels/workbook.bin.rels")) {
            (Ok(workbook), Ok(rels)) => (xlsb::workbook_sheets(&workbook), rels),
            _ => return Vec::new(),
        },
    };
    let targets = relationships::targets(&sheets.1);
    sheets
        .0
        .into_iter()
        .filter_map(|sheet| {
            let (_, target) = targets.iter().find(|(id, _)| *id == sheet.relationship)?;
            let part = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_string(),
                None => format!("xl/{target}"),
            };
            part.contains("macrosheets/").then_some((part, sheet.name, sheet.visibility))
        })
        .collect()
}
/// Word parts whose text can hold fields (the body, headers and footers, notes, comments,
/// glossary); styles, themes, fonts and settings cannot, and are not inflated.
const WORD_TEXT_PARTS: &[&str] = &["document", "header", "footer", "footnotes", "endnotes", "comments", "glossary/document"];

/// Whether a part (by lower-case name) can carry what the analysis looks for: relationships,
/// a VBA project or embedded objects, Word fields, Excel external links and macro sheets.
fn is_read(lower: &str) -> bool {
    let word_text = lower
        .strip_prefix("word/")
        .is_some_and(|part| part.ends_with(".xml") && WORD_TEXT_PARTS.iter().any(|prefix| part.starts_with(prefix)));
    lower.ends_with(".rels")
        || (lower.ends_with(".bin") && !lower.contains("printersettings"))
        || lower.contains("/embeddings/")
        || word_text
        || lower.starts_with("xl/externallinks/")
        || lower.starts_with("xl/macrosheets/")
}

#[allow(clippy::too_many_arguments)]
fn read_part(
    name: &str,
    lower: &str,
    data: &[u8],
    limits: &DocLimits,
    macro_sheets: &[(String, String, String)],
    xlm: &mut XlmReport,
    xlm_truncated: &mut bool,
    findings: &mut Findings,
) -> Result<(), String> {
    let document = &mut findings.document;
    // Most parts hold neither an external relationship nor a field: a byte search decides
    // before the XML is walked (the walk is most of an OOXML analysis's time).
    let mentions = |marker: &[u8]| memchr::memmem::find(data, marker).is_some();
    if lower.ends_with(".rels") {
        if !mentions(b"External") {
            return Ok(());
        }
        return relationships::external(data, name, &mut document.external_relationships, limits.max_items);
    }
    if lower.starts_with("xl/macrosheets/") {
        // A macro sheet is a part the workbook lists; others there (binaryIndex) are not sheets.
        let Some((_, sheet, visibility)) = macro_sheets.iter().find(|(part, ..)| part == name) else { return Ok(()) };
        xlm.sheets.push(excel::sheet(sheet, visibility));
        if lower.ends_with(".bin") {
            // xlsb macro sheets are BIFF12 records: found, formulas not decoded.
            document.truncated.push(format!("xlm.formulas: {name} (xlsb) not decoded"));
            return Ok(());
        }
        return excel::macro_formulas(data, sheet, &mut xlm.formulas, limits.max_formulas, xlm_truncated);
    }
    if lower.starts_with("xl/externallinks/") && lower.ends_with(".xml") {
        return excel::dde_links(data, &mut document.dde, limits.max_items);
    }
    if lower.starts_with("xl/externallinks/") && lower.ends_with(".bin") {
        xlsb::dde_links(data, &mut document.dde, limits.max_items);
        return Ok(());
    }
    if lower.starts_with("word/") && lower.ends_with(".xml") {
        // Field codes are `w:instrText` runs or a `w:fldSimple w:instr` attribute.
        if !mentions(b"instr") {
            return Ok(());
        }
        let (fields, error) = word::dde_fields(data, limits.max_items.saturating_sub(document.dde.len()));
        document.dde.extend(fields);
        return error.map_or(Ok(()), Err);
    }
    if lower.ends_with("vbaproject.bin") {
        super::read_vba(data, limits, findings);
        return Ok(());
    }
    let embedding = lower.contains("/embeddings/");
    if data.starts_with(CFB_MAGIC) {
        let before = document.embedded.len();
        let mut budget = limits.max_decoded_total;
        if let Ok(streams) = storage::read(data, limits, &mut budget) {
            objects::in_streams(&streams, name, &mut document.embedded, limits.max_items);
        }
        if embedding && document.embedded.len() == before && document.embedded.len() < limits.max_items {
            document.embedded.push(objects::entry(name, None, data));
        }
    } else if embedding && document.embedded.len() < limits.max_items {
        document.embedded.push(objects::entry(name, None, data));
    }
    Ok(())
}
