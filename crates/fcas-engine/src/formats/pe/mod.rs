//! PE: headers, sections, imports, exports, resources, signature and the rest pefile reports.
//!
//! goblin parses the file (the other stages use its `PE`); the parts pefile is the reference for
//! are read here by hand through [`image::Image`], which maps RVAs exactly as pefile does.
mod authenticode;
mod checksum;
mod debug;
mod dotnet;
mod exports;
mod headers;
mod image;
mod imphash;
mod imports;
mod names;
mod ordinals;
mod overlay;
mod pkcs7;
mod resource_tree;
mod resources;
mod rich;
mod rva;
mod sections;
mod tls;
mod version_info;

use fcas_report::PeReport;
use goblin::options::ParseMode;
use goblin::pe::options::ParseOptions;
use goblin::pe::PE;

use crate::Limits;

/// Data directory indexes read here.
const DIR_EXPORT: u32 = 0;
const DIR_IMPORT: u32 = 1;
const DIR_DEBUG: u32 = 6;
const DIR_TLS: u32 = 9;
const DIR_DELAY_IMPORT: u32 = 13;

/// Parses `bytes` as a PE, tolerating the malformations packers leave behind (permissive mode:
/// UPX output, for one, has relocation and exception directories strict parsing rejects).
pub fn parse(bytes: &[u8]) -> Result<PE<'_>, String> {
    let mut options = ParseOptions::default();
    options.parse_mode = ParseMode::Permissive;
    // TLS is read by hand (bounded callbacks); goblin's reader only adds ways to fail.
    options.parse_tls_data = false;
    PE::parse_with_opts(bytes, &options).map_err(|e| format!("not a valid PE: {e}"))
}

pub use sections::SectionDigest;

/// Builds the PE part of the report.
pub fn analyze(pe: &PE<'_>, bytes: &[u8], limits: &Limits, notes: &mut Vec<String>) -> PeReport {
    let mut report = analyze_unhashed(pe, bytes, limits, notes);
    add_section_digests(&mut report, section_digests(bytes, limits));
    report
}

/// [`analyze`] without hashing the sections' data, the part of the work that grows with the
/// file's size rather than with its structure: `sections[].entropy` and `sections[].md5` stay
/// empty until [`add_section_digests`]. The pipeline runs [`section_digests`] beside this.
pub fn analyze_unhashed(pe: &PE<'_>, bytes: &[u8], limits: &Limits, notes: &mut Vec<String>) -> PeReport {
    let mut report = structure_unhashed(bytes, limits, notes);
    // Parts read from data directories, each with its own module.
    report.resources = resources::resources(pe, bytes, limits, notes);
    report.version_info = version_info::version_strings(pe, bytes, limits, notes);
    report.authenticode = authenticode::authenticode(pe, bytes, limits, notes);
    report.clr = dotnet::clr(pe, bytes, limits, notes);
    report
}

/// Everything pefile reports about the structure, read from `bytes` alone (no goblin): usable
/// as a fallback for the files goblin rejects (a bogus data directory count, a section count
/// past the end of the file) that pefile still reads.
pub fn structure(bytes: &[u8], limits: &Limits, notes: &mut Vec<String>) -> PeReport {
    let mut report = structure_unhashed(bytes, limits, notes);
    add_section_digests(&mut report, section_digests(bytes, limits));
    report
}

/// Entropy and md5 of each section [`structure`] reports, in order, read from `bytes` alone.
/// Reading the headers again costs microseconds; it lets this run beside the structure.
pub fn section_digests(bytes: &[u8], limits: &Limits) -> Vec<SectionDigest> {
    // The structure reports the problems met on the way; they would be the same here.
    let (_, image) = headers_and_sections(bytes, &mut Vec::new());
    sections::digests(&image, limits.max_table_entries)
}

/// The headers and the section table, read with pefile's rules.
fn headers_and_sections<'a>(bytes: &'a [u8], notes: &mut Vec<String>) -> (headers::Headers, image::Image<'a>) {
    let headers = headers::read(bytes, notes);
    let fields = &headers.fields;
    let image =
        image::Image::new(bytes, headers.section_table, fields.number_of_sections, fields.section_alignment, fields.file_alignment, notes);
    (headers, image)
}

/// Puts the results of [`section_digests`] into `report`'s sections.
pub fn add_section_digests(report: &mut PeReport, digests: Vec<SectionDigest>) {
    sections::add_digests(report, digests);
}

/// [`structure`] without the section digests.
pub fn structure_unhashed(bytes: &[u8], limits: &Limits, notes: &mut Vec<String>) -> PeReport {
    let max = limits.max_table_entries;
    let (headers, image) = headers_and_sections(bytes, notes);
    let fields = &headers.fields;

    let mut ctx = imports::ImportContext {
        image: &image,
        is_pe32_plus: fields.is_pe32_plus,
        image_base: fields.image_base,
        size_of_image: fields.size_of_image,
        machine: fields.machine,
        max_entries: max,
        symbols_read: 0,
    };
    let imports = headers.directory(DIR_IMPORT).map(|(rva, _)| imports::imports(&mut ctx, rva, notes)).unwrap_or_default();
    let (export_directory, exports) =
        match headers.directory(DIR_EXPORT).and_then(|(rva, size)| exports::exports(&image, rva, size, max, notes)) {
            Some((directory, exports)) => (Some(directory), exports),
            None => (None, Vec::new()),
        };
    let delay_imports =
        headers.directory(DIR_DELAY_IMPORT).map(|(rva, _)| imports::delay_imports(&mut ctx, rva, notes)).unwrap_or_default();

    PeReport {
        imphash: imphash::imphash(&imports),
        exphash: imphash::exphash(&exports),
        import_function_count: imports.iter().map(|i| i.symbols.len() as u64).sum(),
        ordinal_import_count: imports.iter().flat_map(|i| &i.symbols).filter(|s| s.by_ordinal).count() as u64,
        sections: sections::sections(&image, max, notes),
        entry_point_section: sections::entry_point_section(&image, fields.entry_point),
        imports,
        delay_imports,
        export_directory,
        exports,
        rich_header: rich::rich_header(bytes, headers.optional_header, notes),
        debug: headers.directory(DIR_DEBUG).map(|(rva, size)| debug::debug_entries(&image, rva, size, max, notes)).unwrap_or_default(),
        tls: headers.directory(DIR_TLS).and_then(|(rva, _)| tls::tls(&image, rva, fields.is_pe32_plus, fields.image_base, max, notes)),
        checksum_computed: checksum::computed_checksum(bytes, headers.optional_header),
        overlay: overlay::overlay(&image, headers.optional_header, fields.size_of_optional_header, &headers.directories),
        data_directories: headers.directories.clone(),
        headers: headers.fields.clone(),
        ..PeReport::default()
    }
}
