//! Exploit mitigations: PIE, NX, RELRO, stack canary, fortify, stripping.
use fcas_report::ElfHardening;
use goblin::elf::dynamic::{DF_1_NOW, DF_1_PIE, DF_BIND_NOW, DT_BIND_NOW, DT_FLAGS, DT_FLAGS_1};
use goblin::elf::header::ET_DYN;
use goblin::elf::program_header::{PF_X, PT_GNU_RELRO, PT_GNU_STACK, PT_INTERP};
use goblin::elf::section_header::SHT_SYMTAB;
use goblin::elf::Elf;

/// Mitigations of `elf`, given its imported symbol names.
pub(super) fn hardening(elf: &Elf<'_>, imports: &[String]) -> ElfHardening {
    let has_segment = |kind: u32| elf.program_headers.iter().any(|p| p.p_type == kind);
    let fortified_functions: Vec<String> = imports.iter().filter(|name| is_fortified(name)).cloned().collect();
    ElfHardening {
        pie: (elf.header.e_type == ET_DYN && has_segment(PT_INTERP)) || dynamic_flag(elf, DT_FLAGS_1, DF_1_PIE),
        nx: elf.program_headers.iter().any(|p| p.p_type == PT_GNU_STACK && p.p_flags & PF_X == 0),
        relro: relro(elf, has_segment(PT_GNU_RELRO)).to_string(),
        stack_canary: imports.iter().any(|name| name == "__stack_chk_fail" || name == "__stack_chk_guard"),
        fortify: !fortified_functions.is_empty(),
        fortified_functions,
        stripped: !elf.section_headers.iter().any(|s| s.sh_type == SHT_SYMTAB),
    }
}

fn relro(elf: &Elf<'_>, has_relro_segment: bool) -> &'static str {
    if !has_relro_segment {
        return "none";
    }
    let bind_now = elf.dynamic.as_ref().is_some_and(|d| d.dyns.iter().any(|e| e.d_tag == DT_BIND_NOW))
        || dynamic_flag(elf, DT_FLAGS, DF_BIND_NOW)
        || dynamic_flag(elf, DT_FLAGS_1, DF_1_NOW);
    if bind_now {
        "full"
    } else {
        "partial"
    }
}

/// Whether the dynamic entry `tag` has any bit of `flag` set.
fn dynamic_flag(elf: &Elf<'_>, tag: u64, flag: u64) -> bool {
    elf.dynamic.as_ref().is_some_and(|d| d.dyns.iter().any(|e| e.d_tag == tag && e.d_val & flag != 0))
}

/// glibc's `_FORTIFY_SOURCE` replacements: `__memcpy_chk`, `__printf_chk`, ...
fn is_fortified(name: &str) -> bool {
    name.starts_with("__") && name.ends_with("_chk") && name != "__stack_chk_fail"
}
