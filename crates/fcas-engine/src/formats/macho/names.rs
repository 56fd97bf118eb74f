//! Mach-O constants spelled as LIEF prints them.

/// `cputype`.
pub(super) fn cpu_type(value: u32) -> String {
    let name = match value {
        0xffff_ffff => "ANY",
        1 => "VAX",
        6 => "MC680x0",
        7 => "X86",
        0x0100_0007 => "X86_64",
        10 => "MC98000",
        11 => "HPPA",
        12 => "ARM",
        0x0100_000c => "ARM64",
        0x0200_000c => "ARM64_32",
        13 => "MC88000",
        14 => "SPARC",
        15 => "I860",
        18 => "POWERPC",
        0x0100_0012 => "POWERPC64",
        _ => return value.to_string(),
    };
    name.to_string()
}

/// `filetype`.
pub(super) fn file_type(value: u32) -> String {
    let name = match value {
        1 => "OBJECT",
        2 => "EXECUTE",
        3 => "FVMLIB",
        4 => "CORE",
        5 => "PRELOAD",
        6 => "DYLIB",
        7 => "DYLINKER",
        8 => "BUNDLE",
        9 => "DYLIB_STUB",
        10 => "DSYM",
        11 => "KEXT_BUNDLE",
        12 => "FILESET",
        13 => "GPU_EXECUTE",
        14 => "GPU_DYLIB",
        _ => return value.to_string(),
    };
    name.to_string()
}

/// Names of the header flags set in `flags`, lowest bit first.
pub(super) fn header_flags(flags: u32) -> Vec<String> {
    const NAMES: [(u32, &str); 29] = [
        (0x1, "NOUNDEFS"),
        (0x2, "INCRLINK"),
        (0x4, "DYLDLINK"),
        (0x8, "BINDATLOAD"),
        (0x10, "PREBOUND"),
        (0x20, "SPLIT_SEGS"),
        (0x40, "LAZY_INIT"),
        (0x80, "TWOLEVEL"),
        (0x100, "FORCE_FLAT"),
        (0x200, "NOMULTIDEFS"),
        (0x400, "NOFIXPREBINDING"),
        (0x800, "PREBINDABLE"),
        (0x1000, "ALLMODSBOUND"),
        (0x2000, "SUBSECTIONS_VIA_SYMBOLS"),
        (0x4000, "CANONICAL"),
        (0x8000, "WEAK_DEFINES"),
        (0x1_0000, "BINDS_TO_WEAK"),
        (0x2_0000, "ALLOW_STACK_EXECUTION"),
        (0x4_0000, "ROOT_SAFE"),
        (0x8_0000, "SETUID_SAFE"),
        (0x10_0000, "NO_REEXPORTED_DYLIBS"),
        (0x20_0000, "PIE"),
        (0x40_0000, "DEAD_STRIPPABLE_DYLIB"),
        (0x80_0000, "HAS_TLV_DESCRIPTORS"),
        (0x100_0000, "NO_HEAP_EXECUTION"),
        (0x200_0000, "APP_EXTENSION_SAFE"),
        (0x400_0000, "NLIST_OUTOFSYNC_WITH_DYLDINFO"),
        (0x800_0000, "SIM_SUPPORT"),
        (0x8000_0000, "DYLIB_IN_CACHE"),
    ];
    NAMES.iter().filter(|(bit, _)| flags & bit != 0).map(|(_, name)| name.to_string()).collect()
}

/// Load command name without `LC_`; hexadecimal when unknown.
pub(super) fn load_command(cmd: u32) -> String {
    let name = match cmd {
        0x1 => "SEGMENT",
        0x2 => "SYMTAB",
        0x3 => "SYMSEG",
        0x4 => "THREAD",
        0x5 => "UNIXTHREAD",
        0x6 => "LOADFVMLIB",
        0x7 => "IDFVMLIB",
        0x8 => "IDENT",
        0x9 => "FVMFILE",
        0xa => "PREPAGE",
        0xb => "DYSYMTAB",
        0xc => "LOAD_DYLIB",
        0xd => "ID_DYLIB",
        0xe => "LOAD_DYLINKER",
        0xf => "ID_DYLINKER",
        0x10 => "PREBOUND_DYLIB",
        0x11 => "ROUTINES",
        0x12 => "SUB_FRAMEWORK",
        0x13 => "SUB_UMBRELLA",
        0x14 => "SUB_CLIENT",
        0x15 => "SUB_LIBRARY",
        0x16 => "TWOLEVEL_HINTS",
        0x17 => "PREBIND_CKSUM",
        0x8000_0018 => "LOAD_WEAK_DYLIB",
        0x19 => "SEGMENT_64",
        0x1a => "ROUTINES_64",
        0x1b => "UUID",
        0x8000_001c => "RPATH",
        0x1d => "CODE_SIGNATURE",
        0x1e => "SEGMENT_SPLIT_INFO",
        0x8000_001f => "REEXPORT_DYLIB",
        0x20 => "LAZY_LOAD_DYLIB",
        0x21 => "ENCRYPTION_INFO",
        0x22 => "DYLD_INFO",
        0x8000_0022 => "DYLD_INFO_ONLY",
        0x8000_0023 => "LOAD_UPWARD_DYLIB",
        0x24 => "VERSION_MIN_MACOSX",
        0x25 => "VERSION_MIN_IPHONEOS",
        0x26 => "FUNCTION_STARTS",
        0x27 => "DYLD_ENVIRONMENT",
        0x8000_0028 => "MAIN",
        0x29 => "DATA_IN_CODE",
        0x2a => "SOURCE_VERSION",
        0x2b => "DYLIB_CODE_SIGN_DRS",
        0x2c => "ENCRYPTION_INFO_64",
        0x2d => "LINKER_OPTION",
        0x2e => "LINKER_OPTIMIZATION_HINT",
        0x2f => "VERSION_MIN_TVOS",
        0x30 => "VERSION_MIN_WATCHOS",
        0x31 => "NOTE",
        0x32 => "BUILD_VERSION",
        0x8000_0033 => "DYLD_EXPORTS_TRIE",
        0x8000_0034 => "DYLD_CHAINED_FIXUPS",
        0x8000_0035 => "FILESET_ENTRY",
        0x36 => "ATOM_INFO",
        _ => return format!("{cmd:#x}"),
    };
    name.to_string()
}

/// Section type (low byte of `flags`).
pub(super) fn section_type(flags: u32) -> String {
    let name = match flags & 0xff {
        0x0 => "REGULAR",
        0x1 => "ZEROFILL",
        0x2 => "CSTRING_LITERALS",
        0x3 => "IS_4BYTE_LITERALS",
        0x4 => "IS_8BYTE_LITERALS",
        0x5 => "LITERAL_POINTERS",
        0x6 => "NON_LAZY_SYMBOL_POINTERS",
        0x7 => "LAZY_SYMBOL_POINTERS",
        0x8 => "SYMBOL_STUBS",
        0x9 => "MOD_INIT_FUNC_POINTERS",
        0xa => "MOD_TERM_FUNC_POINTERS",
        0xb => "COALESCED",
        0xc => "GB_ZEROFILL",
        0xd => "INTERPOSING",
        0xe => "IS_16BYTE_LITERALS",
        0xf => "DTRACE_DOF",
        0x10 => "LAZY_DYLIB_SYMBOL_POINTERS",
        0x11 => "THREAD_LOCAL_REGULAR",
        0x12 => "THREAD_LOCAL_ZEROFILL",
        0x13 => "THREAD_LOCAL_VARIABLES",
        0x14 => "THREAD_LOCAL_VARIABLE_POINTERS",
        0x15 => "THREAD_LOCAL_INIT_FUNCTION_POINTERS",
        0x16 => "INIT_FUNC_OFFSETS",
        other => return other.to_string(),
    };
    name.to_string()
}

/// Whether a section of this type has no bytes in the file.
pub(super) fn is_zero_fill(flags: u32) -> bool {
    matches!(flags & 0xff, 0x1 | 0xc | 0x12)
}

/// `LC_BUILD_VERSION` platform.
pub(super) fn platform(value: u32) -> String {
    let name = match value {
        1 => "MACOS",
        2 => "IOS",
        3 => "TVOS",
        4 => "WATCHOS",
        5 => "BRIDGEOS",
        6 => "MAC_CATALYST",
        7 => "IOS_SIMULATOR",
        8 => "TVOS_SIMULATOR",
        9 => "WATCHOS_SIMULATOR",
        10 => "DRIVERKIT",
        11 => "VISIONOS",
        12 => "VISIONOS_SIMULATOR",
        _ => return value.to_string(),
    };
    name.to_string()
}

/// VM protection as `rwx` letters.
pub(super) fn protection(value: u32) -> String {
    let letter = |bit: u32, c: char| if value & bit != 0 { c } else { '-' };
    [letter(1, 'r'), letter(2, 'w'), letter(4, 'x')].iter().collect()
}
