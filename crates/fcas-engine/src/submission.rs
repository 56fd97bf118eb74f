//! A submitted file and everything inside it: the file is analysed, then, when it is a
//! container, each child that comes out is analysed the same way, recursively, within the
//! extraction limits. A child met twice (same SHA-256) is analysed once; that also stops a ZIP
//! quine, whose child is itself.
use std::borrow::Cow;
use std::collections::HashSet;
use std::time::Instant;

use fcas_extract::limits::names;
use fcas_extract::{Budget, Child, Flow};
use fcas_report::{kept_error, lineage_path, ChildRef, LineageStep, PackError, PackedReport, Report, StageError, Submission};
use sha2::{Digest, Sha256};

use crate::parallel::{self, Task};
use crate::pipeline::{analyze_bytes_with, ExtraStage, Options};
use crate::{identity, input_failure, MappedInput, OpenedFile};

/// Analyses the file opened as `opened` (reported under `name`) and everything inside it.
/// Never fails: a file that could not be read gives a root report saying why.
pub fn analyze_submission(name: &str, opened: OpenedFile, options: &Options, extra: &[&dyn ExtraStage]) -> Submission {
    analyze_submission_with(name, opened, options, extra, &|_| {})
}

/// Like [`analyze_submission`], calling `progress` with the count of files analysed so far after
/// each one (an isolated child turns it into heartbeats, so a large archive is not mistaken for
/// a stalled analysis).
pub fn analyze_submission_with(
    name: &str,
    opened: OpenedFile,
    options: &Options,
    extra: &[&dyn ExtraStage],
    progress: &dyn Fn(usize),
) -> Submission {
    let started = Instant::now();
    let bytes = match opened.into_bytes() {
        Ok(bytes) => bytes,
        Err(error) => return Submission::single(input_failure(name, &error)),
    };
    let mut submission = walk(name, &bytes, Some(&bytes), options, extra, progress);
    submission.root.provenance.analysis_ms = started.elapsed().as_secs_f64() * 1e3;
    submission
}

/// Like [`analyze_submission`], on bytes already in memory.
pub fn submission_of_bytes(name: &str, bytes: &[u8], options: &Options, extra: &[&dyn ExtraStage]) -> Submission {
    walk(name, bytes, None, options, extra, &|_| {})
}

/// `mapped` is the submitted file's mapping when `bytes` are it: pages already read are given
/// back as the walk goes (see [`MappedInput::release`]).
fn walk(
    name: &str,
    bytes: &[u8],
    mapped: Option<&MappedInput>,
    options: &Options,
    extra: &[&dyn ExtraStage],
    progress: &dyn Fn(usize),
) -> Submission {
    let mut walk = Walk {
        options,
        extra,
        progress,
        mapped,
        budget: Budget::default(),
        seen: HashSet::new(),
        files: 0,
        descendants: Vec::new(),
        unpacked: Vec::new(),
        lost: Vec::new(),
    };
    let mut root = analyze_bytes_with(name, bytes, options, extra);
    // The root's analysis read every page; extraction reads again only what it needs.
    if let Some(mapped) = mapped {
        mapped.release_all();
    }
    walk.enter(&mut root, bytes, Vec::new());
    walk.open(&mut root, name, bytes, 0);
    walk.pack_finished();
    root.errors.append(&mut walk.lost);
    Submission::new(root, walk.descendants.into_iter().flatten().collect())
}

/// Children decoded but not analysed yet are analysed together, on every core, once there
/// are this many ...
const BATCH_FILES: usize = 16;
/// ... or this many bytes of them (besides the largest child, this bounds what a batch holds).
const BATCH_BYTES: usize = 64 << 20;

/// A child waiting in its container's batch.
struct Pending {
    /// Its slot in the container's `children[]`.
    slot: usize,
    name: String,
    sha256: String,
    data: Vec<u8>,
}

/// The state of one submission's walk.
struct Walk<'a> {
    options: &'a Options,
    extra: &'a [&'a dyn ExtraStage],
    progress: &'a dyn Fn(usize),
    mapped: Option<&'a MappedInput>,
    budget: Budget,
    /// SHA-256 of every file analysed or waiting to be, so far.
    seen: HashSet<String>,
    /// Files analysed so far, the submitted one included.
    files: usize,
    /// Packed as each is finished, parents before children: a parent's slot is filled once its
    /// children are done.
    descendants: Vec<Option<PackedReport>>,
    /// Finished descendants not packed yet, with their slots: packed together, on every core,
    /// once their batch is finished (packing takes about a millisecond a report).
    unpacked: Vec<(usize, Report)>,
    /// What the root's errors say of descendants whose report could not be packed.
    lost: Vec<StageError>,
}

impl Walk<'_> {
    /// Completes what the analysis of one file leaves to the walk: its hash, lineage and origin.
    fn enter(&mut self, report: &mut Report, bytes: &[u8], lineage: Vec<LineageStep>) {
        if report.hashes.sha256.is_empty() {
            report.hashes.sha256 = sha256_hex(bytes);
        }
        self.seen.insert(report.hashes.sha256.clone());
        report.lineage = lineage;
        if let Some(origin) = &self.options.origin {
            report.provenance.set_origin(origin.clone());
        }
        self.files += 1;
        (self.progress)(self.files);
    }

    /// Completes the analysed `report` of a descendant at `depth` (the submitted file is 0),
    /// opens it when it is a container, and returns what its parent lists of it; the report
    /// waits in `unpacked` for [`Self::pack_finished`].
    fn finish(&mut self, mut report: Report, own_name: &str, bytes: &[u8], lineage: Vec<LineageStep>, depth: u32) -> ChildRef {
        self.enter(&mut report, bytes, lineage);
        let slot = self.descendants.len();
        self.descendants.push(None);
        self.open(&mut report, own_name, bytes, depth);
        let summary = ChildRef::of(own_name, &report);
        self.unpacked.push((slot, report));
        summary
    }

    /// Packs every finished descendant not packed yet, on every core, into its slot.
    fn pack_finished(&mut self) {
        let unpacked = std::mem::take(&mut self.unpacked);
        let mut packed: Vec<Result<PackedReport, PackError>> = unpacked.iter().map(|_| Err(PackError::not_run())).collect();
        let tasks: Vec<Task<'_>> = unpacked
            .iter()
            .zip(packed.iter_mut())
            .map(|((_, report), out)| Box::new(move || *out = PackedReport::pack(report)) as Task<'_>)
            .collect();
        // Always worth handing out: one report takes about what analysing a few hundred KiB does.
        parallel::run_all(tasks, usize::MAX);
        for ((slot, report), result) in unpacked.into_iter().zip(packed) {
            match result {
                Ok(packed) => {
                    if let Some(place) = self.descendants.get_mut(slot) {
                        *place = Some(packed);
                    }
                }
                Err(error) => self.lost.push(kept_error(&report.hashes.sha256, &error)),
            }
        }
    }

    /// Opens `report`'s file when it is a container, analysing its children in batches.
    fn open(&mut self, report: &mut Report, own_name: &str, bytes: &[u8], depth: u32) {
        let options = self.options;
        let settings = &options.extraction;
        if !settings.enabled {
            report.extraction = fcas_extract::not_opened(report.format, bytes, None, "extraction is turned off");
            return;
        }
        if depth >= settings.limits.max_depth {
            let detail = format!("a container nested {} levels deep is not opened (max_depth)", settings.limits.max_depth);
            report.extraction = fcas_extract::not_opened(report.format, bytes, Some((names::MAX_DEPTH, detail.clone())), &detail);
            return;
        }
        let mut lineage = report.lineage.clone();
        // The first step names the submitted file by its path, the others by their own names.
        let step_name = if lineage.is_empty() { report.path.clone() } else { own_name.to_string() };
        lineage.push(LineageStep { sha256: report.hashes.sha256.clone(), name: step_name });
        let mut children: Vec<Option<ChildRef>> = Vec::new();
        let mut batch: Vec<Pending> = Vec::new();
        let mut budget = std::mem::take(&mut self.budget);
        let extraction = fcas_extract::open(report.format, bytes, settings, &mut budget, &mut |child: Child<'_>| {
            let name = if child.name.is_empty() { payload_name(own_name) } else { child.name };
            let sha256 = sha256_hex(&child.data);
            if !self.seen.insert(sha256.clone()) {
                let (format, _) = identity::detect(&child.data);
                let size = child.data.len() as u64;
                children.push(Some(ChildRef { name, sha256, size, format: format.as_str().to_string(), verdict: None, duplicate: true }));
                return Flow::Continue;
            }
            let data = match child.data {
                Cow::Owned(data) => data,
                Cow::Borrowed(stored) => {
                    // Copied out of the submitted file (an image's stored file): its pages are
                    // not needed in memory any more.
                    let data = stored.to_vec();
                    if let Some(mapped) = self.mapped {
                        mapped.release(stored);
                    }
                    data
                }
            };
            batch.push(Pending { slot: children.len(), name, sha256, data });
            children.push(None);
            if batch.len() >= BATCH_FILES || batch.iter().map(|p| p.data.len()).sum::<usize>() >= BATCH_BYTES {
                self.analyse_batch(std::mem::take(&mut batch), &lineage, depth + 1, &mut children);
            }
            Flow::Continue
        });
        self.analyse_batch(batch, &lineage, depth + 1, &mut children);
        self.budget = budget;
        report.extraction = extraction;
        report.children = children.into_iter().flatten().collect();
    }

    /// Analyses the children of `batch` on every core, then finishes each in container order
    /// (opening those that are containers, one at a time).
    fn analyse_batch(&mut self, batch: Vec<Pending>, lineage: &[LineageStep], depth: u32, children: &mut [Option<ChildRef>]) {
        let (options, extra) = (self.options, self.extra);
        let paths: Vec<String> = batch.iter().map(|pending| lineage_path(lineage, &pending.name)).collect();
        let mut reports: Vec<Option<Report>> = batch.iter().map(|_| None).collect();
        let total = batch.iter().map(|p| p.data.len()).sum();
        let tasks: Vec<Task<'_>> = batch
            .iter()
            .zip(&paths)
            .zip(reports.iter_mut())
            .map(|((pending, path), slot)| {
                Box::new(move || *slot = Some(analyze_bytes_with(path, &pending.data, options, extra))) as Task<'_>
            })
            .collect();
        parallel::run_all(tasks, total);
        for (pending, report) in batch.into_iter().zip(reports) {
            let mut report = report.unwrap_or_default();
            // The walk hashed it already; an engine without its hash stage leaves it empty.
            if report.hashes.sha256.is_empty() {
                report.hashes.sha256.clone_from(&pending.sha256);
            }
            let summary = self.finish(report, &pending.name, &pending.data, lineage.to_vec(), depth);
            if let Some(slot) = children.get_mut(pending.slot) {
                *slot = Some(summary);
            }
        }
        self.pack_finished();
    }
}

/// The name of a compressed stream's content: its container's name without the compressor's
/// suffix (`a.exe.gz` gives `a.exe`, `b.tgz` gives `b.tar`).
fn payload_name(container: &str) -> String {
    let base = container.rsplit(['/', '\\']).next().unwrap_or(container);
    let lower = base.to_ascii_lowercase();
    for (suffix, replacement) in [
        (".tgz", ".tar"),
        (".tbz2", ".tar"),
        (".txz", ".tar"),
        (".tzst", ".tar"),
        (".gz", ""),
        (".bz2", ""),
        (".xz", ""),
        (".zst", ""),
        (".zstd", ""),
    ] {
        if lower.ends_with(suffix) && lower.len() > suffix.len() {
            let stem = base.get(..base.len() - suffix.len()).unwrap_or(base);
            return format!("{stem}{replacement}");
        }
    }
    format!("{base}.decoded")
}

/// The lowercase hex SHA-256 of `bytes`, the key samples are stored and found by.
pub fn sha256_hex(bytes: &[u8]) -> String {
    fcas_report::hex(&Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::payload_name;

    #[test]
    fn a_stream_s_content_is_named_after_its_container() {
        assert_eq!(payload_name("/tmp/a.exe.gz"), "a.exe");
        assert_eq!(payload_name("b.TGZ"), "b.tar");
        assert_eq!(payload_name("x.zst"), "x");
        assert_eq!(payload_name(".gz"), ".gz.decoded");
        assert_eq!(payload_name("blob"), "blob.decoded");
    }
}
