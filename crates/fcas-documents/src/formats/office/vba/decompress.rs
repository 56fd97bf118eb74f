//! MS-OVBA 2.4.1 CompressedContainer decompression (the `dir` stream, module source). Lenient
//! the way Office is (a short last chunk is kept), strict on what would read outside the input
//! or the output, and bounded: output stops at `cap` bytes.

/// Bytes a chunk decompresses to at most.
const CHUNK_SIZE: usize = 4096;

/// A decompressed container and whether it was cut at the cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decompressed {
    /// The bytes, at most the cap.
    pub(crate) bytes: Vec<u8>,
    /// Whether there was more to decompress than the cap allowed.
    pub(crate) truncated: bool,
}

/// Decompresses the container `data` (starting with its signature byte 0x01) into at most `cap`
/// bytes. `Err` when the container is malformed before any chunk could be read; a malformed
/// later chunk ends the output there, the bytes before it kept.
pub(crate) fn decompress(data: &[u8], cap: usize) -> Result<Decompressed, String> {
    match data.first() {
        Some(0x01) => {}
        Some(other) => return Err(format!("compressed container signature {other:#04x}, not 0x01")),
        None => return Err("empty compressed container".to_string()),
    }
    let mut out = Output { bytes: Vec::new(), cap, truncated: false };
    let mut at = 1;
    let mut chunks = 0usize;
    while at < data.len() && !out.truncated {
        match chunk(data, at, &mut out) {
            Ok(next) => at = next,
            // Garbage after good chunks (slack in the stream) is not an error of the source.
            Err(error) if chunks > 0 => {
                let _ = error;
                break;
            }
            Err(error) => return Err(error),
        }
        chunks += 1;
    }
    Ok(Decompressed { bytes: out.bytes, truncated: out.truncated })
}

/// The output, bounded by `cap`.
struct Output {
    bytes: Vec<u8>,
    cap: usize,
    truncated: bool,
}

impl Output {
    fn push(&mut self, byte: u8) {
        if self.bytes.len() < self.cap {
            self.bytes.push(byte);
        } else {
            self.truncated = true;
        }
    }
}

/// Decompresses the chunk at `start`; the offset of the next chunk.
fn chunk(data: &[u8], start: usize, out: &mut Output) -> Result<usize, String> {
    let header = data
        .get(start..start + 2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .ok_or_else(|| "compressed chunk header cut short".to_string())?;
    let size = usize::from(header & 0x0fff) + 3;
    if (header >> 12) & 0b111 != 0b011 {
        return Err(format!("compressed chunk signature wrong at offset {start}"));
    }
    let compressed = header & 0x8000 != 0;
    let end = start.saturating_add(size).min(data.len());
    let body = data.get(start + 2..end).unwrap_or_default();
    if !compressed {
        // A raw chunk is always 4096 bytes; Office writes it so even for the last one.
        body.iter().take(CHUNK_SIZE).for_each(|&b| out.push(b));
        return Ok(start + 2 + CHUNK_SIZE);
    }
    tokens(body, out)?;
    Ok(end)
}

/// Decodes a compressed chunk's token sequences.
fn tokens(body: &[u8], out: &mut Output) -> Result<(), String> {
    let chunk_start = out.bytes.len();
    let mut at = 0;
    while let Some(&flags) = body.get(at) {
        at += 1;
        for bit in 0..8 {
            if at >= body.len() || out.truncated {
                return Ok(());
            }
            if flags >> bit & 1 == 0 {
                out.push(body[at]);
                at += 1;
                continue;
            }
            let token = body.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]])).ok_or_else(|| "copy token cut short".to_string())?;
            at += 2;
            copy(token, chunk_start, out)?;
        }
    }
    Ok(())
}

/// Applies a copy token (MS-OVBA 2.4.1.3.19.2): the offset field's width grows with the
/// position in the chunk.
fn copy(token: u16, chunk_start: usize, out: &mut Output) -> Result<(), String> {
    let position = out.bytes.len() - chunk_start;
    let bit_count = bit_count(position);
    let length_mask = 0xffffu16 >> bit_count;
    let length = usize::from(token & length_mask) + 3;
    let offset = usize::from((token & !length_mask) >> (16 - bit_count)) + 1;
    if offset > position {
        return Err(format!("copy token reaches {offset} bytes back, {position} decompressed"));
    }
    let from = out.bytes.len() - offset;
    // Byte by byte: source and destination overlap when length > offset (run-length).
    for i in 0..length {
        let Some(&byte) = out.bytes.get(from + i) else { break };
        out.push(byte);
        if out.truncated {
            break;
        }
    }
    Ok(())
}

/// Bits of a copy token's offset field at `position` bytes into the chunk: ceil(log2), 4..=12.
fn bit_count(position: usize) -> u32 {
    let mut bits = 4;
    while bits < 12 && (1usize << bits) < position {
        bits += 1;
    }
    bits
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn hex(text: &str) -> Vec<u8> {
        let digits: Vec<u8> = text.bytes().filter(u8::is_ascii_hexdigit).collect();
        digits.chunks(2).map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap()).collect()
    }

    /// MS-OVBA 3.2.1: no compression possible.
    #[test]
    fn spec_example_no_compression() {
        let compressed = hex("01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E");
        let out = decompress(&compressed, 1 << 20).unwrap();
        assert_eq!(out.bytes, b"abcdefghijklmnopqrstuv.");
        assert!(!out.truncated);
    }

    /// MS-OVBA 3.2.2: normal compression.
    #[test]
    fn spec_example_normal_compression() {
        let compressed = hex("01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 30 6D 6E 6F 70 06 71 02 70 04 10 72 73 74 75 76 10 77 78 79 7A 00 3C");
        let out = decompress(&compressed, 1 << 20).unwrap();
        assert_eq!(out.bytes, b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa");
    }

    /// MS-OVBA 3.2.3: maximum compression (a run).
    #[test]
    fn spec_example_maximum_compression() {
        let compressed = hex("01 03 B0 02 61 45 00");
        let out = decompress(&compressed, 1 << 20).unwrap();
        // One literal, then a copy of 0x45 + 3 bytes.
        assert_eq!(out.bytes, vec![b'a'; 73]);
    }

    #[test]
    fn output_is_cut_at_the_cap() {
        let compressed = hex("01 03 B0 02 61 45 00");
        let out = decompress(&compressed, 10).unwrap();
        assert_eq!(out.bytes, vec![b'a'; 10]);
        assert!(out.truncated);
    }

    #[test]
    fn a_bomb_of_maximal_runs_stops_at_the_cap() {
        // Chunks of runs: each 4 KiB from a handful of bytes, a million of them.
        let mut chunk = vec![0xff, 0xbf, 0x00, 0x61];
        chunk.extend(std::iter::repeat_n([0xfe, 0xff], 4).flatten());
        let size = (chunk.len() - 3) as u16;
        chunk[0..2].copy_from_slice(&(0xb000 | size).to_le_bytes());
        let mut compressed = vec![0x01];
        for _ in 0..100_000 {
            compressed.extend_from_slice(&chunk);
        }
        let started = std::time::Instant::now();
        let out = decompress(&compressed, 1 << 16).unwrap();
        assert_eq!(out.bytes.len(), 1 << 16);
        assert!(out.truncated);
        assert!(started.elapsed().as_secs() < 5);
    }

    #[test]
    fn hostile_containers_are_errors_not_panics() {
        assert!(decompress(&[], 100).is_err());
        assert!(decompress(&[0x02, 0x00], 100).is_err());
        // A copy token before anything was decompressed.
        assert!(decompress(&[0x01, 0x03, 0xb0, 0x01, 0x00, 0x00], 100).is_err());
        // Wrong chunk signature.
        assert!(decompress(&[0x01, 0x03, 0x00, 0x00, 0x61], 100).is_err());
        // Every truncation of a good container is Ok or Err, never a panic.
        let good = hex("01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 30 6D 6E 6F 70 06 71 02 70 04 10 72 73 74 75 76 10 77 78 79 7A 00 3C");
        for cut in 0..good.len() {
            let _ = decompress(&good[..cut], 100);
        }
        // A raw chunk claiming 4096 bytes with 3 there.
        let out = decompress(&[0x01, 0xff, 0x3f, 1, 2, 3], 100).unwrap();
        assert_eq!(out.bytes, vec![1, 2, 3]);
    }
}
