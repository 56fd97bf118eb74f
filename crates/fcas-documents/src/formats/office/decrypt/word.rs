//! Encrypted Word 97 to 2003 documents (MS-DOC 2.2.6, MS-OFFCRYPTO 2.3.6 and 2.3.5): the FIB's
//! `fEncrypted` flag says so, and the table stream (`0Table` or `1Table`, as `fWhichTblStm`
//! says) begins with the RC4 encryption header, `lKey` bytes long. The `WordDocument` stream
//! after its first 68 bytes (the FIB's base), the table stream and the `Data` stream are
//! encrypted with RC4 re-keyed every 512 bytes, counting from each stream's start.
//!
//! The decrypted document is the whole compound file with those streams decrypted in place,
//! the FIB saying it is not encrypted (`fEncrypted`, `fObfuscated` and `lKey` cleared), as
//! msoffcrypto-tool writes it; like it, the table stream is decrypted from its first byte, so
//! its (no longer needed) encryption header becomes noise.
use super::in_place::InPlace;
use super::rc4;
use super::{try_passwords, Decryption};
use crate::bytes::{u16_at, u32_at};

/// The stream holding a Word document's FIB and text.
pub const WORD_STREAM: &str = "/WordDocument";
const DATA_STREAM: &str = "/Data";
/// The FIB's flags word and its bits (MS-DOC 2.5.2).
const FIB_FLAGS: usize = 0x0A;
const FIB_ENCRYPTED: u16 = 0x0100;
const FIB_TABLE_ONE: u16 = 0x0200;
const FIB_OBFUSCATED: u16 = 0x8000;
/// `lKey`: the encryption header's size (or the XOR key).
const FIB_KEY: usize = 0x0E;
/// The bytes of `WordDocument` left in the clear.
const FIB_BASE: usize = 0x44;
/// Bytes of a stream under one RC4 key.
const BLOCK: usize = 512;

/// Whether a `WordDocument` stream starting with `prefix` is encrypted with RC4 (`fEncrypted`
/// without `fObfuscated`, which is XOR obfuscation).
pub fn word_is_encrypted(prefix: &[u8]) -> bool {
    u16_at(prefix, FIB_FLAGS).is_some_and(|flags| flags & FIB_ENCRYPTED != 0 && flags & FIB_OBFUSCATED == 0)
}

/// Decrypts an encrypted Word 97 to 2003 document, trying Office's default password, then
/// `passwords`. Streams larger than `max_size` together are not decrypted.
pub fn decrypt_word_document<'p>(document: &[u8], passwords: impl IntoIterator<Item = &'p str>, max_size: u64) -> Decryption {
    decrypt(document, passwords, max_size).unwrap_or_else(|why| why)
}

fn not_decrypted(why: impl Into<String>) -> Decryption {
    Decryption::NotDecrypted(why.into())
}

fn decrypt<'p>(document: &[u8], passwords: impl IntoIterator<Item = &'p str>, max_size: u64) -> Result<Decryption, Decryption> {
    let mut file = InPlace::open(document)?;
    if !file.has(WORD_STREAM) {
        return Err(not_decrypted("no WordDocument stream"));
    }
    let mut word = file.read(WORD_STREAM, max_size)?;
    let flags = u16_at(&word, FIB_FLAGS).ok_or_else(|| not_decrypted("the FIB is cut short"))?;
    if flags & FIB_ENCRYPTED == 0 {
        return Err(not_decrypted("the document is not encrypted (fEncrypted is clear)"));
    }
    if flags & FIB_OBFUSCATED != 0 {
        return Err(not_decrypted("XOR obfuscation is detected, not decrypted (FCAS decrypts RC4)"));
    }
    let table_name = if flags & FIB_TABLE_ONE != 0 { "/1Table" } else { "/0Table" };
    if !file.has(table_name) {
        return Err(not_decrypted(format!("no {} stream", &table_name[1..])));
    }
    let mut table = file.read(table_name, max_size)?;
    let mut data = if file.has(DATA_STREAM) { Some(file.read(DATA_STREAM, max_size)?) } else { None };
    let total = (word.len() + table.len() + data.as_ref().map_or(0, Vec::len)) as u64;
    if total > max_size {
        return Err(not_decrypted(format!("the document's streams hold {total} bytes, over the limit of {max_size}")));
    }
    let header_size = u32_at(&word, FIB_KEY).and_then(|size| usize::try_from(size).ok()).unwrap_or(0);
    let scheme = rc4::scheme(table.get(..header_size.min(table.len())).unwrap_or_default()).map_err(not_decrypted)?;
    let Some((password, key)) = try_passwords(passwords, |password| scheme.key(password)) else {
        return Ok(Decryption::NoPassword);
    };
    let damaged = || not_decrypted("the document is damaged");
    let decrypt = |stream: &mut Vec<u8>, from: usize| {
        let encrypted = from.min(stream.len())..stream.len();
        rc4::decrypt_ranges(&key, BLOCK, stream, &[encrypted])
    };
    decrypt(&mut word, FIB_BASE).ok_or_else(damaged)?;
    decrypt(&mut table, 0).ok_or_else(damaged)?;
    if let Some(data) = data.as_mut() {
        decrypt(data, 0).ok_or_else(damaged)?;
    }
    // The FIB says the document is no longer encrypted.
    let clear = flags & !(FIB_ENCRYPTED | FIB_OBFUSCATED);
    // A FIB shorter than its base was refused above; `get_mut` keeps a cut one from panicking.
    word.get_mut(FIB_FLAGS..FIB_FLAGS + 2).ok_or_else(damaged)?.copy_from_slice(&clear.to_le_bytes());
    word.get_mut(FIB_KEY..FIB_KEY + 4).ok_or_else(damaged)?.fill(0);
    file.write(WORD_STREAM, &word)?;
    file.write(table_name, &table)?;
    if let Some(data) = &data {
        file.write(DATA_STREAM, data)?;
    }
    Ok(file.finish(password))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// A compound file of `streams` (paths and bytes).
    fn compound(streams: &[(&str, &[u8])]) -> Vec<u8> {
        let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
        for (name, bytes) in streams {
            file.create_stream(name).unwrap().write_all(bytes).unwrap();
        }
        file.flush().unwrap();
        file.into_inner().into_inner()
    }

    fn fib(flags: u16, key: u32) -> Vec<u8> {
        let mut word = vec![0u8; 1024];
        word[FIB_FLAGS..FIB_FLAGS + 2].copy_from_slice(&flags.to_le_bytes());
        word[FIB_KEY..FIB_KEY + 4].copy_from_slice(&key.to_le_bytes());
        word
    }

    fn why(decryption: Decryption) -> String {
        match decryption {
            Decryption::NotDecrypted(why) => why,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn what_is_not_rc4_or_not_whole_says_why_it_is_not_decrypted() {
        let header = [1u8, 0, 1, 0].iter().chain([7u8; 48].iter()).copied().collect::<Vec<u8>>();
        let encrypted = fib(FIB_ENCRYPTED | FIB_TABLE_ONE, 52);
        assert!(word_is_encrypted(&encrypted));
        let plain = compound(&[(WORD_STREAM, &fib(0, 0)), ("/1Table", &header)]);
        assert!(why(decrypt_word_document(&plain, [], 1 << 20)).contains("not encrypted"));
        let xor = fib(FIB_ENCRYPTED | FIB_OBFUSCATED, 0);
        assert!(!word_is_encrypted(&xor));
        assert!(why(decrypt_word_document(&compound(&[(WORD_STREAM, &xor)]), [], 1 << 20)).contains("XOR"));
        assert!(why(decrypt_word_document(&compound(&[(WORD_STREAM, &encrypted)]), [], 1 << 20)).contains("no 1Table"));
        let whole = compound(&[(WORD_STREAM, &encrypted), ("/1Table", &header)]);
        assert!(why(decrypt_word_document(&whole, [], 100)).contains("over the limit"));
        // The header's size cut short of its salt and verifier.
        let cut = compound(&[(WORD_STREAM, &fib(FIB_ENCRYPTED | FIB_TABLE_ONE, 20)), ("/1Table", &header)]);
        assert!(why(decrypt_word_document(&cut, [], 1 << 20)).contains("cut short"));
        // A whole header whose verifier no password matches.
        assert_eq!(decrypt_word_document(&whole, ["a", "b"], 1 << 20), Decryption::NoPassword);
        assert!(why(decrypt_word_document(b"not a compound file", [], 1 << 20)).contains("damaged"));
        // A FIB cut inside lKey: no header size, so no scheme; never a panic.
        let short = compound(&[(WORD_STREAM, &fib(FIB_ENCRYPTED, 0)[..14]), ("/0Table", &header)]);
        assert!(why(decrypt_word_document(&short, [], 1 << 20)).contains("cut short"));
    }
}
