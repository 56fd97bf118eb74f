//! The single writer: a thread that owns the store's write connection and receives reports (and
//! queue updates) over a channel. It commits whatever has arrived in one transaction, so under
//! load one commit carries many reports; that, not a faster insert, is what makes batches fast.
use std::path::Path;
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::thread::JoinHandle;

use fcas_report::Report;
use rusqlite::{Connection, TransactionBehavior};

use crate::queue::{self, Claim};
use crate::{unix_now, write, Result, Store, StoreError};

/// Most messages committed in one transaction (bounds the time readers see an old snapshot and
/// the work lost to a failed commit).
const MAX_MESSAGES_PER_TRANSACTION: usize = 512;
/// Failure messages kept in [`WriterStats::failures`].
const MAX_FAILURES_KEPT: usize = 100;

enum Message {
    Insert { report: Box<Report>, analysed_at: i64 },
    Complete { job_id: i64, report: Box<Report> },
    Fail { job_id: i64, reason: String },
    Claim { job_id: i64, sha256: Option<String>, reply: SyncSender<Result<Claim, String>> },
    Flush { reply: SyncSender<()> },
}

/// What the writer did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriterStats {
    /// Transactions committed.
    pub transactions: u64,
    /// Reports stored.
    pub reports_stored: u64,
    /// Reports or updates that could not be stored.
    pub failed: u64,
    /// The first failures' messages.
    pub failures: Vec<String>,
}

impl WriterStats {
    fn record_failure(&mut self, message: String) {
        self.failed += 1;
        if self.failures.len() < MAX_FAILURES_KEPT {
            self.failures.push(message);
        }
    }
}

/// The writer thread. Hand out [`WriterHandle`]s, drop them all, then call [`Writer::finish`].
pub struct Writer {
    sender: Sender<Message>,
    thread: JoinHandle<WriterStats>,
}

/// A cheap, clonable way to send work to the writer from any thread.
#[derive(Clone)]
pub struct WriterHandle {
    sender: Sender<Message>,
}

impl Writer {
    /// Opens (creating or migrating) the store at `path` and starts the writer thread on it.
    pub fn spawn(path: &Path) -> Result<Self> {
        let store = Store::open(path)?;
        let (sender, receiver) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("fcas-store-writer".into())
            .spawn(move || run(store.conn, receiver))
            .map_err(|e| StoreError::WriterStopped(format!("cannot start the writer thread: {e}")))?;
        Ok(Self { sender, thread })
    }

    /// A handle to send work with.
    pub fn handle(&self) -> WriterHandle {
        WriterHandle { sender: self.sender.clone() }
    }

    /// Waits until everything sent has been committed (every handle must be dropped first,
    /// or this waits for them) and returns what the writer did.
    pub fn finish(self) -> Result<WriterStats> {
        drop(self.sender);
        self.thread.join().map_err(|_| StoreError::WriterStopped("the writer thread panicked".into()))
    }
}

fn stopped() -> StoreError {
    StoreError::WriterStopped("it is no longer running (see the error printed before)".into())
}

impl WriterHandle {
    /// Queues `report` for storage, as analysed now.
    pub fn insert(&self, report: Report) -> Result<()> {
        self.insert_at(report, unix_now())
    }

    /// Queues `report` for storage as analysed at `analysed_at` (Unix seconds).
    pub fn insert_at(&self, report: Report, analysed_at: i64) -> Result<()> {
        self.sender.send(Message::Insert { report: Box::new(report), analysed_at }).map_err(|_| stopped())
    }

    /// Claims a queue job; returns once the claim is committed. See [`queue::Claim`].
    pub fn claim_job(&self, job_id: i64, sha256: Option<String>) -> Result<Claim> {
        let (reply, answer) = mpsc::sync_channel(1);
        self.sender.send(Message::Claim { job_id, sha256, reply }).map_err(|_| stopped())?;
        answer.recv().map_err(|_| stopped())?.map_err(StoreError::WriterStopped)
    }

    /// Queues `report` as the result of job `job_id`: stored and job done in one transaction.
    pub fn complete_job(&self, job_id: i64, report: Report) -> Result<()> {
        self.sender.send(Message::Complete { job_id, report: Box::new(report) }).map_err(|_| stopped())
    }

    /// Queues marking job `job_id` failed.
    pub fn fail_job(&self, job_id: i64, reason: String) -> Result<()> {
        self.sender.send(Message::Fail { job_id, reason }).map_err(|_| stopped())
    }

    /// Returns once everything sent before is committed.
    pub fn flush(&self) -> Result<()> {
        let (reply, answer) = mpsc::sync_channel(1);
        self.sender.send(Message::Flush { reply }).map_err(|_| stopped())?;
        answer.recv().map_err(|_| stopped())
    }
}

fn run(mut conn: Connection, receiver: Receiver<Message>) -> WriterStats {
    let mut stats = WriterStats::default();
    while let Ok(first) = receiver.recv() {
        let mut messages = vec![first];
        while messages.len() < MAX_MESSAGES_PER_TRANSACTION {
            match receiver.try_recv() {
                Ok(message) => messages.push(message),
                Err(_) => break,
            }
        }
        commit(&mut conn, messages, &mut stats);
    }
    stats
}

/// One transaction for all `messages`; each runs in a savepoint so one bad report does not
/// undo the others. Replies are sent only after the commit, so a claim is durable when acknowledged.
fn commit(conn: &mut Connection, messages: Vec<Message>, stats: &mut WriterStats) {
    let mut replies: Vec<(SyncSender<Result<Claim, String>>, Result<Claim, String>)> = Vec::new();
    let mut flushes = Vec::new();
    let mut stored = 0u64;
    let outcome = (|| -> Result<()> {
        let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for message in messages {
            match message {
                Message::Insert { report, analysed_at } => {
                    match in_savepoint(&mut tx, |c| write::insert_report(c, &report, analysed_at).map(|_| ())) {
                        Ok(()) => stored += 1,
                        Err(error) => stats.record_failure(error.to_string()),
                    }
                }
                Message::Complete { job_id, report } => match in_savepoint(&mut tx, |c| queue::complete(c, job_id, &report)) {
                    Ok(Some(_)) => stored += 1,
                    Ok(None) => {}
                    Err(error) => {
                        let reason = format!("cannot store the report: {error}");
                        stats.record_failure(format!("{}: {reason}", report.path));
                        in_savepoint(&mut tx, |c| queue::fail(c, job_id, &reason))?;
                    }
                },
                Message::Fail { job_id, reason } => in_savepoint(&mut tx, |c| queue::fail(c, job_id, &reason))?,
                Message::Claim { job_id, sha256, reply } => {
                    let claim = in_savepoint(&mut tx, |c| queue::claim(c, job_id, sha256.as_deref())).map_err(|e| e.to_string());
                    replies.push((reply, claim));
                }
                Message::Flush { reply } => flushes.push(reply),
            }
        }
        tx.commit()?;
        Ok(())
    })();
    match outcome {
        Ok(()) => {
            stats.transactions += 1;
            stats.reports_stored += stored;
            for (reply, claim) in replies {
                let _ = reply.send(claim);
            }
        }
        Err(error) => {
            let message = format!("a write transaction failed and was rolled back: {error}");
            stats.record_failure(message.clone());
            for (reply, _) in replies {
                let _ = reply.send(Err(message.clone()));
            }
        }
    }
    for reply in flushes {
        let _ = reply.send(());
    }
}

fn in_savepoint<T>(tx: &mut rusqlite::Transaction<'_>, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    let savepoint = tx.savepoint()?;
    let value = work(&savepoint)?;
    savepoint.commit()?;
    Ok(value)
}
