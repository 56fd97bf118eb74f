//! Indicators: findings worth an analyst's attention, derived from the report built so far.
use fcas_report::{Indicator, Report};

/// Evaluates every indicator rule against `report` (and the raw bytes, for embedded files).
pub fn evaluate(report: &Report, bytes: &[u8]) -> Vec<Indicator> {
    let _ = (report, bytes);
    Vec::new()
}
