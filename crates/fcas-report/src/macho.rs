use serde::{Deserialize, Serialize};

/// Mach-O structure: one entry per slice (a thin file has one).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MachoReport {
    /// Whether the file is a fat (universal) container.
    pub fat: bool,
    /// Architectures the fat header declares (including slices that could not be read).
    pub declared_slices: u32,
    /// Slices in file order; a slice that cannot be read is left out and explained in the
    /// stage's errors. *Contract.*
    pub slices: Vec<MachoSlice>,
}

/// One architecture slice.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MachoSlice {
    /// Offset of the slice in the file (0 for a thin file).
    pub fat_offset: u64,
    /// Size of the slice in bytes.
    pub size: u64,
    /// CPU type as LIEF prints it: `X86_64`, `ARM64`, `X86`, `ARM`, `POWERPC`, ... (decimal when unknown).
    pub cpu: String,
    /// Raw `cpusubtype` (capability bits included).
    pub cpu_subtype: u32,
    /// `MAGIC`, `MAGIC_64`, `CIGAM` or `CIGAM_64`.
    pub magic: String,
    /// File type as LIEF prints it: `EXECUTE`, `DYLIB`, `BUNDLE`, `OBJECT`, ...
    pub file_type: String,
    /// Header flags.
    pub flags: u32,
    /// Names of the header flags set (`NOUNDEFS`, `DYLDLINK`, `TWOLEVEL`, `PIE`, ...).
    pub flag_names: Vec<String>,
    /// `ncmds` as declared (may exceed what `sizeofcmds` holds).
    pub declared_commands: u32,
    /// `sizeofcmds`.
    pub commands_size: u32,
    /// Load commands read, in order.
    pub load_commands: Vec<MachoLoadCommand>,
    /// Segments (`LC_SEGMENT`/`LC_SEGMENT_64`) in order.
    pub segments: Vec<MachoSegment>,
    /// Sections of every segment, in order.
    pub sections: Vec<MachoSection>,
    /// Linked libraries' install names (`LC_LOAD_DYLIB` and friends), in order.
    pub libraries: Vec<String>,
    /// Linked libraries with their command and versions.
    pub dylibs: Vec<MachoDylib>,
    /// Install name of the image itself (`LC_ID_DYLIB`).
    pub install_name: Option<String>,
    /// Dynamic linker (`LC_LOAD_DYLINKER`).
    pub dylinker: Option<String>,
    /// Run-path search entries (`LC_RPATH`).
    pub rpaths: Vec<String>,
    /// Undefined external symbols of the symbol table, in table order.
    pub imported_symbols: Vec<String>,
    /// Symbols of the export trie, in trie order.
    pub exported_symbols: Vec<String>,
    /// Entry point virtual address (LC_MAIN: `__TEXT` base plus `entryoff`; LC_UNIXTHREAD: the
    /// thread's program counter). `None` when the image has neither.
    pub entry_point: Option<u64>,
    /// `LC_UUID` as 32 lowercase hex digits.
    pub uuid: Option<String>,
    /// `LC_BUILD_VERSION`.
    pub build_version: Option<MachoBuildVersion>,
    /// `LC_VERSION_MIN_*`.
    pub version_min: Option<MachoVersionMin>,
    /// Whether the slice has an `LC_CODE_SIGNATURE` command.
    pub has_code_signature: bool,
    /// Location of the code signature blob.
    pub code_signature: Option<MachoDataRange>,
    /// `LC_ENCRYPTION_INFO(_64)`.
    pub encryption: Option<MachoEncryption>,
}

/// One load command.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MachoLoadCommand {
    /// Name without the `LC_` prefix, as LIEF prints it (`SEGMENT_64`, `LOAD_DYLIB`, ...;
    /// hexadecimal when unknown).
    pub command: String,
    /// Raw `cmd`.
    pub id: u32,
    /// Offset from the start of the slice.
    pub offset: u64,
    /// `cmdsize`.
    pub size: u32,
}

/// One segment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MachoSegment {
    /// `segname`.
    pub name: String,
    /// `vmaddr`.
    pub virtual_address: u64,
    /// `vmsize`.
    pub virtual_size: u64,
    /// `fileoff` (relative to the slice).
    pub file_offset: u64,
    /// `filesize`.
    pub file_size: u64,
    /// `maxprot` (1 = read, 2 = write, 4 = execute).
    pub max_protection: u32,
    /// `initprot`.
    pub init_protection: u32,
    /// Initial protection as `rwx` letters.
    pub permissions: String,
    /// `nsects` as declared.
    pub nsections: u32,
    /// Segment flags.
    pub flags: u32,
    /// Shannon entropy of the segment's file bytes; `None` when empty or past the end of the slice.
    pub entropy: Option<f64>,
}

/// One section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MachoSection {
    /// `sectname`.
    pub name: String,
    /// `segname` of the section header.
    pub segment: String,
    /// `addr`.
    pub address: u64,
    /// `size`.
    pub size: u64,
    /// `offset` (relative to the slice).
    pub offset: u32,
    /// `align` (power of two).
    pub alignment: u32,
    /// Section type as LIEF prints it: `REGULAR`, `ZEROFILL`, `CSTRING_LITERALS`, ...
    pub section_type: String,
    /// Raw `flags` (type plus attributes).
    pub flags: u32,
    /// Shannon entropy of the section's file bytes; `None` for zero-fill sections and
    /// sections past the end of the slice.
    pub entropy: Option<f64>,
}

/// One linked library.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MachoDylib {
    /// `LOAD_DYLIB`, `LOAD_WEAK_DYLIB`, `REEXPORT_DYLIB`, `LOAD_UPWARD_DYLIB` or `LAZY_LOAD_DYLIB`.
    pub command: String,
    /// Install name.
    pub name: String,
    /// Current version as `[major, minor, patch]`.
    pub current_version: [u32; 3],
    /// Compatibility version as `[major, minor, patch]`.
    pub compatibility_version: [u32; 3],
}

/// `LC_BUILD_VERSION`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MachoBuildVersion {
    /// `MACOS`, `IOS`, `TVOS`, `WATCHOS`, `BRIDGEOS`, `MAC_CATALYST`, ... (decimal when unknown).
    pub platform: String,
    /// Minimum OS version `[major, minor, patch]`.
    pub minos: [u32; 3],
    /// SDK version `[major, minor, patch]`.
    pub sdk: [u32; 3],
}

/// `LC_VERSION_MIN_*`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MachoVersionMin {
    /// Command name: `VERSION_MIN_MACOSX`, `VERSION_MIN_IPHONEOS`, `VERSION_MIN_TVOS` or `VERSION_MIN_WATCHOS`.
    pub command: String,
    /// Minimum OS version `[major, minor, patch]`.
    pub version: [u32; 3],
    /// SDK version `[major, minor, patch]`.
    pub sdk: [u32; 3],
}

/// A range of `__LINKEDIT` data named by a load command.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MachoDataRange {
    /// Offset relative to the slice.
    pub offset: u32,
    /// Size in bytes.
    pub size: u32,
}

/// `LC_ENCRYPTION_INFO(_64)`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MachoEncryption {
    /// Encrypted range offset.
    pub offset: u32,
    /// Encrypted range size.
    pub size: u32,
    /// `cryptid`: non-zero means the range is encrypted.
    pub cryptid: u32,
}
