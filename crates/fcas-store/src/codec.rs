//! How a full report is kept in `reports.body`: JSON compressed with zstd and a dictionary
//! trained on reports (see [`crate::dictionary`]), named by `reports.body_encoding`.
//!
//! zstd alone shrinks a report about six times (engine reports of the corpus: 213 kB of JSON to
//! 35 kB) in about a tenth of the time serialising the JSON takes, on the thread that sends the
//! report to the writer; the dictionary takes off what every report repeats
//! (docs/BENCHMARKS.md, store). Bodies of earlier versions (`json+zstd`, `json`) still decode;
//! migration 7 re-encodes them (see [`crate::reencode`]).
use std::cell::RefCell;
use std::io::Read;

use fcas_report::{Report, StringsReport};
use rusqlite::{Connection, OptionalExtension};

use crate::{dictionary, Result, StoreError};

/// Value of `reports.body_encoding` for bodies written by this module: JSON, zstd with
/// dictionary [`dictionary::CURRENT_ID`].
pub const ENCODING: &str = "json+zstd-dict:1";
/// Prefix of an encoding with a dictionary; the dictionary's id follows.
const DICTIONARY_PREFIX: &str = "json+zstd-dict:";
/// Bodies of schema versions before 7: JSON and zstd without a dictionary.
pub const PLAIN_ZSTD: &str = "json+zstd";
/// Uncompressed JSON (never written, accepted when read).
pub const PLAIN_JSON: &str = "json";

/// A decoded body larger than this is treated as damage rather than read into memory.
const MAX_DECODED_BYTES: u64 = 512 * 1024 * 1024;

/// Serialises and compresses `report`.
pub fn encode(report: &Report) -> Result<Vec<u8>> {
    let encode_error = |reason: String| StoreError::Encode { path: report.path.clone(), reason };
    // `known` is read-time information (see `Store::load_report`), never part of a stored body.
    let json = if report.known.is_empty() {
        serde_json::to_vec(report)
    } else {
        serde_json::to_vec(&Report { known: Vec::new(), ..report.clone() })
    }
    .map_err(|e| encode_error(e.to_string()))?;
    compress_json(&json).map_err(encode_error)
}

/// Compresses a report's JSON as [`ENCODING`] says.
pub(crate) fn compress_json(json: &[u8]) -> std::result::Result<Vec<u8>, String> {
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
        compressor.compress(json).map_err(|e| e.to_string())
    })
}

/// Decompresses a body of the given encoding and parses it as `T`: the whole report, or a part
/// of it (serde skips the rest, much cheaper than building the whole report).
fn decode_as<T: serde::de::DeserializeOwned>(conn: &Connection, report_id: i64, encoding: &str, body: &[u8]) -> Result<T> {
    let json = decode_json(conn, report_id, encoding, body)?;
    serde_json::from_slice(&json).map_err(|e| StoreError::CorruptReport { report_id, reason: e.to_string() })
}

/// The JSON of a body of any encoding this version or an earlier one wrote, at most
/// [`MAX_DECODED_BYTES`] long.
pub(crate) fn decode_json(conn: &Connection, report_id: i64, encoding: &str, body: &[u8]) -> Result<Vec<u8>> {
    let corrupt = |reason: String| StoreError::CorruptReport { report_id, reason };
    let mut json = Vec::new();
    if let Some(id) = encoding.strip_prefix(DICTIONARY_PREFIX) {
        let id: i64 = id.parse().map_err(|_| corrupt(format!("unknown body encoding {encoding:?}")))?;
        let prepared = dictionary::decoder(conn, id, report_id)?;
        let decoder = zstd::stream::read::Decoder::with_prepared_dictionary(body, &prepared).map_err(|e| corrupt(e.to_string()))?;
        decoder.take(MAX_DECODED_BYTES).read_to_end(&mut json).map_err(|e| corrupt(e.to_string()))?;
    } else if encoding == PLAIN_ZSTD {
        let decoder = zstd::stream::read::Decoder::new(body).map_err(|e| corrupt(e.to_string()))?;
        decoder.take(MAX_DECODED_BYTES).read_to_end(&mut json).map_err(|e| corrupt(e.to_string()))?;
    } else if encoding == PLAIN_JSON {
        json = body.to_vec();
    } else {
        return Err(corrupt(format!("unknown body encoding {encoding:?}")));
    }
    Ok(json)
}

/// Loads and decodes report `report_id`.
pub fn load(conn: &Connection, report_id: i64) -> Result<Report> {
    load_as(conn, report_id)
}

/// Only the strings of a report.
#[derive(serde::Deserialize)]
struct StringsOnly {
    #[serde(default)]
    strings: StringsReport,
}

/// Loads only the strings and IOCs of report `report_id`.
pub fn load_strings(conn: &Connection, report_id: i64) -> Result<StringsReport> {
    load_as::<StringsOnly>(conn, report_id).map(|only| only.strings)
}

fn load_as<T: serde::de::DeserializeOwned>(conn: &Connection, report_id: i64) -> Result<T> {
    let row: Option<(String, Vec<u8>)> = conn
        .prepare_cached("SELECT body_encoding, body FROM reports WHERE id = ?1")?
        .query_row([report_id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let (encoding, body) = row.ok_or_else(|| StoreError::NotFound { query: format!("report {report_id}") })?;
    decode_as(conn, report_id, &encoding, &body)
}
