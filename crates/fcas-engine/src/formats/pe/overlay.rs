//! The overlay: bytes past the furthest end of the headers, sections and data directories
//! (pefile's `get_overlay_data_start_offset`).
use fcas_report::{PeDataDirectory, PeOverlay};

use super::image::Image;

/// The security directory holds a file offset and is part of the overlay by design.
const SECURITY_DIRECTORY: u32 = 4;

/// Where the overlay starts and how long it is.
pub(crate) fn overlay(
    image: &Image<'_>,
    optional_header: usize,
    size_of_optional_header: u16,
    directories: &[PeDataDirectory],
) -> PeOverlay {
    let file_len = image.bytes.len() as u64;
    let mut end = 0u64;
    let mut consider = |offset: u64, size: u64| {
        let candidate = offset.saturating_add(size);
        if end < candidate && candidate <= file_len {
            end = candidate;
        }
    };
    consider(optional_header as u64, u64::from(size_of_optional_header));
    for section in &image.sections {
        consider(u64::from(section.raw_pointer), u64::from(section.raw_size));
    }
    for directory in directories.iter().filter(|d| d.index != SECURITY_DIRECTORY) {
        if let Some(offset) = image.offset_of(u64::from(directory.virtual_address)) {
            consider(offset, u64::from(directory.size));
        }
    }
    if file_len > end {
        PeOverlay { offset: Some(end), size: file_len - end }
    } else {
        PeOverlay::default()
    }
}
