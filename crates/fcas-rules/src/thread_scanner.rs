//! One yara-x scanner per thread. Building a scanner instantiates the rules' WASM module and
//! allocates its memory, which costs more than scanning a small file, so each thread keeps the
//! scanner it built and reuses it while it scans with the same rules (the analysis of a file and
//! of its children, the next request of a worker process).
use std::cell::RefCell;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

self_cell::self_cell!(
    /// A scanner together with the rules it borrows, so that a thread can keep both.
    struct OwnedScanner {
        owner: Arc<yara_x::Rules>,
        #[not_covariant]
        dependent: Scanner,
    }
);

type Scanner<'r> = yara_x::Scanner<'r>;

thread_local! {
    // The scanner of the last rules this thread scanned with. It holds those rules alive until
    // the thread scans with others (one set per thread at most).
    static THREAD_SCANNER: RefCell<Option<OwnedScanner>> = const { RefCell::new(None) };
}

/// Runs `scan` with this thread's scanner of `rules`, built on first use and rebuilt when the
/// rules change. A call nested in another on the same thread, or made while the thread is
/// being torn down, gets a scanner of its own.
pub(crate) fn with_thread_scanner<T>(rules: &Arc<yara_x::Rules>, mut scan: impl FnMut(&mut yara_x::Scanner<'_>) -> T) -> T {
    let kept = THREAD_SCANNER
        .try_with(|cell| {
            let mut slot = cell.try_borrow_mut().ok()?;
            if slot.as_ref().is_some_and(|kept| !Arc::ptr_eq(kept.borrow_owner(), rules)) {
                *slot = None;
            }
            let owned = slot.get_or_insert_with(|| OwnedScanner::new(Arc::clone(rules), |rules| yara_x::Scanner::new(rules)));
            let scanned = std::panic::catch_unwind(AssertUnwindSafe(|| owned.with_dependent_mut(|_, scanner| scan(scanner))));
            // A scanner a panic went through is not trusted again; the panic goes on to the
            // caller (the engine turns it into the stage's error).
            Some(scanned.unwrap_or_else(|panic| {
                *slot = None;
                std::panic::resume_unwind(panic)
            }))
        })
        .ok()
        .flatten();
    match kept {
        Some(result) => result,
        None => scan(&mut yara_x::Scanner::new(rules)),
    }
}

/// Whether this thread keeps a scanner of `rules` (for tests).
#[cfg(test)]
pub(crate) fn thread_keeps_scanner_of(rules: &Arc<yara_x::Rules>) -> bool {
    THREAD_SCANNER.with(|cell| cell.borrow().as_ref().is_some_and(|kept| Arc::ptr_eq(kept.borrow_owner(), rules)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(source: &str) -> Arc<yara_x::Rules> {
        Arc::new(yara_x::compile(source).unwrap())
    }

    fn matching(scanner: &mut yara_x::Scanner<'_>, bytes: &[u8]) -> Vec<String> {
        scanner.scan(bytes).unwrap().matching_rules().map(|rule| rule.identifier().to_string()).collect()
    }

    #[test]
    fn a_thread_keeps_its_scanner_and_replaces_it_when_the_rules_change() {
        let first = rules(r#"rule first { strings: $a = "alpha" condition: $a }"#);
        let second = rules(r#"rule second { strings: $a = "beta" condition: $a }"#);
        assert!(!thread_keeps_scanner_of(&first));
        assert_eq!(with_thread_scanner(&first, |s| matching(s, b"xx alpha beta")), ["first"]);
        assert!(thread_keeps_scanner_of(&first));
        assert_eq!(with_thread_scanner(&first, |s| matching(s, b"beta only")), Vec::<String>::new());
        // Other rules on the same thread: their matches, never the kept scanner's.
        assert_eq!(with_thread_scanner(&second, |s| matching(s, b"xx alpha beta")), ["second"]);
        assert!(thread_keeps_scanner_of(&second) && !thread_keeps_scanner_of(&first));
    }

    #[test]
    fn a_nested_scan_and_another_thread_get_scanners_of_their_own() {
        let set = rules(r#"rule gamma { strings: $a = "gamma" condition: $a }"#);
        let nested = with_thread_scanner(&set, |outer| {
            let inner = with_thread_scanner(&set, |inner| matching(inner, b"gamma"));
            (matching(outer, b"no"), inner)
        });
        assert_eq!(nested, (Vec::<String>::new(), vec!["gamma".to_string()]));
        let other = Arc::clone(&set);
        let (found, kept) =
            std::thread::spawn(move || (with_thread_scanner(&other, |s| matching(s, b"gamma")), thread_keeps_scanner_of(&other)))
                .join()
                .unwrap();
        assert_eq!((found, kept), (vec!["gamma".to_string()], true));
    }
}
