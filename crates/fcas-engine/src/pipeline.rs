//! The order of the stages, and what each one fills in.
use std::path::Path;
use std::time::Instant;

use fcas_report::{Format, Report, StageError, SCHEMA_VERSION};

use crate::limits::{Deadline, Limits};
use crate::stage::StageLog;
use crate::{code, formats, hashes, identity, indicators, strings, MappedInput, ENGINE_VERSION};

/// What to analyse and within which limits.
#[derive(Debug, Clone)]
pub struct Options {
    /// Bounds on every stage.
    pub limits: Limits,
    /// Run the disassembly stage (the slowest one on large binaries).
    pub disassemble: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self { limits: Limits::default(), disassemble: true }
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
    let started = Instant::now();
    let mut report = empty_report(&path.to_string_lossy());
    match MappedInput::open(path, options.limits.max_file_size) {
        Ok(input) => {
            fill(&mut report, &input, options);
            run_extra(&mut report, &input, extra);
        }
        Err(error) => {
            if let crate::InputError::TooLarge { size, .. } = error {
                report.size = size;
            }
            report.errors.push(StageError::new("input", error.to_string()));
        }
    }
    report.provenance.analysis_ms = started.elapsed().as_secs_f64() * 1e3;
    report
}

/// Analyses `bytes` as if read from a file named `path`.
pub fn analyze_bytes(path: &str, bytes: &[u8], options: &Options) -> Report {
    analyze_bytes_with(path, bytes, options, &[])
}

/// Like [`analyze_bytes`], then runs `extra` stages on the same bytes.
pub fn analyze_bytes_with(path: &str, bytes: &[u8], options: &Options, extra: &[&dyn ExtraStage]) -> Report {
    let started = Instant::now();
    let mut report = empty_report(path);
    fill(&mut report, bytes, options);
    run_extra(&mut report, bytes, extra);
    report.provenance.analysis_ms = started.elapsed().as_secs_f64() * 1e3;
    report
}

/// The report of a path that could not be read at all: no stage ran, `errors` says why.
pub fn unreadable_report(path: &str, reason: &str) -> Report {
    let mut report = empty_report(path);
    report.errors.push(StageError::new("input", reason));
    report
}

fn empty_report(path: &str) -> Report {
    Report { schema_version: SCHEMA_VERSION, engine_version: ENGINE_VERSION.to_string(), path: path.to_string(), ..Report::default() }
}

/// From this size on, the whole-file digest runs on its own thread beside the strings and
/// structure stages (starting a thread costs tens of microseconds, about what digesting 16 KiB
/// takes); the two share nothing but the bytes.
const CONCURRENT_DIGEST_FROM: usize = 16 << 10;

/// Runs every stage over `bytes`. Stages record their own failures; none stops the others.
fn fill(report: &mut Report, bytes: &[u8], options: &Options) {
    let mut log = StageLog::default();
    report.size = bytes.len() as u64;

    if let Some((format, file_type)) = log.run("identity", || Ok(identity::detect(bytes))) {
        report.format = format;
        report.file_type = file_type;
    }
    let (digest, digest_log) = std::thread::scope(|scope| {
        let concurrent = (bytes.len() >= CONCURRENT_DIGEST_FROM)
            .then(|| std::thread::Builder::new().name("fcas-hashes".into()).spawn_scoped(scope, || digest_stage(bytes, &options.limits)))
            .and_then(Result::ok);
        structure_stages(report, &mut log, bytes, options);
        match concurrent {
            Some(handle) => handle.join().unwrap_or_else(|_| {
                let mut failed = StageLog::default();
                failed.run::<()>("hashes", || Err("internal error, please report it: the hashing thread stopped".into()));
                (None, failed)
            }),
            None => digest_stage(bytes, &options.limits),
        }
    });
    log.merge(digest_log);
    if let Some(digest) = digest {
        report.hashes = digest.hashes;
        report.byte_histogram = digest.byte_histogram;
        report.entropy = digest.entropy;
        report.byte_entropy_histogram = digest.byte_entropy_histogram;
        report.entropy_profile = digest.entropy_profile;
    }

    if let Some(found) = log.run("indicators", || Ok(indicators::evaluate(report, bytes))) {
        report.indicators = found;
    }
    log.finish(report);
}

/// The hashes stage with its own log, so that it can run on another thread.
fn digest_stage(bytes: &[u8], limits: &Limits) -> (Option<hashes::ContentDigest>, StageLog) {
    let mut log = StageLog::default();
    let digest = log.run("hashes", || Ok(hashes::content_digest(bytes, limits)));
    (digest, log)
}

/// Strings, then the structure of the detected format (and its disassembly).
fn structure_stages(report: &mut Report, log: &mut StageLog, bytes: &[u8], options: &Options) {
    let limits = &options.limits;
    let mut notes = Vec::new();
    if let Some(found) = log.run("strings", || Ok(strings::extract(bytes, limits, deadline(limits), &mut notes))) {
        report.strings = found;
    }
    log.notes("strings", &mut notes);

    match report.format {
        Format::Pe => analyze_pe(report, log, bytes, options),
        Format::Elf => analyze_elf(report, log, bytes, options),
        Format::Macho => {
            report.macho = log.run("macho", || formats::macho::analyze(bytes, limits, &mut notes));
            log.notes("macho", &mut notes);
        }
        _ => {}
    }
}

fn analyze_pe(report: &mut Report, log: &mut StageLog, bytes: &[u8], options: &Options) {
    let limits = &options.limits;
    let mut notes = Vec::new();
    let pe = match formats::pe::parse(bytes) {
        Ok(pe) => pe,
        Err(error) => {
            // goblin refuses some damaged headers that pefile and our own readers still handle:
            // keep the structure, say what is missing.
            report.pe = log.run("pe", || Ok(formats::pe::structure(bytes, limits, &mut notes)));
            notes.push(format!("{error}; resources, signature, .NET and disassembly were skipped"));
            log.notes("pe", &mut notes);
            return;
        }
    };
    report.pe = log.run("pe", || Ok(formats::pe::analyze(&pe, bytes, limits, &mut notes)));
    log.notes("pe", &mut notes);
    if options.disassemble {
        report.code = log.run("code", || Ok(code::analyze_pe(&pe, bytes, limits, deadline(limits), &mut notes))).flatten();
        log.notes("code", &mut notes);
    }
}

fn analyze_elf(report: &mut Report, log: &mut StageLog, bytes: &[u8], options: &Options) {
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
