//! Finding models: the built-in ones (`models/`) and the user's (the user models folder), each
//! validated before it may join the ensemble.
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::manifest::Manifest;
use crate::model::{Model, Origin};

/// Environment variable naming the built-in models folder.
pub const MODELS_DIR_ENV: &str = "FCAS_MODELS_DIR";
/// Environment variable naming the user models folder.
pub const USER_MODELS_DIR_ENV: &str = "FCAS_USER_MODELS_DIR";
/// Manifests read from one folder at most; the rest are reported as skipped.
const MAX_MODELS_PER_FOLDER: usize = 64;
/// Entries of a folder looked at at most while searching for manifests.
pub(crate) const MAX_DIR_ENTRIES: usize = 4096;

/// A model that cannot join the ensemble, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// Where it was found.
    pub origin: Origin,
    /// Its manifest.
    pub manifest_path: PathBuf,
    /// Its id, when the manifest could be read.
    pub id: Option<String>,
    /// Its version, when the manifest could be read.
    pub version: Option<String>,
    /// The formats it would apply to, when the manifest is valid.
    pub formats: Option<Vec<String>>,
    /// Why it was skipped, for a person.
    pub reason: String,
}

/// Every model found: the usable ones and the skipped ones.
#[derive(Default)]
pub struct Registry {
    /// Models with a valid manifest and a matching ONNX file, built-in ones first.
    pub models: Vec<Model>,
    /// Models that cannot be used.
    pub skipped: Vec<Skipped>,
}

impl Registry {
    /// Reads the manifests of `builtin_dir` (`<dir>/<model>/manifest.json`, ONNX file
    /// `<dir>/<onnx_file>`) and of `user_dir` (`<dir>/*.json` or `<dir>/<model>/manifest.json`,
    /// ONNX file next to the manifest), and checks each ONNX file's sha256.
    pub fn discover(builtin_dir: Option<&Path>, user_dir: Option<&Path>) -> Self {
        let mut registry = Self::default();
        if let Some(dir) = builtin_dir {
            for manifest_path in manifests_in(dir, false, &mut registry, Origin::Builtin) {
                registry.admit(manifest_path, dir, Origin::Builtin);
            }
        }
        if let Some(dir) = user_dir {
            for manifest_path in manifests_in(dir, true, &mut registry, Origin::User) {
                let onnx_dir = manifest_path.parent().unwrap_or(dir).to_path_buf();
                registry.admit(manifest_path, &onnx_dir, Origin::User);
            }
        }
        registry
    }

    fn admit(&mut self, manifest_path: PathBuf, onnx_dir: &Path, origin: Origin) {
        let manifest = match Manifest::read(&manifest_path) {
            Ok(m) => m,
            Err(e) => {
                let (id, version) = partial_identity(&manifest_path);
                self.skipped.push(Skipped { origin, manifest_path, id, version, formats: None, reason: e.to_string() });
                return;
            }
        };
        let skip = |reason: String| Skipped {
            origin,
            manifest_path: manifest_path.clone(),
            id: Some(manifest.id.clone()),
            version: Some(manifest.version.clone()),
            formats: Some(manifest.formats.clone()),
            reason,
        };
        if let Some(other) = self.models.iter().find(|m| m.manifest.id == manifest.id) {
            let reason = format!("model `{}`: the id is already used by {}", manifest.id, other.manifest_path.display());
            self.skipped.push(skip(reason));
            return;
        }
        let onnx_path = onnx_dir.join(&manifest.onnx_file);
        if let Err(reason) = check_sha256(&onnx_path, &manifest.onnx_sha256) {
            let hint = if origin == Origin::Builtin { "; run `make models`" } else { "" };
            self.skipped.push(skip(format!("model `{}` skipped: {reason}{hint}", manifest.id)));
            return;
        }
        let Some(kind) = manifest.kind() else { return };
        self.models.push(Model::new(manifest, kind, origin, manifest_path, onnx_path));
    }
}

/// The `(id, version)` each manifest of `builtin_dir` and `user_dir` declares, read without
/// checking the weights (`fcas --version` names the models without hashing them).
pub fn declared_versions(builtin_dir: Option<&Path>, user_dir: Option<&Path>) -> Vec<(String, String)> {
    let mut ignored = Registry::default();
    let manifests = |dir: Option<&Path>, flat: bool, registry: &mut Registry| {
        dir.map(|dir| manifests_in(dir, flat, registry, Origin::Builtin)).unwrap_or_default()
    };
    let mut found = manifests(builtin_dir, false, &mut ignored);
    found.extend(manifests(user_dir, true, &mut ignored));
    found.iter().filter_map(|path| Manifest::read(path).ok()).map(|m| (m.id, m.version)).collect()
}

/// The manifests of `dir`, sorted: `<dir>/*/manifest.json`, and `<dir>/*.json` when `flat`.
fn manifests_in(dir: &Path, flat: bool, registry: &mut Registry, origin: Origin) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut found: Vec<PathBuf> = entries
        .take(MAX_DIR_ENTRIES)
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|path| {
            if path.is_dir() {
                Some(path.join("manifest.json")).filter(|m| m.is_file())
            } else if flat && path.extension().is_some_and(|e| e == "json") {
                Some(path)
            } else {
                None
            }
        })
        .collect();
    found.sort();
    if found.len() > MAX_MODELS_PER_FOLDER {
        for manifest_path in found.split_off(MAX_MODELS_PER_FOLDER) {
            let reason = format!("more than {MAX_MODELS_PER_FOLDER} models in {}", dir.display());
            registry.skipped.push(Skipped { origin, manifest_path, id: None, version: None, formats: None, reason });
        }
    }
    found
}

/// Id and version of a manifest that failed validation, when it is JSON at all.
fn partial_identity(path: &Path) -> (Option<String>, Option<String>) {
    let value: Option<serde_json::Value> = std::fs::read(path).ok().and_then(|b| serde_json::from_slice(&b).ok());
    let field = |name: &str| value.as_ref().and_then(|v| v.get(name)).and_then(|v| v.as_str()).map(str::to_string);
    (field("id"), field("version"))
}

/// Checks that the file at `path` has the sha256 `expected` (hexadecimal).
pub fn check_sha256(path: &Path, expected: &str) -> Result<(), String> {
    let actual = sha256_file(path).map_err(|e| format!("cannot read the ONNX file {}: {e}", path.display()))?;
    if actual.eq_ignore_ascii_case(expected) {
        Ok(())
    } else {
        Err(format!("checksum mismatch for {}: the manifest says sha256 {expected}, the file has {actual}", path.display()))
    }
}

/// sha256 of a file, in lowercase hexadecimal, read in chunks (model files reach hundreds of
/// megabytes), opened as every file FCAS reads is.
pub fn sha256_file(path: &Path) -> Result<String, fcas_engine::InputError> {
    fcas_engine::OpenedFile::open(path, u64::MAX)?.sha256()
}

/// sha256 of `bytes`, in lowercase hexadecimal.
pub fn sha256_bytes(bytes: &[u8]) -> String {
    fcas_report::hex(&Sha256::digest(bytes))
}

/// The built-in models folder: `FCAS_MODELS_DIR`, else `<prefix>/share/fcas/models` of an
/// installed package (fcas-models), else what `fcas models install` made (see
/// [`default_install_dir`]), else the `models/` folder of the workspace the executable was built
/// in (development builds and tests).
pub fn default_models_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(MODELS_DIR_ENV).filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    crate::runtime::in_installation(Path::new("share/fcas/models"), has_manifests)
        .or_else(|| default_install_dir().filter(|dir| has_manifests(dir)))
        .or_else(|| crate::runtime::above_executable(Path::new("models"), has_manifests))
}

/// Where `fcas models install` puts the built-in models by default: `$XDG_DATA_HOME/fcas/installed-models`,
/// else `~/.local/share/fcas/installed-models` (apart from the user's own models).
pub fn default_install_dir() -> Option<PathBuf> {
    data_home().map(|d| d.join("fcas").join("installed-models"))
}

/// The user models folder: `FCAS_USER_MODELS_DIR`, else `$XDG_DATA_HOME/fcas/models`, else
/// `~/.local/share/fcas/models`.
pub fn default_user_models_dir() -> Option<PathBuf> {
    env_path(USER_MODELS_DIR_ENV).or_else(|| data_home().map(|d| d.join("fcas").join("models")))
}

/// `$XDG_DATA_HOME`, else `~/.local/share`.
fn data_home() -> Option<PathBuf> {
    env_path("XDG_DATA_HOME").or_else(|| env_path("HOME").map(|h| h.join(".local").join("share")))
}

/// A path from the environment variable `name`, unless unset or empty.
pub(crate) fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from)
}

fn has_manifests(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|entries| entries.take(MAX_DIR_ENTRIES).flatten().any(|e| e.path().join("manifest.json").is_file()))
        .unwrap_or(false)
}
