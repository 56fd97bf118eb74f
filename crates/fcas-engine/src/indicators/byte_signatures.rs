//! Packer marks found in the raw bytes, for formats whose packers leave no section names (UPX on
//! ELF and Mach-O writes `UPX!` into its loader header and a copyright string).
use fcas_report::{Evidence, Severity};

use super::{indicator, Indicator};

/// Only the start of the file holds the packer's header.
const HEADER_WINDOW: usize = 4096;

pub(super) fn evaluate(bytes: &[u8], already_packed: bool, found: &mut Vec<Indicator>) {
    if already_packed {
        return;
    }
    let head = &bytes[..bytes.len().min(HEADER_WINDOW)];
    let marker = memchr::memmem::find(head, b"UPX!");
    let banner = memchr::memmem::find(bytes, b"This file is packed with the UPX executable packer");
    if marker.is_some() || banner.is_some() {
        let mut ind = indicator("file.packer.upx", Severity::High, "Packed with UPX (loader header)", Some("T1027.002"));
        ind.evidence.extend(marker.map(|o| Evidence { offset: Some(o as u64), detail: Some("UPX! header".into()), ..Evidence::default() }));
        ind.evidence.extend(banner.map(|o| Evidence { offset: Some(o as u64), detail: Some("UPX banner".into()), ..Evidence::default() }));
        found.push(ind);
    }
}
