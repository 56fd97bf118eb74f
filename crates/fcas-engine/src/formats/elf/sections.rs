//! Section headers, with the entropy of the bytes each one occupies.
use fcas_report::ElfSection;
use goblin::elf::section_header::SHT_NOBITS;
use goblin::elf::Elf;

use super::names;
use crate::formats::span::span_entropy;
use crate::Limits;

/// Every section header (cut at the table limit).
pub(super) fn sections(elf: &Elf<'_>, bytes: &[u8], limits: &Limits, notes: &mut Vec<String>) -> Vec<ElfSection> {
    let all = &elf.section_headers;
    if all.len() > limits.max_table_entries {
        notes.push(format!("{} section headers; only the first {} are listed", all.len(), limits.max_table_entries));
    }
    let mut past_end = 0usize;
    let sections = all
        .iter()
        .take(limits.max_table_entries)
        .map(|s| {
            let entropy = if s.sh_type == SHT_NOBITS { None } else { span_entropy(bytes, s.sh_offset, s.sh_size) };
            if s.sh_type != SHT_NOBITS && entropy.is_none() {
                past_end += 1;
            }
            ElfSection {
                name: elf.shdr_strtab.get_at(s.sh_name).unwrap_or_default().to_string(),
                section_type: names::section_type(s.sh_type, elf.header.e_machine),
                flags: s.sh_flags,
                flag_letters: names::section_flag_letters(s.sh_flags),
                address: s.sh_addr,
                offset: s.sh_offset,
                size: s.sh_size,
                alignment: s.sh_addralign,
                entry_size: s.sh_entsize,
                link: s.sh_link,
                info: s.sh_info,
                entropy,
            }
        })
        .collect();
    if past_end > 0 {
        notes.push(format!("{past_end} section(s) extend past the end of the file; their entropy is not computed"));
    }
    sections
}
