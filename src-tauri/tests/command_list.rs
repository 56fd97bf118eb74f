//! One list of commands: the handlers `lib.rs` registers, the commands `build.rs` declares, the
//! permissions the capability grants (in both copies of `tauri.conf.json`), what the page calls
//! (`ui/src/api.js`) and what the browser tests' mock answers must all name the same commands.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
use std::collections::BTreeSet;
use std::path::Path;

fn read(relative: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(relative)).unwrap()
}

/// The text between `start` and the first `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("{start:?} not found")) + start.len();
    let to = text[from..].find(end).unwrap_or_else(|| panic!("{end:?} not found after {start:?}")) + from;
    &text[from..to]
}

/// Every `"..."` string literal in `text`.
fn quoted(text: &str) -> BTreeSet<String> {
    text.split('"').skip(1).step_by(2).map(str::to_string).collect()
}

/// Every `'...'` string literal in `text`.
fn single_quoted(text: &str) -> BTreeSet<String> {
    text.split('\'').skip(1).step_by(2).map(str::to_string).collect()
}

fn registered() -> BTreeSet<String> {
    let lib = read("src-tauri/src/lib.rs");
    let handlers = between(&lib, "generate_handler![", "]");
    handlers.split(',').map(str::trim).filter(|h| !h.is_empty()).map(|h| h.rsplit("::").next().unwrap().to_string()).collect()
}

#[test]
fn every_list_of_commands_names_the_same_commands() {
    let registered = registered();
    assert!(registered.len() >= 10, "{registered:?}");

    let build = read("src-tauri/build.rs");
    let declared = quoted(between(&build, "const COMMANDS: &[&str] = &[", "];"));
    assert_eq!(declared, registered, "build.rs COMMANDS");

    for config in ["tauri.conf.json", "src-tauri/tauri.conf.json"] {
        let value: serde_json::Value = serde_json::from_str(&read(config)).unwrap();
        let granted: BTreeSet<String> = value["app"]["security"]["capabilities"][0]["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str()?.strip_prefix("allow-").map(|c| c.replace('-', "_")))
            .collect();
        assert_eq!(granted, registered, "{config}: the capability's allow-* permissions");
        // Tauri's bundler refuses a capability that names a permission twice.
        let listed = value["app"]["security"]["capabilities"][0]["permissions"].as_array().unwrap();
        let distinct: BTreeSet<&str> = listed.iter().filter_map(|p| p.as_str()).collect();
        assert_eq!(distinct.len(), listed.len(), "{config}: a permission is listed twice");
    }

    let api = read("ui/src/api.js");
    let called: BTreeSet<String> =
        between(&api, "export const api = {", "};").split("call(").skip(1).map(|c| single_quoted(c).into_iter().next().unwrap()).collect();
    assert_eq!(called, registered, "ui/src/api.js");

    let mock = read("tests/browser/mock-backend.js");
    let commands = between(&mock, "const commands = {", "\n  };");
    let answered: BTreeSet<String> = commands
        .lines()
        .filter_map(|line| line.strip_prefix("    ")?.split_once(": (").map(|(name, _)| name.to_string()))
        .filter(|name| name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect();
    assert_eq!(answered, registered, "tests/browser/mock-backend.js");
}
