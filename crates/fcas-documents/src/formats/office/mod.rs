//! Office documents: legacy OLE (doc, xls, ppt), Office Open XML, and the Office 2003 XML and
//! CSV forms that carry DDE.
pub(crate) mod decrypt;
mod detect;
mod fields;
mod indicators;
mod objects;
mod ole;
mod ooxml;
mod text;
mod vba;
pub(crate) mod xlm;
mod xml;

use crate::{DocLimits, Embedded, Findings};
use fcas_report::VbaReport;

pub(crate) use detect::{is_cfb, is_office_ole, is_office_text, is_ooxml};

/// Analyses the OLE compound file `bytes` when it is an Office document (`None`: an MSI, a
/// thumbnail cache, an unreadable file), opening it once to tell and to analyse.
pub(crate) fn analyze_office_ole(bytes: &[u8], limits: &DocLimits) -> Option<Findings> {
    let mut file = ole::storage::open(bytes).ok()?;
    if !detect::has_office_entries(&file) {
        return None;
    }
    let mut findings = ole::analyze_open(&mut file, limits);
    indicators::raise(&mut findings);
    Some(findings)
}

/// Analyses an OLE Office document, or Office 2003 XML / CSV text (which `kind_of` files under
/// the same kind).
pub(crate) fn analyze_ole(bytes: &[u8], limits: &DocLimits) -> Findings {
    let mut findings = if detect::is_cfb(bytes) { ole::analyze(bytes, limits) } else { text::analyze(bytes, limits) };
    indicators::raise(&mut findings);
    findings
}

/// The files an OLE Office document keeps where the container walk does not look (a
/// presentation's compressed objects).
pub(crate) fn embedded_ole(bytes: &[u8], limits: &DocLimits) -> Embedded<'static> {
    if detect::is_cfb(bytes) {
        ole::embedded(bytes, limits)
    } else {
        Embedded::default()
    }
}

/// Analyses the ZIP file `bytes` when it is an Office Open XML package (`None` otherwise),
/// opening it once to tell and to analyse.
pub(crate) fn analyze_if_ooxml(bytes: &[u8], limits: &DocLimits) -> Option<Findings> {
    if !bytes.starts_with(b"PK") {
        return None;
    }
    let mut findings = ooxml::analyze_if_ooxml(bytes, limits)?;
    indicators::raise(&mut findings);
    Some(findings)
}

/// Analyses an Office Open XML package.
pub(crate) fn analyze_ooxml(bytes: &[u8], limits: &DocLimits) -> Findings {
    let mut findings = ooxml::analyze(bytes, limits);
    indicators::raise(&mut findings);
    findings
}

/// Reads the VBA project of `ole` into `findings` (the project's own module says what it found).
fn read_vba(ole: &[u8], limits: &DocLimits, findings: &mut Findings) {
    merge_vba_result(vba::from_ole(ole, limits), findings);
}

/// Adds what reading a VBA project gave to `findings`.
fn merge_vba_result(read: Result<Option<VbaReport>, String>, findings: &mut Findings) {
    match read {
        Ok(Some(project)) => merge_vba(project, findings),
        Ok(None) => {}
        Err(error) => findings.errors.push(format!("vba: {error}")),
    }
}

fn merge_vba(project: VbaReport, findings: &mut Findings) {
    vba::indicators(&project, &mut findings.indicators);
    // Macro source is stored compressed, so the file's own strings miss its URLs and paths;
    // so are strings only the compiled p-code still holds (a stomped project).
    findings.decoded_text.extend(project.modules.iter().map(|module| module.source.clone()));
    findings.decoded_text.extend(project.pcode_strings_missing_from_source.iter().map(|string| string.text.clone()));
    findings.document.vba = Some(project);
}

#[cfg(test)]
mod tests {
    use crate::DocLimits;

    #[test]
    fn macro_source_is_handed_on_for_iocs() {
        let source = "Sub AutoOpen()\r\n  x = \"http://evil.example/a.exe\"\r\nEnd Sub\r\n";
        let ole = super::vba::tests::ole_with_project("Macros", &[("Module1", source)], 0);
        let findings = super::analyze_ole(&ole, &DocLimits::default());
        assert!(findings.document.vba.is_some(), "{:?}", findings.errors);
        assert!(findings.decoded_text.iter().any(|text| text.contains("http://evil.example/a.exe")), "{:?}", findings.decoded_text);
    }
}
