//! Where the worker's analyses run: never in the server process. Each analysis goes to a
//! long-lived child (`fcas worker --stdio`) from `fcas-isolate`, which kills and replaces a child
//! that crashes, overruns its wall-clock limit or its address-space limit (`RLIMIT_AS`, applied
//! before exec); such a file still gets a report, whose `errors` say what happened.
use std::path::PathBuf;
use std::sync::Arc;

use fcas_isolate::{ChildLimits, IsolatedWorker, Request, WorkerPool};
use fcas_report::{stage, Report};

/// Something that turns an analysis request into a report, blocking the calling thread.
/// Production uses a [`WorkerPool`] of child processes; tests may substitute their own.
pub trait Analyze: Send + Sync + 'static {
    /// Analyses `request.path`. Never fails: failures are reported inside the report.
    fn analyze(&self, request: Request) -> Report;

    /// The report as JSON text, or `Err` with the report of an analysis whose child failed.
    /// Backends that get JSON from their child forward it without parsing it.
    fn analyze_json(&self, request: Request) -> Result<String, Box<Report>> {
        let presentation = request.clone();
        let mut report = self.analyze(request);
        presentation.present(&mut report);
        if child_failed(&report) {
            return Err(Box::new(report));
        }
        serde_json::to_string(&report).map_err(|e| {
            Box::new(Report::failed(report.path.clone(), stage::ISOLATION, format!("the report could not be written as JSON: {e}")))
        })
    }
}

impl Analyze for WorkerPool {
    fn analyze(&self, request: Request) -> Report {
        WorkerPool::analyze(self, request)
    }

    fn analyze_json(&self, request: Request) -> Result<String, Box<Report>> {
        WorkerPool::analyze_json(self, request)
    }
}

/// The child program and its limits.
#[derive(Debug, Clone)]
pub struct ChildCommand {
    /// The program (normally the `fcas` binary itself).
    pub program: PathBuf,
    /// Its arguments (normally `worker --stdio`).
    pub args: Vec<String>,
    /// Time and memory limits of each analysis.
    pub limits: ChildLimits,
}

/// Async access to a blocking [`Analyze`] backend, on tokio's blocking threads.
#[derive(Clone)]
pub struct Isolation {
    backend: Arc<dyn Analyze>,
}

impl Isolation {
    /// A pool of `workers` children (at least one), each started on first use.
    pub fn child_pool(command: &ChildCommand, workers: usize) -> Self {
        let children = (0..workers.max(1)).map(|_| IsolatedWorker::new(&command.program, command.args.clone(), command.limits)).collect();
        Self::new(Arc::new(WorkerPool::new(children)))
    }

    /// Uses `backend` for every analysis.
    pub fn new(backend: Arc<dyn Analyze>) -> Self {
        Self { backend }
    }

    /// Analyses one file without blocking the async runtime.
    pub async fn analyze(&self, request: Request) -> Report {
        let backend = Arc::clone(&self.backend);
        let failed = task_failure(&request);
        tokio::task::spawn_blocking(move || backend.analyze(request)).await.unwrap_or_else(failed)
    }

    /// Like [`Self::analyze`], with the report as the JSON text to send (see [`Analyze::analyze_json`]).
    pub async fn analyze_json(&self, request: Request) -> Result<String, Box<Report>> {
        let backend = Arc::clone(&self.backend);
        let failed = task_failure(&request);
        tokio::task::spawn_blocking(move || backend.analyze_json(request)).await.unwrap_or_else(|e| Err(Box::new(failed(e))))
    }
}

/// The report of a request whose blocking task itself failed (not the child: the task).
fn task_failure(request: &Request) -> impl FnOnce(tokio::task::JoinError) -> Report {
    let request = request.clone();
    move |error| {
        let mut report = Report::failed(request.path.clone(), stage::ISOLATION, format!("the analysis task failed: {error}"));
        request.present(&mut report);
        report
    }
}

/// Whether the isolated child failed on this report (crash, time-out, memory limit).
pub fn child_failed(report: &Report) -> bool {
    report.errors.iter().any(|e| e.stage == stage::ISOLATION)
}
