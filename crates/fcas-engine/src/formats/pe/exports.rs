//! The export directory, read by hand (goblin lists named exports only) with pefile's rules:
//! named exports in name-table order, then the ordinal-only ones, forwarders resolved.
use std::collections::{BTreeSet, HashMap};

use fcas_report::{PeExport, PeExportDirectory};

use super::image::{u16_at, u32_at, Image};
use super::imports::is_valid_function_name;

/// Size of the export directory.
const DIRECTORY_SIZE: u64 = 40;
/// Longest export name read.
const MAX_NAME_LENGTH: u64 = 0x200;
/// Longest forwarder string read.
const MAX_FORWARDER_LENGTH: u64 = 0x10_0000;
/// pefile takes the table as corrupt past this many distinct symbols.
const MAX_SYMBOL_EXPORTS: usize = 0x2000;
/// ... or once one (name, address) pair repeats this often.
const MAX_REPEATED_NAMED: u32 = 10;
/// ... or once one ordinal-only address repeats this often.
const MAX_REPEATED_ADDRESS: u32 = 120;
/// Bad entries tolerated before giving up on a table.
const MAX_FAILED_ENTRIES: i32 = 10;

/// The export directory at `rva` (`size` bytes long, which is where forwarder strings live).
/// `None` where pefile finds no usable directory.
pub(crate) fn exports(
    image: &Image<'_>,
    rva: u32,
    size: u32,
    max: usize,
    notes: &mut Vec<String>,
) -> Option<(PeExportDirectory, Vec<PeExport>)> {
    let dir_rva = u64::from(rva);
    let Some(directory) = image.data(dir_rva, DIRECTORY_SIZE) else {
        notes.push(format!("export directory unreadable at RVA {rva:#x}"));
        return None;
    };
    if directory.len() as u64 != DIRECTORY_SIZE {
        return None;
    }
    let field = |o: usize| u32_at(directory, o).unwrap_or(0);
    let (timestamp, name_rva, base) = (field(4), field(12), field(16));
    let (number_of_functions, number_of_names) = (field(20), field(24));
    let (functions_rva, names_rva, name_ordinals_rva) = (u64::from(field(28)), u64::from(field(32)), u64::from(field(36)));
    let forwarder_range = dir_rva..dir_rva + u64::from(size);

    let file_len = image.bytes.len() as u64;
    let table = |at: u64, count: u32| -> Option<&[u8]> {
        let until_eof = file_len.saturating_sub(image.offset_of(at)?);
        image.data(at, until_eof.min(u64::from(count) * 4))
    };
    let (Some(names), Some(name_ordinals), Some(functions)) =
        (table(names_rva, number_of_names), table(name_ordinals_rva, number_of_names), table(functions_rva, number_of_functions))
    else {
        notes.push(format!("export directory at RVA {rva:#x} points outside the file"));
        return None;
    };
    let dword = |data: &[u8], index: u64| usize::try_from(index).ok().and_then(|i| u32_at(data, i.checked_mul(4)?));

    let mut exports = Vec::new();
    let mut failures = MAX_FAILED_ENTRIES;
    let mut named_counts: HashMap<(String, u32), u32> = HashMap::new();
    for index in 0..u64::from(number_of_names).min(safety_boundary(image, names_rva) / 4) {
        let ordinal_index = usize::try_from(index).ok().and_then(|i| u16_at(name_ordinals, i.checked_mul(2)?));
        let Some(address) = ordinal_index.and_then(|o| dword(functions, u64::from(o))) else {
            notes.push("export name-ordinal table points past the address table; exports dropped as pefile does".to_string());
            return None;
        };
        let ordinal_index = ordinal_index.unwrap_or(0);
        if address == 0 {
            continue;
        }
        let forwarder = if forwarder_range.contains(&u64::from(address)) {
            if image.offset_of(u64::from(address)).is_none() {
                continue;
            }
            Some(text(image.string_at(u64::from(address), MAX_FORWARDER_LENGTH)))
        } else {
            None
        };
        let Some(name_address) = dword(names, index) else {
            notes.push(format!("export name table at RVA {names_rva:#x} is invalid"));
            break;
        };
        let raw_name = image.string_at(u64::from(name_address), MAX_NAME_LENGTH);
        if !is_valid_function_name(raw_name, true) {
            notes.push(format!("export name table at RVA {names_rva:#x} is invalid"));
            break;
        }
        if image.offset_of(u64::from(name_address)).is_none() {
            failures -= 2;
            if failures <= 0 {
                notes.push(format!("export name table at RVA {names_rva:#x} is invalid"));
                break;
            }
            continue;
        }
        let name = text(raw_name);
        let count = named_counts.entry((name.clone(), address)).or_insert(0);
        *count += 1;
        if *count > MAX_REPEATED_NAMED {
            notes.push(format!("export {name} repeats more than {MAX_REPEATED_NAMED} times; table taken as corrupt"));
            break;
        }
        if named_counts.len() > MAX_SYMBOL_EXPORTS {
            notes.push(format!("more than {MAX_SYMBOL_EXPORTS} exports; table taken as corrupt"));
            break;
        }
        exports.push(PeExport { name: Some(name), ordinal: ordinal_of(base, u64::from(ordinal_index)), address, forwarder });
    }

    let named: BTreeSet<u32> = exports.iter().map(|e| e.ordinal).collect();
    let mut failures = MAX_FAILED_ENTRIES;
    let mut address_counts: HashMap<u32, u32> = HashMap::new();
    for index in 0..u64::from(number_of_functions).min(safety_boundary(image, functions_rva) / 4) {
        if named.contains(&ordinal_of(base, index)) {
            continue;
        }
        let Some(address) = dword(functions, index) else {
            failures -= 1;
            if failures <= 0 {
                notes.push(format!("export address table at RVA {functions_rva:#x} is invalid; exports dropped as pefile does"));
                return None;
            }
            continue;
        };
        if address == 0 {
            continue;
        }
        let forwarder =
            forwarder_range.contains(&u64::from(address)).then(|| text(image.string_at(u64::from(address), MAX_FORWARDER_LENGTH)));
        let count = address_counts.entry(address).or_insert(0);
        *count += 1;
        if *count > MAX_REPEATED_ADDRESS {
            notes.push(format!("export address {address:#x} repeats more than {MAX_REPEATED_ADDRESS} times; table taken as corrupt"));
            break;
        }
        if address_counts.len() > MAX_SYMBOL_EXPORTS {
            notes.push(format!("more than {MAX_SYMBOL_EXPORTS} ordinal exports; table taken as corrupt"));
            break;
        }
        exports.push(PeExport { name: None, ordinal: ordinal_of(base, index), address, forwarder });
    }

    if exports.is_empty() && directory.iter().all(|&b| b == 0) {
        return None;
    }
    if exports.len() > max {
        notes.push(format!("only the first {max} of {} exports are kept", exports.len()));
        exports.truncate(max);
    }
    let dll_name = text(image.string_at(u64::from(name_rva), MAX_FORWARDER_LENGTH));
    Some((PeExportDirectory { dll_name, ordinal_base: base, timestamp, number_of_functions, number_of_names }, exports))
}

/// pefile's "safety boundary": entries of a table that can lie inside its section (the whole
/// file when no section holds it).
fn safety_boundary(image: &Image<'_>, table_rva: u64) -> u64 {
    match image.section_of(table_rva) {
        Some(section) => (u64::from(section.virtual_address) + section.raw_data(image.bytes).len() as u64).saturating_sub(table_rva),
        None => image.bytes.len() as u64,
    }
}

fn ordinal_of(base: u32, index: u64) -> u32 {
    u32::try_from(u64::from(base) + index).unwrap_or(u32::MAX)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
