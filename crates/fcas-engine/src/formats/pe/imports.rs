//! Import and delay-import directories, walked with pefile's rules and bounds so that the
//! lists (and so imphash) match pefile's, including on damaged tables.
use std::collections::BTreeSet;

use fcas_report::{PeImport, PeImportedSymbol};

use super::image::Image;
use super::imphash::resolve_ordinal;

/// pefile stops reading thunks once this many were read over all tables.
const MAX_IMPORT_SYMBOLS: u32 = 0x2000;
/// Longest DLL or function name read.
const MAX_NAME_LENGTH: u64 = 0x200;
/// A table naming the same hint/name entry this often is taken as bogus.
const MAX_REPEATED_ADDRESSES: u32 = 15;
/// A table whose name pointers spread wider than this is taken as bogus.
const MAX_ADDRESS_SPREAD: u64 = 128 << 20;
/// pefile gives up on a directory after this many descriptors without usable imports.
const MAX_DESCRIPTOR_ERRORS: u32 = 5;
/// Size of an import descriptor.
const IMPORT_DESCRIPTOR_SIZE: u64 = 20;
/// Size of a delay-import descriptor.
const DELAY_DESCRIPTOR_SIZE: u64 = 32;
/// COFF machine i386: old delay-import descriptors there hold VAs instead of RVAs.
const MACHINE_I386: u16 = 0x14c;

/// What the thunk walkers need to know about the image.
pub(crate) struct ImportContext<'i, 'a> {
    /// The mapped file.
    pub image: &'i Image<'a>,
    /// PE32+ thunks are 8 bytes wide.
    pub is_pe32_plus: bool,
    /// Preferred load address (to turn VAs of old delay descriptors into RVAs).
    pub image_base: u64,
    /// Size of the image (same purpose).
    pub size_of_image: u32,
    /// COFF machine.
    pub machine: u16,
    /// Every list is cut at this many entries.
    pub max_entries: usize,
    /// Thunks read so far over all tables (pefile's global bound).
    pub symbols_read: u32,
}

/// One thunk table entry.
struct Thunk {
    value: u64,
}

/// Why a table or a DLL was given up, as pefile does (its `PEFormatError`).
struct Invalid;

impl ImportContext<'_, '_> {
    fn thunk_size(&self) -> u64 {
        if self.is_pe32_plus {
            8
        } else {
            4
        }
    }

    fn ordinal_flag(&self) -> u64 {
        if self.is_pe32_plus {
            1 << 63
        } else {
            1 << 31
        }
    }

    /// pefile's `normalize_import_va`: a VA inside the image becomes an RVA.
    fn normalize(&self, va: u64) -> u64 {
        let end = self.image_base.saturating_add(u64::from(self.size_of_image));
        if (self.image_base..end).contains(&va) {
            va - self.image_base
        } else {
            va
        }
    }

    /// pefile's `get_import_table`: `Err` where pefile returns `None` (unreadable), an empty
    /// list where it judges the table bogus.
    fn table(&mut self, start: u64, max_length: i64, contains_addresses: bool, notes: &mut Vec<String>) -> Result<Vec<Thunk>, Invalid> {
        let size = self.thunk_size();
        let flag = self.ordinal_flag();
        let mut table = Vec::new();
        let mut repeated = 0u32;
        let mut low = BTreeSet::new();
        let mut high = BTreeSet::new();
        let mut rva = start;
        while rva != 0 {
            if i128::from(rva) >= i128::from(start) + i128::from(max_length) {
                notes.push("import table entries go beyond their bounds".to_string());
                break;
            }
            if self.symbols_read > MAX_IMPORT_SYMBOLS {
                notes.push(format!("more than {MAX_IMPORT_SYMBOLS} imported symbols; the rest are not read"));
                break;
            }
            self.symbols_read += 1;
            if repeated >= MAX_REPEATED_ADDRESSES || spread(&low) > MAX_ADDRESS_SPREAD || spread(&high) > MAX_ADDRESS_SPREAD {
                return Ok(Vec::new());
            }
            let raw = if self.is_pe32_plus { self.image.u64_rva(rva) } else { self.image.u32_rva(rva).map(u64::from) };
            let Some(mut value) = raw else {
                notes.push(format!("import table unreadable at RVA {rva:#x}"));
                return Err(Invalid);
            };
            if contains_addresses {
                value = self.normalize(value);
            }
            if value >= start && value <= rva {
                notes.push(format!("import thunk at RVA {rva:#x} points into its own table"));
                break;
            }
            if value == 0 {
                break;
            }
            if value & flag != 0 {
                if value & 0x7fff_ffff > 0xffff {
                    return Ok(Vec::new());
                }
            } else {
                let set = if value >= 1 << 32 { &mut high } else { &mut low };
                if !set.insert(value) {
                    repeated += 1;
                }
            }
            table.push(Thunk { value });
            rva += size;
        }
        Ok(table)
    }

    /// pefile's `parse_imports`: the symbols of one DLL. `Err` where pefile raises.
    fn symbols(
        &mut self,
        lookup_rva: u64,
        iat_rva: u64,
        max_length: i64,
        contains_addresses: bool,
        notes: &mut Vec<String>,
    ) -> Result<Vec<PeImportedSymbol>, Invalid> {
        let lookup = self.table(lookup_rva, max_length, contains_addresses, notes).unwrap_or_default();
        let iat = self.table(iat_rva, max_length, contains_addresses, notes).unwrap_or_default();
        let table = if !lookup.is_empty() { lookup } else { iat };
        if table.is_empty() {
            notes.push(format!("damaged import table: neither the lookup table ({lookup_rva:#x}) nor the IAT ({iat_rva:#x}) is readable"));
            return Ok(Vec::new());
        }
        let flag = self.ordinal_flag();
        let mask = flag - 1;
        let mut symbols = Vec::new();
        let mut invalid = 0usize;
        for (index, thunk) in table.iter().enumerate() {
            let slot = iat_rva.saturating_add(index as u64 * self.thunk_size());
            let (ordinal, hint, name) = if thunk.value & flag != 0 {
                (Some((thunk.value & 0xffff) as u16), None, None)
            } else {
                match self.image.data(thunk.value & mask, 2) {
                    None => (None, None, None),
                    Some(data) => {
                        let hint = super::image::u16_at(data, 0);
                        let raw = self.image.string_at(thunk.value.saturating_add(2), MAX_NAME_LENGTH);
                        let name = if is_valid_function_name(raw, false) {
                            String::from_utf8_lossy(raw).into_owned()
                        } else {
                            "*invalid*".to_string()
                        };
                        (None, hint, Some(name))
                    }
                }
            };
            if ordinal.is_none() && name.is_none() {
                return Err(Invalid);
            }
            if name.as_deref() == Some("*invalid*") {
                if invalid > 1000 && invalid == index {
                    return Err(Invalid);
                }
                invalid += 1;
                continue;
            }
            if ordinal.unwrap_or(0) == 0 && name.as_deref().unwrap_or("").is_empty() {
                continue;
            }
            if symbols.len() >= self.max_entries {
                notes.push(format!("only the first {} functions of an imported DLL are kept", self.max_entries));
                break;
            }
            symbols.push(PeImportedSymbol { by_ordinal: ordinal.is_some(), name, ordinal, hint, iat_rva: slot as u32 });
        }
        Ok(symbols)
    }

    /// DLL name at `rva`, `*invalid*` when it is not a valid file name (pefile's rule).
    fn dll_name(&self, rva: u64) -> String {
        let raw = self.image.string_at(rva, MAX_NAME_LENGTH);
        if is_valid_dos_filename(raw) {
            String::from_utf8_lossy(raw).into_owned()
        } else {
            "*invalid*".to_string()
        }
    }
}

/// Where one descriptor's tables and name are.
struct Descriptor {
    lookup: u64,
    name: u64,
    iat: u64,
    /// The fields are VAs (old delay-import descriptors).
    contains_addresses: bool,
}

/// The import directory at `rva`.
pub(crate) fn imports(ctx: &mut ImportContext<'_, '_>, rva: u32, notes: &mut Vec<String>) -> Vec<PeImport> {
    walk(ctx, rva, IMPORT_DESCRIPTOR_SIZE, "import", notes, |_, field| Descriptor {
        lookup: field(0),
        name: field(12),
        iat: field(16),
        contains_addresses: false,
    })
}

/// The delay-import directory at `rva`.
pub(crate) fn delay_imports(ctx: &mut ImportContext<'_, '_>, rva: u32, notes: &mut Vec<String>) -> Vec<PeImport> {
    walk(ctx, rva, DELAY_DESCRIPTOR_SIZE, "delay-import", notes, |ctx, field| {
        // Descriptors of old linkers (attributes 0, i386 only) hold VAs.
        if field(0) == 0 && ctx.machine == MACHINE_I386 {
            Descriptor {
                lookup: ctx.normalize(field(16)),
                name: ctx.normalize(field(4)),
                iat: ctx.normalize(field(12)),
                contains_addresses: true,
            }
        } else {
            Descriptor { lookup: field(16), name: field(4), iat: field(12), contains_addresses: false }
        }
    })
}

/// pefile's descriptor walk, shared by both directories: up to an all-zero descriptor, giving
/// up after too many descriptors without usable imports.
fn walk(
    ctx: &mut ImportContext<'_, '_>,
    rva: u32,
    descriptor_size: u64,
    what: &str,
    notes: &mut Vec<String>,
    read: impl Fn(&ImportContext<'_, '_>, &dyn Fn(usize) -> u64) -> Descriptor,
) -> Vec<PeImport> {
    let mut dlls = Vec::new();
    let mut errors = 0u32;
    let mut rva = u64::from(rva);
    let file_len = ctx.image.bytes.len() as i64;
    let delay = descriptor_size == DELAY_DESCRIPTOR_SIZE;
    loop {
        let Some(raw) = ctx.image.data(rva, descriptor_size) else {
            notes.push(format!("{what} directory unreadable at RVA {rva:#x}"));
            break;
        };
        if raw.len() as u64 != descriptor_size || raw.iter().all(|&b| b == 0) {
            break;
        }
        if dlls.len() >= ctx.max_entries {
            notes.push(format!("only the first {} {what}ed DLLs are kept", ctx.max_entries));
            break;
        }
        let field = |o: usize| u64::from(super::image::u32_at(raw, o).unwrap_or(0));
        let descriptor = read(ctx, &field);
        let file_offset = ctx.image.offset_of(rva).unwrap_or(0) as i64;
        rva += descriptor_size;
        let max_length = table_bound(rva, descriptor.lookup, descriptor.iat, file_len - file_offset);
        let symbols =
            ctx.symbols(descriptor.lookup, descriptor.iat, max_length, descriptor.contains_addresses, notes).unwrap_or_else(|Invalid| {
                notes.push(format!("invalid {what} data before RVA {rva:#x}"));
                Vec::new()
            });
        if errors > MAX_DESCRIPTOR_ERRORS {
            notes.push(format!("too many errors in the {what} directory; the rest is not read"));
            break;
        }
        if symbols.is_empty() {
            errors += 1;
            continue;
        }
        if delay && ctx.symbols_read > MAX_IMPORT_SYMBOLS {
            notes.push(format!("more than {MAX_IMPORT_SYMBOLS} imported symbols; the rest are not read"));
            break;
        }
        if let Some(dll) = named_dll(ctx, descriptor.name, symbols) {
            dlls.push(dll);
        }
    }
    dlls
}

/// pefile's bound on a thunk table: the distance back to the descriptor when the table lies
/// before it, else the rest of the file.
fn table_bound(next_descriptor: u64, lookup: u64, iat: u64, rest_of_file: i64) -> i64 {
    let (next, lookup, iat) = (next_descriptor as i64, lookup as i64, iat as i64);
    if next > lookup || next > iat {
        (next - lookup).max(next - iat)
    } else {
        rest_of_file
    }
}

/// Names the DLL and resolves its ordinals; `None` for an empty name (pefile drops it).
fn named_dll(ctx: &ImportContext<'_, '_>, name_rva: u64, mut symbols: Vec<PeImportedSymbol>) -> Option<PeImport> {
    let dll = ctx.dll_name(name_rva);
    if dll.is_empty() {
        return None;
    }
    let lowercase = dll.to_ascii_lowercase();
    for symbol in symbols.iter_mut().filter(|s| s.name.is_none()) {
        if let Some(ordinal) = symbol.ordinal {
            symbol.name = resolve_ordinal(&lowercase, ordinal);
        }
    }
    let functions = symbols
        .iter()
        .map(|s| match (&s.name, s.ordinal) {
            (Some(name), _) => name.clone(),
            (None, ordinal) => format!("ord{}", ordinal.unwrap_or(0)),
        })
        .collect();
    Some(PeImport { dll, functions, symbols })
}

/// Width between the lowest and highest address of `set`.
fn spread(set: &BTreeSet<u64>) -> u64 {
    match (set.first(), set.last()) {
        (Some(low), Some(high)) => high - low,
        _ => 0,
    }
}

/// pefile's `is_valid_function_name`.
pub(crate) fn is_valid_function_name(name: &[u8], relaxed: bool) -> bool {
    let extra: &[u8] = if relaxed { b"!\"#$%&'()*+,-./:<>?[\\]^_`{|}~@" } else { b"._?@$()<>" };
    name.iter().all(|c| c.is_ascii_alphanumeric() || extra.contains(c))
}

/// pefile's `is_valid_dos_filename`.
fn is_valid_dos_filename(name: &[u8]) -> bool {
    name.iter().all(|c| c.is_ascii_alphanumeric() || b"!#$%&'()-@^_`{}~+,.;=[]:\\/".contains(c))
}
