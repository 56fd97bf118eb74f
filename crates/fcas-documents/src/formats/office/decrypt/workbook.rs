//! Encrypted Excel 97 to 2003 workbooks (MS-XLS 2.2.10): a `FilePass` record at the start of
//! the `Workbook` stream names the scheme; every record after the headers is encrypted in place
//! with RC4, re-keyed every 1,024 bytes of the stream, except the records that must stay
//! readable. The decrypted stream has the `FilePass` record blanked (type 0, its length kept,
//! as msoffcrypto-tool writes it), so that a reader sees a workbook that is not encrypted.
use super::in_place::InPlace;
use super::rc4::{self, Scheme};
use super::{try_passwords, Decryption};
use crate::bytes::u16_at;
use crate::formats::office::xlm::biff::{
    records, BOF, BOUNDSHEET as BOUND_SHEET, FILEPASS as FILE_PASS, FILEPASS_WITHIN as FILE_PASS_WITHIN,
};

/// Records never encrypted (2.2.10): BOF, FilePass, UsrExcl, FileLock, InterfaceHdr, RRDInfo,
/// RRDHead. A BoundSheet8 keeps its first 4 bytes (the sheet's stream position) in the clear.
const CLEAR: [u16; 7] = [BOF, FILE_PASS, 0x0194, 0x0195, 0x00E1, 0x0196, 0x0138];
/// Bytes of the stream under one RC4 key.
const BLOCK: usize = 1024;

/// Whether a `Workbook` stream starting with `prefix` is encrypted (a `FilePass` record among
/// its first records).
pub fn workbook_is_encrypted(prefix: &[u8]) -> bool {
    records(prefix, 0).take(FILE_PASS_WITHIN).any(|record| record.kind == FILE_PASS)
}

/// Decrypts an encrypted `Workbook` stream, trying Office's default password (what Excel uses
/// for a workbook protected only against changes), then `passwords`.
pub fn decrypt_workbook<'p>(workbook: &[u8], passwords: impl IntoIterator<Item = &'p str>) -> Decryption {
    let Some(file_pass) = records(workbook, 0).take(FILE_PASS_WITHIN).find(|record| record.kind == FILE_PASS) else {
        return Decryption::NotDecrypted("the workbook is not encrypted (no FilePass record)".to_string());
    };
    let scheme = match scheme(file_pass.data) {
        Ok(scheme) => scheme,
        Err(why) => return Decryption::NotDecrypted(why),
    };
    let Some((password, key)) = try_passwords(passwords, |password| scheme.key(password)) else {
        return Decryption::NoPassword;
    };
    let mut plain = workbook.to_vec();
    let mut encrypted = Vec::new();
    for record in records(workbook, 0) {
        match record.kind {
            FILE_PASS => {
                plain[record.start..record.start + 2].fill(0);
                plain[record.body()].fill(0);
            }
            kind if CLEAR.contains(&kind) => {}
            BOUND_SHEET => encrypted.push((record.body().start + 4).min(record.body().end)..record.body().end),
            _ => encrypted.push(record.body()),
        }
    }
    match rc4::decrypt_ranges(&key, BLOCK, &mut plain, &encrypted) {
        Some(()) => Decryption::Decrypted { password, plain },
        None => Decryption::NotDecrypted("the workbook is damaged".to_string()),
    }
}

/// The stream of a compound file that holds an Excel 97 to 2003 workbook.
pub const WORKBOOK_STREAM: &str = "/Workbook";

/// Decrypts an encrypted Excel 97 to 2003 document: `Decrypted.plain` is the whole compound
/// file with its `Workbook` stream decrypted in place (same size, same sectors, every other
/// byte as it was), which is what msoffcrypto-tool writes too. A workbook stream larger than
/// `max_size` is not decrypted.
pub fn decrypt_workbook_document<'p>(document: &[u8], passwords: impl IntoIterator<Item = &'p str>, max_size: u64) -> Decryption {
    let decrypt = || -> Result<Decryption, Decryption> {
        let mut file = InPlace::open(document)?;
        let workbook = file.read(WORKBOOK_STREAM, max_size)?;
        if workbook.len() as u64 > max_size {
            return Ok(Decryption::NotDecrypted(format!("the workbook stream is over the limit of {max_size} bytes")));
        }
        let (password, plain) = match decrypt_workbook(&workbook, passwords) {
            Decryption::Decrypted { password, plain } => (password, plain),
            other => return Ok(other),
        };
        file.write(WORKBOOK_STREAM, &plain)?;
        Ok(file.finish(password))
    };
    decrypt().unwrap_or_else(|why| why)
}

/// The scheme a `FilePass` record's body names (2.4.117): its encryption type, then the RC4
/// encryption header Word keeps at the start of its table stream.
fn scheme(body: &[u8]) -> Result<Scheme, String> {
    match u16_at(body, 0) {
        Some(0) => Err("XOR obfuscation is detected, not decrypted (FCAS decrypts RC4)".to_string()),
        Some(1) => rc4::scheme(body.get(2..).unwrap_or_default()),
        Some(kind) => Err(format!("encryption type {kind} is not decrypted")),
        None => Err("the FilePass record is cut short".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: u16, body: &[u8]) -> Vec<u8> {
        let mut bytes = kind.to_le_bytes().to_vec();
        bytes.extend((body.len() as u16).to_le_bytes());
        bytes.extend_from_slice(body);
        bytes
    }

    #[test]
    fn only_a_file_pass_near_the_start_makes_a_workbook_encrypted() {
        let bof = record(BOF, &[0; 16]);
        let xor = record(FILE_PASS, &[0, 0, 1, 2, 3, 4]);
        let plain = [bof.clone(), record(0x0042, &[1, 2])].concat();
        assert!(!workbook_is_encrypted(&plain));
        assert!(workbook_is_encrypted(&[bof.clone(), xor.clone()].concat()));
        let late = [bof.clone(), record(1, &[]), record(2, &[]), record(3, &[]), record(4, &[]), xor.clone()].concat();
        assert!(!workbook_is_encrypted(&late));
        assert!(!workbook_is_encrypted(&[]));
        let why = |decryption| match decryption {
            Decryption::NotDecrypted(why) => why,
            other => panic!("{other:?}"),
        };
        assert!(why(decrypt_workbook(&[bof.clone(), xor].concat(), [])).starts_with("XOR obfuscation"));
        assert!(why(decrypt_workbook(&plain, [])).contains("not encrypted"));
        // A FilePass cut short, and one naming a version that does not exist.
        assert!(why(decrypt_workbook(&[bof.clone(), record(FILE_PASS, &[1, 0, 1, 0, 1, 0, 9])].concat(), [])).contains("cut short"));
        assert!(why(decrypt_workbook(&[bof.clone(), record(FILE_PASS, &[1, 0, 9, 0, 9, 0])].concat(), [])).contains("version 9.9"));
        // A record's header claiming more than the stream holds ends the records, no panic.
        let cut = [bof, record(FILE_PASS, &[1, 0, 1, 0, 1, 0]), vec![0x42, 0, 0xff, 0xff, 1]].concat();
        assert!(matches!(decrypt_workbook(&cut, []), Decryption::NotDecrypted(_)));
        assert!(matches!(decrypt_workbook(&cut[..cut.len() - 8], []), Decryption::NotDecrypted(_)));
    }
}
