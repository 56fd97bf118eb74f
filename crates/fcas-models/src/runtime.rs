//! Finding the ONNX Runtime library and initialising it, once per process.
//!
//! The library is loaded at run time (never linked), so that every other analysis still works
//! when it is missing or broken: predictions then say `unavailable` with the reason.
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ort::environment::Environment;

/// File name of the runtime library the project fetches (`make ort`).
pub const LIBRARY_FILE: &str = "libonnxruntime.so.1.31.1";
/// Other names the library may have next to the executable.
const LIBRARY_ALIASES: &[&str] = &[LIBRARY_FILE, "libonnxruntime.so", "libonnxruntime.1.31.1.dylib", "onnxruntime.dll"];
/// Environment variable naming the library explicitly.
pub const LIBRARY_ENV: &str = "FCAS_ORT_LIB";
/// Where `make ort` places the library, relative to the workspace root.
const VENDOR_DIR: &str = "vendor/onnxruntime";
/// Where the packages install the library, relative to the installation prefix (`/usr`).
const INSTALLED_DIR: &str = "lib/fcas";
/// How many folders above the executable a development build looks for the workspace.
const MAX_ANCESTORS: usize = 6;

/// The initialised runtime: where it came from and the process-wide environment.
#[derive(Clone)]
pub struct Runtime {
    /// Path of the library that was loaded.
    pub library: PathBuf,
    environment: Environment,
}

impl Runtime {
    /// The process-wide ONNX Runtime environment sessions are built in.
    pub fn environment(&self) -> &Environment {
        &self.environment
    }
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime").field("library", &self.library).finish_non_exhaustive()
    }
}

static RUNTIME: OnceLock<Result<Runtime, String>> = OnceLock::new();

/// Initialises ONNX Runtime once per process and returns it, or why it is unavailable.
///
/// The first call decides: later calls return the same outcome whatever `explicit` says, because
/// a process can load the library only once.
pub fn init(explicit: Option<&Path>) -> Result<Runtime, String> {
    RUNTIME.get_or_init(|| load(explicit)).clone()
}

fn load(explicit: Option<&Path>) -> Result<Runtime, String> {
    let library = locate(explicit)?;
    let builder = ort::init_from(&library).map_err(|e| format!("cannot load the ONNX Runtime library {}: {e}", library.display()))?;
    // ONNX Runtime would print every failed run on standard error; each failure already comes
    // back as an error that ends up in the prediction's `reason`, so only fatal messages are kept.
    let logger: ort::logging::LoggerFunction = std::sync::Arc::new(|level, _category, _id, _location, message| {
        if matches!(level, ort::logging::LogLevel::Fatal) {
            eprintln!("ONNX Runtime: {message}");
        }
    });
    let environment = builder
        .with_name("fcas")
        .with_logger(logger)
        .build()
        .map_err(|e| format!("cannot initialise ONNX Runtime from {}: {e}", library.display()))?;
    Ok(Runtime { library, environment })
}

/// Where the runtime library is, in this order: `explicit` (a command-line flag or the
/// configuration), the `FCAS_ORT_LIB` variable, next to the executable, then `vendor/onnxruntime/`
/// of the workspace the executable was built in (development builds and tests).
pub fn locate(explicit: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(path) = explicit {
        return existing(path, "the configured ONNX Runtime library");
    }
    if let Some(path) = std::env::var_os(LIBRARY_ENV).filter(|v| !v.is_empty()) {
        return existing(Path::new(&path), &format!("the ONNX Runtime library named by {LIBRARY_ENV}"));
    }
    let exe_dir = std::env::current_exe().ok().and_then(|exe| exe.parent().map(Path::to_path_buf));
    if let Some(found) = exe_dir.and_then(|dir| LIBRARY_ALIASES.iter().map(|name| dir.join(name)).find(|p| p.is_file())) {
        return Ok(found);
    }
    if let Some(found) = in_installation(&Path::new(INSTALLED_DIR).join(LIBRARY_FILE), Path::is_file) {
        return Ok(found);
    }
    if let Some(found) = above_executable(&Path::new(VENDOR_DIR).join(LIBRARY_FILE), Path::is_file) {
        return Ok(found);
    }
    Err(format!(
        "ONNX Runtime library not found (looked for {LIBRARY_FILE} via --ort-lib, {LIBRARY_ENV}, next to the \
         executable, in <prefix>/{INSTALLED_DIR}/ of an installed package and in {VENDOR_DIR}/ of the workspace); \
         run `make ort` to fetch it"
    ))
}

/// `relative` under the installation prefix of the executable (`/usr` for `/usr/bin/fcas`), if
/// it `accept`s: where the packages put what the program finds at run time.
pub(crate) fn in_installation(relative: &Path, accept: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let candidate = exe.parent()?.parent()?.join(relative);
    accept(&candidate).then_some(candidate)
}

/// The first `relative` path, joined to the executable's folder or one of its ancestors, that
/// `accept`s: how a development build or a test finds the workspace it was built in.
pub(crate) fn above_executable(relative: &Path, accept: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    exe.parent()?.ancestors().take(MAX_ANCESTORS).map(|dir| dir.join(relative)).find(|p| accept(p))
}

fn existing(path: &Path, what: &str) -> Result<PathBuf, String> {
    if path.is_file() {
        Ok(path.to_path_buf())
    } else {
        Err(format!("{what} does not exist: {}", path.display()))
    }
}
