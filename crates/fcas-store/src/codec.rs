//! How a full report is kept in `reports.body`: JSON compressed with zstd.
//!
//! zstd shrinks a report about six times (engine reports of the corpus: 213 kB of JSON to 35 kB)
//! in about a tenth of the time serialising the JSON takes, on the thread that sends the report
//! to the writer, so every body is compressed. Level 1 compresses these as well as level 3 and
//! faster (docs/bench/store.md).
use std::io::Read;

use fcas_report::{Report, StringsReport};
use rusqlite::{Connection, OptionalExtension};

use crate::{Result, StoreError};

/// Value of `reports.body_encoding` for bodies written by this module.
pub const ENCODING: &str = "json+zstd";

const LEVEL: i32 = 1;

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
    zstd::bulk::compress(&json, LEVEL).map_err(|e| encode_error(e.to_string()))
}

/// Decompresses a body of the given encoding and parses it as `T`: the whole report, or a part
/// of it (serde skips the rest, much cheaper than building the whole report).
fn decode_as<T: serde::de::DeserializeOwned>(report_id: i64, encoding: &str, body: &[u8]) -> Result<T> {
    let corrupt = |reason: String| StoreError::CorruptReport { report_id, reason };
    let json = match encoding {
        ENCODING => {
            let decoder = zstd::stream::read::Decoder::new(body).map_err(|e| corrupt(e.to_string()))?;
            let mut json = Vec::new();
            decoder.take(MAX_DECODED_BYTES).read_to_end(&mut json).map_err(|e| corrupt(e.to_string()))?;
            json
        }
        "json" => body.to_vec(),
        other => return Err(corrupt(format!("unknown body encoding {other:?}"))),
    };
    serde_json::from_slice(&json).map_err(|e| corrupt(e.to_string()))
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
    decode_as(report_id, &encoding, &body)
}
