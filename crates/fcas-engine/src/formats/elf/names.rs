//! ELF constants spelled as LIEF spells them, so reports compare with LIEF's output.
use goblin::elf::header::{EM_AARCH64, EM_ARM, EM_X86_64};

/// `e_ident[EI_OSABI]`.
pub(crate) fn os_abi(value: u8) -> String {
    let name = match value {
        0 => "SYSTEMV",
        1 => "HPUX",
        2 => "NETBSD",
        3 => "LINUX",
        4 => "HURD",
        6 => "SOLARIS",
        7 => "AIX",
        8 => "IRIX",
        9 => "FREEBSD",
        10 => "TRU64",
        11 => "MODESTO",
        12 => "OPENBSD",
        13 => "OPENVMS",
        14 => "NSK",
        15 => "AROS",
        16 => "FENIXOS",
        17 => "CLOUDABI",
        64 => "AMDGPU_HSA",
        65 => "AMDGPU_PAL",
        66 => "AMDGPU_MESA3D",
        97 => "ARM",
        255 => "STANDALONE",
        _ => return value.to_string(),
    };
    name.to_string()
}

/// `e_type`.
pub(crate) fn file_type(value: u16) -> String {
    let name = match value {
        0 => "NONE",
        1 => "REL",
        2 => "EXEC",
        3 => "DYN",
        4 => "CORE",
        _ => return value.to_string(),
    };
    name.to_string()
}

/// `e_machine`.
pub(crate) fn machine(value: u16) -> String {
    let name = match value {
        0 => "NONE",
        1 => "M32",
        2 => "SPARC",
        3 => "I386",
        4 => "M68K",
        5 => "M88K",
        6 => "IAMCU",
        7 => "I860",
        8 => "MIPS",
        9 => "S370",
        10 => "MIPS_RS3_LE",
        15 => "PARISC",
        17 => "VPP500",
        18 => "SPARC32PLUS",
        19 => "I960",
        20 => "PPC",
        21 => "PPC64",
        22 => "S390",
        23 => "SPU",
        36 => "V800",
        37 => "FR20",
        38 => "RH32",
        39 => "RCE",
        40 => "ARM",
        41 => "ALPHA",
        42 => "SH",
        43 => "SPARCV9",
        44 => "TRICORE",
        45 => "ARC",
        46 => "H8_300",
        47 => "H8_300H",
        48 => "H8S",
        49 => "H8_500",
        50 => "IA_64",
        51 => "MIPS_X",
        52 => "COLDFIRE",
        53 => "M68HC12",
        62 => "X86_64",
        75 => "VAX",
        83 => "AVR",
        92 => "OPENRISC",
        94 => "XTENSA",
        105 => "MSP430",
        106 => "BLACKFIN",
        113 => "ALTERA_NIOS2",
        164 => "HEXAGON",
        183 => "AARCH64",
        188 => "MICROBLAZE",
        189 => "TILEPRO",
        191 => "TILEGX",
        243 => "RISCV",
        247 => "BPF",
        252 => "CSKY",
        258 => "LOONGARCH",
        _ => return value.to_string(),
    };
    name.to_string()
}

/// `sh_type`; processor-specific values depend on `machine`.
pub(crate) fn section_type(value: u32, machine: u16) -> String {
    let name = match value {
        0 => "SHT_NULL_",
        1 => "PROGBITS",
        2 => "SYMTAB",
        3 => "STRTAB",
        4 => "RELA",
        5 => "HASH",
        6 => "DYNAMIC",
        7 => "NOTE",
        8 => "NOBITS",
        9 => "REL",
        10 => "SHLIB",
        11 => "DYNSYM",
        14 => "INIT_ARRAY",
        15 => "FINI_ARRAY",
        16 => "PREINIT_ARRAY",
        17 => "GROUP",
        18 => "SYMTAB_SHNDX",
        19 => "RELR",
        0x6000_0001 => "ANDROID_REL",
        0x6000_0002 => "ANDROID_RELA",
        0x6fff_4c00 => "LLVM_ODRTAB",
        0x6fff_4c01 => "LLVM_LINKER_OPTIONS",
        0x6fff_4c02 => "LLVM_CALL_GRAPH_PROFILE",
        0x6fff_4c03 => "LLVM_ADDRSIG",
        0x6fff_4c04 => "LLVM_DEPENDENT_LIBRARIES",
        0x6fff_4c05 => "LLVM_SYMPART",
        0x6fff_4c06 => "LLVM_PART_EHDR",
        0x6fff_4c07 => "LLVM_PART_PHDR",
        0x6fff_4c08 => "LLVM_BB_ADDR_MAP_V0",
        0x6fff_4c09 => "LLVM_CALL_GRAPH_PROFILE",
        0x6fff_4c0a => "LLVM_BB_ADDR_MAP",
        0x6fff_4c0b => "LLVM_OFFLOADING",
        0x6fff_4c0c => "LLVM_LTO",
        0x6fff_ff00 => "ANDROID_RELR",
        0x6fff_fff5 => "GNU_ATTRIBUTES",
        0x6fff_fff6 => "GNU_HASH",
        0x6fff_fff7 => "GNU_LIBLIST",
        0x6fff_fff8 => "CHECKSUM",
        0x6fff_fffd => "GNU_VERDEF",
        0x6fff_fffe => "GNU_VERNEED",
        0x6fff_ffff => "GNU_VERSYM",
        0x7000_0001 if machine == EM_X86_64 => "X86_64_UNWIND",
        0x7000_0001 if machine == EM_ARM => "ARM_EXIDX",
        0x7000_0002 if machine == EM_ARM => "ARM_PREEMPTMAP",
        0x7000_0003 if machine == EM_ARM => "ARM_ATTRIBUTES",
        0x7000_0004 if machine == EM_ARM => "ARM_DEBUGOVERLAY",
        0x7000_0005 if machine == EM_ARM => "ARM_OVERLAYSECTION",
        0x7000_0003 if machine == EM_AARCH64 => "AARCH64_ATTRIBUTES",
        0x7000_0006 if machine == goblin::elf::header::EM_MIPS => "MIPS_REGINFO",
        0x7000_000d if machine == goblin::elf::header::EM_MIPS => "MIPS_OPTIONS",
        0x7000_002a if machine == goblin::elf::header::EM_MIPS => "MIPS_ABIFLAGS",
        0x7000_0003 if machine == goblin::elf::header::EM_RISCV => "RISCV_ATTRIBUTES",
        _ => return value.to_string(),
    };
    name.to_string()
}

/// `p_type`; processor-specific values depend on `machine`.
pub(crate) fn segment_type(value: u32, machine: u16) -> String {
    let name = match value {
        0 => "PT_NULL_",
        1 => "LOAD",
        2 => "DYNAMIC",
        3 => "INTERP",
        4 => "NOTE",
        5 => "SHLIB",
        6 => "PHDR",
        7 => "TLS",
        0x6474_e550 => "GNU_EH_FRAME",
        0x6474_e551 => "GNU_STACK",
        0x6474_e552 => "GNU_RELRO",
        0x6474_e553 => "GNU_PROPERTY",
        0x6474_e554 => "GNU_SFRAME",
        0x6504_1580 => "PAX_FLAGS",
        0x65a3_dbe6 => "OPENBSD_RANDOMIZE",
        0x65a3_dbe7 => "OPENBSD_WXNEEDED",
        0x65a4_1be6 => "OPENBSD_BOOTDATA",
        0x7000_0000 if machine == EM_ARM => "ARM_ARCHEXT",
        0x7000_0001 if machine == EM_ARM => "ARM_EXIDX",
        0x7000_0002 if machine == EM_AARCH64 => "AARCH64_MEMTAG_MTE",
        0x7000_0000 if machine == goblin::elf::header::EM_MIPS => "MIPS_REGINFO",
        0x7000_0001 if machine == goblin::elf::header::EM_MIPS => "MIPS_RTPROC",
        0x7000_0002 if machine == goblin::elf::header::EM_MIPS => "MIPS_OPTIONS",
        0x7000_0003 if machine == goblin::elf::header::EM_MIPS => "MIPS_ABIFLAGS",
        0x7000_0003 if machine == goblin::elf::header::EM_RISCV => "RISCV_ATTRIBUTES",
        _ => return value.to_string(),
    };
    name.to_string()
}

/// Section flag letters in `readelf` order.
pub(crate) fn section_flag_letters(flags: u64) -> String {
    const LETTERS: [(u64, char); 12] = [
        (0x1, 'W'),
        (0x2, 'A'),
        (0x4, 'X'),
        (0x10, 'M'),
        (0x20, 'S'),
        (0x40, 'I'),
        (0x80, 'L'),
        (0x100, 'O'),
        (0x200, 'G'),
        (0x400, 'T'),
        (0x800, 'C'),
        (0x8000_0000, 'E'),
    ];
    LETTERS.iter().filter(|(bit, _)| flags & bit != 0).map(|&(_, letter)| letter).collect()
}

/// Segment permissions as `rwx` letters.
pub(crate) fn segment_permissions(flags: u32) -> String {
    let letter = |bit: u32, c: char| if flags & bit != 0 { c } else { '-' };
    [letter(4, 'r'), letter(2, 'w'), letter(1, 'x')].iter().collect()
}
