//! The EMBER feature vector, version 2 (2381 values), as the EMBER-2018 models expect it.
//!
//! EMBER defines its features over LIEF's view of a PE. We compute the same raw features
//! ([`RawFeatures`], whose JSON shape is EMBER's own) from goblin and our own readers, copying the
//! LIEF 0.12 behaviours that change values, then turn them into the vector exactly as EMBER's
//! `process_raw_features` does. The two halves are tested apart: vectorising the reference raw
//! features must give the reference vector, and our raw features must equal the reference ones.
//! `docs/MODELS.md` lists where and why we differ from the reference extractor.
mod hasher;
mod lief_view;
mod raw;
mod strings;
mod vectorize;

pub use raw::*;
pub use vectorize::vectorize;

/// Number of values in an EMBER v2 vector.
pub const DIM: usize = 2381;

/// Computes the EMBER v2 vector of `bytes`. Non-PE input still gets a vector (EMBER's defaults for
/// the PE groups), as the reference extractor gives one; `Err` only for internal failures.
pub fn vector(bytes: &[u8]) -> Result<Vec<f32>, String> {
    Ok(vectorize(&raw_features(bytes)))
}

/// Computes EMBER's raw feature dictionary of `bytes`.
pub fn raw_features(bytes: &[u8]) -> RawFeatures {
    let pe = crate::formats::pe::parse(bytes).ok();
    let (histogram, byteentropy) = byte_groups(bytes);
    RawFeatures {
        sha256: String::new(),
        histogram,
        byteentropy,
        strings: strings::string_features(bytes),
        general: lief_view::general(pe.as_ref(), bytes),
        header: lief_view::header(pe.as_ref()),
        section: lief_view::sections(pe.as_ref(), bytes),
        imports: lief_view::imports(pe.as_ref()),
        exports: lief_view::exports(pe.as_ref(), bytes),
        datadirectories: lief_view::data_directories(pe.as_ref()),
    }
}

fn byte_groups(bytes: &[u8]) -> (Vec<u64>, Vec<u64>) {
    let mut histogram = [0u64; 256];
    crate::entropy::count_bytes(&mut histogram, bytes);
    (histogram.to_vec(), crate::entropy::byte_entropy_counts(bytes))
}
