//! The order of the stages, and what each one fills in.
use std::path::Path;
use std::time::Instant;

use fcas_report::{stage, AnalysisOptions, Format, Report, SCHEMA_VERSION};

use crate::limits::{Deadline, Limits};
use crate::stage::StageLog;
use crate::{code, documents, formats, hashes, identity, indicators, parallel, strings, InputError, OpenedFile, ENGINE_VERSION};

/// What to analyse and within which limits.
#[derive(Debug, Clone)]
pub struct Options {
    /// Bounds on every stage.
    pub limits: Limits,
    /// Run the disassembly stage (the slowest one on large binaries).
    pub disassemble: bool,
    /// How containers are opened by [`crate::analyze_submission`].
    pub extraction: fcas_extract::Settings,
    /// Where the reports of a submission are made, recorded in each as it is finished (a
    /// descendant's report is packed then, see [`fcas_report::Submission`]).
    pub origin: Option<fcas_report::Origin>,
}

impl Default for Options {
    fn default() -> Self {
        Self { limits: Limits::default(), disassemble: true, extraction: fcas_extract::Settings::default(), origin: None }
    }
}

impl Options {
    /// The engine's options for what a front end asked (zero fields keep the defaults).
    /// `no_models` is not the engine's concern: the caller decides which extra stages to run.
    pub fn from_analysis(asked: &AnalysisOptions) -> Self {
        let mut options = Self::default();
        options.limits.max_file_size = asked.max_size_or(options.limits.max_file_size);
        if asked.min_string_len > 0 {
            options.limits.min_string_len = asked.min_string_len;
        }
        options.disassemble = !asked.no_disasm;
        options.extraction.enabled = !asked.no_extract;
        if asked.max_depth > 0 {
            options.extraction.limits.max_depth = asked.max_depth;
        }
        options
    }
}

/// A stage that lives outside the engine (model inference, for one) and runs on the same bytes
/// after the engine's own stages, isolated like them.
pub trait ExtraStage: Sync {
    /// Stage name used in `errors[].stage` and timings.
    fn name(&self) -> &str;
    /// Adds this stage's results to `report`.
    fn run(&self, report: &mut Report, bytes: &[u8]) -> Result<(), String>;
}

/// Analyses the file at `path`. Never fails: a file that cannot be read gives a report whose
/// `errors` say why (stage `input`).
pub fn analyze_path(path: &Path, options: &Options) -> Report {
    analyze_path_with(path, options, &[])
}

/// Like [`analyze_path`], then runs `extra` stages on the same bytes while they are mapped.
pub fn analyze_path_with(path: &Path, options: &Options, extra: &[&dyn ExtraStage]) -> Report {
    let name = path.to_string_lossy();
    match OpenedFile::open(path, options.limits.max_file_size) {
        Ok(opened) => analyze_opened(&name, opened, options, extra),
        Err(error) => input_failure(&name, &error),
    }
}

/// Analyses a file opened with [`OpenedFile::open`], reported under `name`.
pub fn analyze_opened(name: &str, opened: OpenedFile, options: &Options, extra: &[&dyn ExtraStage]) -> Report {
    let started = Instant::now();
    let mut report = match opened.into_bytes() {
        Ok(input) => {
            let mut report = empty_report(name);
            fill(&mut report, &input, None, options);
            run_extra(&mut report, &input, extra);
            report
        }
        Err(error) => input_failure(name, &error),
    };
    report.provenance.analysis_ms = started.elapsed().as_secs_f64() * 1e3;
    report
}

/// The report of a file that could not be opened or read: what went wrong, and its size when
/// that was the reason.
pub fn input_failure(name: &str, error: &InputError) -> Report {
    let mut report = Report::failed(name, stage::INPUT, error.to_string());
    report.engine_version = ENGINE_VERSION.to_string();
    if let InputError::TooLarge { size, .. } = error {
        report.size = *size;
    }
    report
}

/// Analyses `bytes` as if read from a file named `path`.
pub fn analyze_bytes(path: &str, bytes: &[u8], options: &Options) -> Report {
    analyze_bytes_with(path, bytes, options, &[])
}

/// Like [`analyze_bytes`], then runs `extra` stages on the same bytes.
pub fn analyze_bytes_with(path: &str, bytes: &[u8], options: &Options, extra: &[&dyn ExtraStage]) -> Report {
    analyze_hashed(path, bytes, None, options, extra)
}

/// Like [`analyze_bytes_with`]; `sha256`, when given, is the bytes' SHA-256 (lowercase hex),
/// already computed by the caller, and is not computed again.
pub(crate) fn analyze_hashed(path: &str, bytes: &[u8], sha256: Option<&str>, options: &Options, extra: &[&dyn ExtraStage]) -> Report {
    let started = Instant::now();
    let mut report = empty_report(path);
    fill(&mut report, bytes, sha256, options);
    run_extra(&mut report, bytes, extra);
    report.provenance.analysis_ms = started.elapsed().as_secs_f64() * 1e3;
    report
}

fn empty_report(path: &str) -> Report {
    Report { schema_version: SCHEMA_VERSION, engine_version: ENGINE_VERSION.to_string(), path: path.to_string(), ..Report::default() }
}

/// Runs every stage over `bytes` (whose SHA-256 the caller may know). Stages record their own
/// failures; none stops the others.
fn fill(report: &mut Report, bytes: &[u8], sha256: Option<&str>, options: &Options) {
    let mut log = StageLog::default();
    report.size = bytes.len() as u64;

    if let Some((format, file_type)) = log.run("identity", || Ok(identity::detect(bytes))) {
        report.format = format;
        report.file_type = file_type;
    }
    let format = report.format;
    let limits = &options.limits;
    let mut digester = hashes::Digester::new(bytes, limits.entropy_profile_points);
    if let Some(sha256) = sha256 {
        digester = digester.knowing_sha256(sha256);
    }
    let ((mut strings, mut strings_log), (mut structure, mut structure_log), (mut section_digests, mut section_log)) = Default::default();
    {
        // Costliest first: the hashers, then strings, the sections' digests and the structure.
        let mut tasks = digester.tasks();
        tasks.push(Box::new(|| (strings, strings_log) = strings_stage(bytes, limits)));
        tasks.push(Box::new(|| (section_digests, section_log) = section_digests_stage(format, bytes, limits)));
        tasks.push(Box::new(|| (structure, structure_log) = structure_stages(format, bytes, options)));
        parallel::run_all(tasks, bytes.len());
    }
    let (digest, digest_ms) = digester.finish();
    log.merge(strings_log);
    log.merge(structure_log);
    log.merge(section_log);
    let digest = log.record("hashes", digest_ms, digest);
    if let Some(strings) = strings {
        report.strings = strings;
    }
    if let (Some(pe), Some(digests)) = (structure.pe.as_mut(), section_digests) {
        formats::pe::add_section_digests(pe, digests);
    }
    structure.apply(report, limits);
    if let Some(digest) = digest {
        report.hashes = digest.hashes;
        report.byte_histogram = digest.byte_histogram;
        report.entropy = digest.entropy;
        report.byte_entropy_histogram = digest.byte_entropy_histogram;
        report.entropy_profile = digest.entropy_profile;
    }

    if let Some(found) = log.run("indicators", || Ok(indicators::evaluate(report, bytes))) {
        // The document analysis raised its own indicators already (they need what it parsed).
        report.indicators.extend(found);
        report.indicators.sort_by_key(|indicator| std::cmp::Reverse(indicator.severity));
    }
    log.finish(report);
}

/// Entropy and md5 of a PE's sections (most of a PE's structure work on most files), with its
/// own log, so that they are hashed beside the structure.
fn section_digests_stage(format: Format, bytes: &[u8], limits: &Limits) -> (Option<Vec<formats::pe::SectionDigest>>, StageLog) {
    let mut log = StageLog::default();
    let digests = (format == Format::Pe).then(|| log.run("pe_sections", || Ok(formats::pe::section_digests(bytes, limits)))).flatten();
    (digests, log)
}

/// The strings stage with its own log.
fn strings_stage(bytes: &[u8], limits: &Limits) -> (Option<fcas_report::StringsReport>, StageLog) {
    let mut log = StageLog::default();
    let mut notes = Vec::new();
    let found = log.run("strings", || Ok(strings::extract(bytes, limits, deadline(limits), &mut notes)));
    log.notes("strings", &mut notes);
    (found, log)
}

/// What the format's structure stages found, to be moved into the report.
#[derive(Default)]
struct Structure {
    pe: Option<fcas_report::PeReport>,
    elf: Option<fcas_report::ElfReport>,
    macho: Option<fcas_report::MachoReport>,
    code: Option<fcas_report::CodeReport>,
    document: Option<fcas_documents::Findings>,
}

impl Structure {
    fn apply(self, report: &mut Report, limits: &Limits) {
        report.pe = self.pe;
        report.elf = self.elf;
        report.macho = self.macho;
        report.code = self.code;
        if let Some(findings) = self.document {
            documents::apply(findings, report, limits.max_iocs);
        }
    }
}

/// The structure of the detected format (and its disassembly), with its own log.
fn structure_stages(format: Format, bytes: &[u8], options: &Options) -> (Structure, StageLog) {
    let mut log = StageLog::default();
    let mut found = Structure::default();
    match format {
        Format::Pe => analyze_pe(&mut found, &mut log, bytes, options),
        Format::Elf => analyze_elf(&mut found, &mut log, bytes, options),
        Format::Macho => {
            let mut notes = Vec::new();
            found.macho = log.run("macho", || formats::macho::analyze(bytes, &options.limits, &mut notes));
            log.notes("macho", &mut notes);
        }
        _ => {}
    }
    if fcas_documents::kind_of(format, bytes).is_some() {
        let mut notes = Vec::new();
        found.document = log.run("document", || Ok(documents::analyze(format, bytes, &options.limits, &mut notes))).flatten();
        log.notes("document", &mut notes);
    }
    (found, log)
}

fn analyze_pe(report: &mut Structure, log: &mut StageLog, bytes: &[u8], options: &Options) {
    let limits = &options.limits;
    let mut notes = Vec::new();
    let pe = match formats::pe::parse(bytes) {
        Ok(pe) => pe,
        Err(error) => {
            // goblin refuses some damaged headers that pefile and our own readers still handle:
            // keep the structure, say what is missing.
            report.pe = log.run("pe", || Ok(formats::pe::structure_unhashed(bytes, limits, &mut notes)));
            notes.push(format!("{error}; resources, signature, .NET and disassembly were skipped"));
            log.notes("pe", &mut notes);
            return;
        }
    };
    report.pe = log.run("pe", || Ok(formats::pe::analyze_unhashed(&pe, bytes, limits, &mut notes)));
    log.notes("pe", &mut notes);
    if options.disassemble {
        report.code = log.run("code", || Ok(code::analyze_pe(&pe, bytes, limits, deadline(limits), &mut notes))).flatten();
        log.notes("code", &mut notes);
    }
}

fn analyze_elf(report: &mut Structure, log: &mut StageLog, bytes: &[u8], options: &Options) {
    let limits = &options.limits;
    let mut notes = Vec::new();
    let Some(elf) = log.run("elf", || formats::elf::parse(bytes)) else { return };
    report.elf = log.run("elf", || Ok(formats::elf::analyze(&elf, bytes, limits, &mut notes)));
    log.notes("elf", &mut notes);
    if options.disassemble {
        report.code = log.run("code", || Ok(code::analyze_elf(&elf, bytes, limits, deadline(limits), &mut notes))).flatten();
        log.notes("code", &mut notes);
    }
}

fn run_extra(report: &mut Report, bytes: &[u8], extra: &[&dyn ExtraStage]) {
    let mut log = StageLog::default();
    for stage in extra {
        log.run(stage.name(), || stage.run(report, bytes));
    }
    log.finish(report);
}

fn deadline(limits: &Limits) -> Deadline {
    Deadline::after(limits.stage_time)
}
