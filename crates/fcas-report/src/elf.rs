use serde::{Deserialize, Serialize};

/// ELF structure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ElfReport {
    /// File header.
    pub header: ElfHeader,
    /// Program interpreter (`PT_INTERP`), e.g. `/lib64/ld-linux-x86-64.so.2`.
    pub interpreter: Option<String>,
    /// Section headers in table order (index 0 is the null section).
    pub sections: Vec<ElfSection>,
    /// Program headers in table order.
    pub segments: Vec<ElfSegment>,
    /// Needed libraries (`DT_NEEDED`), in file order. *Contract.*
    pub libraries: Vec<String>,
    /// `DT_SONAME`.
    pub soname: Option<String>,
    /// `DT_RPATH` entries.
    pub rpaths: Vec<String>,
    /// `DT_RUNPATH` entries.
    pub runpaths: Vec<String>,
    /// Entries in the dynamic symbol table (`.dynsym`).
    pub dynamic_symbol_count: u64,
    /// Entries in the static symbol table (`.symtab`); 0 when stripped.
    pub symtab_symbol_count: u64,
    /// Undefined global/weak function or object symbols with a name (dynamic table, then static).
    pub imported_symbols: Vec<String>,
    /// Defined global/weak function or object symbols (dynamic table, then static).
    pub exported_symbols: Vec<String>,
    /// Exploit mitigations and other security-relevant properties.
    pub hardening: ElfHardening,
    /// Indexes (into `segments`) of `PT_LOAD` segments both writable and executable.
    pub writable_executable_segments: Vec<usize>,
    /// Whether the entry point lies inside an executable `PT_LOAD` segment; `None` when the file
    /// has no entry point (0) or no loadable segment.
    pub entry_in_executable_segment: Option<bool>,
}

/// ELF file header, names spelled as LIEF spells them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ElfHeader {
    /// `ELF32` or `ELF64`.
    pub class: String,
    /// `LSB` (little-endian) or `MSB` (big-endian).
    pub endianness: String,
    /// OS ABI: `SYSTEMV`, `LINUX`, `FREEBSD`, ... (decimal when unknown).
    pub os_abi: String,
    /// Machine: `X86_64`, `I386`, `AARCH64`, `ARM`, ... (decimal when unknown).
    pub machine: String,
    /// Raw `e_machine`.
    pub machine_id: u16,
    /// File type: `NONE`, `REL`, `EXEC`, `DYN`, `CORE` (decimal when unknown).
    pub file_type: String,
    /// Entry point virtual address.
    pub entry_point: u64,
    /// `e_phoff`.
    pub program_header_offset: u64,
    /// `e_shoff`.
    pub section_header_offset: u64,
    /// `e_flags`.
    pub processor_flags: u32,
    /// `e_ehsize`.
    pub header_size: u16,
    /// `e_phnum` as declared (may exceed what the file holds).
    pub declared_segments: u32,
    /// `e_shnum` as declared.
    pub declared_sections: u32,
    /// `e_shstrndx`.
    pub section_name_table_index: u32,
}

/// One section header.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ElfSection {
    /// Name from the section-name string table (empty when unreadable).
    pub name: String,
    /// Type as LIEF spells it: `PROGBITS`, `NOBITS`, `DYNSYM`, ... (decimal when unknown).
    pub section_type: String,
    /// `sh_flags`.
    pub flags: u64,
    /// Flag letters as `readelf` prints them (`W` write, `A` alloc, `X` exec, ...).
    pub flag_letters: String,
    /// `sh_addr`.
    pub address: u64,
    /// `sh_offset`.
    pub offset: u64,
    /// `sh_size`.
    pub size: u64,
    /// `sh_addralign`.
    pub alignment: u64,
    /// `sh_entsize`.
    pub entry_size: u64,
    /// `sh_link`.
    pub link: u32,
    /// `sh_info`.
    pub info: u32,
    /// Shannon entropy of the file bytes the section occupies; `None` for `NOBITS` and for
    /// sections that run past the end of the file.
    pub entropy: Option<f64>,
}

/// One program header.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ElfSegment {
    /// Type as LIEF spells it: `LOAD`, `DYNAMIC`, `GNU_STACK`, ... (decimal when unknown).
    pub segment_type: String,
    /// Permission bits of `p_flags` (1 = X, 2 = W, 4 = R), as LIEF reports them.
    pub flags: u32,
    /// `p_flags` whole, OS- and processor-specific bits included.
    pub raw_flags: u32,
    /// Permissions as `rwx` letters, `-` where absent.
    pub permissions: String,
    /// `p_offset`.
    pub offset: u64,
    /// `p_vaddr`.
    pub virtual_address: u64,
    /// `p_paddr`.
    pub physical_address: u64,
    /// `p_filesz`.
    pub file_size: u64,
    /// `p_memsz`.
    pub memory_size: u64,
    /// `p_align`.
    pub alignment: u64,
}

/// Exploit mitigations of an ELF.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ElfHardening {
    /// Position-independent executable: `ET_DYN` with a `PT_INTERP` segment, or `DF_1_PIE`.
    pub pie: bool,
    /// Non-executable stack: a `PT_GNU_STACK` segment without the X flag.
    pub nx: bool,
    /// `none`, `partial` (`PT_GNU_RELRO`) or `full` (`PT_GNU_RELRO` plus immediate binding).
    pub relro: String,
    /// Imports `__stack_chk_fail` or `__stack_chk_guard`.
    pub stack_canary: bool,
    /// Imports at least one `__*_chk` fortified function.
    pub fortify: bool,
    /// The fortified functions imported, in import order.
    pub fortified_functions: Vec<String>,
    /// No `.symtab` section.
    pub stripped: bool,
}
