//! Where a file is analysed, chosen by configuration: in this process, in an isolated child
//! process, or on the worker fleet. Each gives the same `Report`, marked with its origin.
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fcas_engine::{ExtraStage, OpenedFile, Options};
use fcas_isolate::{ChildLimits, IsolatedWorker, Request, WorkerPool};
use fcas_models::Predictor;
use fcas_report::{models_version_for, models_version_of, stage, AnalysisOptions, Origin, Report, Submission, RULES_VERSION_KEY};
use fcas_rules::{RuleSet, RulesStage};

use crate::remote::Remote;

/// The engine and models versions an analyser produces reports with: a stored report with the
/// same two is the same analysis and is reused. The models version names the rule set too
/// (`rules=<id>`, see `fcas_report::RULES_VERSION_KEY`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versions {
    /// `Report::engine_version`.
    pub engine: String,
    /// `Report::models_version()`.
    pub models: String,
}

/// Runs analyses. Shared by the scan's threads.
pub enum Analyser {
    /// In this process (`fcas scan`): the engine, then the YARA rules and the models when given
    /// (rules first: the models stage's verdict weighs the indicators the rules raise).
    InProcess(Option<Predictor>, Option<Arc<RuleSet>>),
    /// In `fcas worker --stdio` children with time and memory limits (the app).
    Isolated(Isolated),
    /// On the worker fleet, with a fallback policy (connected mode).
    Remote(Box<Remote>),
    /// Nothing can analyse: every file fails with this reason.
    Unavailable(String),
}

/// A pool of isolated analysis processes and the versions they analyse with.
pub struct Isolated {
    pool: WorkerPool,
    workers: usize,
    versions: Mutex<Option<Versions>>,
}

/// Time and memory bounds of each isolated analysis process, and how many run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IsolationLimits {
    /// Longest one file may take before its process is killed.
    pub timeout: Duration,
    /// Address-space limit of each process, bytes.
    pub memory_bytes: u64,
    /// Processes running at once.
    pub workers: usize,
}

impl Analyser {
    /// Children running `program worker --stdio`, started when first needed.
    pub fn isolated(program: &Path, limits: IsolationLimits) -> Self {
        Self::isolated_with_rules(program, limits, &[])
    }

    /// Like [`Self::isolated`], the children loading `rule_folders` (`--rules DIR` each) besides
    /// the built-in rules and the user's rule folder.
    pub fn isolated_with_rules(program: &Path, limits: IsolationLimits, rule_folders: &[PathBuf]) -> Self {
        let child_limits = ChildLimits { timeout: limits.timeout, memory_bytes: limits.memory_bytes };
        let args = worker_args(rule_folders);
        let workers: Vec<_> = (0..limits.workers.max(1)).map(|_| IsolatedWorker::new(program, args.clone(), child_limits)).collect();
        let count = workers.len();
        Self::Isolated(Isolated { pool: WorkerPool::new(workers), workers: count, versions: Mutex::new(None) })
    }

    /// Analyses one opened file, reported under `name`, and everything inside it (containers
    /// are opened, trying `passwords` after the default list); `sha256` is its hash when
    /// already known. Never fails: a file that got no analysis gives a root report whose fatal
    /// error (stage `input`, `isolation` or `fleet`) says why.
    pub fn analyze(
        &self,
        opened: OpenedFile,
        name: &str,
        sha256: Option<&str>,
        options: &AnalysisOptions,
        passwords: &[String],
    ) -> Submission {
        match self {
            Self::InProcess(predictor, rules) => {
                let rules_stage = rules.as_deref().filter(|_| !options.no_rules).map(RulesStage::new);
                let mut extra: Vec<&dyn ExtraStage> = Vec::new();
                if let Some(stage) = &rules_stage {
                    extra.push(stage);
                }
                if let Some(predictor) = predictor.as_ref().filter(|_| !options.no_models) {
                    extra.push(predictor);
                }
                let mut engine_options = engine_options(options, passwords);
                engine_options.origin = Some(Origin::InProcess);
                fcas_engine::analyze_submission(name, opened, &engine_options, &extra)
            }
            Self::Isolated(isolated) => {
                // The child opens the path itself, through the same safe input.
                drop(opened);
                let request = Request { path: name.to_string(), options: *options, passwords: passwords.to_vec(), ..Request::default() };
                let mut answer = isolated.pool.analyze(request);
                if answer.fatal_error().is_none() {
                    answer.set_origin_with_descendants(&Origin::IsolatedChild);
                }
                Submission::from_wire(answer)
            }
            Self::Remote(remote) => remote.analyze(opened, name, sha256, options, passwords),
            Self::Unavailable(reason) => Submission::single(Report::failed(name, stage::ISOLATION, reason.clone())),
        }
    }

    /// The versions this analyser's reports carry, when they can be known before analysing
    /// (`None`: every file is analysed, nothing is reused).
    pub fn versions(&self, options: &AnalysisOptions) -> Option<Versions> {
        let models_of = |models: String| models_version_for(&models, options.no_models, options.no_rules);
        match self {
            Self::InProcess(predictor, rules) => {
                let models = predictor.as_ref().map(Predictor::model_versions).unwrap_or_default();
                let rules = rules.as_ref().map(|rules| (RULES_VERSION_KEY, rules.id()));
                let pairs = models.iter().map(|(model, version)| (model.as_str(), version.as_str())).chain(rules);
                Some(Versions { engine: fcas_engine::ENGINE_VERSION.to_string(), models: models_of(models_version_of(pairs)) })
            }
            Self::Isolated(isolated) => isolated.versions().map(|v| Versions { models: models_of(v.models), ..v }),
            Self::Remote(remote) => remote.versions().map(|v| Versions { models: models_of(v.models), ..v }),
            Self::Unavailable(_) => None,
        }
    }

    /// A short description for a person (Settings, logs).
    pub fn describe(&self) -> String {
        match self {
            Self::InProcess(..) => "in process".into(),
            Self::Isolated(isolated) => format!("local: {} analysis process(es)", isolated.workers),
            Self::Remote(remote) => remote.describe(),
            Self::Unavailable(reason) => format!("unavailable: {reason}"),
        }
    }
}

/// The engine's options for `options`, trying `passwords` on containers after the defaults.
pub(crate) fn engine_options(options: &AnalysisOptions, passwords: &[String]) -> Options {
    let mut engine_options = Options::from_analysis(options);
    engine_options.extraction.passwords.extend(passwords.iter().cloned());
    engine_options
}

impl Isolated {
    /// The versions the children analyse with: asked until one answers, then kept (a child
    /// that failed to start is asked again next time).
    fn versions(&self) -> Option<Versions> {
        let mut known = self.versions.lock().unwrap_or_else(|p| p.into_inner());
        if known.is_none() {
            *known = self.probe();
        }
        known.clone()
    }

    /// Asks a child which versions it analyses with (it analyses nothing to answer).
    fn probe(&self) -> Option<Versions> {
        let report = self.pool.analyze(Request { describe: true, ..Request::default() });
        (report.fatal_error().is_none() && !report.engine_version.is_empty())
            .then(|| Versions { engine: report.engine_version.clone(), models: report.models_version() })
    }
}

/// The arguments of `fcas worker --stdio` loading `rule_folders` (`--rules DIR` each).
pub fn worker_args(rule_folders: &[PathBuf]) -> Vec<String> {
    let mut args = vec!["worker".to_string(), "--stdio".to_string()];
    for folder in rule_folders {
        args.push("--rules".into());
        args.push(folder.to_string_lossy().into_owned());
    }
    args
}

/// Name of the analysis program.
pub const ANALYSIS_PROGRAM: &str = "fcas";

/// Environment variable naming the analysis program.
pub const ANALYSIS_PROGRAM_ENV: &str = "FCAS_BIN";

/// `fcas` next to the running executable, or elsewhere in the same target dir
/// (`target/debug/fcas-app` finds `target/debug/fcas`, then `target/release/fcas`; a test binary
/// in `target/debug/deps` finds `target/debug/fcas`). `FCAS_BIN` overrides the search.
pub fn find_analysis_program() -> Option<PathBuf> {
    if let Some(explicit) = std::env::var_os(ANALYSIS_PROGRAM_ENV) {
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
