//! Running one analysis stage: time it, catch a panic, record its error.
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use fcas_report::{Report, StageError, StageTiming};

/// Errors and timings of the stages run so far, kept apart from the report so that a stage may
/// read the report while it runs.
#[derive(Default)]
pub(crate) struct StageLog {
    errors: Vec<StageError>,
    timings: Vec<StageTiming>,
}

impl StageLog {
    /// Runs `f` as stage `name`. An `Err` or a panic becomes a [`StageError`]; the stage's time
    /// is recorded either way.
    pub(crate) fn run<T>(&mut self, name: &str, f: impl FnOnce() -> Result<T, String>) -> Option<T> {
        let started = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(f));
        self.timings.push(StageTiming { stage: name.to_string(), ms: started.elapsed().as_secs_f64() * 1e3 });
        match outcome {
            Ok(Ok(value)) => Some(value),
            Ok(Err(message)) => {
                self.errors.push(StageError::new(name, message));
                None
            }
            Err(panic) => {
                self.errors.push(StageError::new(name, fcas_report::stage::panic_message(&panic_text(&*panic))));
                None
            }
        }
    }

    /// Records the outcome of stage `name` that ran elsewhere for `ms` milliseconds.
    pub(crate) fn record<T>(&mut self, name: &str, ms: f64, outcome: Result<T, String>) -> Option<T> {
        self.timings.push(StageTiming { stage: name.to_string(), ms });
        outcome.map_err(|message| self.errors.push(StageError::new(name, message))).ok()
    }

    /// Non-fatal problems a stage met (a limit reached, a part it skipped) become errors of that
    /// stage; the stage's other results stay in the report.
    pub(crate) fn notes(&mut self, name: &str, notes: &mut Vec<String>) {
        self.errors.extend(notes.drain(..).map(|message| StageError::new(name, message)));
    }

    /// Appends the errors and timings of a log kept on another thread.
    pub(crate) fn merge(&mut self, other: StageLog) {
        self.errors.extend(other.errors);
        self.timings.extend(other.timings);
    }

    /// Moves the log into the report.
    pub(crate) fn finish(self, report: &mut Report) {
        report.errors.extend(self.errors);
        report.provenance.stage_ms.extend(self.timings);
    }
}

pub(crate) use fcas_report::stage::panic_payload_text as panic_text;
