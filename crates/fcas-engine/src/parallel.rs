//! Running one file's independent stages on every core the process may use.
//!
//! The stages (the groups of hashers, strings, the format's structure) are tasks of unequal
//! cost. They go, costliest first, to a small pool of threads shared by every analysis in the
//! process, each thread taking the next task in that order; this keeps the cores evenly loaded
//! to the end. The threads outlive the file, so a small file does not pay for starting them
//! (nor for their first allocations and stack pages).
use std::sync::OnceLock;

use rayon::{ThreadPool, ThreadPoolBuilder};

/// Stack of each worker: the same as a process's main thread, where stages used to run.
const STACK_SIZE: usize = 8 << 20;
/// Below this many bytes of input the tasks run one after another on the caller's thread:
/// handing a task to another thread costs about what analysing a few KiB takes.
const PARALLEL_FROM: usize = 4 << 10;

/// One independent piece of a file's analysis.
pub(crate) type Task<'a> = Box<dyn FnOnce() + Send + 'a>;

/// The pool, one thread per core this process may use; `None` if no thread could be started,
/// and then everything runs on the caller's thread.
fn pool() -> Option<&'static ThreadPool> {
    static POOL: OnceLock<Option<ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        ThreadPoolBuilder::new()
            .num_threads(threads)
            .stack_size(STACK_SIZE)
            .thread_name(|index| format!("fcas-engine-{index}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// Runs every task, which together work on `input_len` bytes, and returns when all are done.
/// The pool's threads take them in the order given (first in, first out), so listing the
/// costliest first balances the load. A task should catch its own panics: one that escapes
/// reaches the caller once all tasks are done.
pub(crate) fn run_all(tasks: Vec<Task<'_>>, input_len: usize) {
    match pool() {
        Some(pool) if tasks.len() > 1 && input_len >= PARALLEL_FROM => pool.in_place_scope_fifo(|scope| {
            for task in tasks {
                scope.spawn_fifo(move |_| task());
            }
        }),
        _ => tasks.into_iter().for_each(|task| task()),
    }
}

/// Hands tasks to the pool one at a time while the caller goes on (see [`stream`]).
pub(crate) struct Spawner<'a, 'scope> {
    scope: Option<&'a rayon::ScopeFifo<'scope>>,
}

impl<'scope> Spawner<'_, 'scope> {
    /// Runs `task` on the pool, after those handed over before it; without a pool, here and now.
    pub(crate) fn spawn(&self, task: Task<'scope>) {
        match self.scope {
            Some(scope) => scope.spawn_fifo(move |_| task()),
            None => task(),
        }
    }
}

/// Runs `body` on the caller's thread with a [`Spawner`] for tasks that run on the pool
/// meanwhile, and returns once the body and every task are done. The body may wait for its
/// tasks (on a channel, say): it never runs on one of the pool's threads, whose waiting could
/// starve the pool; called from one, the tasks run at once, on that thread.
pub(crate) fn stream<'scope, R>(body: impl FnOnce(&Spawner<'_, 'scope>) -> R) -> R {
    match pool() {
        Some(pool) if rayon::current_thread_index().is_none() => pool.in_place_scope_fifo(|scope| body(&Spawner { scope: Some(scope) })),
        _ => body(&Spawner { scope: None }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn every_task_runs_once_and_its_result_is_seen_by_the_caller() {
        let runs = AtomicUsize::new(0);
        let mut results = vec![0u64; 64];
        let tasks: Vec<Task<'_>> = results
            .iter_mut()
            .enumerate()
            .map(|(i, slot)| {
                let runs = &runs;
                Box::new(move || {
                    runs.fetch_add(1, Ordering::Relaxed);
                    *slot = (0..=i as u64).sum();
                }) as Task<'_>
            })
            .collect();
        run_all(tasks, PARALLEL_FROM);
        assert_eq!(runs.load(Ordering::Relaxed), 64);
        assert!(results.iter().enumerate().all(|(i, &r)| r == (0..=i as u64).sum::<u64>()));
    }

    #[test]
    fn a_streaming_body_can_wait_for_the_tasks_it_handed_over() {
        let (sender, results) = std::sync::mpsc::channel();
        let sum = stream(|spawner| {
            let mut sum = 0;
            for i in 0..32u64 {
                let sender = sender.clone();
                spawner.spawn(Box::new(move || sender.send(i * i).unwrap()));
                // Waiting for every other answer while tasks are still being handed over.
                if i % 2 == 1 {
                    // Bounded: a task that never runs fails the test instead of hanging it.
                    let next = || results.recv_timeout(std::time::Duration::from_secs(60)).unwrap();
                    sum += next() + next();
                }
            }
            sum
        });
        assert_eq!(sum, (0..32u64).map(|i| i * i).sum::<u64>());
    }
}
