//! Storing one report and its facts. The caller owns the transaction, so a batch of reports (and
//! the queue's job updates) commit together or not at all.
use fcas_report::{Report, Severity};
use rusqlite::{params, Connection, OptionalExtension};

use crate::keys::PendingKeys;
use crate::{codec, similarity, Result, StoreError};

/// Where a stored report went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inserted {
    /// Row id of the sample.
    pub sample_id: i64,
    /// Row id of the new report.
    pub report_id: i64,
    /// True when the sample was not in the store before.
    pub new_sample: bool,
}

/// The models a report's predictions came from (see [`fcas_report::models_version_of`]).
pub fn models_version(report: &Report) -> String {
    report.models_version()
}

/// Inserts `report` (sample, names, report body, facts, similarity keys) inside the caller's
/// transaction.
pub(crate) fn insert_report(conn: &Connection, report: &Report, analysed_at: i64) -> Result<Inserted> {
    let mut keys = PendingKeys::default();
    let inserted = insert_encoded_report(conn, &mut keys, report, &codec::encode(report)?, analysed_at)?;
    keys.write(conn)?;
    Ok(inserted)
}

/// Like [`insert_report`] with the body already encoded by [`codec::encode`] (the writer's
/// callers do that on their own threads, so the single writer only runs SQL). `report`'s strings
/// are not read: the full-text index reads them from the body ([`crate::fulltext`]). The rows of
/// the tables keyed by name or gram go to `keys`, which the caller writes before its commit.
pub(crate) fn insert_encoded_report(
    conn: &Connection,
    keys: &mut PendingKeys,
    report: &Report,
    body: &[u8],
    analysed_at: i64,
) -> Result<Inserted> {
    let Some(sha256) = sha256_key(&report.hashes.sha256) else {
        return Err(StoreError::MissingSha256 { path: report.path.clone(), found: report.hashes.sha256.clone() });
    };
    let (sample_id, new_sample) = upsert_sample(conn, keys, report, &sha256, analysed_at)?;
    record_name(conn, sample_id, &report.path, analysed_at)?;
    let report_id = insert_report_row(conn, sample_id, report, body, analysed_at)?;
    conn.prepare_cached("UPDATE samples SET latest_report_id = ?2 WHERE id = ?1")?.execute(params![sample_id, report_id])?;
    insert_facts(conn, keys, report_id, report)?;
    if new_sample {
        similarity::index::add(conn, keys, sample_id, report.hashes.ssdeep.as_deref(), report.hashes.tlsh.as_deref())?;
    }
    Ok(Inserted { sample_id, report_id, new_sample })
}

/// `text` as samples are keyed: a SHA-256 in lowercase hex; `None` when it is not one.
pub(crate) fn sha256_key(text: &str) -> Option<String> {
    let sha256 = text.trim().to_ascii_lowercase();
    (sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit())).then_some(sha256)
}

/// Records that the sample `sha256` was seen again under `path` without a new report.
pub(crate) fn record_sighting(conn: &Connection, sample_id: i64, path: &str, seen_at: i64) -> Result<()> {
    conn.prepare_cached("UPDATE samples SET last_seen = max(last_seen, ?2) WHERE id = ?1")?.execute(params![sample_id, seen_at])?;
    record_name(conn, sample_id, path, seen_at)
}

fn non_empty(text: &str) -> Option<&str> {
    Some(text.trim()).filter(|t| !t.is_empty())
}

fn upsert_sample(conn: &Connection, keys: &mut PendingKeys, report: &Report, sha256: &str, seen_at: i64) -> Result<(i64, bool)> {
    let hashes = &report.hashes;
    let imphash = report.pe.as_ref().and_then(|pe| non_empty(&pe.imphash)).map(str::to_ascii_lowercase);
    let ssdeep = hashes.ssdeep.as_deref().and_then(non_empty);
    let tlsh = hashes.tlsh.as_deref().and_then(non_empty);
    let (sha1, md5, sha512) = (hashes.sha1.to_ascii_lowercase(), hashes.md5.to_ascii_lowercase(), hashes.sha512.to_ascii_lowercase());
    let format = report.format.as_str();
    // Most reports are of new samples: try the insert first, so they cost one statement.
    let inserted = conn
        .prepare_cached(
            "INSERT INTO samples (sha256, sha1, md5, sha512, size, format, file_type, mime, ssdeep, tlsh, imphash, first_seen, last_seen)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)
             ON CONFLICT (sha256) DO NOTHING",
        )?
        .execute(params![
            sha256,
            sha1,
            md5,
            sha512,
            report.size as i64,
            format,
            report.file_type.description,
            report.file_type.mime,
            ssdeep,
            tlsh,
            imphash,
            seen_at,
        ])?;
    if inserted == 1 {
        return Ok((conn.last_insert_rowid(), true));
    }
    let (sample_id, old_ssdeep, old_tlsh): (i64, Option<String>, Option<String>) = conn
        .prepare_cached("SELECT id, ssdeep, tlsh FROM samples WHERE sha256 = ?1")?
        .query_row([sha256], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
    // A newer engine may know more about the same bytes: fill what was missing, keep the rest.
    conn.prepare_cached(
        "UPDATE samples SET
            last_seen = max(last_seen, ?2), first_seen = min(first_seen, ?2),
            sha1 = CASE WHEN sha1 = '' THEN ?3 ELSE sha1 END,
            md5 = CASE WHEN md5 = '' THEN ?4 ELSE md5 END,
            sha512 = CASE WHEN sha512 = '' THEN ?5 ELSE sha512 END,
            format = ?6, file_type = ?7, mime = ?8,
            ssdeep = coalesce(ssdeep, ?9), tlsh = coalesce(tlsh, ?10), imphash = coalesce(?11, imphash)
         WHERE id = ?1",
    )?
    .execute(params![
        sample_id,
        seen_at,
        sha1,
        md5,
        sha512,
        format,
        report.file_type.description,
        report.file_type.mime,
        ssdeep,
        tlsh,
        imphash,
    ])?;
    let gained_fuzzy_hash = (old_ssdeep.is_none() && ssdeep.is_some()) || (old_tlsh.is_none() && tlsh.is_some());
    if gained_fuzzy_hash {
        similarity::index::add(conn, keys, sample_id, ssdeep.filter(|_| old_ssdeep.is_none()), tlsh.filter(|_| old_tlsh.is_none()))?;
    }
    Ok((sample_id, false))
}

/// Keeps the file name (not the analyst's folder) under which the sample was seen.
fn record_name(conn: &Connection, sample_id: i64, path: &str, seen_at: i64) -> Result<()> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    if name.is_empty() {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO sample_names (sample_id, name, first_seen, last_seen) VALUES (?1, ?2, ?3, ?3)
         ON CONFLICT (sample_id, name) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)",
    )?
    .execute(params![sample_id, name, seen_at])?;
    Ok(())
}

fn insert_report_row(conn: &Connection, sample_id: i64, report: &Report, body: &[u8], analysed_at: i64) -> Result<i64> {
    let worker = report.provenance.worker.as_deref().and_then(non_empty).unwrap_or("local");
    let verdict = report.verdict.as_ref().map(|v| v.label.as_str()).and_then(non_empty);
    let score = report.verdict.as_ref().and_then(|v| v.score);
    conn.prepare_cached(
        "INSERT INTO reports (sample_id, analysed_at, engine_version, models_version, worker, verdict, score,
                              schema_version, error_count, body_encoding, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        sample_id,
        analysed_at,
        report.engine_version,
        models_version(report),
        worker,
        verdict,
        score,
        report.schema_version,
        report.errors.len() as i64,
        codec::ENCODING,
        body,
    ])?;
    Ok(conn.last_insert_rowid())
}

fn insert_facts(conn: &Connection, keys: &mut PendingKeys, report_id: i64, report: &Report) -> Result<()> {
    if let Some(pe) = &report.pe {
        let mut section =
            conn.prepare_cached("INSERT OR IGNORE INTO sections (report_id, position, name, entropy) VALUES (?1, ?2, ?3, ?4)")?;
        for (position, s) in pe.sections.iter().enumerate() {
            section.execute(params![report_id, position as i64, s.name, s.entropy.is_finite().then_some(s.entropy)])?;
        }
        // Delay-loaded imports are imports too: an analyst asking for an API wants both.
        for import in pe.imports.iter().chain(&pe.delay_imports) {
            if import.functions.is_empty() {
                insert_import(conn, keys, report_id, &import.dll, "")?;
            }
            for function in &import.functions {
                insert_import(conn, keys, report_id, &import.dll, function)?;
            }
        }
        for name in pe.exports.iter().filter_map(|e| e.name.as_deref()) {
            insert_export(conn, keys, report_id, name)?;
        }
    }
    let elf_libraries = report.elf.iter().flat_map(|elf| elf.libraries.iter());
    let macho_libraries = report.macho.iter().flat_map(|m| m.slices.iter()).flat_map(|s| s.libraries.iter());
    for library in elf_libraries.chain(macho_libraries) {
        insert_import(conn, keys, report_id, library, "")?;
    }
    let mut indicator = conn.prepare_cached(
        "INSERT OR IGNORE INTO indicators (indicator_id, report_id, severity, title, attack_id) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for found in &report.indicators {
        indicator.execute(params![found.id, report_id, severity_name(found.severity), found.title, found.attack_id])?;
    }
    let mut prediction =
        conn.prepare_cached("INSERT OR REPLACE INTO predictions (report_id, model, version, score, label) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    for p in &report.predictions {
        prediction.execute(params![report_id, p.model, p.version, p.score.filter(|s| s.is_finite()), p.label])?;
    }
    Ok(())
}

fn insert_import(conn: &Connection, keys: &mut PendingKeys, report_id: i64, dll: &str, function: &str) -> Result<()> {
    let dll = dll.trim();
    if dll.is_empty() && function.is_empty() {
        return Ok(());
    }
    let existing: Option<i64> = conn
        .prepare_cached("SELECT id FROM import_names WHERE function = ?1 AND dll = ?2")?
        .query_row(params![function, dll], |row| row.get(0))
        .optional()?;
    let name_id = match existing {
        Some(id) => id,
        None => {
            conn.prepare_cached("INSERT INTO import_names (dll, function) VALUES (?1, ?2)")?.execute(params![dll, function])?;
            conn.last_insert_rowid()
        }
    };
    keys.import(name_id, report_id);
    Ok(())
}

fn insert_export(conn: &Connection, keys: &mut PendingKeys, report_id: i64, name: &str) -> Result<()> {
    let existing: Option<i64> =
        conn.prepare_cached("SELECT id FROM export_names WHERE name = ?1")?.query_row([name], |row| row.get(0)).optional()?;
    let name_id = match existing {
        Some(id) => id,
        None => {
            conn.prepare_cached("INSERT INTO export_names (name) VALUES (?1)")?.execute([name])?;
            conn.last_insert_rowid()
        }
    };
    keys.export(name_id, report_id);
    Ok(())
}

/// The lowercase name of a severity, as stored and printed.
pub(crate) fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Info => "info",
        Severity::Low => "low",
        Severity::Medium => "medium",
        Severity::High => "high",
    }
}
