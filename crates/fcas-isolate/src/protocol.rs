//! One JSON object per line in each direction.
use fcas_report::{AnalysisOptions, Report};
use serde::{Deserialize, Serialize};

/// Analyse one file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Request {
    /// Correlates the answer with the question (answers of a killed child are never reused).
    pub id: u64,
    /// The file to analyse.
    pub path: String,
    /// What to analyse, with the same field names as every other front end (inline in the JSON).
    #[serde(flatten)]
    pub options: AnalysisOptions,
    /// The report's `path` when it should not be `path` (a server's temporary file is reported
    /// under the name the client gave).
    pub report_path: Option<String>,
    /// The report's `provenance.worker`.
    pub worker: Option<String>,
    /// Analyse nothing: answer with a report that only names the engine version and, in its
    /// predictions, every model this process would run with its version (see
    /// `Report::models_version`), so a caller can tell whether a stored report is still current.
    pub describe: bool,
    /// Passwords tried on encrypted containers after the default list, in order. They stay in
    /// the pipe: never logged, never in the report (which only says which one opened what).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub passwords: Vec<String>,
    /// Answer only once the analysis process has loaded its models (which it otherwise does in
    /// the background): a worker probes with it so that it is ready only when its models are.
    pub wait_for_models: bool,
}

impl Request {
    /// The name reports are made under: `report_path`, else `path`.
    pub fn report_name(&self) -> &str {
        self.report_path.as_deref().unwrap_or(&self.path)
    }

    /// Applies the request's presentation fields to `report` (a failure, or an answer whose
    /// descendants ride along, see `Report::descendants`).
    pub fn present(&self, report: &mut Report) {
        if let Some(path) = &self.report_path {
            report.path.clone_from(path);
        }
        if let Some(worker) = &self.worker {
            report.set_origin_with_descendants(&fcas_report::Origin::Worker { id: worker.clone() });
        }
    }
}

/// A line the child sends while a long analysis (a large archive) goes on: the parent's time
/// limit then counts from it, so the limit bounds the time between two files, not the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heartbeat {
    /// The request's id.
    pub id: u64,
    /// Files analysed so far for it.
    pub heartbeat: usize,
}

impl Heartbeat {
    /// The heartbeat `line` is, if it is one (answers with reports are far longer).
    pub fn parse(line: &str) -> Option<Self> {
        (line.len() < 128).then(|| serde_json::from_str(line).ok()).flatten()
    }
}

/// A response whose report is kept as the JSON text the child wrote (checked to be JSON, not
/// parsed into a [`Report`]), for callers that only forward it.
#[derive(Debug, Deserialize)]
pub(crate) struct RawResponse {
    /// The request's id.
    pub id: u64,
    /// The report, as JSON text.
    pub report: Box<serde_json::value::RawValue>,
}

/// The report for one request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Response {
    /// The request's id.
    pub id: u64,
    /// The report.
    pub report: Report,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_without_the_newer_fields_still_parses_with_their_defaults() {
        let request: Request = serde_json::from_str(r#"{"id":7,"path":"/tmp/x"}"#).unwrap();
        assert_eq!((request.id, request.path.as_str(), request.wait_for_models, request.options.no_models), (7, "/tmp/x", false, false));
        let older: Request = serde_json::from_str(r#"{"id":1,"path":"p","max_size":10,"no_disasm":true,"min_string_len":6}"#).unwrap();
        assert_eq!(older.options, AnalysisOptions { max_size: 10, min_string_len: 6, no_disasm: true, ..AnalysisOptions::default() });
        assert_eq!(serde_json::to_value(&older).unwrap()["no_disasm"], true, "the options stay inline");
        let probe = Request { wait_for_models: true, ..request };
        let again: Request = serde_json::from_str(&serde_json::to_string(&probe).unwrap()).unwrap();
        assert!(again.wait_for_models);
    }
}
