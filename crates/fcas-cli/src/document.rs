//! A document's findings in a few lines: what it carries that can run, and where it points.
use std::io::{self, Write};

use fcas_report::{DocumentKind, Report};

/// Triage keywords of a PDF worth a line when present (the rest are in the JSON).
const PDF_KEYWORDS: &[&str] = &[
    "/JS",
    "/JavaScript",
    "/OpenAction",
    "/AA",
    "/Launch",
    "/EmbeddedFile",
    "/URI",
    "/AcroForm",
    "/XFA",
    "/RichMedia",
    "/ObjStm",
    "/Encrypt",
];
/// Characters of a shortcut's arguments shown (they are often padded to hide the command).
const ARGUMENTS_SHOWN: usize = 160;

/// Writes the `document`, `pdf`, `lnk` and `script` lines of `report`, when it has them.
pub fn write(out: &mut impl Write, report: &Report) -> io::Result<()> {
    let Some(document) = &report.document else { return Ok(()) };
    let mut parts = vec![document.kind.as_str().to_string()];
    if document.encrypted {
        parts.push(format!("encrypted ({})", document.encryption.as_deref().unwrap_or("unknown scheme")));
    }
    if let Some(vba) = &document.vba {
        let triggers: Vec<&str> = vba.modules.iter().flat_map(|m| m.autoexec.iter().map(String::as_str)).collect();
        let runs = if triggers.is_empty() { String::new() } else { format!(", runs on {}", triggers.join(", ")) };
        parts.push(format!("{} VBA module(s){runs}{}", vba.modules.len(), if vba.stomped { ", stomped" } else { "" }));
    }
    if let Some(xlm) = &document.xlm {
        parts.push(format!("{} Excel 4.0 macro sheet(s), {} formula(s)", xlm.sheets.len(), xlm.formulas.len()));
    }
    counted(&mut parts, document.dde.len(), "DDE field(s)");
    counted(&mut parts, document.external_relationships.len(), "external relationship(s)");
    counted(&mut parts, document.embedded.len(), "embedded object(s)");
    // A PDF, a shortcut or a script with nothing more to say has its own lines below.
    let specific = matches!(document.kind, DocumentKind::Pdf | DocumentKind::Lnk | DocumentKind::Script);
    if parts.len() > 1 || !specific {
        writeln!(out, "  document  {}", parts.join(", "))?;
    }
    for relationship in &document.external_relationships {
        writeln!(out, "  external  {} -> {}", relationship.kind, relationship.target)?;
    }
    for field in &document.dde {
        writeln!(out, "  dde       {field}")?;
    }
    if let Some(pdf) = &report.pdf {
        let present: Vec<String> =
            PDF_KEYWORDS.iter().filter_map(|k| pdf.keywords.get(*k).filter(|&&n| n > 0).map(|n| format!("{k} {n}"))).collect();
        let keywords = if present.is_empty() { String::new() } else { format!("; {}", present.join(", ")) };
        writeln!(out, "  pdf       version {}, {} script(s), {} URI(s){keywords}", pdf.version, pdf.javascript.len(), pdf.uris.len())?;
    }
    if let Some(lnk) = &report.lnk {
        writeln!(out, "  target    {}", lnk.target.as_deref().unwrap_or("-"))?;
        if let Some(arguments) = &lnk.arguments {
            let shown: String = arguments.chars().take(ARGUMENTS_SHOWN).collect();
            let cut =
                if shown.len() < arguments.len() { format!(" ... ({} characters)", arguments.chars().count()) } else { String::new() };
            writeln!(out, "  arguments {shown}{cut}")?;
        }
        if let Some(machine) = &lnk.machine_id {
            writeln!(out, "  made on   {machine}{}", lnk.mac_address.as_deref().map(|m| format!(" ({m})")).unwrap_or_default())?;
        }
    }
    if let Some(script) = &report.script {
        writeln!(
            out,
            "  script    {}, {} decoded payload(s), {} obfuscation sign(s)",
            script.language,
            script.decoded.len(),
            script.obfuscation.len()
        )?;
    }
    Ok(())
}

fn counted(parts: &mut Vec<String>, count: usize, what: &str) {
    if count > 0 {
        parts.push(format!("{count} {what}"));
    }
}
