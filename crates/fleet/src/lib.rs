//! Connected mode: FCAS analyses served over HTTP by stateless workers (`fcas serve`), and the
//! client that spreads a batch over one or more of them (a load balancer URL or a list).
//!
//! The analyst's machine stays the system of record; workers only compute. A worker streams the
//! uploaded sample to a private temporary file, analyses it in an isolated child process
//! (`fcas worker --stdio`, see `fcas-isolate`) and answers with the same `Report` a local scan
//! gives, plus `provenance.worker`.
#![deny(missing_docs)]

pub mod auth;
pub mod client;
mod error;
pub mod isolation;
pub mod metrics;
pub mod openapi;
pub mod server;

pub use error::FleetError;

/// Request header carrying the sample's file name (the path as the analyst gave it).
pub const FILENAME_HEADER: &str = "x-fcas-filename";
/// Request header carrying the sample's expected SHA-256 (hex); the worker refuses a body that
/// does not match, so a retried upload is the same analysis (idempotent by content).
pub const SHA256_HEADER: &str = "x-fcas-sha256";
/// Request header carrying extra passwords for encrypted containers, each encoded as
/// [`encode_name`] does and joined by commas. A header, not the query: access logs record the
/// query, and passwords are never logged.
pub const PASSWORDS_HEADER: &str = "x-fcas-passwords";

/// Passwords as the value of [`PASSWORDS_HEADER`] (`,` is escaped inside each).
pub fn encode_passwords(passwords: &[String]) -> String {
    passwords.iter().map(|p| encode_name(p).replace(',', "%2C")).collect::<Vec<_>>().join(",")
}

/// The inverse of [`encode_passwords`]; empty passwords are dropped.
pub fn decode_passwords(value: &str) -> Vec<String> {
    value.split(',').map(decode_name).filter(|p| !p.is_empty()).collect()
}

/// Response header naming the worker that produced the report.
pub const WORKER_HEADER: &str = "x-fcas-worker";

/// The file name as a header value: printable ASCII kept, every other byte (and `%`)
/// percent-encoded, so any path survives the trip.
pub fn encode_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for byte in name.bytes() {
        if (0x20..0x7f).contains(&byte) && byte != b'%' {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The inverse of [`encode_name`] (malformed escapes are kept as they are; invalid UTF-8 is
/// replaced, as the engine does for non-UTF-8 paths).
pub fn decode_name(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        let escaped = (byte == b'%')
            .then(|| bytes.get(index + 1..index + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(decoded) => {
                out.push(decoded);
                index += 3;
            }
            None => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_survive_the_header_whatever_they_hold() {
        let passwords = vec!["s3cret".to_string(), "a,b".to_string(), "pässwörd %41".to_string()];
        let value = super::encode_passwords(&passwords);
        assert!(value.is_ascii() && !value.contains("a,b"), "{value}");
        assert_eq!(super::decode_passwords(&value), passwords);
        assert!(super::decode_passwords("").is_empty());
    }

    #[test]
    fn names_survive_encoding() {
        for name in ["plain.exe", "dir/with space/100%.bin", "caf\u{e9}/\u{1F600}.dll", "tab\tnewline\n"] {
            let encoded = super::encode_name(name);
            assert!(encoded.bytes().all(|b| (0x20..0x7f).contains(&b)), "{encoded}");
            assert_eq!(super::decode_name(&encoded), name);
        }
        assert_eq!(super::decode_name("bad%zzescape%4"), "bad%zzescape%4");
    }
}
