//! The OLE side of a VBA project: where projects are (a `VBA` storage holding a `dir` stream,
//! at any depth, as in `Macros/VBA`, `_VBA_PROJECT_CUR/VBA` or `VBA`) and bounded stream reads.
use std::io::Read;
use std::path::{Path, PathBuf};

/// An OLE compound file read from memory.
pub(crate) type Ole<'a> = crate::CompoundFile<'a>;

/// Opens the compound file `bytes`.
pub(crate) fn open(bytes: &[u8]) -> Result<Ole<'_>, String> {
    crate::open_compound(bytes).map_err(|error| format!("not a readable OLE file: {error}"))
}

/// The `VBA` storages holding a `dir` stream, in directory order, at most `max_depth` deep.
pub(crate) fn vba_storages(ole: &Ole<'_>, max_depth: usize) -> Vec<PathBuf> {
    ole.walk()
        .filter(|entry| entry.is_stream() && entry.name().eq_ignore_ascii_case("dir"))
        .filter_map(|entry| entry.path().parent().map(Path::to_path_buf))
        .filter(|storage| storage.file_name().is_some_and(|name| name.eq_ignore_ascii_case("VBA")))
        .filter(|storage| storage.components().count() <= max_depth.saturating_add(1))
        .collect()
}

/// The stream `name` in `storage`, matched without regard to case as OLE does.
pub(crate) fn child(ole: &Ole<'_>, storage: &Path, name: &str) -> Option<PathBuf> {
    let exact = storage.join(name);
    if ole.is_stream(&exact) {
        return Some(exact);
    }
    let entries = ole.read_storage(storage).ok()?;
    entries.filter(|entry| entry.is_stream()).find(|entry| entry.name().eq_ignore_ascii_case(name)).map(|entry| entry.path().to_path_buf())
}

/// A stream's bytes, at most `cap`, and whether it holds more.
pub(crate) fn read(ole: &mut Ole<'_>, path: &Path, cap: usize) -> Result<(Vec<u8>, bool), String> {
    let stream = ole.open_stream(path).map_err(|error| format!("{}: {error}", display(path)))?;
    let mut bytes = Vec::new();
    let wanted = u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1);
    stream.take(wanted).read_to_end(&mut bytes).map_err(|error| format!("{}: {error}", display(path)))?;
    let more = bytes.len() > cap;
    bytes.truncate(cap);
    Ok((bytes, more))
}

/// A stream path as reports spell it: `Macros/VBA/Module1`, no leading slash.
pub(crate) fn display(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter_map(|part| match part {
            std::path::Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    parts.join("/")
}
