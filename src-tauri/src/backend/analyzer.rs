//! Where a file is analysed: in a local child process (the default) or, in connected mode, on the
//! worker fleet ([`RemoteAnalyzer`]).
use std::path::{Path, PathBuf};
use std::time::Duration;

use fcas_isolate::{ChildLimits, IsolatedWorker, Request, WorkerPool};
use fcas_report::{Report, StageError};

use super::remote::RemoteAnalyzer;
use super::settings::{AnalysisLimits, Mode, Settings};

/// Name of the analysis program shipped next to the app.
const ANALYSIS_PROGRAM: &str = "fcas";

/// Runs analyses for the scan queue.
pub enum Analyzer {
    /// `fcas worker --stdio` children with time and memory limits.
    Local {
        /// The children.
        pool: WorkerPool,
        /// Bounds sent with each request.
        limits: AnalysisLimits,
    },
    /// The worker fleet (connected mode).
    Remote(Box<RemoteAnalyzer>),
    /// Nothing can analyse: the reason is shown on each file's card.
    Unavailable(String),
}

impl Analyzer {
    /// The analyzer the settings ask for.
    pub fn from_settings(settings: &Settings) -> Self {
        match settings.mode {
            Mode::Connected => match RemoteAnalyzer::from_settings(settings) {
                Ok(remote) => Self::Remote(Box::new(remote)),
                Err(reason) => Self::Unavailable(reason),
            },
            Mode::Local => Self::local_from_settings(settings),
        }
    }

    /// Local analysis with the program shipped next to the app, or why there is none.
    pub fn local_from_settings(settings: &Settings) -> Self {
        match find_analysis_program() {
            Some(program) => Self::local(&program, &settings.limits),
            None => Self::Unavailable(format!(
                "the analysis program `{ANALYSIS_PROGRAM}` was not found next to the app; build it with `make app`"
            )),
        }
    }

    /// A local pool running `program worker --stdio`.
    pub fn local(program: &Path, limits: &AnalysisLimits) -> Self {
        let child_limits =
            ChildLimits { timeout: Duration::from_secs(limits.timeout_seconds), memory_bytes: limits.memory_mib.saturating_mul(1 << 20) };
        let workers = (0..limits.workers.max(1))
            .map(|_| IsolatedWorker::new(program, vec!["worker".into(), "--stdio".into()], child_limits))
            .collect();
        Self::Local { pool: WorkerPool::new(workers), limits: limits.clone() }
    }

    /// Analyses one file; never fails (failures are in the report's `errors`).
    pub fn analyze(&self, path: &Path) -> Report {
        let path_text = path.to_string_lossy().into_owned();
        match self {
            Self::Local { pool, limits } => pool.analyze(Request {
                id: 0,
                path: path_text,
                max_size: limits.max_file_mib.saturating_mul(1 << 20),
                no_disasm: limits.no_disasm,
                no_models: false,
                ..Request::default()
            }),
            Self::Remote(remote) => remote.analyze(path),
            Self::Unavailable(reason) => failure(&path_text, "isolation", reason.clone()),
        }
    }

    /// A short description for the Settings view.
    pub fn describe(&self) -> String {
        match self {
            Self::Local { limits, .. } => format!("local: {} analysis process(es)", limits.workers),
            Self::Remote(remote) => remote.describe(),
            Self::Unavailable(reason) => format!("unavailable: {reason}"),
        }
    }
}

/// A report holding only the error of `stage`: the file got no analysis.
pub(super) fn failure(path: &str, stage: &str, message: String) -> Report {
    Report {
        schema_version: fcas_report::SCHEMA_VERSION,
        path: path.to_string(),
        errors: vec![StageError::new(stage, message)],
        ..Report::default()
    }
}

/// `fcas` next to the app's executable, or elsewhere in the same target dir
/// (`target/debug/fcas-app` finds `target/debug/fcas`, then `target/release/fcas`; a test binary in
/// `target/debug/deps` finds `target/debug/fcas`). `FCAS_BIN` overrides the search.
pub fn find_analysis_program() -> Option<PathBuf> {
    if let Some(explicit) = std::env::var_os("FCAS_BIN") {
        let explicit = PathBuf::from(explicit);
        return explicit.is_file().then_some(explicit);
    }
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?;
    let mut candidates = vec![dir.join(ANALYSIS_PROGRAM)];
    if let Some(parent) = dir.parent() {
        candidates.push(parent.join(ANALYSIS_PROGRAM));
        for profile in ["debug", "release"] {
            candidates.push(parent.join(profile).join(ANALYSIS_PROGRAM));
        }
    }
    candidates.into_iter().find(|c| c.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_program_each_file_gets_a_failure_report_that_says_why() {
        let missing = Analyzer::Unavailable("no program".into());
        assert_eq!(missing.analyze(Path::new("x")).errors[0].stage, "isolation");
        assert!(missing.describe().starts_with("unavailable"));
        assert_eq!(missing.analyze(Path::new("/samples/a.exe")).path, "/samples/a.exe");
    }
}
