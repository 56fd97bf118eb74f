//! Analysis in a child process. The desktop app and the fleet worker never parse a hostile file in
//! their own process: they send a [`Request`] to a long-lived child (`fcas worker --stdio`) that
//! answers one [`Response`] per line. A child that crashes, hangs past its time limit or exceeds
//! its memory limit is killed and replaced, and the caller gets a report whose `errors` say what
//! happened to that file. The child loads models once and serves many files.
#![deny(missing_docs)]

mod child;
mod parent;
mod pool;
mod protocol;

pub use child::serve;
pub use parent::{ChildLimits, IsolatedWorker};
pub use pool::WorkerPool;
pub use protocol::{Request, Response};
