//! TLSH (Trend Micro Locality Sensitive Hash) through `fast-tlsh`, which equals the reference
//! implementation (py-tlsh) including the `T1` prefix.
use ::tlsh::{FuzzyHashType, GeneratorType, Tlsh, TlshGenerator};

/// Streaming TLSH generator.
#[derive(Default)]
pub struct Generator(TlshGenerator);

impl Generator {
    /// A fresh generator.
    pub fn new() -> Self {
        Self(TlshGenerator::new())
    }

    /// Feeds the next bytes.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    /// The hash with its `T1` prefix, or `None` where the reference prints `TNULL` (under 50
    /// bytes, or too little variety in the data).
    pub fn digest(&self) -> Option<String> {
        self.0.finalize().ok().map(|hash| hash.to_string())
    }
}

/// TLSH of `bytes`, `None` where the reference prints `TNULL`.
pub fn digest(bytes: &[u8]) -> Option<String> {
    let mut generator = Generator::new();
    generator.update(bytes);
    generator.digest()
}

/// The standard TLSH distance (header, length and body; 0 for identical files, growing with
/// difference, unbounded above in principle) between two hashes with or without the `T1`
/// prefix. `None` if either is not a valid TLSH.
pub fn distance(a: &str, b: &str) -> Option<u32> {
    let a: Tlsh = a.parse().ok()?;
    let b: Tlsh = b.parse().ok()?;
    Some(a.compare(&b))
}
