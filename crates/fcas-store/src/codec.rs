//! How a full report is kept in `reports.body`: its compact form (see [`crate::compact`]: the
//! JSON without the strings and entropy profile, those in binary columns) compressed with zstd
//! and a dictionary trained on reports (see [`crate::dictionary`]), named by
//! `reports.body_encoding`.
//!
//! zstd alone shrinks a report's JSON about six times (engine reports of the corpus: 215 kB to
//! 35.6 kB) in about the time serialising the JSON takes, on the thread that sends the report to
//! the writer; the compact form takes a further fifth off (docs/BENCHMARKS.md, store). Bodies of
//! earlier versions (`json+zstd`, `json`) still decode; migration 7
//! re-encodes them (see [`crate::reencode`]).
use std::cell::RefCell;
use std::io::Read;

use fcas_report::{Report, StringsReport};
use rusqlite::{Connection, OptionalExtension};

use crate::compact::{self, Columns};
use crate::{dictionary, Result, StoreError};

/// Value of `reports.body_encoding` for bodies written by this module: the compact form, zstd
/// with dictionary [`dictionary::CURRENT_ID`].
pub const ENCODING: &str = "compact+zstd-dict:1";
/// Prefix of the compact form with a dictionary; the dictionary's id follows.
const COMPACT_PREFIX: &str = "compact+zstd-dict:";
/// Bodies of schema versions before 7: JSON and zstd without a dictionary.
pub const PLAIN_ZSTD: &str = "json+zstd";
/// Uncompressed JSON (never written, accepted when read).
pub const PLAIN_JSON: &str = "json";

/// A decoded body larger than this is treated as damage rather than read into memory.
const MAX_DECODED_BYTES: u64 = 512 * 1024 * 1024;

/// Encodes and compresses `report`.
pub fn encode(report: &Report) -> Result<Vec<u8>> {
    let encode_error = |reason: String| StoreError::Encode { path: report.path.clone(), reason };
    // `known` is read-time information (see `Store::load_report`), never part of a stored body.
    let compact =
        if report.known.is_empty() { compact::encode(report) } else { compact::encode(&Report { known: Vec::new(), ..report.clone() }) }
            .map_err(encode_error)?;
    compress(&compact).map_err(encode_error)
}

/// Compresses a body's compact form as [`ENCODING`] says.
fn compress(bytes: &[u8]) -> std::result::Result<Vec<u8>, String> {
    // One compression context per thread: making one costs more than compressing a small report.
    thread_local! {
        static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> = const { RefCell::new(None) };
    }
    COMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        let compressor = match cell.as_mut() {
            Some(compressor) => compressor,
            None => cell.insert(zstd::bulk::Compressor::with_prepared_dictionary(dictionary::encoder()).map_err(|e| e.to_string())?),
        };
        // The buffer is allocated at zstd's worst-case size (about the input's): kept as it
        // is, each body waiting for a commit would hold five times its length.
        let mut body = compressor.compress(bytes).map_err(|e| e.to_string())?;
        body.shrink_to_fit();
        Ok(body)
    })
}

/// A body decompressed: JSON, or the compact form.
struct Decompressed {
    bytes: Vec<u8>,
    compact: bool,
}

/// Decompresses a body of any encoding this version or an earlier one wrote, to at most
/// [`MAX_DECODED_BYTES`].
fn decompress(conn: &Connection, report_id: i64, encoding: &str, body: &[u8]) -> Result<Decompressed> {
    let corrupt = |reason: String| StoreError::CorruptReport { report_id, reason };
    let with_dictionary = |id: &str| -> Result<Vec<u8>> {
        let id: i64 = id.parse().map_err(|_| corrupt(format!("unknown body encoding {encoding:?}")))?;
        let prepared = dictionary::decoder(conn, id, report_id)?;
        let decoder = zstd::stream::read::Decoder::with_prepared_dictionary(body, &prepared).map_err(|e| corrupt(e.to_string()))?;
        let mut bytes = Vec::new();
        decoder.take(MAX_DECODED_BYTES).read_to_end(&mut bytes).map_err(|e| corrupt(e.to_string()))?;
        Ok(bytes)
    };
    if let Some(id) = encoding.strip_prefix(COMPACT_PREFIX) {
        return Ok(Decompressed { bytes: with_dictionary(id)?, compact: true });
    }
    let bytes = if encoding == PLAIN_ZSTD {
        let decoder = zstd::stream::read::Decoder::new(body).map_err(|e| corrupt(e.to_string()))?;
        let mut bytes = Vec::new();
        decoder.take(MAX_DECODED_BYTES).read_to_end(&mut bytes).map_err(|e| corrupt(e.to_string()))?;
        bytes
    } else if encoding == PLAIN_JSON {
        body.to_vec()
    } else {
        return Err(corrupt(format!("unknown body encoding {encoding:?}")));
    };
    Ok(Decompressed { bytes, compact: false })
}

/// Decodes a body as `T` (the whole report, or a part of it: serde skips the rest, much cheaper
/// than building the whole report), then gives `restore` the compact form's columns.
fn decode_as<T: serde::de::DeserializeOwned>(
    conn: &Connection,
    report_id: i64,
    encoding: &str,
    body: &[u8],
    restore: impl FnOnce(&mut T, Columns),
) -> Result<T> {
    let corrupt = |reason: String| StoreError::CorruptReport { report_id, reason };
    let decompressed = decompress(conn, report_id, encoding, body)?;
    if !decompressed.compact {
        return serde_json::from_slice(&decompressed.bytes).map_err(|e| corrupt(e.to_string()));
    }
    let (json, columns) = compact::decode(&decompressed.bytes).map_err(corrupt)?;
    let mut value: T = serde_json::from_slice(json).map_err(|e| corrupt(e.to_string()))?;
    restore(&mut value, columns);
    Ok(value)
}

/// Decodes a body of any encoding as the whole report.
pub(crate) fn decode_report(conn: &Connection, report_id: i64, encoding: &str, body: &[u8]) -> Result<Report> {
    decode_as(conn, report_id, encoding, body, |report: &mut Report, columns| columns.restore(report))
}

/// Loads and decodes report `report_id`.
pub fn load(conn: &Connection, report_id: i64) -> Result<Report> {
    let (encoding, body) = load_row(conn, report_id)?;
    decode_report(conn, report_id, &encoding, &body)
}

/// Only the strings of a report.
#[derive(serde::Deserialize)]
struct StringsOnly {
    #[serde(default)]
    strings: StringsReport,
}

/// Loads only the strings and IOCs of report `report_id`.
pub fn load_strings(conn: &Connection, report_id: i64) -> Result<StringsReport> {
    let (encoding, body) = load_row(conn, report_id)?;
    decode_as(conn, report_id, &encoding, &body, |only: &mut StringsOnly, columns| only.strings.items = columns.strings)
        .map(|only| only.strings)
}

fn load_row(conn: &Connection, report_id: i64) -> Result<(String, Vec<u8>)> {
    let row: Option<(String, Vec<u8>)> = conn
        .prepare_cached("SELECT body_encoding, body FROM reports WHERE id = ?1")?
        .query_row([report_id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    row.ok_or_else(|| StoreError::NotFound { query: format!("report {report_id}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_holds_no_more_memory_than_its_bytes() {
        let mut report = Report { schema_version: fcas_report::SCHEMA_VERSION, ..Report::default() };
        report.strings.items = (0..2000)
            .map(|n| fcas_report::FoundString { offset: n * 8, encoding: "ascii".into(), value: format!("string number {n}") })
            .collect();
        let body = encode(&report).expect("encode");
        // zstd's output buffer starts at its worst case, about the input's size (here several
        // times the body's).
        assert!(body.capacity() <= body.len() + body.len() / 8, "{} bytes held for {}", body.capacity(), body.len());
    }
}
