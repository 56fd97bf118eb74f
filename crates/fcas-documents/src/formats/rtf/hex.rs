//! Hex digits of an `\objdata` destination turned into bytes as they come, so the hex text is
//! never held: whitespace is skipped, other characters are noise, a lone last digit is dropped.

/// Collects hex digits into bytes, up to a cap.
#[derive(Debug)]
pub(super) struct HexCollector {
    bytes: Vec<u8>,
    /// The high half of a byte whose low half has not come yet.
    pending: Option<u8>,
    cap: usize,
    cut: bool,
    tricks: Vec<&'static str>,
}

impl HexCollector {
    /// A collector keeping at most `cap` bytes.
    pub(super) fn new(cap: usize) -> Self {
        Self { bytes: Vec::new(), pending: None, cap, cut: false, tricks: Vec::new() }
    }

    /// Takes the hex digits of `text`; other characters than whitespace are noted as a trick.
    pub(super) fn push_text(&mut self, text: &[u8]) {
        let mut noise = false;
        for &byte in text {
            match nibble(byte) {
                Some(value) => self.push_nibble(value),
                None => noise |= !byte.is_ascii_whitespace() && byte != 0x0b,
            }
        }
        if noise {
            self.trick("non-hex characters");
        }
    }

    /// Takes raw bytes (`\bin` data) as if written in hex.
    pub(super) fn push_bytes(&mut self, raw: &[u8]) {
        for &byte in raw {
            if self.cut {
                return;
            }
            self.push_nibble(byte >> 4);
            self.push_nibble(byte & 0x0f);
        }
    }

    /// Forgets a half byte waiting for its other half.
    pub(super) fn drop_pending(&mut self) {
        self.pending = None;
    }

    /// Names an obfuscation trick seen in this data.
    pub(super) fn trick(&mut self, name: &'static str) {
        if !self.tricks.contains(&name) {
            self.tricks.push(name);
        }
    }

    /// The bytes, the tricks seen and whether the cap cut the data.
    pub(super) fn finish(mut self) -> (Vec<u8>, Vec<&'static str>, bool) {
        if self.pending.is_some() {
            self.trick("odd number of hex digits");
        }
        (self.bytes, self.tricks, self.cut)
    }

    fn push_nibble(&mut self, value: u8) {
        match self.pending.take() {
            None => self.pending = Some(value),
            Some(high) if self.bytes.len() < self.cap => self.bytes.push(high << 4 | value),
            Some(_) => self.cut = true,
        }
    }
}

fn nibble(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}
