//! The parent's side: one child process, restarted whenever it dies or overruns.
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use fcas_report::Report;

use crate::protocol::{Heartbeat, RawResponse};
use crate::{Request, Response};

/// Limits applied to each child process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildLimits {
    /// Longest one analysis may take, or, for a container, the longest time between two of its
    /// files (the child's heartbeats); past it the child is killed. Default 60 s.
    pub timeout: Duration,
    /// Address-space limit of the child in bytes (`RLIMIT_AS`). Default 4 GiB (ONNX Runtime reserves
    /// much more address space than it touches).
    pub memory_bytes: u64,
}

impl Default for ChildLimits {
    fn default() -> Self {
        Self { timeout: Duration::from_secs(60), memory_bytes: 4 << 30 }
    }
}

/// Read buffer for the child's answers, and the pipe size asked for: one report line is often
/// hundreds of KiB, which a 64 KiB pipe and an 8 KiB buffer would cut into many small reads.
const ANSWER_BUFFER: usize = 1 << 20;

/// Asks the kernel for a pipe of [`ANSWER_BUFFER`] bytes (Linux; refused above
/// `/proc/sys/fs/pipe-max-size`, in which case the default size stays: only speed differs).
fn widen_pipe(pipe: &impl std::os::fd::AsRawFd) {
    // SAFETY: F_SETPIPE_SZ on a pipe descriptor we own; failure leaves the pipe as it was.
    unsafe { libc::fcntl(pipe.as_raw_fd(), libc::F_SETPIPE_SZ, ANSWER_BUFFER as libc::c_int) };
}

/// A running child and the channel its answers arrive on.
struct Running {
    child: Child,
    stdin: ChildStdin,
    answers: Receiver<String>,
}

/// A long-lived analysis child. Not thread-safe by itself: use a [`crate::WorkerPool`] to share.
pub struct IsolatedWorker {
    program: PathBuf,
    args: Vec<String>,
    limits: ChildLimits,
    running: Option<Running>,
    next_id: u64,
}

impl IsolatedWorker {
    /// A worker that runs `program args...` (e.g. `fcas worker --stdio`) when first needed.
    pub fn new(program: impl Into<PathBuf>, args: Vec<String>, limits: ChildLimits) -> Self {
        Self { program: program.into(), args, limits, running: None, next_id: 1 }
    }

    /// Analyses one file in the child. Never fails: a crash, a time-out or a broken child gives a
    /// report for `request.path` whose error (stage `isolation`) says what happened.
    pub fn analyze(&mut self, request: Request) -> Report {
        self.run(request, |line| serde_json::from_str::<Response>(line).map(|r| (r.id, r.report))).unwrap_or_else(|failure| *failure)
    }

    /// Like [`Self::analyze`], but the report comes back as the JSON text the child wrote (only
    /// checked to be JSON), for a caller that forwards it without looking inside. `Err` holds
    /// the failure report of a crash, time-out or broken child.
    pub fn analyze_json(&mut self, request: Request) -> Result<String, Box<Report>> {
        self.run(request, |line| serde_json::from_str::<RawResponse>(line).map(|r| (r.id, r.report.get().to_string())))
    }

    /// Sends `request` with a fresh id and decodes the answer with `decode` (which gives the
    /// answer's id and its report). A child that fails is stopped, and the failure report is
    /// named and marked as the request asks.
    fn run<T>(&mut self, mut request: Request, decode: impl Fn(&str) -> serde_json::Result<(u64, T)>) -> Result<T, Box<Report>> {
        request.id = self.next_id;
        self.next_id += 1;
        self.exchange(&request, decode).map_err(|message| {
            self.stop();
            let mut report = failure_report(&request.path, message);
            request.present(&mut report);
            Box::new(report)
        })
    }

    fn exchange<T>(&mut self, request: &Request, decode: impl Fn(&str) -> serde_json::Result<(u64, T)>) -> Result<T, String> {
        if self.running.is_none() {
            self.running = Some(self.spawn().map_err(|e| format!("cannot start the analysis process {}: {e}", self.program.display()))?);
        }
        let timeout = self.limits.timeout;
        let Some(running) = self.running.as_mut() else { return Err("the analysis process is not running".into()) };
        let mut line = serde_json::to_string(request).map_err(|e| e.to_string())?;
        line.push('\n');
        if running.stdin.write_all(line.as_bytes()).and_then(|()| running.stdin.flush()).is_err() {
            return Err(self.death_message());
        }
        loop {
            match running.answers.recv_timeout(timeout) {
                // The analysis moves on (a container's files): the limit counts from here.
                Ok(answer) if Heartbeat::parse(&answer).is_some() => continue,
                Ok(answer) => match decode(&answer) {
                    Ok((id, report)) if id == request.id => return Ok(report),
                    Ok(_) => continue, // an answer to an older request: skip it
                    Err(e) => return Err(format!("the analysis process sent an unreadable answer: {e}")),
                },
                Err(RecvTimeoutError::Timeout) => {
                    return Err(format!(
                        "analysis took longer than {} s and was stopped; the file may be built to stall parsers",
                        timeout.as_secs()
                    ));
                }
                Err(RecvTimeoutError::Disconnected) => return Err(self.death_message()),
            }
        }
    }

    fn spawn(&self) -> std::io::Result<Running> {
        let mut command = Command::new(&self.program);
        command.args(&self.args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null());
        let memory = self.limits.memory_bytes;
        // SAFETY: only async-signal-safe calls (setrlimit) run between fork and exec.
        unsafe {
            command.pre_exec(move || {
                let limit = libc::rlimit { rlim_cur: memory as libc::rlim_t, rlim_max: memory as libc::rlim_t };
                libc::setrlimit(libc::RLIMIT_AS, &limit);
                let no_core = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
                libc::setrlimit(libc::RLIMIT_CORE, &no_core);
                Ok(())
            });
        }
        let mut child = command.spawn()?;
        let stdin = child.stdin.take().ok_or_else(|| std::io::Error::other("the child has no standard input"))?;
        let stdout = child.stdout.take().ok_or_else(|| std::io::Error::other("the child has no standard output"))?;
        widen_pipe(&stdout);
        let (sender, answers) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::with_capacity(ANSWER_BUFFER, stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Running { child, stdin, answers })
    }

    /// Why the child stopped answering, once it has exited.
    fn death_message(&mut self) -> String {
        let Some(running) = self.running.as_mut() else { return "the analysis process is not running".into() };
        let status = running.child.wait();
        match status {
            Ok(status) if status.signal() == Some(libc::SIGKILL) => {
                "the analysis process was killed (out of memory or over its memory limit)".into()
            }
            Ok(status) if status.signal().is_some() => format!("the analysis process crashed (signal {})", status.signal().unwrap_or(0)),
            Ok(status) => format!("the analysis process exited unexpectedly ({status})"),
            Err(e) => format!("the analysis process stopped answering: {e}"),
        }
    }

    /// Kills the child (if any); the next request starts a new one.
    pub fn stop(&mut self) {
        if let Some(mut running) = self.running.take() {
            let _ = running.child.kill();
            let _ = running.child.wait();
        }
    }

    /// The program this worker runs.
    pub fn program(&self) -> &Path {
        &self.program
    }
}

impl Drop for IsolatedWorker {
    fn drop(&mut self) {
        self.stop();
    }
}

fn failure_report(path: &str, message: String) -> Report {
    Report::failed(path, fcas_report::stage::ISOLATION, message)
}
