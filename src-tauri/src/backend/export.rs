//! Report exports: JSON from the store, HTML built by the page (it holds the rendered SVG charts).
//! STIX 2.1 bundles and MISP events of stored samples (`fcas-store`'s exchange export).
//! Sample exports: the stored samples' bytes in a ZIP encrypted with AES-256 (`fcas-scan`).
use std::path::Path;
use std::sync::Arc;

use fcas_report::Report;
use fcas_store::export::{export_selected, ExportFormat};
use serde::Serialize;

use super::{lock, AppError, AppResult, Backend};

/// The password of a sample export when the page names none.
pub use fcas_engine::extract::pack::EXPORT_PASSWORD;

/// Most samples one export takes.
const MAX_EXPORTED_SAMPLES: usize = 10_000;

/// What a sample export wrote, for the page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExportedSamples {
    /// The ZIP written.
    pub path: String,
    /// SHA-256s written (each an entry named by its SHA-256).
    pub written: Vec<String>,
    /// Samples whose bytes could not be found again, and why.
    pub missing: Vec<MissingSample>,
}

/// A sample left out of an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingSample {
    /// Its SHA-256.
    pub sha256: String,
    /// Why (its file or container moved, nothing stored under that hash...).
    pub reason: String,
}

impl Backend {
    /// Writes the stored samples `sha256s` into a new ZIP at `out` (mode 0600) encrypted with
    /// AES-256 under `password` ([`EXPORT_PASSWORD`] when `None`). Each sample is found again
    /// through its file or the containers it came out of; those that cannot be are listed.
    pub fn export_samples(&self, sha256s: &[String], out: &Path, password: Option<&str>) -> AppResult<ExportedSamples> {
        if sha256s.is_empty() {
            return Err(AppError::invalid("select at least one sample to export"));
        }
        if sha256s.len() > MAX_EXPORTED_SAMPLES {
            return Err(AppError::invalid(format!("at most {MAX_EXPORTED_SAMPLES} samples per export")));
        }
        let password = password.unwrap_or(EXPORT_PASSWORD);
        if password.is_empty() {
            return Err(AppError::invalid("an export needs a password: samples are never written in the clear"));
        }
        let store = Arc::clone(&self.store.read().unwrap_or_else(|p| p.into_inner()).store);
        let exported = fcas_scan::export_samples(&lock(&store), sha256s, password, out);
        let exported = exported.map_err(|error| {
            let _ = std::fs::remove_file(out); // a ZIP cut short holds nothing usable
            AppError::io(format!(
                "the samples could not be exported: {error}. Choose a folder you can write to, with room, and export again"
            ))
        })?;
        Ok(ExportedSamples {
            path: out.to_string_lossy().into_owned(),
            written: exported.written,
            missing: exported.missing.into_iter().map(|(sha256, reason)| MissingSample { sha256, reason }).collect(),
        })
    }
}

impl Backend {
    /// A STIX 2.1 bundle (`stix`) or a MISP event (`misp`) of the stored samples `sha256s`, each
    /// with its latest report: what a threat-intelligence platform imports.
    pub fn exchange_document(&self, sha256s: &[String], format: &str) -> AppResult<Vec<u8>> {
        let format = match format {
            "stix" => ExportFormat::Stix,
            "misp" => ExportFormat::Misp,
            other => return Err(AppError::invalid(format!("unknown exchange format {other}; use stix or misp"))),
        };
        if sha256s.is_empty() {
            return Err(AppError::invalid("select at least one sample to export"));
        }
        if sha256s.len() > MAX_EXPORTED_SAMPLES {
            return Err(AppError::invalid(format!("at most {MAX_EXPORTED_SAMPLES} samples per export")));
        }
        let mut document = Vec::new();
        self.with_store(|store| export_selected(store, sha256s, format, &mut document))?;
        Ok(document)
    }
}

/// Largest HTML export accepted from the page.
const MAX_HTML_BYTES: usize = 64 << 20;

/// The bytes of an export in `format` (`json` or `html`).
pub fn render(report: &Report, format: &str, html: Option<String>) -> AppResult<Vec<u8>> {
    match format {
        "json" => serde_json::to_vec_pretty(report).map_err(|e| AppError::io(e.to_string())),
        "html" => {
            let html = html.ok_or_else(|| AppError::invalid("an HTML export needs the page's HTML"))?;
            if html.len() > MAX_HTML_BYTES {
                return Err(AppError::invalid("the HTML export is larger than 64 MiB"));
            }
            if !html.trim_start().to_ascii_lowercase().starts_with("<!doctype html>") {
                return Err(AppError::invalid("the HTML export must be a complete document"));
            }
            Ok(html.into_bytes())
        }
        other => Err(AppError::invalid(format!("unknown export format {other}; use json or html"))),
    }
}

/// Writes `content` to `path`, never with execute permission.
pub fn write(path: &Path, content: &[u8]) -> AppResult<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o644)
        .open(path)
        .map_err(|e| AppError::io(format!("cannot write {}: {e}", path.display())))?;
    file.write_all(content).map_err(|e| AppError::io(format!("cannot write {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_html_exports_are_checked() {
        let report = Report { path: "a.exe".into(), size: 3, ..Report::default() };
        let json = render(&report, "json", None).unwrap();
        let back: Report = serde_json::from_slice(&json).unwrap();
        assert_eq!(back, report);
        assert_eq!(render(&report, "html", None).unwrap_err().code, "invalid");
        assert!(render(&report, "html", Some("<p>".into())).is_err());
        assert!(render(&report, "html", Some("<!DOCTYPE html><html></html>".into())).is_ok());
        assert!(render(&report, "pdf", None).is_err());
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("r.json");
        write(&out, &json).unwrap();
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o111, 0);
    }
}
