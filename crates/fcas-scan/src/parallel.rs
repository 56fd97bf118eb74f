//! Scanning many files on several threads while emitting results in input order.
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// Runs `work` over `items` on `jobs` threads and hands each result to `emit` in input order.
/// At most `jobs * 4` finished results wait for a slow earlier one, so memory stays bounded.
/// `emit` returns false to stop early (e.g. the output pipe closed).
pub fn for_each_in_order<T: Sync, R: Send>(items: &[T], jobs: usize, work: impl Fn(&T) -> R + Sync, mut emit: impl FnMut(R) -> bool) {
    let window = jobs.max(1) * 4;
    let next = AtomicUsize::new(0);
    let emitted = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (sender, receiver) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            let sender = sender.clone();
            let (next, emitted, stop, work) = (&next, &emitted, &stop, &work);
            scope.spawn(move || loop {
                let index = next.fetch_add(1, Ordering::SeqCst);
                if index >= items.len() {
                    break;
                }
                // Wait while this result would sit too far ahead of the output.
                while index >= emitted.load(Ordering::SeqCst) + window && !stop.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(1));
                }
                if stop.load(Ordering::SeqCst) || sender.send((index, work(&items[index]))).is_err() {
                    break;
                }
            });
        }
        drop(sender);
        let mut pending = BTreeMap::new();
        let mut expected = 0;
        for (index, result) in receiver.iter() {
            pending.insert(index, result);
            while let Some(result) = pending.remove(&expected) {
                expected += 1;
                emitted.store(expected, Ordering::SeqCst);
                if !emit(result) {
                    stop.store(true, Ordering::SeqCst);
                    return;
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::for_each_in_order;

    #[test]
    fn results_come_out_in_input_order_whatever_the_finishing_order() {
        let items: Vec<u64> = (0..200).collect();
        let mut seen = Vec::new();
        for_each_in_order(
            &items,
            4,
            |&i| {
                std::thread::sleep(std::time::Duration::from_micros((200 - i) * 10));
                i * 2
            },
            |r| {
                seen.push(r);
                true
            },
        );
        assert_eq!(seen, items.iter().map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn emit_returning_false_stops_early() {
        let items: Vec<u64> = (0..10_000).collect();
        let mut count = 0;
        for_each_in_order(
            &items,
            2,
            |&i| i,
            |_| {
                count += 1;
                count < 10
            },
        );
        assert_eq!(count, 10);
    }
}
