//! The single writer: a thread that owns the store's write connection and receives reports (and
//! queue updates) over a channel. It gathers messages while they keep coming (up to a count and
//! a time) and commits them in one transaction, so under load one commit carries many reports
//! (that, not a faster insert, is what makes batches fast); a claim, which its sender waits for,
//! commits alone at once.
//! After each commit it wakes the full-text index's own thread ([`crate::follower`]), which
//! indexes the new reports in the index's own file while the writer goes on.
use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use fcas_report::{Report, Submission};
use rusqlite::{Connection, TransactionBehavior};

use crate::file_stamps::{self, HashedFile};
use crate::follower::Follower;
use crate::keys::PendingKeys;
use crate::queue::{self, Claim};
use crate::submission::{insert_prepared, PreparedSubmission};
use crate::vault::{index as vault_index, Vault, VaultEntry};
use crate::{unix_now, Result, Store, StoreError};

/// How the writer thread commits; [`WriterConfig::default`] is what `fcas` uses. Every bound here
/// is also a bound on the writer's memory: messages waiting in the channel and gathered for a
/// transaction hold their prepared reports (compressed body and facts), and SQLite holds up to
/// the page cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriterConfig {
    /// Most messages committed in one transaction. Each transaction rewrites every index page it
    /// touches, and nearly every report touches the same random-key and per-name index pages,
    /// so the more reports share a transaction the fewer bytes each one writes.
    pub max_messages_per_transaction: usize,
    /// Longest the writer gathers messages for one transaction (bounds how long a report sent
    /// stays invisible to readers, and the work a crash loses).
    pub max_transaction_time: Duration,
    /// The messages gathered commit once no message has come for this long, so a lone report is
    /// visible at once and a stream of them shares transactions. A flush commits them at once;
    /// a claim commits alone at once (its sender waits for it).
    pub idle_commit: Duration,
    /// Messages waiting for the writer at most; senders block beyond it, so analysis threads
    /// that outrun the writer wait instead of piling reports up in memory. The writer takes
    /// them as they come, so this does not bound a transaction. A container's submission is
    /// one message however many descendants it holds; extraction's own limits bound those.
    pub channel_capacity: usize,
    /// The writer connection's page cache, in bytes (SQLite's `cache_size`). Pages it drops are
    /// read again from the operating system's cache.
    pub page_cache_bytes: u64,
    /// WAL size, in bytes, past which a commit checkpoints it into the database file
    /// (SQLite's `wal_autocheckpoint`, converted to pages of the store's page size).
    pub checkpoint_wal_bytes: u64,
}

impl Default for WriterConfig {
    fn default() -> Self {
        Self {
            max_messages_per_transaction: 2048,
            max_transaction_time: Duration::from_secs(2),
            idle_commit: Duration::from_millis(20),
            channel_capacity: 64,
            // With the keyed rows written in order (`keys.rs`), 32 MiB costs 6% of the writer's
            // CPU at 100,000 reports against 256 MiB, and no bytes written (with them written
            // report by report, 64 MiB cost 42% and 41%: docs/BENCHMARKS.md, store).
            page_cache_bytes: 32 << 20,
            checkpoint_wal_bytes: 1 << 30,
        }
    }
}

/// Failure messages kept in [`WriterStats::failures`].
const MAX_FAILURES_KEPT: usize = 100;

enum Message {
    // A whole submission travels as one message, so a container and its descendants commit together.
    Insert { submission: PreparedSubmission, analysed_at: i64 },
    Complete { job_id: i64, submission: PreparedSubmission },
    Fail { job_id: i64, reason: String },
    Claim { job_id: i64, sha256: Option<String>, hashed: Option<HashedFile>, reply: SyncSender<Result<Claim, String>> },
    Flush { reply: SyncSender<()> },
    // Vault files are written by the sender; the writer only records their rows.
    VaultRecord { vault: Vault, entries: Vec<VaultEntry> },
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
    /// Samples recorded in the vault.
    pub vault_recorded: u64,
    /// Samples evicted from the vault to stay within its quota.
    pub vault_evicted: u64,
    /// Samples not kept because each alone is larger than the vault's quota.
    pub vault_refused: u64,
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
    sender: SyncSender<Message>,
    thread: JoinHandle<WriterStats>,
}

/// A cheap, clonable way to send work to the writer from any thread.
#[derive(Clone)]
pub struct WriterHandle {
    sender: SyncSender<Message>,
}

impl Writer {
    /// Opens (creating or migrating) the store at `path` and starts the writer thread on it.
    pub fn spawn(path: &Path) -> Result<Self> {
        Self::start(Store::open(path)?)
    }

    /// Starts the writer thread on `store` (a connection of its own: see [`Store::reopen`]).
    pub fn start(store: Store) -> Result<Self> {
        Self::start_with(store, WriterConfig::default())
    }

    /// Starts the writer thread on `store` with `config`.
    pub fn start_with(store: Store, config: WriterConfig) -> Result<Self> {
        // Few, large checkpoints keep inserts from re-copying the same pages: a checkpoint
        // copies a page once however many transactions rewrote it. Once checkpointed, the WAL file is cut back to
        // 64 MB so an idle store does not keep the largest WAL it ever had.
        let page_size: i64 = store.conn.query_row("PRAGMA page_size", [], |row| row.get(0))?;
        let checkpoint_pages = config.checkpoint_wal_bytes / page_size.max(512) as u64;
        let cache_kib = (config.page_cache_bytes / 1024).max(1);
        store.conn.execute_batch(&format!(
            "PRAGMA cache_size = -{cache_kib}; PRAGMA wal_autocheckpoint = {}; PRAGMA journal_size_limit = 67108864;",
            checkpoint_pages.max(1)
        ))?;
        let follower = Follower::start(store.reopen()?, checkpoint_pages)?;
        let (sender, receiver) = mpsc::sync_channel(config.channel_capacity.max(1));
        let thread = std::thread::Builder::new()
            .name("fcas-store-writer".into())
            .spawn(move || run(store.conn, receiver, config, follower))
            .map_err(|e| StoreError::WriterStopped(format!("cannot start the writer thread: {e}")))?;
        Ok(Self { sender, thread })
    }

    /// A handle to send work with.
    pub fn handle(&self) -> WriterHandle {
        WriterHandle { sender: self.sender.clone() }
    }

    /// Waits until everything sent has been committed and indexed (every handle must be
    /// dropped first, or this waits for them) and returns what the writer did.
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
    /// The report is serialised, compressed and its full-text document built here, on the
    /// caller's thread.
    pub fn insert_at(&self, report: Report, analysed_at: i64) -> Result<()> {
        self.insert_submission_at(Submission::single(report), analysed_at)
    }

    /// Queues every report of `submission` for storage, as analysed now, with one edge per
    /// child each container lists.
    pub fn insert_submission(&self, submission: Submission) -> Result<()> {
        self.insert_submission_at(submission, unix_now())
    }

    /// Queues every report of `submission` as analysed at `analysed_at` (Unix seconds). The
    /// reports are serialised, compressed and their full-text documents built on the caller's
    /// thread.
    pub fn insert_submission_at(&self, submission: Submission, analysed_at: i64) -> Result<()> {
        let submission = PreparedSubmission::new(submission)?;
        self.sender.send(Message::Insert { submission, analysed_at }).map_err(|_| stopped())
    }

    /// Claims a queue job; returns once the claim is committed. See [`queue::Claim`].
    pub fn claim_job(&self, job_id: i64, sha256: Option<String>) -> Result<Claim> {
        self.claim(job_id, sha256, None)
    }

    /// Claims the job of a file just hashed, as [`Self::claim_job`], and records in the same
    /// transaction what was learnt about the file ([`file_stamps`]).
    pub fn claim_hashed_job(&self, job_id: i64, hashed: HashedFile) -> Result<Claim> {
        self.claim(job_id, Some(hashed.sha256.clone()), Some(hashed))
    }

    fn claim(&self, job_id: i64, sha256: Option<String>, hashed: Option<HashedFile>) -> Result<Claim> {
        let (reply, answer) = mpsc::sync_channel(1);
        self.sender.send(Message::Claim { job_id, sha256, hashed, reply }).map_err(|_| stopped())?;
        answer.recv().map_err(|_| stopped())?.map_err(StoreError::WriterStopped)
    }

    /// Queues `report` as the result of job `job_id`: stored and job done in one transaction.
    /// The report is serialised, compressed and its full-text document built here, on the
    /// caller's thread.
    pub fn complete_job(&self, job_id: i64, report: Report) -> Result<()> {
        self.complete_submission(job_id, Submission::single(report))
    }

    /// Queues `submission` as the result of job `job_id`: the root's report becomes the job's
    /// result, every descendant's is stored as a sample of its own, each container's children
    /// become edges, and the job is done, all in one transaction (nothing is stored when the
    /// job is finished already). The reports are serialised, compressed and their full-text
    /// documents built here, on the caller's thread.
    pub fn complete_submission(&self, job_id: i64, submission: Submission) -> Result<()> {
        let submission = PreparedSubmission::new(submission)?;
        self.sender.send(Message::Complete { job_id, submission }).map_err(|_| stopped())
    }

    /// Queues marking job `job_id` failed.
    pub fn fail_job(&self, job_id: i64, reason: String) -> Result<()> {
        self.sender.send(Message::Fail { job_id, reason }).map_err(|_| stopped())
    }

    /// Queues recording `entries`, whose files were written to `vault` already
    /// ([`Vault::write`], on the caller's thread), evicting beyond the vault's quota; the files
    /// of evicted samples are removed once that is committed.
    pub fn vault_record(&self, vault: Vault, entries: Vec<VaultEntry>) -> Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        self.sender.send(Message::VaultRecord { vault, entries }).map_err(|_| stopped())
    }

    /// Returns once everything sent before is committed, and its reports are in the full-text
    /// index.
    pub fn flush(&self) -> Result<()> {
        let (reply, answer) = mpsc::sync_channel(1);
        self.sender.send(Message::Flush { reply }).map_err(|_| stopped())?;
        answer.recv().map_err(|_| stopped())
    }
}

fn run(mut conn: Connection, receiver: Receiver<Message>, config: WriterConfig, follower: Follower) -> WriterStats {
    let mut stats = WriterStats::default();
    let mut waiting: Vec<Message> = Vec::new();
    let mut opened = Instant::now();
    loop {
        let next = if waiting.is_empty() {
            receiver.recv().map_err(|_| RecvTimeoutError::Disconnected)
        } else {
            receiver.recv_timeout(config.idle_commit.min(config.max_transaction_time.saturating_sub(opened.elapsed())))
        };
        let disconnected = match next {
            // A claim's sender waits for it, and the file it claims is analysed only once the
            // claim is durable: it commits at once, alone, so the reports waiting are not
            // committed a few at a time at every claim.
            Ok(claim @ Message::Claim { .. }) => {
                commit(&mut conn, vec![claim], &mut stats, &follower);
                continue;
            }
            Ok(message) => {
                let flush = matches!(message, Message::Flush { .. });
                if waiting.is_empty() {
                    opened = Instant::now();
                }
                waiting.push(message);
                let full = waiting.len() >= config.max_messages_per_transaction.max(1) || opened.elapsed() >= config.max_transaction_time;
                if !flush && !full {
                    continue;
                }
                false
            }
            Err(RecvTimeoutError::Timeout) => false,
            Err(RecvTimeoutError::Disconnected) => true,
        };
        if !waiting.is_empty() {
            commit(&mut conn, std::mem::take(&mut waiting), &mut stats, &follower);
        }
        if disconnected {
            break;
        }
    }
    follower.finish().into_iter().for_each(|failure| stats.record_failure(failure));
    stats
}

/// One transaction for all `messages`, without savepoints (a savepoint per report doubled the
/// writer's CPU: SQLite copies every page a report touches into the savepoint's journal); if
/// one fails, the transaction is rolled back and the batch replayed with one savepoint each, so
/// one bad report is set aside without undoing the others.
fn commit(conn: &mut Connection, messages: Vec<Message>, stats: &mut WriterStats, follower: &Follower) {
    let outcome = apply(conn, &messages, false).or_else(|_| apply(conn, &messages, true));
    deliver(outcome, messages, stats, follower);
}

/// What applying a batch of messages produced, delivered only once it is committed.
#[derive(Default)]
struct Applied {
    stored: u64,
    failures: Vec<String>,
    claims: Vec<Result<Claim, String>>,
    vault_recorded: u64,
    vault_evicted: u64,
    vault_refused: u64,
    // Files to remove once committed: evicted and refused samples, by vault.
    vault_removals: Vec<(Vault, Vec<String>)>,
}

/// Counts what a transaction did and answers its senders; replies go out only after the commit,
/// so a claim is durable when acknowledged.
fn deliver(outcome: Result<Applied>, messages: Vec<Message>, stats: &mut WriterStats, follower: &Follower) {
    let claims = match outcome {
        Ok(applied) => {
            stats.transactions += 1;
            stats.reports_stored += applied.stored;
            stats.vault_recorded += applied.vault_recorded;
            stats.vault_evicted += applied.vault_evicted;
            stats.vault_refused += applied.vault_refused;
            for (vault, removed) in &applied.vault_removals {
                vault.remove_all(removed).into_iter().for_each(|f| stats.record_failure(f));
            }
            applied.failures.into_iter().for_each(|f| stats.record_failure(f));
            if applied.stored > 0 {
                follower.committed();
            }
            applied.claims
        }
        Err(error) => {
            let message = format!("a write transaction failed and was rolled back: {error}");
            stats.record_failure(message.clone());
            messages.iter().filter(|m| matches!(m, Message::Claim { .. })).map(|_| Err(message.clone())).collect()
        }
    };
    let mut claims = claims.into_iter();
    for message in messages {
        match message {
            Message::Claim { reply, .. } => {
                let _ = reply.send(claims.next().unwrap_or_else(|| Err("no answer".into())));
            }
            // Answered by the follower once it has indexed this commit's reports.
            Message::Flush { reply } => follower.reply_when_indexed(reply),
            _ => {}
        }
    }
}

/// Applies all `messages` in one transaction (`isolate`: each in a savepoint of its own, its
/// failure recorded instead of returned).
fn apply(conn: &mut Connection, messages: &[Message], isolate: bool) -> Result<Applied> {
    let mut applied = Applied::default();
    let mut keys = PendingKeys::default();
    let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for message in messages {
        apply_one(&mut tx, message, &mut keys, isolate, &mut applied)?;
    }
    keys.write(&tx)?;
    tx.commit()?;
    Ok(applied)
}

/// Applies one message in `tx`. Without `isolate`, any failure is returned (the message may
/// have half-written: the transaction must be rolled back); with it, the message runs in a
/// savepoint and its failure is recorded in `applied`.
fn apply_one(
    tx: &mut rusqlite::Transaction<'_>,
    message: &Message,
    keys: &mut PendingKeys,
    isolate: bool,
    applied: &mut Applied,
) -> Result<()> {
    match message {
        Message::Insert { submission, analysed_at } => {
            match step(tx, isolate, |c| with_keys(c, keys, isolate, |c, keys| insert_prepared(c, keys, submission, *analysed_at))) {
                Ok(_) => applied.stored += submission.len(),
                Err(error) if !isolate => return Err(error),
                Err(error) => applied.failures.push(error.to_string()),
            }
        }
        Message::Complete { job_id, submission } => {
            match step(tx, isolate, |c| with_keys(c, keys, isolate, |c, keys| queue::complete(c, keys, *job_id, submission))) {
                Ok(Some(_)) => applied.stored += submission.len(),
                Ok(None) => {}
                Err(error) if !isolate => return Err(error),
                Err(error) => {
                    let reason = format!("cannot store the report: {error}");
                    applied.failures.push(format!("{}: {reason}", submission.root.report.path));
                    step(tx, isolate, |c| queue::fail(c, *job_id, &reason))?;
                }
            }
        }
        Message::Fail { job_id, reason } => step(tx, isolate, |c| queue::fail(c, *job_id, reason))?,
        Message::Claim { job_id, sha256, hashed, .. } => match step(tx, isolate, |c| {
            let claim = queue::claim(c, *job_id, sha256.as_deref())?;
            hashed.as_ref().map_or(Ok(()), |file| file_stamps::record(c, file))?;
            Ok(claim)
        }) {
            Err(error) if !isolate => return Err(error),
            claim => applied.claims.push(claim.map_err(|e| e.to_string())),
        },
        Message::Flush { .. } => {}
        Message::VaultRecord { vault, entries } => match step(tx, isolate, |c| vault_index::record(c, entries, vault.config().quota)) {
            Ok(recorded) => {
                applied.vault_recorded += recorded.kept.len() as u64;
                applied.vault_evicted += recorded.evicted.len() as u64;
                applied.vault_refused += recorded.refused.len() as u64;
                let removed = recorded.evicted.into_iter().chain(recorded.refused).collect::<Vec<_>>();
                if !removed.is_empty() {
                    applied.vault_removals.push((vault.clone(), removed));
                }
            }
            Err(error) if !isolate => return Err(error),
            Err(error) => applied.failures.push(format!("cannot record samples in the vault: {error}")),
        },
    }
    Ok(())
}

/// Runs `work`, whose rows keyed by name or gram go to `keys`: left there for the end of the
/// transaction on the fast path; written at once when isolating (inside the message's
/// savepoint), and forgotten if the message fails.
fn with_keys<T>(
    conn: &Connection,
    keys: &mut PendingKeys,
    isolate: bool,
    work: impl FnOnce(&Connection, &mut PendingKeys) -> Result<T>,
) -> Result<T> {
    if !isolate {
        return work(conn, keys);
    }
    let result = work(conn, keys).and_then(|value| Ok(keys.write(conn).map(|()| value)?));
    if result.is_err() {
        keys.clear();
    }
    result
}

/// Runs one message's work: directly on the fast path (the caller aborts the batch on any
/// error, since the work may have half-written), in its own savepoint when isolating.
fn step<T>(tx: &mut rusqlite::Transaction<'_>, isolate: bool, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    if !isolate {
        return work(tx);
    }
    in_savepoint(tx, work)
}

fn in_savepoint<T>(tx: &mut rusqlite::Transaction<'_>, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    let savepoint = tx.savepoint()?;
    let value = work(&savepoint)?;
    savepoint.commit()?;
    Ok(value)
}
