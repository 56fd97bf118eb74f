//! The predictor: the runtime and the registry, built once per process, run as an extra stage of
//! the engine on every file.
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::Instant;

use fcas_engine::ExtraStage;
use fcas_report::{Format, Prediction, Report};

use crate::ensemble::{self, prediction_label};
use crate::malconv::RawBytesOutput;
use crate::manifest::InputKind;
use crate::model::Model;
use crate::registry::{self, Registry, Skipped};
use crate::runtime::{self, Runtime};

/// Where the runtime and the models are.
#[derive(Debug, Clone, Default)]
pub struct PredictorConfig {
    /// The ONNX Runtime library; `None` searches the usual places (see [`runtime::locate`]).
    pub ort_lib: Option<PathBuf>,
    /// The built-in models folder; `None` for none.
    pub models_dir: Option<PathBuf>,
    /// The user models folder; `None` for none.
    pub user_models_dir: Option<PathBuf>,
}

impl PredictorConfig {
    /// The default folders (see [`registry::default_models_dir`] and
    /// [`registry::default_user_models_dir`]), with the runtime library at `ort_lib` if given.
    pub fn discover(ort_lib: Option<PathBuf>) -> Self {
        Self { ort_lib, models_dir: registry::default_models_dir(), user_models_dir: registry::default_user_models_dir() }
    }
}

/// A model's state, as `fcas models` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelStatus {
    /// Model id (or the manifest path when it has none).
    pub id: String,
    /// Model version, when known.
    pub version: Option<String>,
    /// `builtin` or `user`.
    pub origin: &'static str,
    /// `ready`, `skipped` or `unavailable`.
    pub status: &'static str,
    /// Why the model is not ready.
    pub reason: Option<String>,
    /// Input kind, when known.
    pub input_kind: Option<String>,
    /// Formats it applies to.
    pub formats: Vec<String>,
    /// Where the manifest and weights come from, for a person.
    pub source: String,
    /// The manifest's path.
    pub manifest: PathBuf,
}

/// Runs every model on a file and combines their scores. Build it once per process: it loads
/// the runtime, reads the manifests, checks the checksums, and keeps each session once created.
pub struct Predictor {
    runtime: Result<Runtime, String>,
    registry: Registry,
}

impl Predictor {
    /// A predictor for `config`. Never fails: problems show in each prediction's `reason` and in
    /// [`Predictor::status`].
    pub fn new(config: &PredictorConfig) -> Self {
        let registry = Registry::discover(config.models_dir.as_deref(), config.user_models_dir.as_deref());
        Self { runtime: runtime::init(config.ort_lib.as_deref()), registry }
    }

    /// The runtime, or why it is unavailable.
    pub fn runtime(&self) -> Result<&Runtime, &str> {
        self.runtime.as_ref().map_err(String::as_str)
    }

    /// The models found.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The models version every report of this predictor carries: one prediction per
    /// registered model, and per skipped model that has an id (what [`Predictor::predict`]
    /// emits). A model whose runtime is missing still counts, so that once it is installed the
    /// reports made without it are no longer "the same analysis".
    pub fn models_version(&self) -> String {
        let versions = self.model_versions();
        fcas_report::models_version_of(versions.iter().map(|(id, version)| (id.as_str(), version.as_str())))
    }

    /// `(model id, version)` of every model a report of this predictor names.
    pub fn model_versions(&self) -> Vec<(String, String)> {
        let registry = self.registry();
        let usable = registry.models.iter().map(|m| (m.manifest.id.clone(), m.manifest.version.clone()));
        let skipped = registry.skipped.iter().filter_map(|s| Some((s.id.clone()?, s.version.clone().unwrap_or_default())));
        usable.chain(skipped).collect()
    }

    /// Creates every session now (EMBER-2018 takes seconds), so that no file pays for it later.
    /// Meant to be called off any interactive path, e.g. on a background thread of the app.
    pub fn warm_up(&self) {
        if let Ok(runtime) = &self.runtime {
            for model in &self.registry.models {
                let _ = model.session(runtime);
            }
        }
    }

    /// Every model's state; creates the sessions to check them.
    pub fn status(&self) -> Vec<ModelStatus> {
        self.warm_up();
        let mut statuses: Vec<ModelStatus> = self.registry.models.iter().map(|m| self.model_status(m)).collect();
        statuses.extend(self.registry.skipped.iter().map(skipped_status));
        statuses
    }

    fn model_status(&self, model: &Model) -> ModelStatus {
        let loaded = self.runtime.as_ref().map_err(Clone::clone).and_then(|rt| model.session(rt).map(|_| ()));
        let manifest = &model.manifest;
        let source = &manifest.source;
        let (status, reason) = match loaded {
            Ok(()) => ("ready", None),
            Err(reason) if reason.contains("skipped") => ("skipped", Some(reason)),
            Err(reason) => ("unavailable", Some(reason)),
        };
        ModelStatus {
            id: manifest.id.clone(),
            version: Some(manifest.version.clone()),
            origin: model.origin.name(),
            status,
            reason,
            input_kind: Some(manifest.input_kind.clone()),
            formats: manifest.formats.clone(),
            source: if source.package.is_empty() {
                model.onnx_path.display().to_string()
            } else {
                format!(
                    "{} {}=={} ({}), converted to {}",
                    source.registry,
                    source.package,
                    source.version,
                    source.path,
                    model.onnx_path.display()
                )
            },
            manifest: model.manifest_path.clone(),
        }
    }

    /// The model `id`, if registered and usable.
    pub fn model(&self, id: &str) -> Option<&Model> {
        self.registry.models.iter().find(|m| m.manifest.id == id)
    }

    /// Runs the raw-bytes model `id` on `bytes`, whatever the file's format.
    pub fn score_bytes(&self, id: &str, bytes: &[u8]) -> Result<RawBytesOutput, String> {
        let model = self.model(id).ok_or_else(|| format!("no usable model `{id}`"))?;
        let session = model.session(self.runtime.as_ref().map_err(Clone::clone)?)?;
        crate::malconv::score(model, session, bytes)
    }

    /// Runs the EMBER v2 model `id` on `vector`.
    pub fn score_vector(&self, id: &str, vector: &[f32]) -> Result<f64, String> {
        let model = self.model(id).ok_or_else(|| format!("no usable model `{id}`"))?;
        let session = model.session(self.runtime.as_ref().map_err(Clone::clone)?)?;
        crate::ember::score(model, session, vector)
    }

    /// Every model's prediction for a file of `format` made of `bytes`.
    pub fn predict(&self, format: Format, bytes: &[u8]) -> Vec<Prediction> {
        let format = format.as_str().to_string();
        let mut predictions: Vec<Prediction> = self.registry.models.iter().map(|m| self.predict_one(m, &format, bytes)).collect();
        predictions.extend(self.registry.skipped.iter().filter_map(|s| skipped_prediction(s, &format)));
        predictions
    }

    fn predict_one(&self, model: &Model, format: &str, bytes: &[u8]) -> Prediction {
        let manifest = &model.manifest;
        let mut prediction = Prediction {
            model: manifest.id.clone(),
            version: manifest.version.clone(),
            threshold: manifest.decision_threshold(),
            strict_threshold: manifest.strict_threshold(),
            applicable: manifest.applies_to(format),
            ..Prediction::default()
        };
        if !prediction.applicable {
            prediction.label = prediction_label::NOT_APPLICABLE.into();
            prediction.reason = Some(format!("applies to {} files only; this one is {format}", manifest.formats.join(", ")));
            return prediction;
        }
        let started = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| self.run_model(model, bytes)))
            .unwrap_or_else(|_| Err(format!("model `{}` panicked, please report it", manifest.id)));
        prediction.ms = Some(started.elapsed().as_secs_f64() * 1e3);
        match outcome {
            Ok(output) => {
                let malicious = prediction.threshold.is_some_and(|t| output.score >= t);
                prediction.label = if malicious { prediction_label::MALICIOUS } else { prediction_label::BENIGN }.into();
                prediction.score = Some(output.score);
                prediction.explanation = output.explanation;
            }
            Err(reason) => {
                prediction.label = prediction_label::UNAVAILABLE.into();
                prediction.reason = Some(reason);
            }
        }
        prediction
    }

    fn run_model(&self, model: &Model, bytes: &[u8]) -> Result<RawBytesOutput, String> {
        let runtime = self.runtime.as_ref().map_err(|e| format!("ONNX Runtime unavailable: {e}"))?;
        match model.kind {
            InputKind::RawBytes => crate::malconv::score(model, model.session(runtime)?, bytes),
            InputKind::EmberV2 => {
                let vector = fcas_engine::features::ember_v2::vector(bytes).map_err(|e| format!("no EMBER v2 feature vector: {e}"))?;
                let score = crate::ember::score(model, model.session(runtime)?, &vector)?;
                Ok(RawBytesOutput { score, explanation: None })
            }
        }
    }
}

impl ExtraStage for Predictor {
    fn name(&self) -> &str {
        "models"
    }

    fn run(&self, report: &mut Report, bytes: &[u8]) -> Result<(), String> {
        report.predictions = self.predict(report.format, bytes);
        report.verdict = Some(ensemble::consensus(&report.predictions, &report.indicators));
        Ok(())
    }
}

/// A skipped model's prediction: `not_applicable` when its (valid) manifest excludes the format,
/// else `unavailable` with the reason it was skipped.
fn skipped_prediction(skipped: &Skipped, format: &str) -> Option<Prediction> {
    let applicable = skipped.formats.as_ref().is_none_or(|formats| formats.iter().any(|f| f == "any" || f == format));
    let label = if applicable { prediction_label::UNAVAILABLE } else { prediction_label::NOT_APPLICABLE };
    Some(Prediction {
        model: skipped.id.clone()?,
        version: skipped.version.clone().unwrap_or_default(),
        label: label.into(),
        applicable,
        reason: Some(skipped.reason.clone()),
        ..Prediction::default()
    })
}

fn skipped_status(skipped: &Skipped) -> ModelStatus {
    ModelStatus {
        id: skipped.id.clone().unwrap_or_else(|| skipped.manifest_path.display().to_string()),
        version: skipped.version.clone(),
        origin: skipped.origin.name(),
        status: "skipped",
        reason: Some(skipped.reason.clone()),
        input_kind: None,
        formats: Vec::new(),
        source: String::new(),
        manifest: skipped.manifest_path.clone(),
    }
}
