//! One registered model: its manifest, its ONNX file, and its session, created on first use and
//! reused for the rest of the process.
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use ort::session::Session;
use ort::value::{TensorElementType, ValueType};

use crate::manifest::{InputKind, Manifest};
use crate::runtime::Runtime;

/// Where a model was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Shipped with FCAS (`models/`).
    Builtin,
    /// Dropped into the user models folder.
    User,
}

impl Origin {
    /// `builtin` or `user`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Builtin => "builtin",
            Self::User => "user",
        }
    }
}

/// A model whose manifest and checksum are valid.
pub struct Model {
    /// Its manifest.
    pub manifest: Manifest,
    /// Its input kind (parsed from the manifest).
    pub kind: InputKind,
    /// Where it was found.
    pub origin: Origin,
    /// Path of the manifest.
    pub manifest_path: PathBuf,
    /// Path of the ONNX file.
    pub onnx_path: PathBuf,
    session: OnceLock<Result<Mutex<Session>, String>>,
}

/// Number of features of an EMBER v2 vector, as the model's input width.
const EMBER_V2_WIDTH: i64 = fcas_engine::features::ember_v2::DIM as i64;

impl Model {
    /// A model whose session is not loaded yet.
    pub fn new(manifest: Manifest, kind: InputKind, origin: Origin, manifest_path: PathBuf, onnx_path: PathBuf) -> Self {
        Self { manifest, kind, origin, manifest_path, onnx_path, session: OnceLock::new() }
    }

    /// The model's session, created on the first call (a large model takes seconds) and checked
    /// against the manifest. `Err` says why the model cannot run; it is remembered.
    pub fn session(&self, runtime: &Runtime) -> Result<&Mutex<Session>, String> {
        self.session.get_or_init(|| self.load(runtime).map(Mutex::new)).as_ref().map_err(Clone::clone)
    }

    /// Whether the session was already created (successfully or not).
    pub fn is_loaded(&self) -> bool {
        self.session.get().is_some()
    }

    fn load(&self, runtime: &Runtime) -> Result<Session, String> {
        // No spinning: the models run one after the other on each file, so an idle pool thread of
        // one session spinning for work would take a core from the next session's inference.
        let session = Session::builder(runtime.environment())
            .map_err(|e| e.to_string())
            .and_then(|b| b.with_intra_op_spinning(false).map_err(|e| e.to_string()))
            .and_then(|mut b| b.commit_from_file(&self.onnx_path).map_err(|e| e.to_string()))
            .map_err(|e| format!("model `{}` cannot be loaded from {}: {e}", self.manifest.id, self.onnx_path.display()))?;
        release_freed_heap();
        self.check_io(&session).map_err(|e| format!("model `{}` skipped: {e}", self.manifest.id))?;
        Ok(session)
    }

    /// Checks that the graph has the input and outputs the manifest names, with the shape and
    /// element type its input kind needs.
    fn check_io(&self, session: &Session) -> Result<(), String> {
        let io = &self.manifest.io;
        let input =
            session.inputs().iter().find(|i| i.name() == io.input).ok_or_else(|| format!("the graph has no input `{}`", io.input))?;
        let (ty, shape) = tensor_info(input.dtype()).ok_or_else(|| format!("input `{}` is not a tensor", io.input))?;
        let dims: &[i64] = shape;
        let (want_ty, ok_shape, wanted) = match self.kind {
            InputKind::RawBytes => {
                (TensorElementType::Int64, dims.len() == 2 && matches!(dims.first(), Some(1 | -1)), "int64 [1, T]".to_string())
            }
            InputKind::EmberV2 => (
                TensorElementType::Float32,
                dims.len() == 2 && dims.get(1) == Some(&EMBER_V2_WIDTH),
                format!("float32 [N, {EMBER_V2_WIDTH}]"),
            ),
        };
        if ty != want_ty || !ok_shape {
            return Err(format!("input `{}` is {ty:?} {dims:?}, but input kind `{}` needs {wanted}", io.input, self.kind.name()));
        }
        let outputs = [Some(&io.score_output), io.window_argmax_output.as_ref(), io.channel_contributions_output.as_ref()];
        for name in outputs.into_iter().flatten() {
            if !session.outputs().iter().any(|o| o.name() == name) {
                return Err(format!("the graph has no output `{name}`"));
            }
        }
        Ok(())
    }
}

fn tensor_info(dtype: &ValueType) -> Option<(TensorElementType, &ort::value::Shape)> {
    match dtype {
        ValueType::Tensor { ty, shape, .. } => Some((*ty, shape)),
        _ => None,
    }
}

/// Takes P(malicious) from a score output: the value at `index` of the last axis of the first row.
pub(crate) fn pick_score(values: &[f32], shape: &[i64], index: usize) -> Result<f64, String> {
    let width = shape.last().copied().unwrap_or(1).max(1) as usize;
    if index >= width {
        return Err(format!("score index {index} is outside the output's last axis ({width})"));
    }
    let score = values.get(index).copied().ok_or("the score output is empty")?;
    let score = f64::from(score);
    if !(0.0..=1.0).contains(&score) {
        return Err(format!("the model gave {score}, which is not a probability"));
    }
    Ok(score)
}

/// Gives the C heap's free memory back to the system. ONNX Runtime allocates through the C
/// library's `malloc`, and building a tree-ensemble session parses and then frees hundreds of
/// megabytes of the model's protobuf, which glibc keeps in its arenas: the EMBER model's session
/// left the process at 1.15 GB resident, 0.52 GB after this (docs/BENCHMARKS.md, models).
fn release_freed_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` takes no pointer and only returns free pages of glibc's own heap.
    unsafe {
        libc::malloc_trim(0);
    }
}
