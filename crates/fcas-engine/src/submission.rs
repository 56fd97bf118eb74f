//! A submitted file and everything inside it: the file is analysed, then, when it is a
//! container, each child that comes out is analysed the same way, recursively, within the
//! extraction limits. A child met twice (same SHA-256) is analysed once; that also stops a ZIP
//! quine, whose child is itself.
use std::collections::HashSet;
use std::time::Instant;

use fcas_extract::limits::names;
use fcas_extract::{Budget, Child, Flow};
use fcas_report::{lineage_path, ChildRef, LineageStep, Report, Submission};
use sha2::{Digest, Sha256};

use crate::pipeline::{analyze_bytes_with, ExtraStage, Options};
use crate::{identity, input_failure, OpenedFile};

/// Analyses the file opened as `opened` (reported under `name`) and everything inside it.
/// Never fails: a file that could not be read gives a root report saying why.
pub fn analyze_submission(name: &str, opened: OpenedFile, options: &Options, extra: &[&dyn ExtraStage]) -> Submission {
    let started = Instant::now();
    let bytes = match opened.into_bytes() {
        Ok(bytes) => bytes,
        Err(error) => return Submission::single(input_failure(name, &error)),
    };
    let mut submission = submission_of_bytes(name, &bytes, options, extra);
    submission.root.provenance.analysis_ms = started.elapsed().as_secs_f64() * 1e3;
    submission
}

/// Like [`analyze_submission`], on bytes already in memory.
pub fn submission_of_bytes(name: &str, bytes: &[u8], options: &Options, extra: &[&dyn ExtraStage]) -> Submission {
    let mut walk = Walk { options, extra, budget: Budget::default(), seen: HashSet::new(), reports: Vec::new() };
    walk.node(name, name, bytes, Vec::new(), 0);
    let mut reports = walk.reports.into_iter().flatten();
    let root = reports.next().unwrap_or_default();
    Submission { root, descendants: reports.collect() }
}

/// The state of one submission's walk.
struct Walk<'a> {
    options: &'a Options,
    extra: &'a [&'a dyn ExtraStage],
    budget: Budget,
    /// SHA-256 of every file analysed so far.
    seen: HashSet<String>,
    /// Parents before children; a parent's slot is filled once its children are done.
    reports: Vec<Option<Report>>,
}

impl Walk<'_> {
    /// Analyses one file at `depth` (the submitted file is 0) and, when it is a container,
    /// its children; returns what its parent lists of it.
    fn node(&mut self, path: &str, own_name: &str, bytes: &[u8], lineage: Vec<LineageStep>, depth: u32) -> ChildRef {
        let mut report = analyze_bytes_with(path, bytes, self.options, self.extra);
        if report.hashes.sha256.is_empty() {
            report.hashes.sha256 = sha256_hex(bytes);
        }
        self.seen.insert(report.hashes.sha256.clone());
        report.lineage = lineage;
        let slot = self.reports.len();
        self.reports.push(None);
        self.open(&mut report, own_name, bytes, depth);
        let summary = ChildRef {
            name: own_name.to_string(),
            sha256: report.hashes.sha256.clone(),
            size: report.size,
            format: report.format.as_str().to_string(),
            verdict: report.verdict.as_ref().map(|v| v.label.clone()),
            duplicate: false,
        };
        self.reports[slot] = Some(report);
        summary
    }

    /// Opens `report`'s file when it is a container, analysing each child as it comes out.
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
        lineage.push(LineageStep {
            sha256: report.hashes.sha256.clone(),
            name: lineage.is_empty().then(|| report.path.clone()).unwrap_or_else(|| own_name.to_string()),
        });
        let mut children = Vec::new();
        let mut budget = std::mem::take(&mut self.budget);
        let extraction = fcas_extract::open(report.format, bytes, settings, &mut budget, &mut |child: Child<'_>| {
            let name = if child.name.is_empty() { payload_name(own_name) } else { child.name };
            children.push(self.child(&name, &child.data, &lineage, depth + 1));
            Flow::Continue
        });
        self.budget = budget;
        report.extraction = extraction;
        report.children = children;
    }

    /// One child: analysed, or listed as a duplicate of a file analysed earlier.
    fn child(&mut self, name: &str, data: &[u8], lineage: &[LineageStep], depth: u32) -> ChildRef {
        let sha256 = sha256_hex(data);
        if self.seen.contains(&sha256) {
            let (format, _) = identity::detect(data);
            return ChildRef {
                name: name.to_string(),
                sha256,
                size: data.len() as u64,
                format: format.as_str().to_string(),
                verdict: None,
                duplicate: true,
            };
        }
        let path = lineage_path(lineage, name);
        self.node(&path, name, data, lineage.to_vec(), depth)
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
            return format!("{}{replacement}", &base[..base.len() - suffix.len()]);
        }
    }
    format!("{base}.decoded")
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
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
