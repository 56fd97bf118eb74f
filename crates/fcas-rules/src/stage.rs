//! The rules stage of an analysis: fills `report.rules` and `provenance.rules`, and turns the
//! matches of rules that say how much they matter into indicators the verdict weighs.
use fcas_engine::ExtraStage;
use fcas_report::{Evidence, Indicator, Report, RuleMatch, Severity, StageError};

use crate::rule_set::RuleSet;

/// Stage name in `errors[].stage` and timings.
pub const STAGE: &str = "rules";

/// Evidence entries (string matches) an indicator names.
const EVIDENCE_PER_INDICATOR: usize = 4;

/// Runs a `RuleSet` as an engine stage. It must run before the models stage, whose verdict
/// weighs the indicators this stage adds.
pub struct RulesStage<'a> {
    rules: &'a RuleSet,
}

impl<'a> RulesStage<'a> {
    /// The stage of `rules`.
    pub fn new(rules: &'a RuleSet) -> Self {
        Self { rules }
    }
}

impl ExtraStage for RulesStage<'_> {
    fn name(&self) -> &str {
        STAGE
    }

    fn run(&self, report: &mut Report, bytes: &[u8]) -> Result<(), String> {
        report.provenance.rules = Some(self.rules.id().to_string());
        let rules = self.rules.scan(bytes).map_err(|e| e.to_string())?;
        if rules.timed_out {
            report.errors.push(StageError::new(
                STAGE,
                format!(
                    "the rules scan stopped at its time limit of {} s, so matches may be missing (the limit is the rules' scan timeout, README \"Limits\")",
                    self.rules.limits().scan_timeout.as_secs_f64()
                ),
            ));
        }
        for rule in &rules.matches {
            if let Some(indicator) = indicator_of(rule) {
                if !report.indicators.iter().any(|i| i.id == indicator.id) {
                    report.indicators.push(indicator);
                }
            }
        }
        report.rules = Some(rules);
        Ok(())
    }
}

/// The indicator a match raises: meta `severity` high (or tag `malicious`) gives High, medium
/// and low give Medium and Low; `info` or no severity gives none (the match stays in `rules`).
pub fn indicator_of(rule: &RuleMatch) -> Option<Indicator> {
    let tagged_malicious = rule.tags.iter().any(|t| t.eq_ignore_ascii_case("malicious"));
    let severity = match rule.meta_text("severity").map(|s| s.to_ascii_lowercase()).as_deref() {
        _ if tagged_malicious => Severity::High,
        Some("high") => Severity::High,
        Some("medium") => Severity::Medium,
        Some("low") => Severity::Low,
        _ => return None,
    };
    let title = rule.meta_text("description").unwrap_or_else(|| format!("YARA rule {} matched", rule.rule));
    let evidence = rule
        .strings
        .iter()
        .take(EVIDENCE_PER_INDICATOR)
        .map(|s| Evidence { offset: Some(s.offset), detail: Some(format!("{} = \"{}\"", s.identifier, s.excerpt)), ..Evidence::default() })
        .collect();
    Some(Indicator {
        id: format!("rules.{}.{}", rule.namespace, rule.rule),
        severity,
        title,
        evidence,
        attack_id: rule.meta_text("attack").filter(|a| !a.is_empty()),
    })
}
