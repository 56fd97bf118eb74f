//! EMBER's `process_raw_features`: raw dictionary -> 2381 float32 values, group by group.
use std::collections::BTreeSet;

use super::hasher::FeatureHasher;
use super::raw::*;
use super::DIM;

/// The data directories EMBER keeps, in its order (the first 15 of the file's 16).
const DATA_DIRECTORY_SLOTS: usize = 15;

/// Turns raw features into the vector EMBER-2018 models take.
pub fn vectorize(raw: &RawFeatures) -> Vec<f32> {
    let mut v = Vec::with_capacity(DIM);
    normalised(&mut v, &raw.histogram, 256);
    normalised(&mut v, &raw.byteentropy, 256);
    strings(&mut v, &raw.strings);
    general(&mut v, &raw.general);
    header(&mut v, &raw.header);
    sections(&mut v, &raw.section);
    imports(&mut v, &raw.imports);
    let mut exports = FeatureHasher::new(128);
    exports.add_strings(raw.exports.iter().map(String::as_str));
    v.extend(exports.into_f32());
    data_directories(&mut v, &raw.datadirectories);
    debug_assert_eq!(v.len(), DIM);
    v
}

/// Counts divided by their sum (all zero stays zero, as numpy's 0/0 is never reached: EMBER
/// only sees non-empty files).
fn normalised(v: &mut Vec<f32>, counts: &[u64], len: usize) {
    let total: u64 = counts.iter().sum();
    v.extend((0..len).map(|i| {
        let c = counts.get(i).copied().unwrap_or(0) as f32;
        if total == 0 {
            0.0
        } else {
            c / total as f32
        }
    }));
}

fn strings(v: &mut Vec<f32>, s: &StringFeatures) {
    let divisor = if s.printables > 0 { s.printables as f64 } else { 1.0 };
    v.push(s.numstrings as f32);
    v.push(s.avlength as f32);
    v.push(s.printables as f32);
    v.extend((0..96).map(|i| (s.printabledist.get(i).copied().unwrap_or(0) as f64 / divisor) as f32));
    v.extend([s.entropy as f32, s.paths as f32, s.urls as f32, s.registry as f32, s.mz as f32]);
}

fn general(v: &mut Vec<f32>, g: &GeneralFeatures) {
    v.extend(
        [g.size, g.vsize, g.has_debug, g.exports, g.imports, g.has_relocations, g.has_resources, g.has_signature, g.has_tls, g.symbols]
            .map(|x| x as f32),
    );
}

fn hashed_strings<'a>(v: &mut Vec<f32>, n: usize, names: impl IntoIterator<Item = &'a str>) {
    let mut h = FeatureHasher::new(n);
    h.add_strings(names);
    v.extend(h.into_f32());
}

fn header(v: &mut Vec<f32>, h: &HeaderFeatures) {
    let (c, o) = (&h.coff, &h.optional);
    v.push(c.timestamp as f32);
    hashed_strings(v, 10, [c.machine.as_str()]);
    hashed_strings(v, 10, c.characteristics.iter().map(String::as_str));
    hashed_strings(v, 10, [o.subsystem.as_str()]);
    hashed_strings(v, 10, o.dll_characteristics.iter().map(String::as_str));
    hashed_strings(v, 10, [o.magic.as_str()]);
    v.extend(
        [
            o.major_image_version,
            o.minor_image_version,
            o.major_linker_version,
            o.minor_linker_version,
            o.major_operating_system_version,
            o.minor_operating_system_version,
            o.major_subsystem_version,
            o.minor_subsystem_version,
            o.sizeof_code,
            o.sizeof_headers,
            o.sizeof_heap_commit,
        ]
        .map(|x| x as f32),
    );
}

fn sections(v: &mut Vec<f32>, s: &SectionFeatures) {
    let all = &s.sections;
    let has = |sec: &SectionFeature, prop: &str| sec.props.iter().any(|p| p == prop);
    v.extend(
        [
            all.len(),
            // EMBER's comment says "nonzero size" but the code counts zero-size sections.
            all.iter().filter(|x| x.size == 0).count(),
            all.iter().filter(|x| x.name.is_empty()).count(),
            all.iter().filter(|x| has(x, "MEM_READ") && has(x, "MEM_EXECUTE")).count(),
            all.iter().filter(|x| has(x, "MEM_WRITE")).count(),
        ]
        .map(|x| x as f32),
    );
    for value_of in [|x: &SectionFeature| x.size as f64, |x: &SectionFeature| x.entropy, |x: &SectionFeature| x.vsize as f64] {
        let mut h = FeatureHasher::new(50);
        for sec in all {
            h.add(&sec.name, value_of(sec));
        }
        v.extend(h.into_f32());
    }
    // The reference extractor hashes the entry section's name as one string (the original EMBER
    // code passed a bare string, which scikit-learn iterated character by character).
    hashed_strings(v, 50, [s.entry.as_str()]);
    let entry_props = all.iter().filter(|x| x.name == s.entry).flat_map(|x| x.props.iter().map(String::as_str));
    hashed_strings(v, 50, entry_props);
}

fn imports(v: &mut Vec<f32>, imports: &[(String, Vec<String>)]) {
    let libraries: BTreeSet<String> = imports.iter().map(|(lib, _)| lib.to_lowercase()).collect();
    hashed_strings(v, 256, libraries.iter().map(String::as_str));
    let mut functions = FeatureHasher::new(1024);
    for (lib, names) in imports {
        let lib = lib.to_lowercase();
        for name in names {
            functions.add(&format!("{lib}:{name}"), 1.0);
        }
    }
    v.extend(functions.into_f32());
}

fn data_directories(v: &mut Vec<f32>, dirs: &[DataDirectoryFeature]) {
    for i in 0..DATA_DIRECTORY_SLOTS {
        let (size, rva) = dirs.get(i).map(|d| (d.size, d.virtual_address)).unwrap_or((0, 0));
        v.extend([size as f32, rva as f32]);
    }
}
