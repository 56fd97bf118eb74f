//! Exporting samples: each selected sample's bytes are taken from the case store's vault when
//! it keeps them, else found again (its file, or inside the containers of its lineage), and
//! written to a ZIP encrypted with AES-256, never plain. The CLI's `fcas vault export` and
//! `fcas db export-samples` and the app's export all call this.
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use fcas_engine::extract::pack::{EncryptedZip, PackError};
use fcas_engine::Options;
use fcas_store::Store;
use serde::Serialize;

/// What an export wrote and what it could not.
#[derive(Debug, Default, Serialize)]
pub struct SampleExport {
    /// SHA-256s written.
    pub written: Vec<String>,
    /// SHA-256s not written, each with the reason.
    pub missing: Vec<(String, String)>,
}

/// Writes the samples `sha256s` into a new encrypted ZIP at `out` (created with mode 0600).
/// A sample whose bytes cannot be found again is listed in `missing`; the others are written.
pub fn export_samples(store: &Store, sha256s: &[String], password: &str, out: &Path) -> Result<SampleExport, String> {
    // Refused before the file is made: an empty password must not leave an empty file behind.
    if password.is_empty() {
        return Err(PackError::EmptyPassword.to_string());
    }
    let file = create_private(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut zip = EncryptedZip::new(BufWriter::new(file), password).map_err(|e| e.to_string())?;
    let options = Options::default();
    let mut export = SampleExport::default();
    for sha256 in sha256s {
        // A damaged vault file is said only when the original cannot be found either.
        let vault_problem = match from_vault(store, sha256) {
            Ok(Some(bytes)) => {
                let sha256 = sha256.to_ascii_lowercase();
                zip.add(&sha256, &bytes).map_err(|e: PackError| e.to_string())?;
                export.written.push(sha256);
                continue;
            }
            Ok(None) => String::new(),
            Err(error) => format!("{error}; "),
        };
        let stored = match store.stored_sample(sha256) {
            Ok(Some(stored)) => stored,
            Ok(None) => {
                export.missing.push((sha256.clone(), format!("{vault_problem}no report of it is stored and the vault does not keep it")));
                continue;
            }
            Err(error) => {
                export.missing.push((sha256.clone(), format!("{vault_problem}{error}")));
                continue;
            }
        };
        let report = &stored.report;
        let options = with_container_passwords(store, &report.lineage, &options);
        match fcas_engine::locate(&report.path, &report.lineage, &report.hashes.sha256, &options) {
            Ok(bytes) => {
                zip.add(&report.hashes.sha256, &bytes).map_err(|e: PackError| e.to_string())?;
                export.written.push(report.hashes.sha256.clone());
            }
            Err(error) => export.missing.push((sha256.clone(), format!("{vault_problem}{error} (the vault does not keep it)"))),
        }
    }
    zip.finish().map_err(|e| e.to_string())?;
    Ok(export)
}

/// The sample's bytes from the vault, when the store has one that keeps them.
fn from_vault(store: &Store, sha256: &str) -> Result<Option<Vec<u8>>, fcas_store::StoreError> {
    if store.is_memory() || !fcas_store::vault::files::is_sha256(&sha256.to_ascii_lowercase()) {
        return Ok(None);
    }
    store.vault_read(sha256)
}

/// `options` plus the passwords that opened the containers on the way (their stored reports
/// say which): a container opened with `--password` is opened again without it.
fn with_container_passwords(store: &Store, lineage: &[fcas_report::LineageStep], options: &Options) -> Options {
    let mut options = options.clone();
    let passwords = lineage.iter().filter_map(|step| store.stored_sample(&step.sha256).ok().flatten()?.report.extraction?.password);
    options.extraction.passwords.extend(passwords);
    options
}

/// A new file only its owner can read, never executable.
fn create_private(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)
}
