//! Helpers shared by the engine's integration tests.
#![allow(dead_code)]
use std::path::{Path, PathBuf};

/// The fixture corpus shipped with the repository.
pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus")
}

/// Every file under `corpus()/files`, sorted.
pub fn corpus_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![corpus().join("files")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("corpus directory is readable") {
            let path = entry.expect("corpus entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// A small deterministic pseudo-random generator (xorshift64*), so mutants are reproducible from
/// a printed seed without extra dependencies.
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed` (0 is replaced by a fixed non-zero value).
    pub fn new(seed: u64) -> Self {
        Self(if seed == 0 { 0x9E37_79B9_7F4A_7C15 } else { seed })
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A value in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// The container corpus `make containers` builds (`FCAS_CONTAINERS`, with its MANIFEST.json).
/// Unset: `None` after printing how to build it, or a failure under `FCAS_REQUIRE_MODELS=1`
/// (`make test`), where every fixture must be present.
pub fn containers() -> Option<PathBuf> {
    match std::env::var_os("FCAS_CONTAINERS") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            assert!(dir.join("MANIFEST.json").is_file(), "FCAS_CONTAINERS={} has no MANIFEST.json; run `make containers`", dir.display());
            Some(dir)
        }
        None => {
            let required = std::env::var("FCAS_REQUIRE_MODELS").is_ok_and(|v| v == "1");
            assert!(!required, "FCAS_CONTAINERS is not set (FCAS_REQUIRE_MODELS=1; run `make containers`)");
            eprintln!("skipped: FCAS_CONTAINERS is not set; `make containers` builds the container corpus into target/containers");
            None
        }
    }
}

/// The document corpus `make documents` builds (`FCAS_DOCUMENTS`, with its MANIFEST.tsv), as
/// (relative path, absolute path) pairs. Unset: empty after printing how to build it, or a
/// failure under `FCAS_REQUIRE_MODELS=1` (`make test`).
pub fn document_files() -> Vec<(String, PathBuf)> {
    let Some(dir) = std::env::var_os("FCAS_DOCUMENTS").map(PathBuf::from) else {
        let required = std::env::var("FCAS_REQUIRE_MODELS").is_ok_and(|v| v == "1");
        assert!(!required, "FCAS_DOCUMENTS is not set (FCAS_REQUIRE_MODELS=1; run `make documents`)");
        eprintln!("skipped: FCAS_DOCUMENTS is not set; `make documents` builds the document corpus into target/documents");
        return Vec::new();
    };
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).expect("FCAS_DOCUMENTS has a MANIFEST.tsv; run `make documents`");
    manifest.lines().filter_map(|line| line.split_once('\t')).map(|(_, path)| (path.to_string(), dir.join(path))).collect()
}
