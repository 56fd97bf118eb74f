//! The indicators a PDF's keywords and content raise.
use fcas_report::{Evidence, Indicator, Severity};

use super::content::Content;
use super::keywords::KeywordCounts;

pub(crate) fn indicators(keywords: &KeywordCounts, content: &Content) -> Vec<Indicator> {
    let mut found = Vec::new();
    let count = |name: &str| keywords.get(name);
    let scripts = content.scripts.len() as u64;
    if scripts > 0 || count("/JS") > 0 || count("/JavaScript") > 0 {
        // A script that runs on opening (or on a page event) needs no click.
        let automatic = count("/OpenAction") > 0 || count("/AA") > 0;
        let severity = if automatic { Severity::High } else { Severity::Medium };
        let title =
            if automatic { "JavaScript run automatically (OpenAction or additional actions)" } else { "JavaScript in the document" };
        let detail = format!(
            "{scripts} script(s) decoded; /JS {}, /JavaScript {}, /OpenAction {}, /AA {}",
            count("/JS"),
            count("/JavaScript"),
            count("/OpenAction"),
            count("/AA")
        );
        found.push(indicator("pdf.javascript", severity, title, detail, Some("T1059.007")));
    }
    if count("/Launch") > 0 {
        found.push(indicator(
            "pdf.launch",
            Severity::High,
            "Launch action: opens a file or runs a program",
            format!("/Launch {}", count("/Launch")),
            Some("T1204.002"),
        ));
    }
    if !content.embedded.is_empty() || count("/EmbeddedFile") > 0 {
        let detail = format!("{} embedded file stream(s); /EmbeddedFile {}", content.embedded.len(), count("/EmbeddedFile"));
        found.push(indicator("pdf.embedded_file", Severity::Medium, "Embedded file", detail, Some("T1204.002")));
    }
    if count("/OpenAction") > 0 {
        found.push(indicator(
            "pdf.openaction",
            Severity::Low,
            "Action run when the document opens",
            format!("/OpenAction {}", count("/OpenAction")),
            None,
        ));
    }
    if keywords.any_hex_escaped() {
        let detail = keywords.hex_escaped_map().iter().map(|(name, count)| format!("{name} {count}")).collect::<Vec<_>>().join(", ");
        found.push(indicator(
            "pdf.obfuscated_names",
            Severity::Medium,
            "Keywords written with #xx escapes to hide them",
            detail,
            Some("T1027"),
        ));
    }
    if !content.uris.is_empty() {
        let detail = format!("{} URI(s): {}", content.uris.len(), content.uris.iter().take(5).cloned().collect::<Vec<_>>().join(" "));
        found.push(indicator("pdf.uri", Severity::Info, "Links (URI actions)", detail, None));
    }
    found
}

fn indicator(id: &str, severity: Severity, title: &str, detail: String, attack_id: Option<&str>) -> Indicator {
    Indicator {
        id: id.to_string(),
        severity,
        title: title.to_string(),
        evidence: vec![Evidence { detail: Some(detail), ..Evidence::default() }],
        attack_id: attack_id.map(str::to_string),
    }
}
