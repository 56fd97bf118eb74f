//! `fcas models install`: the kit builds a model into a folder of its own, checked, and fcas then
//! uses it from there; a model that fails its checks leaves nothing behind.
//!
//! The conversion uses the workspace's download cache and venv (`make models` fills them), so the
//! test reaches no network; without them it is skipped, unless FCAS_REQUIRE_MODELS=1.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const MODEL: &str = "malconv-ember";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root")
}

fn cache() -> PathBuf {
    root().join("models/.cache")
}

/// `fcas` with no models folder of the user's and the home folder in `home`.
fn fcas(args: &[&str], home: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fcas"))
        .args(args)
        .env("HOME", home)
        .env_remove("XDG_DATA_HOME")
        .env_remove("XDG_CACHE_HOME")
        .env_remove("FCAS_MODELS_DIR")
        .env("FCAS_USER_MODELS_DIR", home.join("no-user-models"))
        .output()
        .expect("fcas runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Whether the workspace's cache can convert without the network.
fn cache_ready() -> bool {
    let ready = cache().join("venv/bin/python").is_file() && cache().join("wheels").is_dir();
    if !ready {
        assert!(std::env::var("FCAS_REQUIRE_MODELS").map_or(true, |v| v != "1"), "no conversion cache; run `make models`");
        eprintln!("skipped: no conversion cache in {}; run `make models`", cache().display());
    }
    ready
}

fn manifest_sha256(manifest: &Path) -> String {
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(manifest).unwrap()).unwrap();
    manifest["onnx_sha256"].as_str().unwrap().to_string()
}

#[test]
fn an_unknown_model_or_a_missing_python_is_refused_with_what_to_do() {
    let home = tempfile::tempdir().unwrap();
    let out = fcas(&["models", "install", "--only", "no-such-model"], home.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no model `no-such-model`") && stderr(&out).contains(MODEL), "{}", stderr(&out));

    // The workspace is found as the kit (above the executable), then Python is looked for.
    let out = fcas(&["models", "install", "--python", "/nonexistent/python3"], home.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("apt install python3-venv"), "{}", stderr(&out));

    let out = fcas(&["models", "install", "--kit", home.path().to_str().unwrap()], home.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is not a model conversion kit"), "{}", stderr(&out));
    assert!(!home.path().join(".local/share/fcas").exists(), "nothing is created when nothing can be installed");
}

#[test]
fn install_builds_a_checked_model_that_fcas_then_uses_and_a_bad_one_leaves_nothing() {
    if !cache_ready() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let cache = cache();
    let cache = cache.to_str().unwrap();

    // Into the default folder, from the kit the packages ship (a reference input under the GPL
    // is left out of it, and said so).
    let kit = tempfile::tempdir().unwrap();
    packaged_kit(kit.path());
    let kit_dir = kit.path().to_str().unwrap();
    let out = fcas(&["models", "install", "--kit", kit_dir, "--only", MODEL, "--cache", cache, "--json"], home.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let dest = home.path().join(".local/share/fcas/installed-models");
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).expect("only JSON on standard output");
    assert_eq!(answer["dir"], dest.to_str().unwrap());
    let models = answer["models"].as_array().unwrap();
    assert_eq!(models.len(), 1, "{answer}");
    let expected_sha256 = manifest_sha256(&root().join("models").join(MODEL).join("manifest.json"));
    assert_eq!(models[0]["id"], MODEL);
    assert_eq!(models[0]["sha256"], expected_sha256.as_str());
    let onnx = PathBuf::from(models[0]["onnx_path"].as_str().unwrap());
    assert!(onnx.starts_with(&dest), "{}", onnx.display());
    assert_eq!(std::fs::metadata(&onnx).unwrap().permissions().mode() & 0o111, 0, "never executable");
    assert!(dest.join(MODEL).join("manifest.json").is_file());
    assert!(stderr(&out).contains("built and checked"), "the kit's progress goes to standard error: {}", stderr(&out));
    assert!(stderr(&out).contains("win32-loader.exe not in this kit"), "{}", stderr(&out));

    // fcas, with no package and no FCAS_MODELS_DIR, reads the installed folder: the model is ready.
    let listing = fcas(&["models", "--json"], home.path());
    assert!(listing.status.success(), "{}", stderr(&listing));
    let listing: serde_json::Value = serde_json::from_slice(&listing.stdout).unwrap();
    assert_eq!(listing["models_dir"], dest.to_str().unwrap());
    let ready: Vec<&str> =
        listing["models"].as_array().unwrap().iter().filter(|m| m["status"] == "ready").filter_map(|m| m["id"].as_str()).collect();
    assert_eq!(ready, [MODEL], "{listing}");

    // A kit whose manifest expects other bytes: the conversion fails its check and keeps nothing.
    let manifest_path = kit.path().join("models").join(MODEL).join("manifest.json");
    let tampered = std::fs::read_to_string(&manifest_path).unwrap().replace(&expected_sha256, &"0".repeat(64));
    std::fs::write(&manifest_path, tampered).unwrap();
    let bad_dest = home.path().join("bad");
    let out =
        fcas(&["models", "install", "--kit", kit_dir, "--only", MODEL, "--dir", bad_dest.to_str().unwrap(), "--cache", cache], home.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("the manifest says") && stderr(&out).contains("model conversion failed"), "{}", stderr(&out));
    let left: Vec<_> = std::fs::read_dir(&bad_dest).map(|d| d.flatten().map(|e| e.file_name()).collect()).unwrap_or_default();
    assert!(left.is_empty(), "nothing is kept from a failed model: {left:?}");
}

/// The kit as the packages ship it, made by their script.
fn packaged_kit(to: &Path) {
    let out = Command::new("bash").arg(root().join("scripts/packages/models-kit.sh")).arg(to).output().expect("bash runs");
    assert!(out.status.success(), "{}", stderr(&out));
}
