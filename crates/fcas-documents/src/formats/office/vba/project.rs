//! One VBA project: its `dir` stream decompressed and parsed, then each module's source
//! decompressed from its offset and scanned, and the string literals of its p-code (before the
//! offset) kept for the stomping check.
use std::path::Path;

use fcas_report::VbaModule;

use super::budget::Budget;
use super::decompress::decompress;
use super::dir_stream::{self, ModuleEntry};
use super::pcode::{self, Layout, ModuleLiterals};
use super::storage::{self, Ole};
use super::{keywords, obfuscation, text};
use crate::DocLimits;

/// What a project says about all its modules: how their text is encoded and how their p-code
/// is laid out (`None`: a layout FCAS does not read).
struct Compiled {
    code_page: u16,
    layout: Option<Layout>,
}

/// What one project gives: its modules and the string literals of their p-code.
pub(crate) struct Read<'a> {
    /// The modules found (up to the module limit in all).
    pub(crate) modules: &'a mut Vec<VbaModule>,
    /// Per module whose p-code was read, its string literals.
    pub(crate) literals: &'a mut Vec<ModuleLiterals>,
    /// What could not be read.
    pub(crate) errors: &'a mut Vec<String>,
    /// Cleared when a module's source is not whole (cut or unreadable): a literal missing from
    /// it then proves nothing.
    pub(crate) sources_whole: &'a mut bool,
    /// Cleared when a module's p-code could not be read.
    pub(crate) pcode_read: &'a mut bool,
}

/// Reads the project in the `VBA` storage `vba` into `out`, saying in `out.errors` what could not
/// be read.
pub(crate) fn read(ole: &mut Ole<'_>, vba: &Path, limits: &DocLimits, budget: &mut Budget, out: Read<'_>) {
    let Read { modules, literals, errors, sources_whole, pcode_read } = out;
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
        *sources_whole = false;
    }
    if project.modules_cut > 0 {
        *sources_whole = false;
        errors.push(format!("{where_}: {} modules past the limit of {} left out", project.modules_cut, limits.max_modules));
    }
    let compiled = Compiled { code_page: project.code_page.unwrap_or(text::WINDOWS_1252), layout: layout(ole, vba, limits, errors) };
    for entry in &project.modules {
        let (found, compiled_literals, whole) = module(ole, vba, entry, &compiled, limits, budget, errors);
        *sources_whole &= whole;
        *pcode_read &= compiled_literals.is_some();
        modules.push(found);
        literals.extend(compiled_literals);
    }
}

/// The p-code layout the project's `_VBA_PROJECT` stream names; `None` when there is none, and
/// (saying why in `errors`) when it cannot be read or is one FCAS does not read.
fn layout(ole: &mut Ole<'_>, vba: &Path, limits: &DocLimits, errors: &mut Vec<String>) -> Option<Layout> {
    let where_ = storage::display(vba);
    // Without `_VBA_PROJECT` there is no compiled project: Office compiles the source anew, so
    // nothing can disagree with it (`stomping_checked` stays false, no error).
    let path = storage::child(ole, vba, "_VBA_PROJECT")?;
    let read = storage::read(ole, &path, limits.max_decoded_stream.min(16)).and_then(|(header, _)| pcode::version_of(&header));
    match read.and_then(Layout::try_from) {
        Ok(layout) => Some(layout),
        Err(error) => {
            errors.push(format!("{where_}/_VBA_PROJECT: {error}"));
            None
        }
    }
}

/// One module: its source (empty when it cannot be read, with the reason in `errors`), what the
/// source shows, the string literals of its p-code when they could be read (none when it has no
/// p-code), and whether the source was read whole.
fn module(
    ole: &mut Ole<'_>,
    vba: &Path,
    entry: &ModuleEntry,
    compiled: &Compiled,
    limits: &DocLimits,
    budget: &mut Budget,
    errors: &mut Vec<String>,
) -> (VbaModule, Option<ModuleLiterals>, bool) {
    let code_page = compiled.code_page;
    let name = named(entry.name_unicode.as_deref(), &entry.name, code_page);
    let stream_name = named(entry.stream_name_unicode.as_deref(), &entry.stream_name, code_page);
    let path = storage::child(ole, vba, &stream_name).unwrap_or_else(|| vba.join(&stream_name));
    let mut module = VbaModule { name, stream: storage::display(&path), ..VbaModule::default() };
    let (mut literals, mut whole) = (None, false);
    match storage::read(ole, &path, limits.max_decoded_stream) {
        Ok((stream, more)) => {
            match source(&stream, entry.offset, limits, budget) {
                Ok((bytes, truncated)) => {
                    module.source = text::decode(&bytes, code_page);
                    module.truncated = truncated;
                    whole = !truncated && !more;
                }
                Err(error) => errors.push(format!("{}: {error}", module.stream)),
            }
            literals = compiled.layout.and_then(|layout| p_code(&stream, entry.offset, layout, &module.stream, code_page, errors));
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
    (module, literals, whole)
}

/// The string literals of the p-code before `offset` in the module stream `stream`: none when
/// there is no p-code (a module never compiled, or whose p-code was removed: nothing then runs
/// but the source); `None` when its line table cannot be found (said in `errors`).
fn p_code(stream: &[u8], offset: u32, layout: Layout, name: &str, code_page: u16, errors: &mut Vec<String>) -> Option<ModuleLiterals> {
    let area = stream.get(..offset as usize)?;
    if area.is_empty() {
        return Some(ModuleLiterals { stream: name.to_string(), literals: Vec::new(), code_page });
    }
    match pcode::literals_of(area, layout) {
        Ok(literals) => Some(ModuleLiterals { stream: name.to_string(), literals, code_page }),
        Err(error) => {
            errors.push(format!("{name}: {error}: stomping not determined"));
            None
        }
    }
}

/// The decompressed source after the module's p-code, at most the source limit.
fn source(stream: &[u8], offset: u32, limits: &DocLimits, budget: &mut Budget) -> Result<(Vec<u8>, bool), String> {
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
