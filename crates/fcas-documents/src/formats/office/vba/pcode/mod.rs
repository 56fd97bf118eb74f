//! VBA stomping: a module's compiled p-code (the PerformanceCache before MODULEOFFSET in the
//! module stream) still runs when its source was replaced with benign text, as EvilClippy does.
//! Office runs the p-code when the document's VBA version matches, so the p-code is what counts.
//!
//! MS-OVBA leaves the PerformanceCache undocumented; FCAS reads only what it can read soundly:
//! the p-code line table of the VBA7 32-bit layout (`lines`) and the string literals of each
//! line (`literals`). A literal the p-code holds that no module's source writes means the source
//! is not what was compiled. Other layouts are not guessed at: the project says so in `errors`
//! and `stomped` stays false.
mod layout;
mod lines;
mod literals;

use fcas_report::{VbaModule, VbaPcodeString};

pub(crate) use layout::{version_of, Layout};

/// The string literals of one module's p-code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ModuleLiterals {
    /// The module's OLE stream, as reports spell it.
    pub(crate) stream: String,
    /// The literals, raw bytes in the project's code page.
    pub(crate) literals: Vec<Vec<u8>>,
    /// The project's code page.
    pub(crate) code_page: u16,
}

/// The string literals of the p-code in `area` (a module stream before MODULEOFFSET) compiled
/// in `layout`; `Err` when no line table of that layout is there.
pub(crate) fn literals_of(area: &[u8], layout: Layout) -> Result<Vec<Vec<u8>>, String> {
    let lines = lines::find(area, layout).ok_or_else(|| "no p-code line table found".to_string())?;
    Ok(lines.into_iter().flat_map(|line| literals::in_line(line, layout)).map(<[u8]>::to_vec).collect())
}

/// The literals of `compiled` that the source of no module in `modules` writes, in order, each
/// once. olevba's rule: the source of all modules together is searched, so a literal moved to
/// another module is not taken for stomping.
pub(crate) fn missing_from_source(compiled: &[ModuleLiterals], modules: &[VbaModule]) -> Vec<VbaPcodeString> {
    let mut missing: Vec<VbaPcodeString> = Vec::new();
    for module in compiled {
        for bytes in &module.literals {
            let text = super::text::decode(bytes, module.code_page);
            // The source writes a literal between quotes, a quote inside doubled.
            let quoted = format!("\"{}\"", text.replace('"', "\"\""));
            if modules.iter().any(|written| written.source.contains(&quoted)) {
                continue;
            }
            let found = VbaPcodeString { stream: module.stream.clone(), text };
            if !missing.contains(&found) {
                missing.push(found);
            }
        }
    }
    missing
}

#[cfg(test)]
mod tests;
