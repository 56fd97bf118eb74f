//! One VBA project: its `dir` stream decompressed and parsed, then each module's source
//! decompressed from its offset and scanned.
use std::path::Path;

use fcas_report::VbaModule;

use super::budget::Budget;
use super::decompress::decompress;
use super::dir_stream::{self, ModuleEntry};
use super::storage::{self, Ole};
use super::{keywords, obfuscation, text};
use crate::DocLimits;

/// Reads the project in the `VBA` storage `vba` into `modules` (up to the module limit in all),
/// saying in `errors` what could not be read.
pub(crate) fn read(
    ole: &mut Ole<'_>,
    vba: &Path,
    limits: &DocLimits,
    budget: &mut Budget,
    modules: &mut Vec<VbaModule>,
    errors: &mut Vec<String>,
) {
    let where_ = storage::display(vba);
    let Some(dir_path) = storage::child(ole, vba, "dir") else {
        errors.push(format!("{where_}: no dir stream"));
        return;
    };
    let raw = match storage::read(ole, &dir_path, limits.max_decoded_stream) {
        Ok((raw, _)) => raw,
        Err(error) => {
            errors.push(error);
            return;
        }
    };
    let dir = match decompress(&raw, budget.cap(limits.max_decoded_stream)) {
        Ok(dir) => dir,
        Err(error) => {
            errors.push(format!("{where_}/dir: {error}"));
            return;
        }
    };
    budget.spend(dir.bytes.len());
    let project = dir_stream::parse(&dir.bytes, limits.max_modules.saturating_sub(modules.len()));
    if let Some(error) = project.error {
        errors.push(format!("{where_}/dir: {error}"));
    }
    if project.modules_cut > 0 {
        errors.push(format!("{where_}: {} modules past the limit of {} left out", project.modules_cut, limits.max_modules));
    }
    let code_page = project.code_page.unwrap_or(text::WINDOWS_1252);
    for entry in &project.modules {
        modules.push(module(ole, vba, entry, code_page, limits, budget, errors));
    }
}

/// One module: its source (empty when it cannot be read, with the reason in `errors`) and what
/// the source shows.
fn module(
    ole: &mut Ole<'_>,
    vba: &Path,
    entry: &ModuleEntry,
    code_page: u16,
    limits: &DocLimits,
    budget: &mut Budget,
    errors: &mut Vec<String>,
) -> VbaModule {
    let name = named(entry.name_unicode.as_deref(), &entry.name, code_page);
    let stream_name = named(entry.stream_name_unicode.as_deref(), &entry.stream_name, code_page);
    let path = storage::child(ole, vba, &stream_name).unwrap_or_else(|| vba.join(&stream_name));
    let mut module = VbaModule { name, stream: storage::display(&path), ..VbaModule::default() };
    match source(ole, &path, entry.offset, limits, budget) {
        Ok((bytes, truncated)) => {
            module.source = text::decode(&bytes, code_page);
            module.truncated = truncated;
        }
        Err(error) => errors.push(format!("{}: {error}", module.stream)),
    }
    module.autoexec = keywords::autoexec(&module.source);
    module.suspicious = keywords::suspicious(&module.source);
    for sign in obfuscation::signs(&module.source) {
        if !module.suspicious.iter().any(|known| known.eq_ignore_ascii_case(&sign)) {
            module.suspicious.push(sign);
        }
    }
    module
}

/// The decompressed source after the module's p-code, at most the source limit.
fn source(ole: &mut Ole<'_>, path: &Path, offset: u32, limits: &DocLimits, budget: &mut Budget) -> Result<(Vec<u8>, bool), String> {
    let (stream, _) = storage::read(ole, path, limits.max_decoded_stream)?;
    let compressed =
        stream.get(offset as usize..).ok_or_else(|| format!("source offset {offset} past the stream's {} bytes", stream.len()))?;
    let wanted = limits.max_module_source;
    let out = decompress(compressed, budget.cap(wanted))?;
    budget.spend(out.bytes.len());
    Ok((out.bytes, out.truncated))
}

/// The Unicode form of a name when the dir gives one, else the code page form.
fn named(unicode: Option<&str>, bytes: &[u8], code_page: u16) -> String {
    match unicode {
        Some(name) if !name.is_empty() => name.to_string(),
        _ => text::decode(bytes, code_page),
    }
}
