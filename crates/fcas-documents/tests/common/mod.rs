//! Where the document corpus and its reference outputs are.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use std::path::{Path, PathBuf};

/// The document corpus `make documents` builds (`FCAS_DOCUMENTS`, with its MANIFEST.tsv).
/// Unset: `None` after printing how to build it, or a failure under `FCAS_REQUIRE_MODELS=1`
/// (`make test`), where every fixture must be present.
pub fn documents() -> Option<PathBuf> {
    match std::env::var_os("FCAS_DOCUMENTS") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            assert!(dir.join("MANIFEST.tsv").is_file(), "FCAS_DOCUMENTS={} has no MANIFEST.tsv; run `make documents`", dir.display());
            Some(dir)
        }
        None => {
            let required = std::env::var("FCAS_REQUIRE_MODELS").is_ok_and(|v| v == "1");
            assert!(!required, "FCAS_DOCUMENTS is not set (FCAS_REQUIRE_MODELS=1; run `make documents`)");
            eprintln!("skipped: FCAS_DOCUMENTS is not set; `make documents` builds the document corpus into target/documents");
            None
        }
    }
}

/// The corpus files (paths relative to the corpus folder) under `part/`.
pub fn files(corpus: &Path, part: &str) -> Vec<String> {
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).unwrap();
    manifest
        .lines()
        .filter_map(|line| line.split_once('\t').map(|(_, path)| path.to_string()))
        .filter(|path| path.starts_with(&format!("{part}/")))
        .collect()
}

/// The reference outputs kept in `tests/fixtures/documents/reference/NAME`.
pub fn reference(name: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/documents/reference").join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}
