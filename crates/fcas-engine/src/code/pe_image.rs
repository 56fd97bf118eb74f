//! Builds a [`CodeImage`] from a parsed PE: sections, entry point, exports, TLS callbacks and
//! the IAT slots of regular and delay-load imports.
use goblin::pe::header::{COFF_MACHINE_X86, COFF_MACHINE_X86_64};
use goblin::pe::section_table::{IMAGE_SCN_CNT_CODE, IMAGE_SCN_MEM_EXECUTE};
use goblin::pe::PE;

use super::image::{CodeImage, RootKind};
use crate::Limits;

/// Size of one delay-load descriptor (`IMAGE_DELAYLOAD_DESCRIPTOR`).
const DELAY_DESCRIPTOR_SIZE: u64 = 32;
/// Longest DLL or function name read from the delay-load tables.
const MAX_NAME_LEN: usize = 512;

/// The code image of `pe`, or `None` when its machine is neither x86 nor x64.
pub(crate) fn build<'a>(pe: &PE<'_>, bytes: &'a [u8], limits: &Limits, notes: &mut Vec<String>) -> Option<CodeImage<'a>> {
    let bitness = match pe.header.coff_header.machine {
        COFF_MACHINE_X86 => 32,
        COFF_MACHINE_X86_64 => 64,
        _ => return None,
    };
    let mut image = CodeImage::new(bytes, bitness);
    map_headers_and_sections(pe, &mut image, notes);
    let base = pe.image_base;

    if pe.entry != 0 || !pe.is_lib {
        if let Some(entry) = base.checked_add(u64::from(pe.entry)) {
            image.entry = Some(entry);
            image.roots.push((entry, RootKind::Entry));
        }
    }
    if let Some(tls) = &pe.tls_data {
        for &callback in tls.callbacks.iter().take(limits.max_table_entries) {
            if callback != 0 && image.bytes_at(callback).is_some() {
                image.roots.push((callback, RootKind::Tls));
            }
        }
    }
    for export in pe.exports.iter().filter(|e| e.reexport.is_none() && e.rva != 0).take(limits.max_table_entries) {
        let Some(va) = base.checked_add(export.rva as u64) else { continue };
        // Exported variables live in data sections; only code is worth decoding.
        if image.is_executable(va) {
            let name = export.name.map_or_else(|| format!("@{:#x}", export.rva), str::to_string);
            image.roots.push((va, RootKind::Export(name)));
        }
    }

    for import in pe.imports.iter().take(limits.max_table_entries) {
        let Some(slot) = base.checked_add(import.offset as u64) else { continue };
        image.import_slots.insert(slot, api_name(import.dll, &import.name, import.ordinal, import.rva));
    }
    add_delay_imports(pe, &mut image, limits, notes);
    Some(image)
}

/// `dll!function`, or `dll!#ordinal` for an import by ordinal (goblin names those `ORDINAL n`).
fn api_name(dll: &str, name: &str, ordinal: u16, hint_name_rva: usize) -> String {
    if hint_name_rva == 0 && name.starts_with("ORDINAL ") {
        format!("{dll}!#{ordinal}")
    } else {
        format!("{dll}!{name}")
    }
}

/// Maps the headers and every section's raw data, bounded by both raw and virtual size.
fn map_headers_and_sections(pe: &PE<'_>, image: &mut CodeImage<'_>, notes: &mut Vec<String>) {
    let base = pe.image_base;
    let (size_of_headers, file_alignment) = pe
        .header
        .optional_header
        .as_ref()
        .map_or((0, 0), |h| (u64::from(h.windows_fields.size_of_headers), h.windows_fields.file_alignment));
    image.map(base, 0, size_of_headers, false);
    for section in &pe.sections {
        let Some(va) = base.checked_add(u64::from(section.virtual_address)) else { continue };
        // The loader rounds raw pointers down to 512 bytes when the file alignment allows it.
        let offset = if file_alignment >= 0x200 { section.pointer_to_raw_data & !0x1ff } else { section.pointer_to_raw_data };
        let raw = u64::from(section.size_of_raw_data);
        let len = if section.virtual_size == 0 { raw } else { raw.min(u64::from(section.virtual_size)) };
        let executable = section.characteristics & (IMAGE_SCN_MEM_EXECUTE | IMAGE_SCN_CNT_CODE) != 0;
        if !image.map(va, u64::from(offset), len, executable) {
            notes.push(format!("disassembly: only the first {} sections are mapped", super::image::MAX_RANGES));
            break;
        }
    }
}

/// Reads the delay-load import descriptors (goblin does not) and adds their IAT slots.
fn add_delay_imports(pe: &PE<'_>, image: &mut CodeImage<'_>, limits: &Limits, notes: &mut Vec<String>) {
    let Some(directory) = pe.header.optional_header.as_ref().and_then(|h| h.data_directories.get_delay_import_descriptor().copied()) else {
        return;
    };
    if directory.virtual_address == 0 {
        return;
    }
    let base = pe.image_base;
    let pointer_size: u64 = if image.bitness == 64 { 8 } else { 4 };
    let ordinal_flag = 1u64 << (pointer_size * 8 - 1);
    let mut slots = 0usize;
    let mut descriptor_va = base.saturating_add(u64::from(directory.virtual_address));
    for _ in 0..limits.max_table_entries {
        let Some(fields) = read_u32s::<8>(image, descriptor_va) else { break };
        let [attributes, dll_name, _, iat, int, ..] = fields;
        if dll_name == 0 || iat == 0 || int == 0 {
            break;
        }
        // Old linkers wrote VAs instead of RVAs; attribute bit 0 tells them apart.
        let to_va = |value: u32| if attributes & 1 == 1 { base.checked_add(u64::from(value)) } else { Some(u64::from(value)) };
        let dll = to_va(dll_name).and_then(|va| read_c_string(image, va)).unwrap_or_else(|| "?".to_string());
        let (Some(iat_va), Some(int_va)) = (to_va(iat), to_va(int)) else { break };
        for index in 0u64.. {
            if slots >= limits.max_table_entries {
                notes.push(format!("disassembly: delay-load imports cut at {} entries", limits.max_table_entries));
                return;
            }
            let Some(entry) = index.checked_mul(pointer_size).and_then(|d| int_va.checked_add(d)).and_then(|va| image.read_pointer(va))
            else {
                break;
            };
            if entry == 0 {
                break;
            }
            let name = if entry & ordinal_flag != 0 {
                format!("{dll}!#{}", entry & 0xffff)
            } else {
                let hint_name = if attributes & 1 == 1 { base.checked_add(entry & 0xffff_ffff) } else { Some(entry) };
                let function = hint_name.and_then(|va| read_c_string(image, va.checked_add(2)?)).unwrap_or_else(|| "?".to_string());
                format!("{dll}!{function}")
            };
            let Some(slot) = index.checked_mul(pointer_size).and_then(|d| iat_va.checked_add(d)) else { break };
            image.import_slots.insert(slot, name);
            slots += 1;
        }
        descriptor_va = match descriptor_va.checked_add(DELAY_DESCRIPTOR_SIZE) {
            Some(next) => next,
            None => break,
        };
    }
}

/// Reads `N` little-endian u32 at `va`.
fn read_u32s<const N: usize>(image: &CodeImage<'_>, va: u64) -> Option<[u32; N]> {
    let bytes = image.bytes_at(va)?.get(..N * 4)?;
    let mut out = [0u32; N];
    for (value, chunk) in out.iter_mut().zip(bytes.chunks_exact(4)) {
        *value = u32::from_le_bytes(chunk.try_into().ok()?);
    }
    Some(out)
}

/// A NUL-terminated name at `va` (lossy UTF-8, at most [`MAX_NAME_LEN`] bytes).
fn read_c_string(image: &CodeImage<'_>, va: u64) -> Option<String> {
    let bytes = image.bytes_at(va)?;
    let bytes = bytes.get(..bytes.len().min(MAX_NAME_LEN))?;
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    let text = String::from_utf8_lossy(bytes.get(..end)?).into_owned();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(relative: &str) -> Vec<u8> {
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus");
        std::fs::read(corpus.join(relative)).expect("fixture")
    }

    #[test]
    fn delay_load_slots_carry_the_names_of_the_reference() {
        for name in ["pypi-pywin32-win_amd64/win32api.pyd", "pypi-pywin32-win32/win32api.pyd"] {
            let bytes = fixture(&format!("files/pe/{name}"));
            let reference: serde_json::Value = serde_json::from_slice(&fixture(&format!("refs/pe/{name}.json"))).expect("JSON");
            let pe = PE::parse(&bytes).expect("PE");
            let image = build(&pe, &bytes, &Limits::default(), &mut Vec::new()).expect("x86/x64");
            let delayed = reference["pefile"]["delay_imports"].as_array().expect("delay imports");
            assert!(!delayed.is_empty());
            for dll in delayed {
                for function in dll["functions"].as_array().expect("functions") {
                    let api = format!("{}!{}", dll["dll"].as_str().unwrap_or(""), function["name"].as_str().unwrap_or(""));
                    assert!(image.import_slots.values().any(|n| *n == api), "{name}: {api} missing");
                }
            }
        }
    }
}
