//! Printable strings (ASCII and UTF-16LE) and the indicators of compromise in them.
//!
//! Three linear passes (ASCII, then UTF-16LE at even and at odd offsets) feed one [`Sink`]
//! that counts every string, keeps the first `max_strings` of each pass, and hands every
//! string (kept or not) to the IOC extractor. The kept strings are merged into file order.
use fcas_report::{FoundString, StringsReport};

use crate::{Deadline, Limits};

mod ascii;
pub mod ioc;
mod scan;
mod utf16;

use scan::{runs, Scan};

/// Where the strings of one pass go.
struct Sink<'a> {
    limits: &'a Limits,
    kept: Vec<FoundString>,
    total: u64,
    iocs: ioc::Collector,
    /// Reused for every string, so that strings past the cap cost no allocation.
    scratch: String,
}

impl Sink<'_> {
    /// Takes the string now in `scratch`, found at `offset`.
    fn take(&mut self, offset: usize, encoding: &'static str, bytes_per_char: u64) {
        self.total += 1;
        self.iocs.scan(&self.scratch, offset as u64, bytes_per_char);
        if self.kept.len() < self.limits.max_strings {
            self.kept.push(FoundString { offset: offset as u64, encoding: encoding.to_string(), value: self.scratch.clone() });
        }
    }
}

/// Extracts strings and IOCs from `bytes`. Limits reached are pushed to `notes`.
pub fn extract(bytes: &[u8], limits: &Limits, deadline: Deadline, notes: &mut Vec<String>) -> StringsReport {
    let min = limits.min_string_len.max(1);
    let max_chars = limits.max_string_chars;
    let mut sink = Sink { limits, kept: Vec::new(), total: 0, iocs: ioc::Collector::new(limits.max_iocs), scratch: String::new() };
    let mut passes: Vec<Vec<FoundString>> = Vec::with_capacity(3);
    let mut long_runs = 0u64;

    let mut ended = runs::<ascii::Ascii>(bytes, 0, min, &deadline, |offset, chars| {
        long_runs += u64::from(chars > max_chars);
        ascii::decode(bytes, offset, chars.min(max_chars), &mut sink.scratch);
        sink.take(offset, "ascii", 1);
    });
    passes.push(std::mem::take(&mut sink.kept));
    for parity in [0, 1] {
        if ended != Scan::Complete {
            break;
        }
        ended = runs::<utf16::Utf16Le>(bytes, parity, min, &deadline, |offset, chars| {
            long_runs += u64::from(chars > max_chars);
            utf16::decode(bytes, offset, chars.min(max_chars), &mut sink.scratch);
            sink.take(offset, "utf16le", 2);
        });
        passes.push(std::mem::take(&mut sink.kept));
    }

    if let Scan::Expired(at) = ended {
        notes.push(format!("string extraction ran out of time at offset {at}; strings after it (and UTF-16 strings if the ASCII pass did not finish) are missing"));
    }
    if long_runs > 0 {
        notes.push(format!("{long_runs} strings were longer than {max_chars} characters and were cut"));
    }
    // Sized once: collecting the passes grew the list by doubling, and the spare room stayed
    // with the report (a container's descendants are all held until its submission ends).
    let mut items: Vec<FoundString> = Vec::with_capacity(passes.iter().map(Vec::len).sum());
    items.extend(passes.into_iter().flatten());
    items.sort_by_key(|item| item.offset);
    items.truncate(limits.max_strings);
    items.shrink_to_fit();
    let truncated = sink.total > items.len() as u64;
    if truncated {
        notes.push(format!("{} strings found, only the first {} are listed", sink.total, items.len()));
    }
    let (iocs, iocs_dropped) = sink.iocs.finish();
    if iocs_dropped > 0 {
        notes.push(format!("IOC list cut at {} distinct values; {iocs_dropped} more occurrences were not listed", limits.max_iocs));
    }
    StringsReport { items, total: sink.total, truncated, iocs_truncated: iocs_dropped > 0, iocs }
}
