//! Authenticode: the security directory's `WIN_CERTIFICATE` entries and the PKCS#7 signature.
use std::ops::Range;

use fcas_report::{PeAuthenticode, PeWinCertificate};
use goblin::pe::PE;
use sha2::Digest;

use fcas_report::hex;

use super::pkcs7::parse_signed_data;
use super::rva::{data_directory, u16_at, u32_at};
use crate::Limits;

const SECURITY_DIRECTORY: usize = 4;
/// `dwLength`, `wRevision`, `wCertificateType`.
const WIN_CERTIFICATE_HEADER: usize = 8;
const WIN_CERT_TYPE_PKCS_SIGNED_DATA: u16 = 2;
/// From the PE signature to the optional header, and from there to its `CheckSum`.
const OPTIONAL_HEADER_FROM_PE: usize = 24;
const CHECKSUM_IN_OPTIONAL_HEADER: usize = 64;
/// Where the data directories start in a PE32 and a PE32+ optional header.
const DIRECTORIES_PE32: usize = 96;
const DIRECTORIES_PE32_PLUS: usize = 112;
const DIRECTORY_ENTRY_SIZE: usize = 8;

/// The security directory, when the data directory entry is set. Its address is a file offset.
pub(crate) fn authenticode(pe: &PE<'_>, bytes: &[u8], limits: &Limits, notes: &mut Vec<String>) -> Option<PeAuthenticode> {
    let (offset, size) = data_directory(pe, SECURITY_DIRECTORY)?;
    let mut report = PeAuthenticode {
        present: offset != 0 && size != 0,
        security_dir_offset: offset,
        security_dir_size: size,
        ..PeAuthenticode::default()
    };
    if !report.present {
        return Some(report);
    }
    let start = offset as usize;
    let Some(directory) = bytes.get(start..) else {
        report.malformed = Some(format!("the security directory at offset {offset:#x} lies beyond the end of the file"));
        notes.push("Authenticode: the security directory lies beyond the end of the file".into());
        return Some(report);
    };
    let directory = match directory.get(..size as usize) {
        Some(whole) => whole,
        None => {
            report.malformed = Some(format!("the security directory is cut off: {} of {size} bytes are in the file", directory.len()));
            directory
        }
    };
    read_entries(directory, start as u64, limits, &mut report);
    if let Some(signature) = report.signature.as_mut() {
        let table = start..start.saturating_add(size as usize);
        signature.computed_digest = authenticode_digest(pe, bytes, &signature.signed_digest_algorithm, table).unwrap_or_default();
        if !signature.computed_digest.is_empty() && !signature.signed_digest.is_empty() {
            signature.digest_matches = Some(signature.computed_digest == signature.signed_digest);
        }
    }
    if let Some(reason) = &report.malformed {
        notes.push(format!("Authenticode: {reason}"));
    }
    Some(report)
}

/// Walks the `WIN_CERTIFICATE` entries (each 8-byte aligned) and reads the first PKCS#7 one.
fn read_entries(directory: &[u8], file_offset: u64, limits: &Limits, report: &mut PeAuthenticode) {
    let mut at = 0usize;
    while at < directory.len() {
        if report.entries.len() >= limits.max_table_entries {
            report.malformed.get_or_insert_with(|| format!("more than {} certificate entries", limits.max_table_entries));
            return;
        }
        let (Some(length), Some(revision), Some(certificate_type)) =
            (u32_at(directory, at), u16_at(directory, at + 4), u16_at(directory, at + 6))
        else {
            report.malformed.get_or_insert_with(|| format!("certificate entry at offset {:#x} is cut off", file_offset + at as u64));
            return;
        };
        if (length as usize) < WIN_CERTIFICATE_HEADER {
            report.malformed.get_or_insert_with(|| {
                format!("certificate entry at offset {:#x} has an invalid length {length}", file_offset + at as u64)
            });
            return;
        }
        report.entries.push(PeWinCertificate {
            offset: file_offset + at as u64,
            length,
            revision,
            certificate_type,
            certificate_type_name: certificate_type_name(certificate_type).to_string(),
        });
        let end = at.saturating_add(length as usize);
        let body = directory.get(at + WIN_CERTIFICATE_HEADER..end.min(directory.len())).unwrap_or(&[]);
        if certificate_type == WIN_CERT_TYPE_PKCS_SIGNED_DATA && report.signature.is_none() {
            match parse_signed_data(body, limits.max_table_entries) {
                Ok(signature) => report.signature = Some(signature),
                Err(error) => {
                    report.malformed.get_or_insert_with(|| error.to_string());
                }
            }
        }
        // Entries are padded to 8 bytes.
        at = end.saturating_add(7) & !7;
    }
}

/// The Authenticode digest of the file: every byte but the checksum, the security directory
/// entry and the certificate table. `None` for an unsupported algorithm or headers that overlap
/// the table.
fn authenticode_digest(pe: &PE<'_>, bytes: &[u8], algorithm: &str, table: Range<usize>) -> Option<String> {
    let optional_header = (pe.header.dos_header.pe_pointer as usize).checked_add(OPTIONAL_HEADER_FROM_PE)?;
    let checksum = optional_header.checked_add(CHECKSUM_IN_OPTIONAL_HEADER)?;
    let directories = optional_header.checked_add(if pe.is_64 { DIRECTORIES_PE32_PLUS } else { DIRECTORIES_PE32 })?;
    let security_entry = directories.checked_add(SECURITY_DIRECTORY * DIRECTORY_ENTRY_SIZE)?;
    let pieces = [
        bytes.get(..checksum)?,
        bytes.get(checksum.checked_add(4)?..security_entry)?,
        bytes.get(security_entry.checked_add(DIRECTORY_ENTRY_SIZE)?..table.start)?,
        bytes.get(table.end.min(bytes.len())..)?,
    ];
    Some(match algorithm {
        "md5" => digest_of::<md5::Md5>(&pieces),
        "sha1" => digest_of::<sha1::Sha1>(&pieces),
        "sha256" => digest_of::<sha2::Sha256>(&pieces),
        "sha384" => digest_of::<sha2::Sha384>(&pieces),
        "sha512" => digest_of::<sha2::Sha512>(&pieces),
        _ => return None,
    })
}

fn digest_of<D: Digest>(pieces: &[&[u8]]) -> String {
    let mut hasher = D::new();
    for piece in pieces {
        hasher.update(piece);
    }
    hex(&hasher.finalize())
}

fn certificate_type_name(certificate_type: u16) -> &'static str {
    match certificate_type {
        1 => "X509",
        2 => "PKCS_SIGNED_DATA",
        3 => "RESERVED_1",
        4 => "TS_STACK_SIGNED",
        _ => "UNKNOWN",
    }
}
