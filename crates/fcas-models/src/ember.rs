//! EMBER v2 feature-vector models (EMBER-2018 LightGBM): inference on a vector.
use std::sync::Mutex;

use fcas_engine::features::ember_v2::DIM;
use ort::session::Session;
use ort::value::Tensor;

use crate::model::{pick_score, Model};

/// Runs `model` on one EMBER v2 vector and returns P(malicious).
pub fn score(model: &Model, session: &Mutex<Session>, vector: &[f32]) -> Result<f64, String> {
    if vector.len() != DIM {
        return Err(format!("an EMBER v2 vector has {DIM} values, this one has {}", vector.len()));
    }
    let io = &model.manifest.io;
    let tensor = Tensor::from_array(([1usize, DIM], vector.to_vec())).map_err(|e| e.to_string())?;
    let mut session = session.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let outputs = session
        .run(ort::inputs![io.input.as_str() => tensor])
        .map_err(|e| format!("model `{}` failed on this input: {e}", model.manifest.id))?;
    let value = outputs.get(&io.score_output).ok_or_else(|| format!("no output `{}`", io.score_output))?;
    let (shape, values) = value.try_extract_tensor::<f32>().map_err(|e| e.to_string())?;
    pick_score(values, shape, io.score_index)
}
