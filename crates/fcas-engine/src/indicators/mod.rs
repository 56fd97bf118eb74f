//! Indicators: findings worth an analyst's attention, derived from the report built so far (and
//! the raw bytes, for embedded files). Each rule family has its own module; each rule adds zero or
//! more [`Indicator`]s with evidence and, where one fits, a MITRE ATT&CK technique id.
mod api_behaviour;
mod byte_signatures;
mod code_evidence;
mod elf_macho;
mod embedded;
mod packers;
mod pe_structure;
mod signature;

use fcas_report::{Evidence, Indicator, Report, Severity};

/// Evaluates every indicator rule against `report` (and the raw bytes, for embedded files).
pub fn evaluate(report: &Report, bytes: &[u8]) -> Vec<Indicator> {
    let mut found = Vec::new();
    if let Some(pe) = &report.pe {
        packers::pe(pe, &mut found);
        pe_structure::pe(pe, &mut found);
        api_behaviour::pe(pe, report.code.as_ref(), &mut found);
        signature::pe(pe, &mut found);
    }
    if let Some(elf) = &report.elf {
        elf_macho::elf(elf, &mut found);
    }
    if let Some(macho) = &report.macho {
        elf_macho::macho(macho, &mut found);
    }
    let packed = found.iter().any(|i| i.id.starts_with("pe.packer."));
    byte_signatures::evaluate(bytes, packed, &mut found);
    embedded::evaluate(report, bytes, &mut found);
    // Most severe first, so summaries can take the head of the list.
    found.sort_by_key(|indicator| std::cmp::Reverse(indicator.severity));
    found
}

/// A new indicator; rules fill in the evidence.
fn indicator(id: &str, severity: Severity, title: impl Into<String>, attack_id: Option<&str>) -> Indicator {
    Indicator { id: id.to_string(), severity, title: title.into(), evidence: Vec::new(), attack_id: attack_id.map(str::to_string) }
}

fn section_evidence(section: &str, detail: impl Into<String>) -> Evidence {
    Evidence { section: Some(section.to_string()), detail: Some(detail.into()), ..Evidence::default() }
}

fn api_evidence(api: String) -> Evidence {
    Evidence { api: Some(api), ..Evidence::default() }
}
