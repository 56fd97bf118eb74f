//! Packed or protected executables: section names packers leave, and compressed-looking code with
//! almost nothing imported (a packer resolves its imports itself at run time).
use fcas_report::{PeReport, Severity};

use super::{indicator, section_evidence, Indicator};

/// Section names written by common packers and protectors, and who writes them.
const PACKER_SECTIONS: &[(&str, &str)] = &[
    ("UPX0", "UPX"),
    ("UPX1", "UPX"),
    ("UPX2", "UPX"),
    ("UPX!", "UPX"),
    (".aspack", "ASPack"),
    (".adata", "ASPack"),
    ("ASPack", "ASPack"),
    (".MPRESS1", "MPRESS"),
    (".MPRESS2", "MPRESS"),
    (".petite", "Petite"),
    (".nsp0", "NsPack"),
    (".nsp1", "NsPack"),
    (".nsp2", "NsPack"),
    ("nsp0", "NsPack"),
    ("nsp1", "NsPack"),
    (".themida", "Themida"),
    (".winlice", "WinLicense"),
    (".vmp0", "VMProtect"),
    (".vmp1", "VMProtect"),
    (".vmp2", "VMProtect"),
    (".enigma1", "Enigma Protector"),
    (".enigma2", "Enigma Protector"),
    ("PEC2", "PECompact"),
    ("PEC2TO", "PECompact"),
    ("pec1", "PECompact"),
    (".yP", "Y0da Protector"),
    (".y0da", "Y0da Protector"),
    ("FSG!", "FSG"),
    (".perplex", "Perplex PE-Protector"),
    (".packed", "RLPack"),
    (".RLPack", "RLPack"),
    ("MEW", "MEW"),
    (".spack", "Simple Pack"),
    (".taz", "PESpin"),
    (".ccg", "CCG"),
    ("kkrunchy", "kkrunchy"),
    (".boom", "The Boomerang"),
    (".ecode", "EPL"),
];

/// Entropy above which section data is almost certainly compressed or encrypted.
const PACKED_ENTROPY: f64 = 7.2;
/// "Few imports": a normal program imports far more functions than this.
const FEW_IMPORTED_FUNCTIONS: usize = 10;

pub(super) fn pe(pe: &PeReport, found: &mut Vec<Indicator>) {
    let mut by_packer: Vec<(&str, Vec<&str>)> = Vec::new();
    for section in &pe.sections {
        if let Some((_, packer)) = PACKER_SECTIONS.iter().find(|(name, _)| *name == section.name) {
            match by_packer.iter_mut().find(|(p, _)| p == packer) {
                Some((_, names)) => names.push(&section.name),
                None => by_packer.push((packer, vec![&section.name])),
            }
        }
    }
    for (packer, sections) in by_packer {
        let id = format!("pe.packer.{}", packer.to_ascii_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "_"));
        let mut ind = indicator(&id, Severity::High, format!("Packed with {packer} (section names)"), Some("T1027.002"));
        ind.evidence = sections.iter().map(|name| section_evidence(name, format!("section name written by {packer}"))).collect();
        found.push(ind);
    }

    let imported: usize = pe.imports.iter().map(|i| i.functions.len()).sum();
    let dense: Vec<_> = pe.sections.iter().filter(|s| s.entropy > PACKED_ENTROPY).collect();
    if !dense.is_empty() && imported < FEW_IMPORTED_FUNCTIONS {
        let mut ind = indicator(
            "pe.packer.entropy",
            Severity::High,
            format!("Compressed or encrypted sections with only {imported} imported functions"),
            Some("T1027.002"),
        );
        ind.evidence = dense.iter().map(|s| section_evidence(&s.name, format!("entropy {:.2}", s.entropy))).collect();
        found.push(ind);
    }
}
