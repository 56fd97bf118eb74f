use serde::{Deserialize, Serialize};

use crate::{PeAuthenticode, PeClr, PeResource};
use std::collections::BTreeMap;

/// PE structure, with the fields pefile reports (same names where pefile has one).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeReport {
    /// pefile's import hash (md5 of `dll.function` names); empty without an import directory.
    pub imphash: String,
    /// pefile's export hash (md5 of the lowercased export names); empty when nothing is exported by name.
    pub exphash: String,
    /// DOS, COFF and optional header fields.
    pub headers: PeHeaders,
    /// Data directories (at most 16) as the optional header lists them.
    pub data_directories: Vec<PeDataDirectory>,
    /// Sections in header order (pefile stops at an all-zero header and after too many errors).
    pub sections: Vec<PeSection>,
    /// Name of the section holding the entry point, if any.
    pub entry_point_section: Option<String>,
    /// Imported DLLs and their functions.
    pub imports: Vec<PeImport>,
    /// Delay-loaded DLLs and their functions (same shape as `imports`).
    pub delay_imports: Vec<PeImport>,
    /// Functions imported, counted over `imports` (not delay imports).
    pub import_function_count: u64,
    /// Functions of `imports` imported by ordinal only (no name in the file).
    pub ordinal_import_count: u64,
    /// The export directory's own fields, when there is one.
    pub export_directory: Option<PeExportDirectory>,
    /// Exported symbols: named ones in name-table order, then ordinal-only ones.
    pub exports: Vec<PeExport>,
    /// The Rich header the Microsoft linker writes after the DOS stub.
    pub rich_header: Option<PeRichHeader>,
    /// Debug directory entries.
    pub debug: Vec<PeDebugEntry>,
    /// TLS directory, when present and readable.
    pub tls: Option<PeTls>,
    /// Checksum computed over the file with pefile's `generate_checksum` algorithm
    /// (the stored one is `headers.checksum`).
    pub checksum_computed: u32,
    /// Data appended after everything the headers describe.
    pub overlay: PeOverlay,
    /// Resources by type and language.
    pub resources: Vec<PeResource>,
    /// Version-info strings (`CompanyName`, `FileVersion`, ...).
    pub version_info: BTreeMap<String, String>,
    /// Authenticode signature, when the security directory is present.
    pub authenticode: Option<PeAuthenticode>,
    /// .NET CLR header, when present.
    pub clr: Option<PeClr>,
}

/// DOS, COFF and optional header fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeHeaders {
    /// Offset of the NT headers (`e_lfanew`).
    pub dos_e_lfanew: u32,
    /// COFF machine type.
    pub machine: u16,
    /// Machine name (`IMAGE_FILE_MACHINE_AMD64`), empty when unknown.
    pub machine_name: String,
    /// Number of sections the COFF header declares.
    pub number_of_sections: u16,
    /// Link time stamp (seconds since 1970, as written).
    pub timestamp: u32,
    /// File offset of the COFF symbol table.
    pub pointer_to_symbol_table: u32,
    /// Number of COFF symbols.
    pub number_of_symbols: u32,
    /// Size of the optional header.
    pub size_of_optional_header: u16,
    /// COFF characteristics.
    pub characteristics: u16,
    /// Names of the characteristics flags set, sorted.
    pub characteristics_flags: Vec<String>,
    /// Optional header magic (0x10b PE32, 0x20b PE32+).
    pub optional_magic: u16,
    /// The optional header is PE32+ (64-bit).
    pub is_pe32_plus: bool,
    /// Linker major version.
    pub major_linker_version: u8,
    /// Linker minor version.
    pub minor_linker_version: u8,
    /// Size of code.
    pub size_of_code: u32,
    /// Entry point RVA.
    pub entry_point: u32,
    /// Preferred load address.
    pub image_base: u64,
    /// Section alignment in memory.
    pub section_alignment: u32,
    /// Section alignment in the file.
    pub file_alignment: u32,
    /// Required OS major version.
    pub major_os_version: u16,
    /// Required OS minor version.
    pub minor_os_version: u16,
    /// Image major version.
    pub major_image_version: u16,
    /// Image minor version.
    pub minor_image_version: u16,
    /// Subsystem major version.
    pub major_subsystem_version: u16,
    /// Subsystem minor version.
    pub minor_subsystem_version: u16,
    /// Size of the image in memory.
    pub size_of_image: u32,
    /// Size of all headers in the file.
    pub size_of_headers: u32,
    /// Checksum stored in the optional header.
    pub checksum: u32,
    /// Subsystem.
    pub subsystem: u16,
    /// Subsystem name (`IMAGE_SUBSYSTEM_WINDOWS_GUI`), empty when unknown.
    pub subsystem_name: String,
    /// DLL characteristics.
    pub dll_characteristics: u16,
    /// Names of the DLL characteristics flags set, sorted.
    pub dll_characteristics_flags: Vec<String>,
    /// Number of data directories the optional header declares (may be bogus).
    pub number_of_rva_and_sizes: u32,
}

/// One data directory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeDataDirectory {
    /// Index in the table (0 export, 1 import, ...).
    pub index: u32,
    /// Name (`IMAGE_DIRECTORY_ENTRY_IMPORT`).
    pub name: String,
    /// RVA of the directory.
    pub virtual_address: u32,
    /// Size of the directory.
    pub size: u32,
}

/// One section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeSection {
    /// Name from the raw 8 header bytes without trailing NULs (as pefile keeps it).
    pub name: String,
    /// Hex of the 8 raw name bytes.
    pub name_raw_hex: String,
    /// RVA of the section.
    pub virtual_address: u32,
    /// Size in memory.
    pub virtual_size: u32,
    /// File offset of the raw data.
    pub raw_pointer: u32,
    /// Size of the raw data in the file.
    pub raw_size: u32,
    /// Section characteristics.
    pub characteristics: u32,
    /// Names of the characteristics flags set, sorted (pefile's rule, alignment flags included).
    pub characteristics_flags: Vec<String>,
    /// Shannon entropy of the raw data (pefile's `get_data` range).
    pub entropy: f64,
    /// md5 of the raw data (pefile's `get_data` range).
    pub md5: String,
    /// Contains code (`IMAGE_SCN_CNT_CODE`).
    pub is_code: bool,
    /// Executable (`IMAGE_SCN_MEM_EXECUTE`).
    pub is_executable: bool,
    /// Writable (`IMAGE_SCN_MEM_WRITE`).
    pub is_writable: bool,
    /// Readable (`IMAGE_SCN_MEM_READ`).
    pub is_readable: bool,
}

/// One imported (or delay-imported) DLL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeImport {
    /// DLL name as written in the file (`*invalid*` when not a valid file name, as pefile).
    pub dll: String,
    /// Function names; ordinals as pefile spells them for imphash (`ord123`), or the name
    /// pefile's ordinal tables give.
    pub functions: Vec<String>,
    /// The same functions with their details, in the same order.
    pub symbols: Vec<PeImportedSymbol>,
}

/// One imported function.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeImportedSymbol {
    /// Name: from the hint/name table, or resolved from an ordinal through pefile's tables.
    pub name: Option<String>,
    /// Ordinal, for imports by ordinal.
    pub ordinal: Option<u16>,
    /// Hint, for imports by name.
    pub hint: Option<u16>,
    /// The import was made by ordinal (even when the name was resolved).
    pub by_ordinal: bool,
    /// RVA of the IAT slot the loader fills with this function's address.
    pub iat_rva: u32,
}

/// The export directory's own fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeExportDirectory {
    /// DLL name the directory records.
    pub dll_name: String,
    /// Ordinal of the first entry of the address table.
    pub ordinal_base: u32,
    /// Time stamp of the directory.
    pub timestamp: u32,
    /// Entries of the address table declared.
    pub number_of_functions: u32,
    /// Entries of the name table declared.
    pub number_of_names: u32,
}

/// One export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeExport {
    /// Name; `None` for ordinal-only exports.
    pub name: Option<String>,
    /// Ordinal (base included).
    pub ordinal: u32,
    /// RVA of the exported code or data (of the forwarder string for a forwarder).
    pub address: u32,
    /// `DLL.Function` this export forwards to.
    pub forwarder: Option<String>,
}

/// The Rich header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeRichHeader {
    /// XOR key as 8 hex digits of its 4 little-endian bytes (pefile's `key.hex()`).
    pub key: String,
    /// The key as a number: the checksum the linker stored.
    pub checksum: u32,
    /// Checksum computed from the DOS header and the entries.
    pub checksum_computed: u32,
    /// The stored checksum equals the computed one (a mismatch hints at a forged header).
    pub checksum_valid: bool,
    /// Hex of the raw (XORed) data from offset 0x80 up to `Rich`.
    pub raw_data_hex: String,
    /// Hex of the data after XOR with the key.
    pub clear_data_hex: String,
    /// md5 of the clear data (pefile's rich header hash).
    pub clear_data_md5: String,
    /// (comp id, build, count) entries.
    pub entries: Vec<PeRichEntry>,
}

/// One Rich header entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeRichEntry {
    /// Product id (high 16 bits of the comp id).
    pub prod_id: u16,
    /// Build number (low 16 bits of the comp id).
    pub build: u16,
    /// Use count.
    pub count: u32,
}

/// One debug directory entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeDebugEntry {
    /// Debug type (2 CodeView, 13 POGO, ...).
    #[serde(rename = "type")]
    pub kind: u32,
    /// Type name (`IMAGE_DEBUG_TYPE_CODEVIEW`), `None` when pefile does not know it.
    pub type_name: Option<String>,
    /// Time stamp.
    pub timestamp: u32,
    /// Size of the debug data.
    pub size: u32,
    /// RVA of the debug data.
    pub address_of_raw_data: u32,
    /// File offset of the debug data.
    pub pointer_to_raw_data: u32,
    /// CodeView signature (`RSDS` or `NB10`), for CodeView entries.
    pub codeview_signature: Option<String>,
    /// PDB path, for CodeView entries.
    pub pdb: Option<String>,
    /// PDB GUID (RSDS, upper-case, no dashes) or signature (NB10, 8 hex digits).
    pub pdb_guid: Option<String>,
    /// PDB age.
    pub pdb_age: Option<u32>,
}

/// The TLS directory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeTls {
    /// VA of the start of the TLS template.
    pub start_address_of_raw_data: u64,
    /// VA of the end of the TLS template.
    pub end_address_of_raw_data: u64,
    /// VA of the TLS index.
    pub address_of_index: u64,
    /// VA of the NULL-terminated callback array.
    pub address_of_callbacks: u64,
    /// Size of zero fill.
    pub size_of_zero_fill: u32,
    /// Characteristics.
    pub characteristics: u32,
    /// Callback VAs (capped; a note says so when the cap is reached).
    pub callbacks: Vec<u64>,
}

/// Overlay: bytes after everything the headers describe.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeOverlay {
    /// File offset where the overlay starts; `None` without overlay.
    pub offset: Option<u64>,
    /// Size of the overlay (0 without overlay).
    pub size: u64,
}
