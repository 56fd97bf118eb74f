//! Predictors of `/DecodeParms` (ISO 32000-1 7.4.4.4): PNG row filters (Predictor >= 10) and
//! TIFF predictor 2 for 8-bit components. Cross-reference and object streams use them.
use super::lexer::{Dictionary, Value};

/// Bytes per row at most (`/Columns` x `/Colors` x bits); larger parameters are an attack.
const MAX_ROW: usize = 1 << 24;

/// `data` with its predictor undone; `Ok(None)` when there is none to undo.
pub(crate) fn undo(data: &[u8], params: &Dictionary<'_>, cap: usize) -> Result<Option<Vec<u8>>, String> {
    let number = |key: &[u8], default: i64| params.get(key).and_then(Value::as_integer).unwrap_or(default);
    let predictor = number(b"Predictor", 1);
    if predictor <= 1 {
        return Ok(None);
    }
    let colors = usize::try_from(number(b"Colors", 1)).map_err(|_| "predictor: bad /Colors".to_string())?;
    let bits = usize::try_from(number(b"BitsPerComponent", 8)).map_err(|_| "predictor: bad /BitsPerComponent".to_string())?;
    let columns = usize::try_from(number(b"Columns", 1)).map_err(|_| "predictor: bad /Columns".to_string())?;
    let row_bits = columns.checked_mul(colors).and_then(|n| n.checked_mul(bits)).filter(|&n| n > 0 && n / 8 <= MAX_ROW);
    let row = row_bits.map(|n| n.div_ceil(8)).ok_or_else(|| "predictor: row size out of range".to_string())?;
    let pixel = (colors * bits).div_ceil(8).max(1);
    match predictor {
        2 if bits == 8 => Ok(Some(tiff(data, row, pixel))),
        2 => Err(format!("predictor: TIFF predictor with {bits}-bit components not decoded")),
        10..=15 => Ok(Some(png(data, row, pixel, cap))),
        other => Err(format!("predictor {other} not decoded")),
    }
}

fn tiff(data: &[u8], row: usize, pixel: usize) -> Vec<u8> {
    let mut out = data.to_vec();
    for line in out.chunks_mut(row) {
        for i in pixel..line.len() {
            line[i] = line[i].wrapping_add(line[i - pixel]);
        }
    }
    out
}

/// PNG rows: each starts with its filter type byte; the output has no type bytes.
fn png(data: &[u8], row: usize, pixel: usize, cap: usize) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(data.len().min(cap));
    let mut previous = vec![0u8; row];
    for line in data.chunks(row + 1) {
        let Some((&kind, raw)) = line.split_first() else { break };
        let mut current = raw.to_vec();
        for i in 0..current.len() {
            let left = if i >= pixel { current[i - pixel] } else { 0 };
            let up = previous.get(i).copied().unwrap_or(0);
            let up_left = if i >= pixel { previous.get(i - pixel).copied().unwrap_or(0) } else { 0 };
            let predicted = match kind {
                1 => left,
                2 => up,
                3 => ((u16::from(left) + u16::from(up)) / 2) as u8,
                4 => paeth(left, up, up_left),
                _ => 0,
            };
            current[i] = current[i].wrapping_add(predicted);
        }
        let room = cap.saturating_sub(out.len());
        out.extend_from_slice(current.get(..current.len().min(room)).unwrap_or_default());
        if current.len() > room {
            break;
        }
        previous[..current.len()].copy_from_slice(&current);
    }
    out
}

fn paeth(left: u8, up: u8, up_left: u8) -> u8 {
    let estimate = i16::from(left) + i16::from(up) - i16::from(up_left);
    let (a, b, c) = ((estimate - i16::from(left)).abs(), (estimate - i16::from(up)).abs(), (estimate - i16::from(up_left)).abs());
    if a <= b && a <= c {
        left
    } else if b <= c {
        up
    } else {
        up_left
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use std::borrow::Cow;

    use super::*;

    fn params(entries: &[(&'static [u8], i64)]) -> Dictionary<'static> {
        Dictionary { entries: entries.iter().map(|(k, v)| (Cow::Borrowed(*k), Value::Integer(*v))).collect() }
    }

    #[test]
    fn png_up_rows() {
        let data = [2, 1, 2, 2, 1, 1];
        let out = undo(&data, &params(&[(b"Predictor", 12), (b"Columns", 2)]), 100).unwrap().unwrap();
        assert_eq!(out, vec![1, 2, 2, 3]);
    }

    #[test]
    fn hostile_parameters_are_refused() {
        let huge = params(&[(b"Predictor", 12), (b"Columns", i64::MAX), (b"Colors", 4)]);
        assert!(undo(&[0; 10], &huge, 100).is_err());
        let negative = params(&[(b"Predictor", 12), (b"Columns", -1)]);
        assert!(undo(&[0; 10], &negative, 100).is_err());
        assert_eq!(undo(&[0; 10], &params(&[]), 100), Ok(None));
    }
}
