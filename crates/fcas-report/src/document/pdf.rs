//! PDF: the keywords analysts triage by, scripts, links and embedded files.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What a PDF holds that can act.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PdfReport {
    /// Header version (`1.7`).
    pub version: String,
    /// Count of each triage keyword (`obj`, `/JS`, `/OpenAction`, ..., `/Colors > 2^24`),
    /// counted as pdfid counts them (names through `#xx` escapes under the plain name), in the
    /// file's bytes and in decoded object streams together.
    pub keywords: BTreeMap<String, u64>,
    /// The part of `keywords` found inside decoded object streams (`/ObjStm`); `keywords` minus
    /// these is what pdfid, which reads only the raw bytes, reports.
    pub keywords_in_object_streams: BTreeMap<String, u64>,
    /// Keywords written with `#xx` escapes at least once (an obfuscation), with how often.
    pub hex_escaped_keywords: BTreeMap<String, u64>,
    /// JavaScript found, decoded.
    pub javascript: Vec<PdfScript>,
    /// URIs of `/URI` actions.
    pub uris: Vec<String>,
}

/// One piece of JavaScript in a PDF.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PdfScript {
    /// The object number it came from, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<u64>,
    /// The script, cut at the limit.
    pub source: String,
    /// Whether `source` was cut.
    pub truncated: bool,
}
