//! The YARA rules that matched a file, a line each: namespace and rule, tags, severity and
//! description, and the first string match.
use std::io::{self, Write};

use fcas_report::Report;

/// Writes a `rule` line per match of `report` (and says when the scan stopped at its limit).
pub fn write(out: &mut impl Write, report: &Report) -> io::Result<()> {
    let Some(rules) = &report.rules else { return Ok(()) };
    for matched in &rules.matches {
        let tags = if matched.tags.is_empty() { String::new() } else { format!(" [{}]", matched.tags.join(", ")) };
        let severity = matched.meta_text("severity").map(|s| format!(" ({s})")).unwrap_or_default();
        let description = matched.meta_text("description").map(|d| format!(": {d}")).unwrap_or_default();
        let first = matched.strings.first().map(|s| format!(" at {:#x} {} \"{}\"", s.offset, s.identifier, s.excerpt)).unwrap_or_default();
        writeln!(out, "  rule      {}:{}{tags}{severity}{description}{first}", matched.namespace, matched.rule)?;
    }
    if rules.timed_out {
        writeln!(out, "  rule      (the scan stopped at its time limit: more rules may match)")?;
    }
    Ok(())
}
