//! Bounds on document analysis. Every parser reads hostile bytes; these keep time and memory
//! proportional to the input whatever it claims, and each cut is reported in
//! `document.truncated` or `errors`.

/// Limits of the document parsers.
#[derive(Debug, Clone)]
pub struct DocLimits {
    /// Bytes of decompressed source kept per VBA module.
    pub max_module_source: usize,
    /// VBA modules read per project.
    pub max_modules: usize,
    /// XLM formulas kept per document.
    pub max_formulas: usize,
    /// DDE fields, relationships and embedded objects kept per document (each list).
    pub max_items: usize,
    /// Bytes one decompressed stream (a PDF filter chain, an RTF object, a VBA stream) may
    /// expand to.
    pub max_decoded_stream: usize,
    /// Bytes of all decoded streams of one document together.
    pub max_decoded_total: usize,
    /// PDF objects looked at (including those inside object streams).
    pub max_pdf_objects: usize,
    /// Nesting depth followed (RTF groups, PDF dictionaries and arrays, OLE storages).
    pub max_nesting: usize,
    /// Bytes of one script or JavaScript kept in the report.
    pub max_script_text: usize,
    /// Payloads decoded from one script.
    pub max_decoded_payloads: usize,
    /// Parts of one OOXML package looked at (a ZIP may list millions of entries).
    pub max_package_parts: usize,
}

impl Default for DocLimits {
    fn default() -> Self {
        Self {
            max_module_source: 1 << 20,
            max_modules: 256,
            max_formulas: 10_000,
            max_items: 1_000,
            max_decoded_stream: 64 << 20,
            max_decoded_total: 256 << 20,
            max_pdf_objects: 200_000,
            max_nesting: 64,
            max_script_text: 256 << 10,
            max_decoded_payloads: 64,
            max_package_parts: 10_000,
        }
    }
}
