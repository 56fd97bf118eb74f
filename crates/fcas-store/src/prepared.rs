//! A report made ready for the single writer on the thread that sends it.
//!
//! Profiling the writer showed a tenth of its time going to work that needs no database: freeing
//! the report's many small allocations. That happens here instead, next to the body compression.
use fcas_report::{Report, StringsReport};

use crate::{codec, Result};

/// A report with its compressed body, stripped of what the writer does not read (those parts
/// live on in the body, where the full-text index reads the strings).
pub(crate) struct Prepared {
    /// The report's facts (strings, code facts and byte statistics removed).
    pub(crate) report: Box<Report>,
    /// The body as [`codec::encode`] makes it.
    pub(crate) body: Vec<u8>,
}

impl Prepared {
    /// Encodes `report`, then drops the parts the writer does not need.
    pub(crate) fn new(mut report: Report) -> Result<Self> {
        let body = codec::encode(&report)?;
        // Not read by `write::insert_prepared`: facts come from hashes, structure, indicators and
        // predictions.
        report.strings = StringsReport::default();
        report.code = None;
        report.entropy_profile = Vec::new();
        report.byte_histogram = Vec::new();
        report.byte_entropy_histogram = Vec::new();
        Ok(Self { report: Box::new(report), body })
    }
}
