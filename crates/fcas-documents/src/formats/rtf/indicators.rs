//! What in an RTF document is worth an analyst's attention.
use fcas_report::{Evidence, Indicator, Severity};

use super::fields::is_dde;
use super::objects::RtfObject;
use super::scanner::Scan;

/// File name endings that run when a packaged file is opened (those rtfobj warns of).
const EXECUTABLE_EXTENSIONS: &[&str] = &[
    "bat", "class", "cmd", "cpl", "dll", "exe", "com", "gadget", "hta", "inf", "jar", "js", "jse", "lnk", "msc", "msi", "msp", "pif",
    "ps1", "ps1xml", "ps2", "ps2xml", "psc1", "psc2", "reg", "scf", "scr", "sct", "vb", "vbe", "vbs", "ws", "wsc", "wsf", "wsh",
];

/// The indicators of an RTF document's header, walk and objects.
pub(super) fn indicators(bytes: &[u8], scan: &Scan, objects: &[RtfObject<'_>]) -> Vec<Indicator> {
    let mut found = Vec::new();
    header(bytes, &mut found);
    if !objects.is_empty() {
        let evidence = objects.iter().map(|object| at(object.offset, describe(object))).collect();
        found.push(indicator("document.rtf.embedded_object", Severity::Medium, "RTF document embeds OLE objects", evidence, "T1204.002"));
    }
    let executables: Vec<Evidence> =
        objects.iter().filter(|object| is_executable_name(&object.name)).map(|o| at(o.offset, o.name.clone())).collect();
    if !executables.is_empty() {
        found.push(indicator(
            "document.rtf.executable_package",
            Severity::High,
            "RTF document packages a file that runs when opened",
            executables,
            "T1204.002",
        ));
    }
    let equations: Vec<Evidence> = objects.iter().filter(|object| object.equation_editor).map(|o| at(o.offset, describe(o))).collect();
    if !equations.is_empty() {
        found.push(indicator(
            "document.rtf.equation_editor",
            Severity::High,
            "Equation Editor object (exploited by CVE-2017-11882 and CVE-2018-0802)",
            equations,
            "T1203",
        ));
    }
    let links: Vec<Evidence> = objects
        .iter()
        .filter(|object| object.ole2link || !object.links.is_empty())
        .map(|o| at(o.offset, if o.links.is_empty() { describe(o) } else { o.links.join(" ") }))
        .collect();
    if !links.is_empty() {
        found.push(indicator(
            "document.rtf.ole_link",
            Severity::High,
            "RTF object links to content fetched on open (OLE2Link, CVE-2017-0199)",
            links,
            "T1203",
        ));
    }
    if let Some(offset) = scan.objupdate {
        found.push(indicator(
            "document.rtf.objupdate",
            Severity::Medium,
            "RTF object updates itself when the document opens (\\objupdate)",
            vec![at(offset, "\\objupdate".to_string())],
            "T1203",
        ));
    }
    let obfuscated: Vec<Evidence> = scan
        .objects
        .iter()
        .filter(|data| !data.tricks.is_empty())
        .map(|data| at(data.offset, format!("hex data with {}", data.tricks.join(", "))))
        .collect();
    if !obfuscated.is_empty() {
        found.push(indicator("document.rtf.objdata_obfuscated", Severity::Medium, "RTF object data is obfuscated", obfuscated, "T1027"));
    }
    let dde: Vec<Evidence> = scan.fields.iter().filter(|field| is_dde(field)).map(|field| at(0, field.clone())).collect();
    if !dde.is_empty() {
        found.push(indicator("document.rtf.dde", Severity::High, "RTF document runs a command through a DDE field", dde, "T1559.002"));
    }
    let remote: Vec<Evidence> = scan.templates.iter().filter(|target| is_remote(target)).map(|target| at(0, target.clone())).collect();
    if !remote.is_empty() {
        found.push(indicator("document.rtf.remote_template", Severity::High, "RTF document attaches a remote template", remote, "T1221"));
    }
    found
}

/// Word opens anything starting with `{\rt` as RTF; anything but `{\rtf1` is made to slip past
/// checks for the real header.
fn header(bytes: &[u8], found: &mut Vec<Indicator>) {
    if bytes.starts_with(b"{\\rtf1") || !bytes.starts_with(b"{\\rt") {
        return;
    }
    let shown: String = bytes.iter().take(8).map(|&b| char::from(b)).collect();
    let severity = if bytes.starts_with(b"{\\rtf") { Severity::Low } else { Severity::Medium };
    found.push(indicator("document.rtf.header_obfuscated", severity, "Non-standard RTF header", vec![at(0, shown)], "T1027"));
}

fn describe(object: &RtfObject<'_>) -> String {
    let class = object.class.as_deref().unwrap_or("not an OLE1 object");
    format!("{} ({class}, {} bytes)", object.name, object.payload.len())
}

fn is_executable_name(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, extension)| EXECUTABLE_EXTENSIONS.iter().any(|known| extension.eq_ignore_ascii_case(known)))
}

/// A template fetched from elsewhere: a URL or a UNC path.
pub(super) fn is_remote(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    ["http://", "https://", "ftp://", "file://", "\\\\", "//"].iter().any(|scheme| lower.starts_with(scheme))
}

fn at(offset: usize, detail: String) -> Evidence {
    Evidence { offset: Some(offset as u64), detail: Some(detail), ..Evidence::default() }
}

fn indicator(id: &str, severity: Severity, title: &str, evidence: Vec<Evidence>, attack_id: &str) -> Indicator {
    Indicator { id: id.to_string(), severity, title: title.to_string(), evidence, attack_id: Some(attack_id.to_string()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn executable_names() {
        assert!(is_executable_name("invoice.PDF.exe"));
        assert!(is_executable_name("a.hta"));
        assert!(!is_executable_name("report.docx"));
        assert!(!is_executable_name("exe"));
    }

    #[test]
    fn headers() {
        let mut found = Vec::new();
        header(b"{\\rtf1\\ansi", &mut found);
        assert!(found.is_empty());
        header(b"{\\rtx", &mut found);
        header(b"{\\rtf2", &mut found);
        assert_eq!(found.iter().map(|i| i.severity).collect::<Vec<_>>(), [Severity::Medium, Severity::Low]);
    }
}
