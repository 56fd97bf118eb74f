use serde::{Deserialize, Serialize};

/// The detected kind of a file. Serialized in lowercase (`pe`, `elf`, `macho`, `pdf`, ...).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Format {
    /// Windows Portable Executable (`MZ` with a valid `PE\0\0` header).
    Pe,
    /// ELF object, executable or shared library.
    Elf,
    /// Mach-O, thin or fat (universal).
    Macho,
    /// A DOS `MZ` executable without a PE header.
    Msdos,
    /// PDF document.
    Pdf,
    /// ZIP archive.
    Zip,
    /// Java archive (a ZIP with a manifest).
    Jar,
    /// gzip stream.
    Gzip,
    /// bzip2 stream.
    Bzip2,
    /// xz stream.
    Xz,
    /// zstd stream.
    Zstd,
    /// 7-Zip archive.
    SevenZip,
    /// RAR archive.
    Rar,
    /// POSIX tar archive.
    Tar,
    /// Microsoft cabinet.
    Cab,
    /// Unix `ar` archive (static library, Debian package).
    Ar,
    /// Compound File Binary (legacy Office, MSI).
    Ole,
    /// Java class file.
    Class,
    /// WebAssembly module.
    Wasm,
    /// PNG image.
    Png,
    /// JPEG image.
    Jpeg,
    /// GIF image.
    Gif,
    /// BMP image.
    Bmp,
    /// Windows icon or cursor.
    Ico,
    /// macOS icon.
    Icns,
    /// Font (TrueType, OpenType, WOFF).
    Font,
    /// SVG image.
    Svg,
    /// HTML document.
    Html,
    /// XML document.
    Xml,
    /// A script (shebang, PowerShell, batch, JavaScript, VBScript, HTA, ...).
    Script,
    /// Other text.
    Text,
    /// Zero bytes.
    Empty,
    /// Nothing recognised.
    #[default]
    Unknown,
}

/// Description of the detected type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FileType {
    /// Short human description, e.g. `PE32+ executable (DLL) x86-64`.
    pub description: String,
    /// MIME type, e.g. `application/vnd.microsoft.portable-executable`.
    pub mime: String,
}

/// Cryptographic and fuzzy hashes of the whole file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Hashes {
    /// MD5, lowercase hex.
    pub md5: String,
    /// SHA-1, lowercase hex.
    pub sha1: String,
    /// SHA-256, lowercase hex.
    pub sha256: String,
    /// SHA-512, lowercase hex.
    pub sha512: String,
    /// ssdeep (context-triggered piecewise hash), as libfuzzy prints it.
    pub ssdeep: Option<String>,
    /// TLSH with the `T1` prefix; `None` where the reference prints `TNULL`.
    pub tlsh: Option<String>,
}

/// Entropy of one window of the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EntropyPoint {
    /// Offset of the window's first byte.
    pub offset: u64,
    /// Length of the window in bytes.
    pub length: u64,
    /// Shannon entropy, bits per byte.
    pub entropy: f64,
}
