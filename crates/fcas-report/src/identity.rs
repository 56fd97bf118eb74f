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
    /// Rich Text Format document.
    Rtf,
    /// Windows shortcut (MS-SHLLINK).
    Lnk,
    /// OneNote section.
    OneNote,
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
    /// ISO 9660 CD/DVD image (with Joliet and Rock Ridge names when present).
    Iso,
    /// UDF disc image.
    Udf,
    /// Raw disk image: a FAT file system, or an MBR-partitioned disk (IMG).
    DiskImage,
    /// Microsoft Virtual Hard Disk (VHD).
    Vhd,
    /// Microsoft Virtual Hard Disk v2 (VHDX).
    Vhdx,
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

impl Format {
    /// The contract name (`pe`, `elf`, `sevenzip`, ...), as the report's JSON spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pe => "pe",
            Self::Elf => "elf",
            Self::Macho => "macho",
            Self::Msdos => "msdos",
            Self::Pdf => "pdf",
            Self::Rtf => "rtf",
            Self::Lnk => "lnk",
            Self::OneNote => "onenote",
            Self::Zip => "zip",
            Self::Jar => "jar",
            Self::Gzip => "gzip",
            Self::Bzip2 => "bzip2",
            Self::Xz => "xz",
            Self::Zstd => "zstd",
            Self::SevenZip => "sevenzip",
            Self::Rar => "rar",
            Self::Tar => "tar",
            Self::Cab => "cab",
            Self::Ar => "ar",
            Self::Ole => "ole",
            Self::Iso => "iso",
            Self::Udf => "udf",
            Self::DiskImage => "diskimage",
            Self::Vhd => "vhd",
            Self::Vhdx => "vhdx",
            Self::Class => "class",
            Self::Wasm => "wasm",
            Self::Png => "png",
            Self::Jpeg => "jpeg",
            Self::Gif => "gif",
            Self::Bmp => "bmp",
            Self::Ico => "ico",
            Self::Icns => "icns",
            Self::Font => "font",
            Self::Svg => "svg",
            Self::Html => "html",
            Self::Xml => "xml",
            Self::Script => "script",
            Self::Text => "text",
            Self::Empty => "empty",
            Self::Unknown => "unknown",
        }
    }

    /// Every format, for tests and for front ends that list them.
    pub const ALL: &'static [Format] = &[
        Format::Pe,
        Format::Elf,
        Format::Macho,
        Format::Msdos,
        Format::Pdf,
        Format::Rtf,
        Format::Lnk,
        Format::OneNote,
        Format::Zip,
        Format::Jar,
        Format::Gzip,
        Format::Bzip2,
        Format::Xz,
        Format::Zstd,
        Format::SevenZip,
        Format::Rar,
        Format::Tar,
        Format::Cab,
        Format::Ar,
        Format::Ole,
        Format::Iso,
        Format::Udf,
        Format::DiskImage,
        Format::Vhd,
        Format::Vhdx,
        Format::Class,
        Format::Wasm,
        Format::Png,
        Format::Jpeg,
        Format::Gif,
        Format::Bmp,
        Format::Ico,
        Format::Icns,
        Format::Font,
        Format::Svg,
        Format::Html,
        Format::Xml,
        Format::Script,
        Format::Text,
        Format::Empty,
        Format::Unknown,
    ];
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
