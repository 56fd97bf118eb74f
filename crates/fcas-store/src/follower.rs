//! The full-text index's own writer: a thread that indexes what the store's writer has
//! committed, on a connection of its own, so that tokenising strings (half of the work of
//! storing a report) runs beside the writer instead of inside its transactions
//! ([`crate::fulltext`]). The writer wakes it after every commit; it indexes everything after
//! the index's mark, reading the strings from the stored bodies, and sleeps again, so wakes that
//! arrive while it works cost nothing more and nothing waits in memory for it.
//!
//! Handing it the documents the writer's callers could build instead was tried: it saved no
//! measurable CPU (indexing, not decoding, is its work) and held up to gigabytes of documents
//! when it fell behind the writer.
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::thread::JoinHandle;

use rusqlite::Connection;

use crate::{fulltext, Result, Store, StoreError};

/// What wakes the follower.
enum Wake {
    /// Reports were committed.
    Committed,
    /// Reply once everything committed before is indexed.
    Sync(SyncSender<()>),
}

/// The follower thread; [`Follower::finish`] indexes what is left and stops it.
pub(crate) struct Follower {
    sender: Sender<Wake>,
    thread: JoinHandle<Vec<String>>,
}

impl Follower {
    /// Starts the follower on `store` (a connection of its own), checkpointing the index's WAL
    /// past `checkpoint_pages` pages.
    pub(crate) fn start(store: Store, checkpoint_pages: u64) -> Result<Self> {
        let conn = store.conn;
        conn.execute_batch(&format!("PRAGMA text.cache_size = -32768; PRAGMA wal_autocheckpoint = {};", checkpoint_pages.max(1)))?;
        let (sender, receiver) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("fcas-store-text".into())
            .spawn(move || run(conn, receiver))
            .map_err(|e| StoreError::WriterStopped(format!("cannot start the full-text index's thread: {e}")))?;
        Ok(Self { sender, thread })
    }

    /// Tells the follower reports were committed.
    pub(crate) fn committed(&self) {
        let _ = self.sender.send(Wake::Committed);
    }

    /// Has `reply` answered once everything committed so far is indexed (at once if the
    /// follower has stopped).
    pub(crate) fn reply_when_indexed(&self, reply: SyncSender<()>) {
        if let Err(mpsc::SendError(Wake::Sync(reply))) = self.sender.send(Wake::Sync(reply)) {
            let _ = reply.send(());
        }
    }

    /// Indexes what is left, stops the thread and returns the failures it met.
    pub(crate) fn finish(self) -> Vec<String> {
        drop(self.sender);
        self.thread.join().unwrap_or_else(|_| vec!["the full-text index's thread panicked".to_string()])
    }
}

fn run(mut conn: Connection, receiver: Receiver<Wake>) -> Vec<String> {
    let mut failures = Vec::new();
    while let Ok(first) = receiver.recv() {
        let mut replies = Vec::new();
        for wake in std::iter::once(first).chain(receiver.try_iter()) {
            if let Wake::Sync(reply) = wake {
                replies.push(reply);
            }
        }
        // A failure leaves the mark where it was: the next wake (or the next opening of the
        // store) indexes the same reports again.
        if let Err(error) = fulltext::catch_up(&mut conn, fulltext::CATCH_UP_BATCH) {
            failures.push(format!("the full-text index could not be brought up to date: {error}"));
        }
        for reply in replies {
            let _ = reply.send(());
        }
    }
    failures
}
