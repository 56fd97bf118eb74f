//! EMBER's raw PE features computed the way LIEF 0.12 presents a PE, from goblin's parse plus
//! bounded reads of our own where LIEF's view differs from goblin's (exports, data directories,
//! COFF symbols). `None` stands for "LIEF could not parse this", for which EMBER has defaults.
use goblin::pe::import::SyntheticImportLookupTableEntry;
use goblin::pe::PE;

use super::raw::*;

/// Caps on tables read here, as elsewhere in the engine.
const MAX_ENTRIES: usize = 1 << 16;
/// LIEF's data directory names, in directory order.
const DATA_DIRECTORY_NAMES: [&str; 16] = [
    "EXPORT_TABLE",
    "IMPORT_TABLE",
    "RESOURCE_TABLE",
    "EXCEPTION_TABLE",
    "CERTIFICATE_TABLE",
    "BASE_RELOCATION_TABLE",
    "DEBUG",
    "ARCHITECTURE",
    "GLOBAL_PTR",
    "TLS_TABLE",
    "LOAD_CONFIG_TABLE",
    "BOUND_IMPORT",
    "IAT",
    "DELAY_IMPORT_DESCRIPTOR",
    "CLR_RUNTIME_HEADER",
    "RESERVED",
];

pub(super) fn general(pe: Option<&PE<'_>>, bytes: &[u8]) -> GeneralFeatures {
    let mut g = GeneralFeatures { size: bytes.len() as u64, ..GeneralFeatures::default() };
    let Some(pe) = pe else { return g };
    let dirs = raw_data_directories(pe, bytes);
    let present = |index: usize| dirs.get(index).is_some_and(|d| d.virtual_address != 0 && d.size != 0);
    g.vsize = virtual_size(pe);
    g.has_debug = present(6) as u64;
    g.exports = exports(Some(pe), bytes).len() as u64;
    g.imports = imports(Some(pe)).iter().map(|(_, f)| f.len() as u64).sum();
    // LIEF sets these only when it could read the directory's data, not from the header alone.
    let readable = |index: usize| dirs.get(index).and_then(|d| rva_to_offset(pe, d.virtual_address)).is_some_and(|o| o < bytes.len());
    g.has_relocations = (present(5) && readable(5)) as u64;
    g.has_resources = (dirs.get(2).is_some_and(|d| d.virtual_address != 0) && readable(2)) as u64;
    g.has_signature = present(4) as u64;
    g.has_tls = dirs.get(9).is_some_and(|d| d.virtual_address != 0) as u64;
    g.symbols = coff_symbol_count(pe, bytes);
    g
}

/// LIEF's `virtual_size`: headers, then the end of the furthest section, aligned to the section
/// alignment.
fn virtual_size(pe: &PE<'_>) -> u64 {
    let is_64 = pe.is_64;
    let mut size = u64::from(pe.header.dos_header.pe_pointer) + 24 + if is_64 { 112 } else { 96 };
    for s in &pe.sections {
        size = size.max(u64::from(s.virtual_address) + u64::from(s.virtual_size));
    }
    let alignment = pe.header.optional_header.map(|o| u64::from(o.windows_fields.section_alignment)).unwrap_or(0);
    if alignment > 0 {
        size = size.div_ceil(alignment).saturating_mul(alignment);
    }
    size
}

/// Primary COFF symbols readable from the file (auxiliary records skipped), as LIEF counts them.
fn coff_symbol_count(pe: &PE<'_>, bytes: &[u8]) -> u64 {
    const SYMBOL_SIZE: usize = 18;
    let coff = &pe.header.coff_header;
    let total = coff.number_of_symbol_table as usize;
    let mut offset = coff.pointer_to_symbol_table as usize;
    let (mut index, mut count) = (0usize, 0u64);
    while index < total {
        let Some(record) = bytes.get(offset..offset.saturating_add(SYMBOL_SIZE)) else { break };
        let aux = usize::from(record[17]);
        count += 1;
        index = index.saturating_add(1 + aux);
        offset = offset.saturating_add(SYMBOL_SIZE * (1 + aux));
    }
    count
}

pub(super) fn header(pe: Option<&PE<'_>>) -> HeaderFeatures {
    let mut h = HeaderFeatures::default();
    let Some(pe) = pe else { return h };
    let coff = &pe.header.coff_header;
    h.coff.timestamp = u64::from(coff.time_date_stamp);
    h.coff.machine = machine_name(coff.machine).to_string();
    h.coff.characteristics = flag_names(u32::from(coff.characteristics), &COFF_CHARACTERISTICS);
    if let Some(o) = pe.header.optional_header {
        let (s, w) = (&o.standard_fields, &o.windows_fields);
        h.optional.subsystem = subsystem_name(w.subsystem).to_string();
        h.optional.dll_characteristics = flag_names(u32::from(w.dll_characteristics), &DLL_CHARACTERISTICS);
        h.optional.magic = if s.magic == 0x20b { "PE32_PLUS" } else { "PE32" }.to_string();
        h.optional.major_image_version = u64::from(w.major_image_version);
        h.optional.minor_image_version = u64::from(w.minor_image_version);
        h.optional.major_linker_version = u64::from(s.major_linker_version);
        h.optional.minor_linker_version = u64::from(s.minor_linker_version);
        h.optional.major_operating_system_version = u64::from(w.major_operating_system_version);
        h.optional.minor_operating_system_version = u64::from(w.minor_operating_system_version);
        h.optional.major_subsystem_version = u64::from(w.major_subsystem_version);
        h.optional.minor_subsystem_version = u64::from(w.minor_subsystem_version);
        h.optional.sizeof_code = s.size_of_code;
        h.optional.sizeof_headers = u64::from(w.size_of_headers);
        h.optional.sizeof_heap_commit = w.size_of_heap_commit;
    }
    h
}

pub(super) fn sections(pe: Option<&PE<'_>>, bytes: &[u8]) -> SectionFeatures {
    let mut out = SectionFeatures::default();
    let Some(pe) = pe else { return out };
    for s in pe.sections.iter().take(MAX_ENTRIES) {
        let name_len = s.name.iter().position(|&b| b == 0).unwrap_or(s.name.len());
        // LIEF reads a section's content up to its virtual size when that is smaller.
        let mut length = s.size_of_raw_data;
        if s.virtual_size > 0 {
            length = length.min(s.virtual_size);
        }
        let start = s.pointer_to_raw_data as usize;
        let end = start.saturating_add(length as usize).min(bytes.len());
        let content = bytes.get(start..end).unwrap_or(&[]);
        out.sections.push(SectionFeature {
            name: String::from_utf8_lossy(&s.name[..name_len]).into_owned(),
            size: u64::from(s.size_of_raw_data),
            entropy: crate::entropy::shannon(content),
            vsize: u64::from(s.virtual_size),
            props: flag_names(s.characteristics, &SECTION_CHARACTERISTICS),
        });
    }
    let entry = pe.header.optional_header.map(|o| u64::from(o.standard_fields.address_of_entry_point)).unwrap_or(0);
    let containing = pe.sections.iter().position(|s| {
        let va = u64::from(s.virtual_address);
        va <= entry && entry < va + u64::from(s.virtual_size)
    });
    // LIEF finds no section for a bad entry point; EMBER then takes the first executable one.
    let chosen = containing.or_else(|| out.sections.iter().position(|s| s.props.iter().any(|p| p == "MEM_EXECUTE")));
    out.entry = chosen.and_then(|i| out.sections.get(i)).map(|s| s.name.clone()).unwrap_or_default();
    out
}

pub(super) fn imports(pe: Option<&PE<'_>>) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let Some(data) = pe.and_then(|pe| pe.import_data.as_ref()) else { return out };
    for entry in data.import_data.iter().take(MAX_ENTRIES) {
        let functions = entry.import_lookup_table.iter().flatten().take(MAX_ENTRIES).map(|f| match f {
            SyntheticImportLookupTableEntry::OrdinalNumber(n) => format!("ordinal{n}"),
            SyntheticImportLookupTableEntry::HintNameTableRVA((_, hint)) => hint.name.chars().take(10_000).collect(),
        });
        // Libraries listed twice are merged, as EMBER's dictionary does.
        match out.iter_mut().find(|(name, _)| name == entry.name) {
            Some((_, list)) => list.extend(functions),
            None => out.push((entry.name.to_string(), functions.collect())),
        }
    }
    out
}

/// LIEF 0.12 names a forwarded export by its forwarder string ("NTDLL.RtlFoo") and lists only
/// exports with a non-empty name.
pub(super) fn exports(pe: Option<&PE<'_>>, bytes: &[u8]) -> Vec<String> {
    let Some(pe) = pe else { return Vec::new() };
    let dirs = raw_data_directories(pe, bytes);
    let Some(dir) = dirs.first().filter(|d| d.virtual_address != 0) else { return Vec::new() };
    let (dir_rva, dir_size) = (dir.virtual_address, dir.size);
    let Some(table) = rva_to_offset(pe, dir_rva).and_then(|o| bytes.get(o..o.checked_add(40)?)) else { return Vec::new() };
    let field = |at: usize| u32::from_le_bytes([table[at], table[at + 1], table[at + 2], table[at + 3]]);
    let (functions, names, functions_rva, names_rva, ordinals_rva) =
        (field(20) as usize, field(24) as usize, field(28), field(32), field(36));
    let mut entries: Vec<String> = Vec::new();
    for i in 0..functions.min(MAX_ENTRIES) {
        let Some(value) = read_u32(pe, bytes, u64::from(functions_rva) + 4 * i as u64) else { break };
        let forwarded = u64::from(value) >= dir_rva && u64::from(value) < dir_rva + dir_size;
        entries.push(if forwarded { read_cstr_rva(pe, bytes, u64::from(value)) } else { String::new() });
    }
    let forwarded: Vec<bool> = entries.iter().map(|e| !e.is_empty()).collect();
    for i in 0..names.min(MAX_ENTRIES) {
        let Some(ordinal) = read_u16(pe, bytes, u64::from(ordinals_rva) + 2 * i as u64) else { break };
        let Some(name_rva) = read_u32(pe, bytes, u64::from(names_rva) + 4 * i as u64) else { break };
        let slot = usize::from(ordinal);
        if slot >= entries.len() {
            break;
        }
        if !forwarded[slot] {
            entries[slot] = read_cstr_rva(pe, bytes, u64::from(name_rva));
        }
    }
    entries.retain(|e| !e.is_empty());
    entries
}

pub(super) fn data_directories(pe: Option<&PE<'_>>) -> Vec<DataDirectoryFeature> {
    let Some(pe) = pe else { return Vec::new() };
    let Some(o) = pe.header.optional_header else { return Vec::new() };
    DATA_DIRECTORY_NAMES
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let dir = o.data_directories.data_directories.get(i).copied().flatten().map(|(_, d)| d);
            DataDirectoryFeature {
                name: name.to_string(),
                size: dir.map(|d| u64::from(d.size)).unwrap_or(0),
                virtual_address: dir.map(|d| u64::from(d.virtual_address)).unwrap_or(0),
            }
        })
        .collect()
}

fn raw_data_directories(pe: &PE<'_>, _bytes: &[u8]) -> Vec<DataDirectoryFeature> {
    data_directories(Some(pe))
}

/// LIEF's `rva_to_offset`: inside a section by its virtual extent, else the RVA itself.
fn rva_to_offset(pe: &PE<'_>, rva: u64) -> Option<usize> {
    let section = pe.sections.iter().find(|s| {
        let va = u64::from(s.virtual_address);
        rva >= va && rva < va + u64::from(s.virtual_size)
    });
    let offset = match section {
        Some(s) => rva - u64::from(s.virtual_address) + u64::from(s.pointer_to_raw_data),
        None => rva,
    };
    usize::try_from(offset).ok()
}

fn read_u32(pe: &PE<'_>, bytes: &[u8], rva: u64) -> Option<u32> {
    let at = rva_to_offset(pe, rva)?;
    bytes.get(at..at.checked_add(4)?).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn read_u16(pe: &PE<'_>, bytes: &[u8], rva: u64) -> Option<u16> {
    let at = rva_to_offset(pe, rva)?;
    bytes.get(at..at.checked_add(2)?).map(|b| u16::from_le_bytes([b[0], b[1]]))
}

/// A NUL-terminated string at `rva`, cut at 10,000 bytes as EMBER clips names.
fn read_cstr_rva(pe: &PE<'_>, bytes: &[u8], rva: u64) -> String {
    let Some(start) = rva_to_offset(pe, rva) else { return String::new() };
    let Some(tail) = bytes.get(start..) else { return String::new() };
    let tail = &tail[..tail.len().min(10_000)];
    let end = tail.iter().position(|&b| b == 0).unwrap_or(tail.len());
    String::from_utf8_lossy(&tail[..end]).into_owned()
}

fn flag_names(value: u32, table: &[(u32, &'static str)]) -> Vec<String> {
    table.iter().filter(|(bit, _)| value & bit != 0).map(|(_, name)| name.to_string()).collect()
}

const COFF_CHARACTERISTICS: [(u32, &str); 15] = [
    (0x0001, "RELOCS_STRIPPED"),
    (0x0002, "EXECUTABLE_IMAGE"),
    (0x0004, "LINE_NUMS_STRIPPED"),
    (0x0008, "LOCAL_SYMS_STRIPPED"),
    (0x0010, "AGGRESSIVE_WS_TRIM"),
    (0x0020, "LARGE_ADDRESS_AWARE"),
    (0x0080, "BYTES_REVERSED_LO"),
    (0x0100, "CHARA_32BIT_MACHINE"),
    (0x0200, "DEBUG_STRIPPED"),
    (0x0400, "REMOVABLE_RUN_FROM_SWAP"),
    (0x0800, "NET_RUN_FROM_SWAP"),
    (0x1000, "SYSTEM"),
    (0x2000, "DLL"),
    (0x4000, "UP_SYSTEM_ONLY"),
    (0x8000, "BYTES_REVERSED_HI"),
];

const DLL_CHARACTERISTICS: [(u32, &str); 11] = [
    (0x0020, "HIGH_ENTROPY_VA"),
    (0x0040, "DYNAMIC_BASE"),
    (0x0080, "FORCE_INTEGRITY"),
    (0x0100, "NX_COMPAT"),
    (0x0200, "NO_ISOLATION"),
    (0x0400, "NO_SEH"),
    (0x0800, "NO_BIND"),
    (0x1000, "APPCONTAINER"),
    (0x2000, "WDM_DRIVER"),
    (0x4000, "GUARD_CF"),
    (0x8000, "TERMINAL_SERVER_AWARE"),
];

/// Single-bit section flags; the multi-bit ALIGN_* values are not listed by LIEF's flag list.
const SECTION_CHARACTERISTICS: [(u32, &str); 20] = [
    (0x0000_0008, "TYPE_NO_PAD"),
    (0x0000_0020, "CNT_CODE"),
    (0x0000_0040, "CNT_INITIALIZED_DATA"),
    (0x0000_0080, "CNT_UNINITIALIZED_DATA"),
    (0x0000_0100, "LNK_OTHER"),
    (0x0000_0200, "LNK_INFO"),
    (0x0000_0800, "LNK_REMOVE"),
    (0x0000_1000, "LNK_COMDAT"),
    (0x0000_8000, "GPREL"),
    (0x0002_0000, "MEM_PURGEABLE"),
    (0x0004_0000, "MEM_LOCKED"),
    (0x0008_0000, "MEM_PRELOAD"),
    (0x0100_0000, "LNK_NRELOC_OVFL"),
    (0x0200_0000, "MEM_DISCARDABLE"),
    (0x0400_0000, "MEM_NOT_CACHED"),
    (0x0800_0000, "MEM_NOT_PAGED"),
    (0x1000_0000, "MEM_SHARED"),
    (0x2000_0000, "MEM_EXECUTE"),
    (0x4000_0000, "MEM_READ"),
    (0x8000_0000, "MEM_WRITE"),
];

fn machine_name(machine: u16) -> &'static str {
    match machine {
        0x014c => "I386",
        0x8664 => "AMD64",
        0xaa64 => "ARM64",
        0x01c0 => "ARM",
        0x01c4 => "ARMNT",
        0x0200 => "IA64",
        0x01c2 => "THUMB",
        0x0166 => "R4000",
        0x01f0 => "POWERPC",
        0x01f1 => "POWERPCFP",
        0x0ebc => "EBC",
        0x9041 => "M32R",
        0x0266 => "MIPS16",
        0x0366 => "MIPSFPU",
        0x0466 => "MIPSFPU16",
        0x01a2 => "SH3",
        0x01a3 => "SH3DSP",
        0x01a6 => "SH4",
        0x01a8 => "SH5",
        0x0169 => "WCEMIPSV2",
        0x01d3 => "AM33",
        0x5032 => "RISCV32",
        0x5064 => "RISCV64",
        0x5128 => "RISCV128",
        _ => "UNKNOWN",
    }
}

fn subsystem_name(subsystem: u16) -> &'static str {
    match subsystem {
        1 => "NATIVE",
        2 => "WINDOWS_GUI",
        3 => "WINDOWS_CUI",
        5 => "OS2_CUI",
        7 => "POSIX_CUI",
        8 => "NATIVE_WINDOWS",
        9 => "WINDOWS_CE_GUI",
        10 => "EFI_APPLICATION",
        11 => "EFI_BOOT_SERVICE_DRIVER",
        12 => "EFI_RUNTIME_DRIVER",
        13 => "EFI_ROM",
        14 => "XBOX",
        16 => "WINDOWS_BOOT_APPLICATION",
        _ => "UNKNOWN",
    }
}
