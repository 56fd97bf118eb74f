//! Finding runs of characters of one encoding, in one linear pass.
//!
//! A run of at least `min` characters starting anywhere in `[i, i + (min-1)*step]` must contain
//! the character at `probe = i + (min-1)*step`; when that one is not a character, the whole
//! window is skipped. On binary data most probes fail, so the scan reads roughly one byte in
//! `min` and stays linear (each byte is looked at a bounded number of times).
use crate::Deadline;

/// Bytes scanned between two looks at the deadline.
const DEADLINE_EVERY: usize = 4 << 20;

/// One character encoding the scanner can look for.
pub(crate) trait Unit {
    /// Bytes per character.
    const STEP: usize;
    /// True when a whole character of this encoding starts at `at`.
    fn is_char(bytes: &[u8], at: usize) -> bool;
}

/// Printable ASCII and tab, as `strings` counts them.
pub(crate) static PRINTABLE: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0x20;
    while byte < 0x7f {
        table[byte] = true;
        byte += 1;
    }
    table[b'\t' as usize] = true;
    table
};

/// How a scan ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scan {
    /// Every byte was scanned.
    Complete,
    /// The deadline passed at this offset.
    Expired(usize),
}

/// Calls `on_run(offset, chars)` for every maximal run of at least `min` characters of `U`
/// that starts at an offset congruent to `first` modulo the character size, in file order.
pub(crate) fn runs<U: Unit>(bytes: &[u8], first: usize, min: usize, deadline: &Deadline, mut on_run: impl FnMut(usize, usize)) -> Scan {
    let step = U::STEP;
    let span = step * (min.max(1) - 1);
    let mut at = first;
    let mut next_check = DEADLINE_EVERY;
    while let Some(probe) = at.checked_add(span).filter(|&probe| probe < bytes.len()) {
        if at >= next_check {
            if deadline.expired() {
                return Scan::Expired(at);
            }
            next_check = at.saturating_add(DEADLINE_EVERY);
        }
        if !U::is_char(bytes, probe) {
            at = probe + step;
            continue;
        }
        // `at - step` is never a character (it is the start or just after a non-character),
        // so walking back from the probe stops at the true start of the run.
        let mut start = probe;
        while start >= at + step && U::is_char(bytes, start - step) {
            start -= step;
        }
        let mut end = probe + step;
        while U::is_char(bytes, end) {
            end += step;
        }
        let chars = (end - start) / step;
        if chars >= min {
            on_run(start, chars);
        }
        at = end + step;
    }
    Scan::Complete
}
