//! Scanning one file's bytes with compiled rules: a time limit per file, and matches converted
//! to the report's `RuleMatch` with a bounded number of string matches and short excerpts.
use fcas_report::{MetaValue, RuleMatch, RuleMeta, RuleStringMatch, RulesReport};

use crate::limits::RulesLimits;

/// A scan that could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the rules could not scan this file: {0}")]
pub struct ScanError(pub String);

/// Scans `bytes` with `scanner`. A scan stopped at its time limit is not an error: the report
/// says `timed_out` (yara-x gives no partial matches then).
pub fn scan_with(scanner: &mut yara_x::Scanner<'_>, bytes: &[u8], rule_set: &str, limits: &RulesLimits) -> Result<RulesReport, ScanError> {
    scanner.set_timeout(limits.scan_timeout);
    let mut report = RulesReport { rule_set: rule_set.to_string(), ..RulesReport::default() };
    match scanner.scan(bytes) {
        Ok(results) => {
            report.matches = results.matching_rules().map(|rule| convert(&rule, bytes, limits)).collect();
            Ok(report)
        }
        Err(yara_x::ScanError::Timeout) => {
            report.timed_out = true;
            Ok(report)
        }
        Err(error) => Err(ScanError(error.to_string())),
    }
}

fn convert(rule: &yara_x::Rule<'_, '_>, bytes: &[u8], limits: &RulesLimits) -> RuleMatch {
    let strings = rule
        .patterns()
        .flat_map(|pattern| {
            let identifier = pattern.identifier();
            pattern.matches().map(move |m| (identifier, m.range()))
        })
        .take(limits.max_strings_per_rule)
        .map(|(identifier, range)| RuleStringMatch {
            identifier: identifier.to_string(),
            offset: range.start as u64,
            length: range.len() as u64,
            excerpt: excerpt(bytes.get(range.start..range.end).unwrap_or_default(), limits.excerpt_bytes),
        })
        .collect();
    RuleMatch {
        rule: rule.identifier().to_string(),
        namespace: rule.namespace().to_string(),
        tags: rule.tags().map(|tag| tag.identifier().to_string()).collect(),
        meta: rule.metadata().map(|(key, value)| RuleMeta { key: key.to_string(), value: meta_value(&value) }).collect(),
        strings,
    }
}

/// A rule's metadata value with its YARA type; bytes that are not UTF-8 are escaped.
pub(crate) fn meta_value(value: &yara_x::MetaValue<'_>) -> MetaValue {
    match value {
        yara_x::MetaValue::Integer(value) => MetaValue::Integer(*value),
        yara_x::MetaValue::Float(value) => MetaValue::Float(*value),
        yara_x::MetaValue::Bool(value) => MetaValue::Bool(*value),
        yara_x::MetaValue::String(value) => MetaValue::Text((*value).to_string()),
        yara_x::MetaValue::Bytes(value) => MetaValue::Text(excerpt(value, value.len())),
    }
}

/// At most `max` bytes of `bytes` as text: printable ASCII as is, a backslash doubled, every
/// other byte as `\xNN`, so an excerpt is always safe to print.
pub fn excerpt(bytes: &[u8], max: usize) -> String {
    let mut text = String::new();
    for &byte in bytes.iter().take(max) {
        match byte {
            b'\\' => text.push_str("\\\\"),
            0x20..=0x7e => text.push(char::from(byte)),
            _ => text.push_str(&format!("\\x{byte:02x}")),
        }
    }
    text
}
