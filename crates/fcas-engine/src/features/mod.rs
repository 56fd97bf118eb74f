//! Feature vectors for machine-learning models, computed from the bytes (and the engine's
//! parsers) so that models see exactly what their training pipeline saw.
pub mod ember_v2;
