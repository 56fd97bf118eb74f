//! Opening a container in a test and what came out of it.
use fcas_extract::{Budget, Flow, Settings};
use fcas_report::{Extraction, Format};
use sha2::{Digest, Sha256};

/// The extraction and every child (name, bytes) of `bytes` opened as `format`.
pub fn open(format: Format, bytes: &[u8]) -> (Extraction, Vec<(String, Vec<u8>)>) {
    open_with(format, bytes, &Settings::default())
}

/// [`open`] with other settings.
pub fn open_with(format: Format, bytes: &[u8], settings: &Settings) -> (Extraction, Vec<(String, Vec<u8>)>) {
    let mut children = Vec::new();
    let mut budget = Budget::default();
    let extraction = fcas_extract::open(format, bytes, settings, &mut budget, &mut |child| {
        children.push((child.name, child.data.into_owned()));
        Flow::Continue
    })
    .unwrap_or_else(|| panic!("{format:?} is not a container"));
    (extraction, children)
}

/// The children's names, in order.
pub fn names(children: &[(String, Vec<u8>)]) -> Vec<&str> {
    children.iter().map(|(name, _)| name.as_str()).collect()
}

/// The SHA-256 of `bytes`, in hex.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Opens `bytes`, returning once the reader is done; a reader that panicked (caught by
/// `open`, which says so in its message) fails the test.
pub fn survive(format: Format, bytes: &[u8]) {
    let extraction = fcas_extract::open(format, bytes, &Settings::default(), &mut Budget::default(), &mut |_| Flow::Continue);
    let message = extraction.and_then(|e| e.message).unwrap_or_default();
    assert!(!fcas_report::stage::is_panic(&message), "{format:?} of {} bytes: {message}", bytes.len());
}

/// Every prefix of `bytes` (at `step`) and `bytes` with bytes overwritten at random places
/// open without a panic.
pub fn damage_never_panics(format: Format, bytes: &[u8], step: usize) {
    for length in (0..bytes.len()).step_by(step.max(1)) {
        survive(format, &bytes[..length]);
    }
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..200 {
        let mut damaged = bytes.to_vec();
        for _ in 0..8 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            if damaged.is_empty() {
                break;
            }
            let at = (state % damaged.len() as u64) as usize;
            damaged[at] = (state >> 32) as u8;
        }
        survive(format, &damaged);
    }
}

/// Random bytes of several sizes, and random bytes behind the format's magic, terminate.
pub fn garbage_is_a_value(format: Format, magic: &[u8]) {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for size in [0usize, 1, 7, 64, 511, 512, 4096, 40_000] {
        let mut bytes: Vec<u8> = (0..size)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        survive(format, &bytes);
        if bytes.len() >= magic.len() {
            bytes[..magic.len()].copy_from_slice(magic);
            survive(format, &bytes);
        }
    }
}
