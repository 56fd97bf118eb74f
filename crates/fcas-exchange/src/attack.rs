//! Names of the MITRE ATT&CK techniques FCAS's indicators cite, for MISP's galaxy tags: MISP's
//! `mitre-attack-pattern` galaxy names each cluster `<technique name> - <id>`, and a tag attaches
//! to its cluster only when it spells that value. Names from attack.mitre.org (Enterprise).
const NAMES: &[(&str, &str)] = &[
    ("T1027", "Obfuscated Files or Information"),
    ("T1027.002", "Software Packing"),
    ("T1027.009", "Embedded Payloads"),
    ("T1036", "Masquerading"),
    ("T1055", "Process Injection"),
    ("T1056.001", "Keylogging"),
    ("T1059", "Command and Scripting Interpreter"),
    ("T1059.001", "PowerShell"),
    ("T1059.003", "Windows Command Shell"),
    ("T1059.005", "Visual Basic"),
    ("T1059.007", "JavaScript"),
    ("T1070.006", "Timestomp"),
    ("T1071", "Application Layer Protocol"),
    ("T1105", "Ingress Tool Transfer"),
    ("T1106", "Native API"),
    ("T1202", "Indirect Command Execution"),
    ("T1203", "Exploitation for Client Execution"),
    ("T1204.002", "Malicious File"),
    ("T1218.005", "Mshta"),
    ("T1218.010", "Regsvr32"),
    ("T1218.011", "Rundll32"),
    ("T1221", "Template Injection"),
    ("T1547.001", "Registry Run Keys / Startup Folder"),
    ("T1553", "Subvert Trust Controls"),
    ("T1553.002", "Code Signing"),
    ("T1559.002", "Dynamic Data Exchange"),
    ("T1564", "Hide Artifacts"),
    ("T1566.001", "Spearphishing Attachment"),
    ("T1622", "Debugger Evasion"),
];

/// The MISP galaxy tag of technique `id` (`misp-galaxy:mitre-attack-pattern="Process Injection -
/// T1055"`); an id missing from the table keeps only the id. `None` for text that is no
/// technique id.
pub fn galaxy_tag(id: &str) -> Option<String> {
    if !is_technique_id(id) {
        return None;
    }
    let value = match NAMES.iter().find(|(known, _)| *known == id) {
        Some((_, name)) => format!("{name} - {id}"),
        None => id.to_string(),
    };
    Some(format!("misp-galaxy:mitre-attack-pattern=\"{value}\""))
}

/// `T` and four digits, optionally `.` and three more (`T1027`, `T1027.002`).
fn is_technique_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes.get(range).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    match bytes.len() {
        5 => bytes[0] == b'T' && digits(1..5),
        9 => bytes[0] == b'T' && digits(1..5) && bytes[5] == b'.' && digits(6..9),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::galaxy_tag;

    #[test]
    fn galaxy_tags_carry_the_cluster_value() {
        assert_eq!(galaxy_tag("T1055").as_deref(), Some("misp-galaxy:mitre-attack-pattern=\"Process Injection - T1055\""));
        assert_eq!(galaxy_tag("T9999.001").as_deref(), Some("misp-galaxy:mitre-attack-pattern=\"T9999.001\""));
        assert_eq!(galaxy_tag("T10\"55"), None);
        assert_eq!(galaxy_tag(""), None);
    }
}
