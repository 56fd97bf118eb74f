//! Report exports: JSON from the store, HTML built by the page (it holds the rendered SVG charts).
use std::path::Path;

use fcas_report::Report;

use super::{AppError, AppResult};

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
