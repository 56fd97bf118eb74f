//! PE parts read from the data directories: resources, version info, signature, .NET.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Format;

/// One resource leaf (type -> name -> language).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeResource {
    /// Type name (`RT_ICON`, `RT_VERSION`, ...) or the custom name/id.
    pub kind: String,
    /// Numeric type id; `None` when the type is named by a string.
    pub type_id: Option<u32>,
    /// Resource name when it is a string.
    pub name: Option<String>,
    /// Resource id when it is a number.
    pub id: Option<u32>,
    /// Primary language id (low 10 bits of the language entry).
    pub language_id: u16,
    /// Sublanguage id (the bits above the primary language).
    pub sublanguage_id: u16,
    /// Primary language name (`LANG_ENGLISH`), empty when not a common one.
    pub language: String,
    /// Sublanguage name (`SUBLANG_ENGLISH_US`), empty when not a common one.
    pub sublanguage: String,
    /// RVA of the data, as written in the data entry.
    pub rva: u32,
    /// File offset of the data; `None` when the RVA maps outside the file.
    pub offset: Option<u64>,
    /// Size of the data, as written in the data entry.
    pub size: u32,
    /// Code page written in the data entry.
    pub code_page: u32,
    /// Bytes of the data actually present in the file (less than `size` when truncated).
    pub size_in_file: u64,
    /// Shannon entropy of the bytes present; `None` when the analysis budget was spent.
    pub entropy: Option<f64>,
    /// What the data looks like by its magic bytes (`pe` for an embedded executable).
    pub content: Format,
}

/// The `VS_VERSIONINFO` resource: fixed file info and every string table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeVersionInfo {
    /// StringFileInfo key/value pairs of every string table (later tables win on equal keys).
    pub strings: BTreeMap<String, String>,
    /// Language/code page ids of the string tables (e.g. `040904b0`), in file order.
    pub string_tables: Vec<String>,
    /// `VS_FIXEDFILEINFO` of the first version resource that has one.
    pub fixed: Option<PeFixedFileInfo>,
}

/// `VS_FIXEDFILEINFO`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeFixedFileInfo {
    /// Binary file version as `a.b.c.d`.
    pub file_version: String,
    /// Binary product version as `a.b.c.d`.
    pub product_version: String,
    /// `dwFileFlags` masked by `dwFileFlagsMask`.
    pub file_flags: u32,
    /// `dwFileOS`.
    pub file_os: u32,
    /// `dwFileType` (1 application, 2 DLL, 3 driver, ...).
    pub file_type: u32,
    /// `dwFileSubtype`.
    pub file_subtype: u32,
}

/// Authenticode signature facts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeAuthenticode {
    /// The security directory is present and non-empty.
    pub present: bool,
    /// The security directory's address: a file offset, not an RVA.
    pub security_dir_offset: u32,
    /// The security directory's size in bytes.
    pub security_dir_size: u32,
    /// `WIN_CERTIFICATE` entries of the directory.
    pub entries: Vec<PeWinCertificate>,
    /// The first PKCS#7 SignedData, when one parsed.
    pub signature: Option<PeSignature>,
    /// Why the directory or its signature could not be read, when it could not.
    pub malformed: Option<String>,
}

/// One `WIN_CERTIFICATE` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeWinCertificate {
    /// File offset of the entry.
    pub offset: u64,
    /// `dwLength`, header included.
    pub length: u32,
    /// `wRevision` (0x0200 for the current format).
    pub revision: u16,
    /// `wCertificateType` (2 = PKCS#7 SignedData).
    pub certificate_type: u16,
    /// Name of the certificate type (`PKCS_SIGNED_DATA`, `X509`, ...).
    pub certificate_type_name: String,
}

/// A PKCS#7 SignedData (the Authenticode signature itself).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeSignature {
    /// Digest algorithm of the signer (`sha256`, `sha1`, ... or the OID).
    pub digest_algorithm: String,
    /// Digest of the file as signed (SpcIndirectDataContent), lowercase hex.
    pub signed_digest: String,
    /// Algorithm of `signed_digest` (`sha256`, `sha1`, ... or the OID).
    pub signed_digest_algorithm: String,
    /// The file's Authenticode digest computed here with that algorithm, lowercase hex; empty
    /// when the algorithm is not supported or the headers do not allow it.
    pub computed_digest: String,
    /// `computed_digest` equals `signed_digest`: the file was not modified after signing
    /// (`None` when either is missing). The signature itself is not verified.
    pub digest_matches: Option<bool>,
    /// Issuer of the signer's certificate (RFC 4514 style).
    pub signer_issuer: String,
    /// Serial number of the signer's certificate, lowercase hex.
    pub signer_serial: String,
    /// Signing time, RFC 3339 UTC, when the signature carries one.
    pub signing_time: Option<String>,
    /// Where `signing_time` came from: `signing_time`, `counter_signature` or `rfc3161_timestamp`.
    pub signing_time_source: Option<String>,
    /// Every certificate embedded in the SignedData (timestamping ones included).
    pub certificates: Vec<PeCertificate>,
    /// The signer's certificate is self-signed (its subject is its issuer); a chain that cannot
    /// lead to a public root.
    pub self_signed: bool,
    /// Further signatures nested in unauthenticated attributes (dual signing).
    pub nested_signatures: u32,
}

/// One X.509 certificate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeCertificate {
    /// Subject distinguished name (RFC 4514 style).
    pub subject: String,
    /// Issuer distinguished name (RFC 4514 style).
    pub issuer: String,
    /// Serial number, lowercase hex.
    pub serial_number: String,
    /// Start of validity, RFC 3339 UTC.
    pub not_before: String,
    /// End of validity, RFC 3339 UTC.
    pub not_after: String,
    /// Subject equals issuer.
    pub self_signed: bool,
}

/// .NET CLR (COR20) header facts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeClr {
    /// Runtime version string from the metadata root (e.g. `v4.0.30319`).
    pub runtime_version: Option<String>,
    /// `cb`: size of the COR20 header.
    pub header_size: u32,
    /// `MajorRuntimeVersion` of the header.
    pub major_runtime_version: u16,
    /// `MinorRuntimeVersion` of the header.
    pub minor_runtime_version: u16,
    /// Raw `Flags`.
    pub flags: u32,
    /// COMIMAGE_FLAGS_ILONLY.
    pub il_only: bool,
    /// COMIMAGE_FLAGS_32BITREQUIRED.
    pub requires_32bit: bool,
    /// COMIMAGE_FLAGS_32BITPREFERRED.
    pub prefers_32bit: bool,
    /// COMIMAGE_FLAGS_STRONGNAMESIGNED.
    pub strong_name_signed: bool,
    /// COMIMAGE_FLAGS_NATIVE_ENTRYPOINT.
    pub native_entry_point: bool,
    /// Entry point token, or RVA of the native entry point.
    pub entry_point: u32,
    /// RVA of the metadata root.
    pub metadata_rva: u32,
    /// Size of the metadata.
    pub metadata_size: u32,
    /// Metadata stream names (`#~`, `#Strings`, `#US`, `#GUID`, `#Blob`, ...).
    pub streams: Vec<String>,
}
