//! What the exchange formats say of one sample: a slim copy of the parts of its report they use,
//! so an export of many samples does not hold their full reports (strings, sections) at once.
use fcas_report::{ChildRef, Hashes, Indicator, Report, Verdict};

/// One sample to export.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sample {
    /// Its file name (the last part of the path it was analysed under).
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// Its hashes as the report has them (TLSH with its `T1` prefix).
    pub hashes: Hashes,
    /// Detected format (`pe`, `zip`, ...).
    pub format: String,
    /// Version of the engine that analysed it.
    pub engine_version: String,
    /// When it was analysed, as a STIX timestamp (`2026-12-06T11:16:12.000Z`).
    pub analysed_at: String,
    /// The ensemble's verdict, when models ran.
    pub verdict: Option<Verdict>,
    /// Its indicators, without their evidence.
    pub indicators: Vec<Indicator>,
    /// Names of the rules that matched it (`namespace:rule`, or `rule`).
    pub rules: Vec<String>,
    /// What its report lists as found inside it.
    pub children: Vec<ChildRef>,
}

impl Sample {
    /// The exported view of `report`, analysed at `analysed_at` (a STIX timestamp).
    pub fn from_report(report: &Report, analysed_at: impl Into<String>) -> Self {
        Self {
            name: file_name(&report.path).to_string(),
            size: report.size,
            hashes: report.hashes.clone(),
            format: report.format.as_str().to_string(),
            engine_version: report.engine_version.clone(),
            analysed_at: analysed_at.into(),
            verdict: report.verdict.clone(),
            indicators: report.indicators.iter().map(|i| Indicator { evidence: Vec::new(), ..i.clone() }).collect(),
            rules: report.rules.iter().flat_map(|r| &r.matches).map(|m| rule_name(&m.namespace, &m.rule)).collect(),
            children: report.children.clone(),
        }
    }

    /// The verdict as STIX's `malware-result-ov` and MISP tags spell it: `malicious`,
    /// `suspicious`, `benign`, or `unknown` (also when no models ran).
    pub fn result(&self) -> &'static str {
        match self.verdict.as_ref().map(|v| v.label.as_str()) {
            Some("malicious") => "malicious",
            Some("suspicious") => "suspicious",
            Some("benign") => "benign",
            _ => "unknown",
        }
    }

    /// TLSH as STIX and MISP want it: the 70 hexadecimal digits without the `T1` version prefix.
    pub fn tlsh_digits(&self) -> Option<String> {
        let tlsh = self.hashes.tlsh.as_deref()?;
        let digits = tlsh.strip_prefix("T1").or_else(|| tlsh.strip_prefix("t1")).unwrap_or(tlsh);
        (digits.len() == 70 && digits.bytes().all(|b| b.is_ascii_hexdigit())).then(|| digits.to_ascii_uppercase())
    }
}

/// The file name in a report path or stored name: after the last `!` (inside a container), then
/// after the last `/` or `\`.
pub fn file_name(path: &str) -> &str {
    let inner = path.rsplit(fcas_report::PATH_SEPARATOR).next().unwrap_or(path);
    inner.rsplit(['/', '\\']).next().unwrap_or(inner)
}

fn rule_name(namespace: &str, rule: &str) -> String {
    if namespace.is_empty() || namespace == "default" {
        rule.to_string()
    } else {
        format!("{namespace}:{rule}")
    }
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn file_names_drop_folders_and_containers() {
        assert_eq!(file_name("/tmp/x/a.zip"), "a.zip");
        assert_eq!(file_name("/tmp/x/a.zip!dir/inner.exe"), "inner.exe");
        assert_eq!(file_name("C:\\x\\b.exe"), "b.exe");
        assert_eq!(file_name(""), "");
    }
}
