//! A fixed number of isolated workers shared by many threads.
use std::sync::{Condvar, Mutex};

use fcas_report::Report;

use crate::{IsolatedWorker, Request};

/// Hands each request to a free worker, waiting while all are busy.
pub struct WorkerPool {
    idle: Mutex<Vec<IsolatedWorker>>,
    freed: Condvar,
}

impl WorkerPool {
    /// A pool of `workers` (at least one).
    pub fn new(workers: Vec<IsolatedWorker>) -> Self {
        assert!(!workers.is_empty(), "a worker pool needs at least one worker");
        Self { idle: Mutex::new(workers), freed: Condvar::new() }
    }

    /// Analyses one file on the first free worker.
    pub fn analyze(&self, request: Request) -> Report {
        self.with_worker(|worker| worker.analyze(request))
    }

    /// Like [`IsolatedWorker::analyze_json`], on the first free worker.
    pub fn analyze_json(&self, request: Request) -> Result<String, Box<Report>> {
        self.with_worker(|worker| worker.analyze_json(request))
    }

    /// Runs `f` on the first free worker, waiting while all are busy.
    fn with_worker<T>(&self, f: impl FnOnce(&mut IsolatedWorker) -> T) -> T {
        let mut worker = {
            let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
            loop {
                if let Some(worker) = idle.pop() {
                    break worker;
                }
                idle = self.freed.wait(idle).unwrap_or_else(|p| p.into_inner());
            }
        };
        let outcome = f(&mut worker);
        self.idle.lock().unwrap_or_else(|p| p.into_inner()).push(worker);
        self.freed.notify_one();
        outcome
    }
}
