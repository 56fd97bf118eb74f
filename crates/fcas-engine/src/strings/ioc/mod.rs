//! Indicators of compromise in extracted strings: network addresses, paths, registry keys,
//! crypto-wallet addresses and base64 blobs.
//!
//! Matching runs over the extracted strings (never raw bytes) with the `regex` crate, whose
//! matching time is linear in the input. Each candidate is then validated by code (octet
//! ranges, a TLD whitelist, checksums) so that matches are few and meaningful.
use std::collections::HashMap;

use fcas_report::Ioc;

pub mod base58;
pub mod bech32;
mod kinds;
mod tld;

/// Distinct IOCs with their first offset and occurrence count, bounded by a cap.
pub(crate) struct Collector {
    max: usize,
    found: Vec<Ioc>,
    index: HashMap<(&'static str, String), usize>,
    /// Occurrences of distinct values that arrived after the cap.
    dropped: u64,
}

impl Collector {
    /// An empty collector keeping at most `max` distinct IOCs.
    pub(crate) fn new(max: usize) -> Self {
        Self { max, found: Vec::new(), index: HashMap::new(), dropped: 0 }
    }

    /// Records the IOCs in `text`, a string found at file offset `base` whose characters take
    /// `bytes_per_char` bytes each in the file.
    pub(crate) fn scan(&mut self, text: &str, base: u64, bytes_per_char: u64) {
        kinds::find_all(text, &mut |kind, position, value| {
            let offset = base.saturating_add((position as u64).saturating_mul(bytes_per_char));
            self.record(kind, value, offset);
        });
    }

    fn record(&mut self, kind: &'static str, value: &str, offset: u64) {
        if let Some(&at) = self.index.get(&(kind, value.to_string())) {
            if let Some(ioc) = self.found.get_mut(at) {
                ioc.count += 1;
                // Passes run per encoding, so a later pass may see an earlier occurrence.
                ioc.offset = ioc.offset.min(offset);
            }
            return;
        }
        if self.found.len() >= self.max {
            self.dropped += 1;
            return;
        }
        self.index.insert((kind, value.to_string()), self.found.len());
        self.found.push(Ioc { kind: kind.to_string(), value: value.to_string(), offset, count: 1, source: None });
    }

    /// The IOCs in order of first offset, and how many occurrences the cap left out.
    pub(crate) fn finish(self) -> (Vec<Ioc>, u64) {
        let mut found = self.found;
        found.sort_by_key(|ioc| ioc.offset);
        (found, self.dropped)
    }
}

/// The IOCs of one string, with their byte positions in it (for tests and other callers that
/// hold a single string).
pub fn find_in(text: &str) -> Vec<(&'static str, usize, String)> {
    let mut found = Vec::new();
    kinds::find_all(text, &mut |kind, position, value| found.push((kind, position, value.to_string())));
    found
}
