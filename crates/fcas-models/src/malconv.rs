//! Raw-bytes models (MalConv): input preparation, inference and the byte regions that explain
//! the score.
use std::sync::Mutex;

use fcas_report::{ExplainedRegion, Explanation};
use ort::session::Session;
use ort::value::Tensor;

use crate::manifest::RawBytesInput;
use crate::model::{pick_score, Model};

/// Channels whose winning windows are reported, strongest first.
pub const EXPLAINED_CHANNELS: usize = 8;

/// What a raw-bytes model says about a file.
#[derive(Debug, Clone, PartialEq)]
pub struct RawBytesOutput {
    /// P(malicious).
    pub score: f64,
    /// Regions that drove the score, when the graph gives what is needed.
    pub explanation: Option<Explanation>,
}

/// The model input for `bytes`: the first `max_len` bytes as indices 0..255, then the padding
/// symbol. With a window, the padding stops one full window past the data (capped at `max_len`):
/// windows made only of padding all give the same activations, so one of them is enough for a
/// global max-pool and the score equals the one of the fully padded input.
pub fn prepare(bytes: &[u8], input: &RawBytesInput) -> Vec<i64> {
    let data = bytes.get(..input.max_len).unwrap_or(bytes);
    let padded_len = match input.window {
        Some(window) if window > 0 => data.len().div_ceil(window).saturating_mul(window).saturating_add(window).min(input.max_len),
        _ => input.max_len,
    };
    let mut values: Vec<i64> = data.iter().map(|&b| i64::from(b)).collect();
    values.resize(padded_len.max(data.len()), input.pad_value);
    values
}

/// Runs `model` on `bytes`.
pub fn score(model: &Model, session: &Mutex<Session>, bytes: &[u8]) -> Result<RawBytesOutput, String> {
    let io = &model.manifest.io;
    let raw = model.manifest.raw_bytes.ok_or("the manifest has no `raw_bytes` section")?;
    let values = prepare(bytes, &raw);
    let len = values.len();
    let tensor = Tensor::from_array(([1usize, len], values)).map_err(|e| e.to_string())?;
    // A panic while the lock was held cannot leave the session half-updated on our side.
    let mut session = session.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let outputs = session
        .run(ort::inputs![io.input.as_str() => tensor])
        .map_err(|e| format!("model `{}` failed on this input: {e}", model.manifest.id))?;
    let score_value = outputs.get(&io.score_output).ok_or_else(|| format!("no output `{}`", io.score_output))?;
    let (shape, values) = score_value.try_extract_tensor::<f32>().map_err(|e| e.to_string())?;
    let score = pick_score(values, shape, io.score_index)?;
    let explanation = match (raw.window, &io.window_argmax_output, &io.channel_contributions_output) {
        (Some(window), Some(argmax_name), Some(contrib_name)) => {
            let argmax = outputs.get(argmax_name).and_then(|v| v.try_extract_tensor::<i64>().ok()).map(|(_, v)| v);
            let contributions = outputs.get(contrib_name).and_then(|v| v.try_extract_tensor::<f32>().ok()).map(|(_, v)| v);
            match (argmax, contributions) {
                (Some(argmax), Some(contributions)) => {
                    let data_len = bytes.len().min(raw.max_len);
                    Some(explain(argmax, contributions, data_len, window))
                }
                _ => None,
            }
        }
        _ => None,
    };
    Ok(RawBytesOutput { score, explanation })
}

/// The byte regions behind a score: for the [`EXPLAINED_CHANNELS`] channels with the largest
/// positive contribution (pooled activation times the gradient of the logit), the window that
/// won each channel's global max-pool. Windows of padding are left out; a window won by several
/// channels is listed once with their contributions added. Weights are scaled so that the
/// strongest region has weight 1.
pub fn explain(argmax: &[i64], contributions: &[f32], data_len: usize, window: usize) -> Explanation {
    let mut channels: Vec<(usize, f32)> = contributions.iter().copied().enumerate().filter(|(_, c)| c.is_finite() && *c > 0.0).collect();
    channels.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut regions: Vec<ExplainedRegion> = Vec::new();
    for (channel, contribution) in channels.into_iter().take(EXPLAINED_CHANNELS) {
        let Some(index) = argmax.get(channel).and_then(|&i| u64::try_from(i).ok()) else { continue };
        let offset = index.saturating_mul(window as u64);
        let Some(remaining) = (data_len as u64).checked_sub(offset).filter(|r| *r > 0) else { continue };
        match regions.iter_mut().find(|r| r.offset == offset) {
            Some(region) => region.weight += f64::from(contribution),
            None => regions.push(ExplainedRegion { offset, length: remaining.min(window as u64), weight: f64::from(contribution) }),
        }
    }
    let strongest = regions.iter().map(|r| r.weight).fold(0.0, f64::max);
    if strongest > 0.0 {
        regions.iter_mut().for_each(|r| r.weight /= strongest);
    }
    regions.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.offset.cmp(&b.offset)));
    Explanation {
        regions,
        method: format!(
            "{window}-byte windows that won the global max-pool of the {EXPLAINED_CHANNELS} channels contributing most \
             to the score (pooled activation x gradient of the logit)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(window: Option<usize>) -> RawBytesInput {
        RawBytesInput { max_len: 2000, pad_value: 256, window }
    }

    #[test]
    fn pads_one_window_past_the_data() {
        assert_eq!(prepare(&[1; 10], &input(Some(500))).len(), 1000);
        assert_eq!(prepare(&[1; 500], &input(Some(500))).len(), 1000);
        assert_eq!(prepare(&[1; 501], &input(Some(500))).len(), 1500);
        assert_eq!(prepare(&[], &input(Some(500))).len(), 500);
        let prepared = prepare(&[7; 10], &input(Some(500)));
        assert_eq!(prepared.get(9), Some(&7));
        assert_eq!(prepared.get(10), Some(&256));
    }

    #[test]
    fn long_inputs_are_cut_and_padded_to_max_len() {
        assert_eq!(prepare(&[1; 1700], &input(Some(500))).len(), 2000);
        assert_eq!(prepare(&[1; 5000], &input(Some(500))).len(), 2000);
        assert_eq!(prepare(&[1; 10], &input(None)).len(), 2000);
    }

    #[test]
    fn explanation_skips_padding_and_merges_windows() {
        // Channel 0 and 2 pick window 1, channel 1 picks window 3 (padding for 1200 bytes),
        // channel 3 contributes negatively.
        let argmax = [1, 3, 1, 0];
        let contributions = [2.0, 5.0, 1.0, -4.0];
        let explanation = explain(&argmax, &contributions, 1200, 500);
        assert_eq!(explanation.regions, vec![ExplainedRegion { offset: 500, length: 500, weight: 1.0 }]);
        let explanation = explain(&[2, 0], &[1.0, 3.0], 1200, 500);
        assert_eq!(explanation.regions.len(), 2);
        assert_eq!(explanation.regions.first().map(|r| (r.offset, r.length)), Some((0, 500)));
        assert_eq!(explanation.regions.get(1).map(|r| (r.offset, r.length)), Some((1000, 200)));
        assert!((explanation.regions.get(1).map_or(0.0, |r| r.weight) - 1.0 / 3.0).abs() < 1e-9);
    }
}
