//! The section table as reported: names, addresses, flags, entropy and md5 of the raw data.
use fcas_report::{PeReport, PeSection};

use fcas_report::hex;

use super::image::{md5_hex, Image, RawSection};
use super::names::{flags_of, SECTION_FLAGS};
use crate::entropy::shannon;

const SCN_CNT_CODE: u32 = 0x20;
const SCN_MEM_EXECUTE: u32 = 0x2000_0000;
const SCN_MEM_READ: u32 = 0x4000_0000;
const SCN_MEM_WRITE: u32 = 0x8000_0000;

/// Every section of `image`, in header order, cut at `max` entries, without the digests of
/// their data (see [`digests`]).
pub(crate) fn sections(image: &Image<'_>, max: usize, notes: &mut Vec<String>) -> Vec<PeSection> {
    if image.sections.len() > max {
        notes.push(format!("only the first {max} of {} sections are reported", image.sections.len()));
    }
    image.sections.iter().take(max).map(section).collect()
}

/// Entropy and md5 of one section's raw data, as pefile computes them on request.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionDigest {
    /// Shannon entropy, bits per byte.
    pub entropy: f64,
    /// MD5, lowercase hex.
    pub md5: String,
}

/// The digests of the sections [`sections`] reports, in the same order.
pub(crate) fn digests(image: &Image<'_>, max: usize) -> Vec<SectionDigest> {
    image
        .sections
        .iter()
        .take(max)
        .map(|s| {
            let data = s.raw_data(image.bytes);
            SectionDigest { entropy: shannon(data), md5: md5_hex(data) }
        })
        .collect()
}

/// Puts `digests` into the sections of `report`, in order.
pub(crate) fn add_digests(report: &mut PeReport, digests: Vec<SectionDigest>) {
    for (section, digest) in report.sections.iter_mut().zip(digests) {
        section.entropy = digest.entropy;
        section.md5 = digest.md5;
    }
}

fn section(s: &RawSection) -> PeSection {
    let c = s.characteristics;
    PeSection {
        name: s.name(),
        name_raw_hex: hex(&s.name_raw),
        virtual_address: s.virtual_address,
        virtual_size: s.virtual_size,
        raw_pointer: s.raw_pointer,
        raw_size: s.raw_size,
        characteristics: c,
        characteristics_flags: flags_of(SECTION_FLAGS, c),
        entropy: 0.0,
        md5: String::new(),
        is_code: c & SCN_CNT_CODE != 0,
        is_executable: c & SCN_MEM_EXECUTE != 0,
        is_writable: c & SCN_MEM_WRITE != 0,
        is_readable: c & SCN_MEM_READ != 0,
    }
}

/// Name of the section holding the entry point, found the way pefile maps RVAs.
pub(crate) fn entry_point_section(image: &Image<'_>, entry_point: u32) -> Option<String> {
    image.section_of(u64::from(entry_point)).map(RawSection::name)
}
