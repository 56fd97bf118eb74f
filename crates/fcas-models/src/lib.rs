//! FCAS predictions: published ONNX models run through ONNX Runtime, explained where the model
//! allows it, and combined into one honest verdict.
//!
//! The runtime library is loaded at run time ([`runtime`]); when it is missing, every prediction
//! says `unavailable` with the reason and the rest of the analysis is untouched. Models are
//! described by manifests ([`manifest`]) found in the built-in and user folders ([`registry`]);
//! each session is created once and reused. [`Predictor`] plugs into the engine as an
//! [`fcas_engine::ExtraStage`].
#![deny(missing_docs)]

pub mod ember;
pub mod ensemble;
pub mod install;
pub mod malconv;
pub mod manifest;
pub mod model;
mod predictor;
pub mod registry;
pub mod runtime;

pub use predictor::{ModelStatus, Predictor, PredictorConfig};
