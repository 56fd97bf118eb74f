//! A submitted file and everything inside it: the file is analysed and, when it is a container,
//! meanwhile each child that comes out is analysed the same way, recursively, within the
//! extraction limits. A child met twice (same SHA-256) is analysed once; that also stops a ZIP
//! quine, whose child is itself.
use std::borrow::Cow;
use std::collections::{HashSet, VecDeque};
use std::sync::mpsc;
use std::time::Instant;

use fcas_extract::limits::names;
use fcas_extract::{Budget, Child, Flow};
use fcas_report::{kept_error, lineage_path, ChildRef, Extraction, Format, LineageStep, PackedReport, Report, StageError, Submission};
use sha2::{Digest, Sha256};

use crate::parallel;
use crate::pipeline::{analyze_hashed, ExtraStage, Options};
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
        lost: Vec::new(),
    };
    let (format, _) = identity::detect(bytes);
    let mut root = match opening(format, bytes, 0, &options.extraction) {
        Opening::Done(extraction) => {
            let mut root = analyse_root(name, bytes, None, mapped, options, extra);
            complete(&mut root, bytes, Vec::new(), options);
            walk.count(&root);
            root.extraction = extraction;
            root
        }
        Opening::Walk => {
            // Hashed once, here: the walk needs it first (the children's lineage, a quine's
            // child), and the container's analysis takes it as it is.
            let sha256 = sha256_hex(bytes);
            std::thread::scope(|scope| {
                // The container's own analysis goes on beside its extraction: its stages share
                // the pool with the children, and the cores it leaves idle (its costliest stage
                // finishing alone, the models) go to them.
                let thread = std::thread::Builder::new().name("fcas-root".into()).stack_size(ROOT_STACK_SIZE);
                let analysis = thread.spawn_scoped(scope, || analyse_root(name, bytes, Some(&sha256), mapped, options, extra));
                let mut shell = Report { path: name.to_string(), format, ..Report::default() };
                shell.hashes.sha256.clone_from(&sha256);
                walk.count(&shell);
                walk.open(&mut shell, name, bytes, 0);
                let mut root = match analysis {
                    Ok(analysis) => analysis.join().unwrap_or_else(|panic| panicked(name, bytes, &*panic)),
                    Err(_) => analyse_root(name, bytes, Some(&sha256), mapped, options, extra),
                };
                complete(&mut root, bytes, Vec::new(), options);
                root.extraction = shell.extraction;
                root.children = shell.children;
                root
            })
        }
    };
    root.errors.append(&mut walk.lost);
    Submission::new(root, walk.descendants.into_iter().flatten().collect())
}

/// Stack of the thread the submitted file is analysed on beside its extraction: the same as a
/// process's main thread, where it is analysed otherwise.
const ROOT_STACK_SIZE: usize = 8 << 20;

/// The submitted file's own analysis. It reads every page; extraction reads again only what it
/// needs, so the pages are given back once it is done.
fn analyse_root(
    name: &str,
    bytes: &[u8],
    sha256: Option<&str>,
    mapped: Option<&MappedInput>,
    options: &Options,
    extra: &[&dyn ExtraStage],
) -> Report {
    let root = analyze_hashed(name, bytes, sha256, options, extra);
    if let Some(mapped) = mapped {
        mapped.release_all();
    }
    root
}

/// The report of a file whose analysis panicked outside every stage's own guard (a bug): the
/// walk still has an answer for it, and the rest of the submission stands.
fn panicked(path: &str, bytes: &[u8], panic: &(dyn std::any::Any + Send)) -> Report {
    let message = fcas_report::stage::panic_message(&fcas_report::stage::panic_payload_text(panic));
    Report { size: bytes.len() as u64, ..Report::failed(path, fcas_report::stage::EXTRACTION, message) }
}

/// Children handed to the pool and not finished yet are at most this many ...
const WINDOW_FILES: usize = 16;
/// ... or this many bytes of them (besides the last child decoded, this bounds what a
/// container holds in memory while its children are analysed).
const WINDOW_BYTES: usize = 64 << 20;

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
    /// What the root's errors say of descendants whose report could not be packed.
    lost: Vec<StageError>,
}

impl Walk<'_> {
    /// Counts a finished file (whose SHA-256 is known to the walk from now on).
    fn count(&mut self, report: &Report) {
        self.seen.insert(report.hashes.sha256.clone());
        self.files += 1;
        (self.progress)(self.files);
    }

    /// Opens `report`'s file when it is a container. Each child is handed to the pool as soon as
    /// it is decoded, and finished in container order once the window of children in flight is
    /// full (and at the end): the pool analyses while this thread decodes, and what is held in
    /// memory, and where the walk is at any time, depend on the container alone.
    fn open(&mut self, report: &mut Report, own_name: &str, bytes: &[u8], depth: u32) {
        let options = self.options;
        let settings = &options.extraction;
        if let Opening::Done(extraction) = opening(report.format, bytes, depth, settings) {
            report.extraction = extraction;
            return;
        }
        let mut lineage = report.lineage.clone();
        // The first step names the submitted file by its path, the others by their own names.
        let step_name = if lineage.is_empty() { report.path.clone() } else { own_name.to_string() };
        lineage.push(LineageStep { sha256: report.hashes.sha256.clone(), name: step_name });
        let lineage = &lineage;
        let extra = self.extra;
        let mut children: Vec<Option<ChildRef>> = Vec::new();
        let mut budget = std::mem::take(&mut self.budget);
        let (sender, results) = mpsc::channel();
        let mut window = Window::new(results);
        let extraction = parallel::stream(|spawner| {
            let extraction = fcas_extract::open(report.format, bytes, settings, &mut budget, &mut |child: Child<'_>| {
                let name = if child.name.is_empty() { payload_name(own_name) } else { child.name };
                let sha256 = sha256_hex(&child.data);
                if !self.seen.insert(sha256.clone()) {
                    let (format, _) = identity::detect(&child.data);
                    let size = child.data.len() as u64;
                    children.push(Some(ChildRef {
                        name,
                        sha256,
                        size,
                        format: format.as_str().to_string(),
                        verdict: None,
                        duplicate: true,
                    }));
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
                let job = ChildJob {
                    sequence: window.push(children.len(), data.len()),
                    name,
                    sha256,
                    data,
                    lineage: lineage.clone(),
                    depth: depth + 1,
                };
                children.push(None);
                let sender = sender.clone();
                spawner.spawn(Box::new(move || {
                    let sequence = job.sequence;
                    // A receiver gone means the walk is unwinding: nothing waits for this.
                    let _ = sender.send((sequence, job.run(options, extra)));
                }));
                while window.is_full() {
                    self.finish_next(&mut window, &mut children, depth + 1);
                }
                Flow::Continue
            });
            while !window.is_empty() {
                self.finish_next(&mut window, &mut children, depth + 1);
            }
            extraction
        });
        self.budget = budget;
        report.extraction = extraction;
        report.children = children.into_iter().flatten().collect();
    }

    /// Waits for the oldest child in flight and finishes it: counted, opened when it is a
    /// container, packed into its slot, listed in its parent's `children`.
    fn finish_next(&mut self, window: &mut Window, children: &mut [Option<ChildRef>], depth: u32) {
        let Some((slot, analysed)) = window.pop() else { return };
        // Its place comes before those of its own descendants.
        let at = self.descendants.len();
        self.descendants.push(None);
        let (summary, packed) = match analysed {
            Analysed::Final { summary, packed } => {
                self.files += 1;
                (self.progress)(self.files);
                (summary, packed)
            }
            Analysed::Container { mut report, name, data } => {
                self.count(&report);
                self.open(&mut report, &name, &data, depth);
                let packed = PackedReport::pack(&report).map_err(|error| kept_error(&report.hashes.sha256, &error));
                (ChildRef::of(&name, &report), packed)
            }
        };
        self.keep(at, packed);
        if let Some(place) = children.get_mut(slot) {
            *place = Some(summary);
        }
    }

    /// Puts a descendant's packed report in its slot, or says in the root's errors why it is missing.
    fn keep(&mut self, at: usize, packed: Result<PackedReport, StageError>) {
        match packed {
            Ok(packed) => {
                if let Some(place) = self.descendants.get_mut(at) {
                    *place = Some(packed);
                }
            }
            Err(error) => self.lost.push(error),
        }
    }
}

/// Completes what the analysis of one file leaves to the walk: its hash, lineage and origin.
fn complete(report: &mut Report, bytes: &[u8], lineage: Vec<LineageStep>, options: &Options) {
    if report.hashes.sha256.is_empty() {
        report.hashes.sha256 = sha256_hex(bytes);
    }
    report.lineage = lineage;
    if let Some(origin) = &options.origin {
        report.provenance.set_origin(origin.clone());
    }
}

/// Whether a file at `depth` (the submitted file is 0) is opened by the walk.
enum Opening {
    /// Not opened: no container, extraction turned off or too deep; the report's extraction.
    Done(Option<Extraction>),
    /// A container to open.
    Walk,
}

fn opening(format: Format, bytes: &[u8], depth: u32, settings: &fcas_extract::Settings) -> Opening {
    if !settings.enabled {
        return Opening::Done(fcas_extract::not_opened(format, bytes, None, "extraction is turned off"));
    }
    if !fcas_extract::is_container(format, bytes) {
        return Opening::Done(None);
    }
    if depth >= settings.limits.max_depth {
        let detail = format!("a container nested {} levels deep is not opened (max_depth)", settings.limits.max_depth);
        return Opening::Done(fcas_extract::not_opened(format, bytes, Some((names::MAX_DEPTH, detail.clone())), &detail));
    }
    Opening::Walk
}

/// A decoded child, analysed on the pool.
struct ChildJob {
    /// Its place among the children handed over by its container.
    sequence: usize,
    name: String,
    sha256: String,
    data: Vec<u8>,
    /// The containers above it, from the submitted file down.
    lineage: Vec<LineageStep>,
    depth: u32,
}

/// What the pool gives back of a child.
enum Analysed {
    /// A file the walk does not open: its final report, packed there, and what its parent lists.
    Final { summary: ChildRef, packed: Result<PackedReport, StageError> },
    /// A container, for the walk to open (with its name and bytes).
    Container { report: Box<Report>, name: String, data: Vec<u8> },
}

impl ChildJob {
    fn run(self, options: &Options, extra: &[&dyn ExtraStage]) -> Analysed {
        let path = lineage_path(&self.lineage, &self.name);
        // A panic escaping the stages must still give an answer: the walk waits for one.
        let analysed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            analyze_hashed(&path, &self.data, Some(&self.sha256), options, extra)
        }));
        let mut report = analysed.unwrap_or_else(|panic| panicked(&path, &self.data, &*panic));
        // The walk hashed it already; an engine without its hash stage leaves it empty.
        if report.hashes.sha256.is_empty() {
            report.hashes.sha256 = self.sha256;
        }
        complete(&mut report, &self.data, self.lineage, options);
        match opening(report.format, &self.data, self.depth, &options.extraction) {
            Opening::Walk => Analysed::Container { report: Box::new(report), name: self.name, data: self.data },
            Opening::Done(extraction) => {
                drop(self.data);
                report.extraction = extraction;
                let summary = ChildRef::of(&self.name, &report);
                let packed = PackedReport::pack(&report).map_err(|error| kept_error(&report.hashes.sha256, &error));
                Analysed::Final { summary, packed }
            }
        }
    }
}

/// The children of one container in flight, oldest first, with their answers as they come.
struct Window {
    results: mpsc::Receiver<(usize, Analysed)>,
    /// Slot in the parent's `children`, size, and answer of each child in flight.
    waiting: VecDeque<(usize, usize, Option<Analysed>)>,
    /// Sequence number of the oldest child in flight.
    first: usize,
    bytes: usize,
}

impl Window {
    fn new(results: mpsc::Receiver<(usize, Analysed)>) -> Self {
        Self { results, waiting: VecDeque::new(), first: 0, bytes: 0 }
    }

    /// Takes in a child of `size` bytes for `slot`; returns its sequence number.
    fn push(&mut self, slot: usize, size: usize) -> usize {
        self.waiting.push_back((slot, size, None));
        self.bytes += size;
        self.first + self.waiting.len() - 1
    }

    fn is_full(&self) -> bool {
        self.waiting.len() >= WINDOW_FILES || self.bytes >= WINDOW_BYTES
    }

    fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }

    /// Waits for the oldest child's answer and takes it out, with its slot; `None` when no
    /// child is in flight (or, which a job's own guard rules out, an answer can never come).
    fn pop(&mut self) -> Option<(usize, Analysed)> {
        while self.waiting.front()?.2.is_none() {
            let (sequence, analysed) = self.results.recv().ok()?;
            if let Some(entry) = sequence.checked_sub(self.first).and_then(|index| self.waiting.get_mut(index)) {
                entry.2 = Some(analysed);
            }
        }
        let (slot, size, analysed) = self.waiting.pop_front()?;
        self.first += 1;
        self.bytes -= size;
        Some((slot, analysed?))
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
