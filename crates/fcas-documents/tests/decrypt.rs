//! Encrypted Office documents decrypted as msoffcrypto-tool 6.1.0 decrypts them, on the
//! document corpus: the same files open, with the same password, to the same bytes
//! (`tests/fixtures/documents/reference/office.json`, field `decrypted`, from
//! `scripts/document-reference-office.py`): OOXML packages under Agile and Standard encryption,
//! Excel 97 to 2003 workbooks under RC4 and RC4 CryptoAPI with 40- and 128-bit keys (the whole
//! compound file, its `Workbook` stream decrypted in place, as msoffcrypto-tool writes it), and
//! Word 97 to 2003 documents (their `WordDocument`, table and `Data` streams decrypted in place)
//! and PowerPoint 97 to 2003 presentations (their persist objects decrypted in place).
//! Besides the default list, the user's password the reference tries too: `encrypted`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Read;

use fcas_documents::{
    decrypt_package, decrypt_presentation_document, decrypt_word_document, decrypt_workbook_document, Decryption, OFFICE_DEFAULT_PASSWORD,
};
use sha2::{Digest, Sha256};

/// The default list, then the password a user gives (`--password`) for oletools' test files.
const PASSWORDS: &[&str] = &["infected", "malware", "virus", "password", "encrypted"];
const MAX_SIZE: u64 = 256 << 20;

/// The `EncryptionInfo` and `EncryptedPackage` streams of an encrypted OOXML document.
fn streams(bytes: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut file = fcas_documents::open_compound(bytes).ok()?;
    let mut read = |name: &str| {
        let mut data = Vec::new();
        file.open_stream(name).ok()?.read_to_end(&mut data).ok()?;
        Some(data)
    };
    Some((read("/EncryptionInfo")?, read("/EncryptedPackage")?))
}

#[test]
fn decrypts_what_msoffcrypto_tool_decrypts_to_the_same_bytes() {
    let Some(corpus) = common::documents() else { return };
    let reference = common::reference("office.json");
    let (mut decrypted, mut refused, mut workbooks, mut words, mut presentations) = (0, 0, 0, 0, 0);
    let mut schemes = std::collections::BTreeSet::new();
    for (path, expected) in reference["files"].as_object().unwrap() {
        if expected["encrypted"] != true {
            continue;
        }
        let bytes = std::fs::read(corpus.join(path)).unwrap();
        let theirs = &expected["decrypted"];
        let decryption = match streams(&bytes) {
            Some((info, package)) => decrypt_package(&info, &package, PASSWORDS.iter().copied(), MAX_SIZE),
            None if is_workbook(&bytes) => {
                workbooks += 1;
                decrypt_workbook_document(&bytes, PASSWORDS.iter().copied(), MAX_SIZE)
            }
            None if is_stream(&bytes, fcas_documents::WORD_STREAM) => {
                words += 1;
                decrypt_word_document(&bytes, PASSWORDS.iter().copied(), MAX_SIZE)
            }
            None if is_stream(&bytes, fcas_documents::PRESENTATION_STREAM) => {
                presentations += 1;
                decrypt_presentation_document(&bytes, PASSWORDS.iter().copied(), MAX_SIZE)
            }
            None => panic!("{path}: an encrypted file of no kind FCAS decrypts"),
        };
        match decryption {
            Decryption::Decrypted { password, plain: package } => {
                assert!(!theirs.is_null(), "{path}: FCAS opened it with {password:?}, msoffcrypto-tool did not");
                assert_eq!(password, theirs["password"].as_str().unwrap(), "{path}");
                assert_eq!(package.len() as u64, theirs["size"].as_u64().unwrap(), "{path}");
                let sha256: String = Sha256::digest(&package).iter().map(|b| format!("{b:02x}")).collect();
                assert_eq!(sha256, theirs["sha256"].as_str().unwrap(), "{path}");
                let binary = fcas_documents::open_compound(&bytes).is_ok() && streams(&bytes).is_none();
                let magic: &[u8] = if binary { b"\xd0\xcf\x11\xe0" } else { b"PK\x03\x04" };
                assert!(package.starts_with(magic), "{path}: a package is a ZIP, a binary document a compound file");
                println!("{path}: decrypted with {password:?}");
                // Named when msoffcrypto-tool's VelvetSweatshop opened it.
                schemes.extend(expected["encryption_scheme"].as_str().map(str::to_string));
                decrypted += 1;
            }
            Decryption::NoPassword => {
                println!("{path}: no password of the list");
                assert!(theirs.is_null(), "{path}: msoffcrypto-tool opened it with {}", theirs["password"]);
                refused += 1;
            }
            Decryption::NotDecrypted(why) => panic!("{path}: not decrypted: {why}"),
        }
    }
    println!(
        "decrypted {decrypted}, no password of the list {refused}, workbooks {workbooks}, Word documents {words}, presentations {presentations}"
    );
    assert!(decrypted >= 21, "only {decrypted} documents decrypted");
    assert!(words >= 1 && presentations >= 1, "no encrypted Word document or presentation tried");
    let every: std::collections::BTreeSet<String> = ["agile", "rc4", "rc4_cryptoapi", "standard"].map(String::from).into();
    assert_eq!(schemes, every, "every scheme decrypted at least once");
    assert!(workbooks >= 6, "only {workbooks} encrypted workbooks tried");
    assert!(refused >= 1, "the files with a password not in the list must stay encrypted");
}

/// Whether `bytes` is a compound file holding a `Workbook` stream.
fn is_workbook(bytes: &[u8]) -> bool {
    is_stream(bytes, fcas_documents::WORKBOOK_STREAM)
}

/// Whether `bytes` is a compound file holding the stream `name`.
fn is_stream(bytes: &[u8], name: &str) -> bool {
    fcas_documents::open_compound(bytes).is_ok_and(|file| file.is_stream(name))
}

#[test]
fn a_wrong_password_list_opens_nothing_and_the_default_password_is_tried_once_first() {
    let Some(corpus) = common::documents() else { return };
    let path = "oletools/encrypted/dde-test-encrypt-standardpassword.xlsx";
    let (info, package) = streams(&std::fs::read(corpus.join(path)).unwrap()).unwrap();
    let opened = decrypt_package(&info, &package, ["wrong", OFFICE_DEFAULT_PASSWORD, "other"], MAX_SIZE);
    assert!(matches!(opened, Decryption::Decrypted { ref password, .. } if password == OFFICE_DEFAULT_PASSWORD));
    // Damaged: the package cut, its size over the limit, the descriptor cut.
    let cut = decrypt_package(&info, &package[..package.len() / 2], [], MAX_SIZE);
    assert!(matches!(cut, Decryption::NotDecrypted(ref why) if why.contains("declares")), "{cut:?}");
    let small = decrypt_package(&info, &package, [], 100);
    assert!(matches!(small, Decryption::NotDecrypted(ref why) if why.contains("over the limit")), "{small:?}");
    let descriptor = decrypt_package(&info[..info.len() / 2], &package, [], MAX_SIZE);
    assert!(matches!(descriptor, Decryption::NotDecrypted(_)), "{descriptor:?}");
}
