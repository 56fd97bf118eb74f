//! Finding stored samples similar to one sample, by TLSH distance and by ssdeep score.
//!
//! Comparing against every stored hash does not scale, so each hash also leaves candidate keys
//! in an index when its sample is first stored ([`index`]): the TLSH length byte, and the ssdeep
//! 7-grams per block size. A search reads only the candidates and scores them exactly with a
//! [`FuzzyMetric`] ([`EngineMetric`]: the engine's own TLSH distance and ssdeep score).
pub mod index;
mod metric;
mod search;
pub mod ssdeep_grams;
pub mod tlsh_key;

pub use metric::{EngineMetric, FuzzyMetric};
pub use search::{similar, SimilarHit, SimilarityResult, MAX_SSDEEP_CANDIDATES, MAX_TLSH_DISTANCE};
