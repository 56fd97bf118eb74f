//! Names of the MITRE ATT&CK techniques FCAS's indicators cite, for MISP's galaxy tags: MISP's
//! `mitre-attack-pattern` galaxy names each cluster `<technique name> - <id>`, and a tag attaches
//! to its cluster only when it spells that value. Every entry is tested against that galaxy's
//! values (tests/fixtures/exchange/attack-galaxy.json, from the PyPI package pymispgalaxies), and
//! every technique id FCAS's indicators and built-in rules cite must have an entry.
const NAMES: &[(&str, &str)] = &[
    ("T1027", "Obfuscated Files or Information"),
    ("T1027.002", "Software Packing"),
    ("T1027.007", "Dynamic API Resolution"),
    ("T1027.009", "Embedded Payloads"),
    ("T1036", "Masquerading"),
    ("T1055", "Process Injection"),
    ("T1055.002", "Portable Executable Injection"),
    ("T1055.012", "Process Hollowing"),
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
    ("T1620", "Reflective Code Loading"),
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
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    use super::{galaxy_tag, NAMES};

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    /// Every MISP `mitre-attack-pattern` cluster value, by technique id (the stored reference).
    fn galaxy() -> serde_json::Value {
        let text = std::fs::read_to_string(root().join("tests/fixtures/exchange/attack-galaxy.json")).unwrap();
        serde_json::from_str::<serde_json::Value>(&text).unwrap()["values"].clone()
    }

    #[test]
    fn every_name_is_the_value_of_its_galaxy_cluster() {
        let galaxy = galaxy();
        for (id, name) in NAMES {
            let values = galaxy[*id].as_array().unwrap_or_else(|| panic!("{id} is not in the galaxy"));
            let value = format!("{name} - {id}");
            assert!(values.iter().any(|v| v == value.as_str()), "{value:?} is not a cluster value; the galaxy has {values:?}");
        }
    }

    /// Quoted technique ids (`"T1055"`, `"T1027.002"`) in a text.
    fn cited_ids(text: &str) -> BTreeSet<String> {
        text.split('"').skip(1).step_by(2).filter(|quoted| super::is_technique_id(quoted)).map(str::to_string).collect()
    }

    fn source_texts(dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
            let path = entry.path();
            if path.is_dir() {
                source_texts(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs" || e == "yar") {
                out.push(std::fs::read_to_string(&path).unwrap());
            }
        }
    }

    #[test]
    fn every_technique_the_indicators_and_built_in_rules_cite_has_a_name() {
        let mut texts = Vec::new();
        for dir in ["crates/fcas-engine/src", "crates/fcas-documents/src", "crates/fcas-models/src", "crates/fcas-rules/rules"] {
            source_texts(&root().join(dir), &mut texts);
        }
        let cited: BTreeSet<String> = texts.iter().flat_map(|text| cited_ids(text)).collect();
        assert!(cited.len() >= 20, "{cited:?}");
        let named: BTreeSet<String> = NAMES.iter().map(|(id, _)| id.to_string()).collect();
        let missing: Vec<&String> = cited.difference(&named).collect();
        assert!(missing.is_empty(), "technique ids cited without a name for MISP's galaxy: {missing:?}");
    }

    #[test]
    fn galaxy_tags_carry_the_cluster_value() {
        assert_eq!(galaxy_tag("T1055").as_deref(), Some("misp-galaxy:mitre-attack-pattern=\"Process Injection - T1055\""));
        assert_eq!(galaxy_tag("T9999.001").as_deref(), Some("misp-galaxy:mitre-attack-pattern=\"T9999.001\""));
        assert_eq!(galaxy_tag("T10\"55"), None);
        assert_eq!(galaxy_tag(""), None);
    }
}
