//! imphash and exphash, pefile's rules exactly.
use fcas_report::{PeExport, PeImport};

use super::image::md5_hex;
use super::ordinals;

/// pefile's `ordLookup`: for a DLL it has a table for (by full lowercased name), the name of
/// `ordinal`, or `ord<N>` when the table lacks it; `None` for other DLLs.
pub(crate) fn resolve_ordinal(dll_lowercase: &str, ordinal: u16) -> Option<String> {
    let table = ordinals::table(dll_lowercase)?;
    let name = table.binary_search_by_key(&ordinal, |(o, _)| *o).ok().and_then(|i| table.get(i)).map(|(_, n)| (*n).to_string());
    Some(name.unwrap_or_else(|| format!("ord{ordinal}")))
}

/// md5 of `dll.function` over every import, DLL names lowercased without a `.dll`, `.ocx` or
/// `.sys` extension, function names lowercased (ordinals already spelled by
/// [`resolve_ordinal`] or `ord<N>`). Empty when there is no import directory.
pub(crate) fn imphash(imports: &[PeImport]) -> String {
    if imports.is_empty() {
        return String::new();
    }
    let mut parts = Vec::new();
    for import in imports {
        let dll = import.dll.to_lowercase();
        let library = match dll.rsplit_once('.') {
            Some((stem, "dll" | "ocx" | "sys")) => stem,
            _ => dll.as_str(),
        };
        for function in &import.functions {
            parts.push(format!("{library}.{}", function.to_lowercase()));
        }
    }
    md5_hex(parts.join(",").as_bytes())
}

/// md5 of the lowercased export names, comma-joined; empty when no export has a name.
pub(crate) fn exphash(exports: &[PeExport]) -> String {
    let names: Vec<String> = exports.iter().filter_map(|e| e.name.as_ref()).map(|n| n.to_lowercase()).collect();
    if names.is_empty() {
        return String::new();
    }
    md5_hex(names.join(",").as_bytes())
}
