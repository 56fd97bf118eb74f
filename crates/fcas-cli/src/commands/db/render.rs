//! Printing query results: JSON as is, or a few aligned columns for a person.
use std::io::{self, Write};

use fcas_store::query::SampleSummary;
use fcas_store::{format_unix_time, Result, StoreError};
use serde::Serialize;

use crate::exit::Exit;

/// Writes `value` as pretty JSON on standard output.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value).map_err(|e| output_error(e.into()))?;
    writeln!(out).map_err(output_error)
}

/// Standard output failed (a closed pipe is reported like any other write error).
pub fn output_error(source: io::Error) -> StoreError {
    StoreError::Io { path: "standard output".into(), source }
}

/// One line per sample: hash, format, size, verdict, first name and tags.
pub fn sample_line(sample: &SampleSummary) -> String {
    let name = sample.names.first().map(|n| printable(n)).unwrap_or_else(|| "-".into());
    let verdict = sample.verdict.as_deref().unwrap_or("-");
    let tags = if sample.tags.is_empty() { String::new() } else { format!("  [{}]", printable(&sample.tags.join(", "))) };
    format!("{}  {:<7} {:>10}  {:<10} {}{}", sample.sha256, sample.format, sample.size, verdict, name, tags)
}

/// Prints samples (JSON array or lines); "not found" exit code when there are none.
pub fn print_samples(samples: &[SampleSummary], json: bool, what: &str) -> Result<Exit> {
    if json {
        print_json(samples)?;
    } else {
        let mut out = io::stdout().lock();
        for sample in samples {
            writeln!(out, "{}", sample_line(sample)).map_err(output_error)?;
        }
    }
    if samples.is_empty() {
        eprintln!("fcas: no stored sample matches {what}");
        return Ok(Exit::NotFound);
    }
    Ok(Exit::Success)
}

/// A Unix time for a person.
pub fn when(seconds: i64) -> String {
    format_unix_time(seconds)
}

/// `text` with control characters escaped: names and strings come from hostile files and must
/// not drive the analyst's terminal.
pub fn printable(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
}
