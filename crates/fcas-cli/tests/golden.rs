//! Golden tests of the `fcas` command line: each `tests/golden/<case>.args` at the repository root
//! holds the arguments (one per line, paths relative to the repository root); the case's standard
//! output, with timings removed from JSON, must equal `<case>.stdout`, and its exit code
//! `<case>.code`. `UPDATE_GOLDEN=1 cargo test -p fcas-cli --test golden` rewrites the expectations
//! (review the diff before committing it).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// Removes what legitimately changes between runs: analysis and inference timings.
fn normalise(stdout: &str) -> String {
    // `--json` prints one pretty document; JSON Lines and human output are read line by line.
    if let Ok(mut whole) = serde_json::from_str::<serde_json::Value>(stdout) {
        if whole.is_array() {
            strip_timings(&mut whole);
            return serde_json::to_string_pretty(&whole).unwrap() + "\n";
        }
    }
    let mut out = String::new();
    for line in stdout.lines() {
        match serde_json::from_str::<serde_json::Value>(line) {
            Ok(mut value) if value.is_object() => {
                strip_timings(&mut value);
                out.push_str(&serde_json::to_string(&value).unwrap());
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// Also sorts object keys: whether serde_json keeps insertion order depends on the features
/// other crates of the build turn on, and the expectations should not.
fn strip_timings(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.remove("provenance");
            map.remove("ms"); // per-model inference time
            map.values_mut().for_each(strip_timings);
            let mut entries: Vec<(String, serde_json::Value)> = std::mem::take(map).into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            map.extend(entries);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_timings),
        _ => {}
    }
}

#[test]
fn golden_cases() {
    let root = repo_root();
    let dir = root.join("tests/golden");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut cases: Vec<PathBuf> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "args")).collect();
    cases.sort();
    assert!(!cases.is_empty(), "no golden cases in {}", dir.display());
    let mut failures = Vec::new();
    for case in &cases {
        let args: Vec<String> =
            std::fs::read_to_string(case).unwrap().lines().filter(|l| !l.trim().is_empty()).map(str::to_string).collect();
        let output = Command::new(env!("CARGO_BIN_EXE_fcas")).args(&args).current_dir(&root).output().unwrap();
        let stdout = normalise(&String::from_utf8_lossy(&output.stdout));
        let code = format!("{}\n", output.status.code().unwrap_or(-1));
        let (stdout_path, code_path) = (case.with_extension("stdout"), case.with_extension("code"));
        if update {
            std::fs::write(&stdout_path, &stdout).unwrap();
            std::fs::write(&code_path, &code).unwrap();
            continue;
        }
        let expected_stdout = std::fs::read_to_string(&stdout_path).unwrap_or_default();
        let expected_code = std::fs::read_to_string(&code_path).unwrap_or_default();
        if stdout != expected_stdout || code != expected_code {
            failures.push(format!(
                "{}: exit {} (expected {}), stdout differs: {}\n--- got ---\n{}",
                case.display(),
                code.trim(),
                expected_code.trim(),
                stdout != expected_stdout,
                stdout.chars().take(2000).collect::<String>()
            ));
        }
    }
    assert!(failures.is_empty(), "{} golden case(s) differ (UPDATE_GOLDEN=1 to accept):\n{}", failures.len(), failures.join("\n"));
}
