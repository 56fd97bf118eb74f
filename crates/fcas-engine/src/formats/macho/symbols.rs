//! Imported symbols: the undefined external entries of the `LC_SYMTAB` symbol table.
use super::commands::SymtabCommand;
use super::reader::Reader;
use crate::Limits;

/// `n_type` bits: debugging entry, type mask, external.
const N_STAB: u8 = 0xe0;
const N_TYPE: u8 = 0x0e;
const N_EXT: u8 = 0x01;
/// `N_UNDF` type: the symbol is defined elsewhere.
const N_UNDF: u8 = 0x0;

/// Names of the undefined external symbols, in table order.
pub(super) fn imported(reader: Reader<'_>, is_64: bool, symtab: SymtabCommand, limits: &Limits, notes: &mut Vec<String>) -> Vec<String> {
    let entry_size: u64 = if is_64 { 16 } else { 12 };
    let start = u64::from(symtab.symoff);
    let fits = (reader.bytes.len() as u64).saturating_sub(start) / entry_size;
    if u64::from(symtab.nsyms) > fits {
        notes.push(format!("the symbol table declares {} entries but only {fits} fit in the file", symtab.nsyms));
    }
    let strings_start = u64::from(symtab.stroff);
    let strings_end = strings_start.saturating_add(symtab.strsize.into()).min(reader.bytes.len() as u64);
    let mut names = Vec::new();
    for index in 0..u64::from(symtab.nsyms).min(fits) {
        let at = start + index * entry_size;
        let (Some(strx), Some(&n_type)) = (reader.u32(at), reader.bytes.get((at + 4) as usize)) else { break };
        if n_type & N_STAB != 0 || n_type & N_TYPE != N_UNDF || n_type & N_EXT == 0 {
            continue;
        }
        if names.len() >= limits.max_table_entries {
            notes.push(format!("more than {} imported symbols; the list is cut", limits.max_table_entries));
            break;
        }
        let name = reader.c_string(strings_start.saturating_add(strx.into()), strings_end).unwrap_or_default();
        names.push(name);
    }
    names
}
