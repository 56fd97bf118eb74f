//! A submitted file's reports: its own, then every descendant's, each parent before its
//! children (the order `--jsonl` prints and the store receives them in). The root's report is
//! kept as it is; the descendants' are kept packed ([`PackedReport`]) and opened one at a time
//! by whatever writes them, so a disk image of a thousand files does not hold a thousand reports.
use crate::{stage, Origin, PackError, PackedReport, Report, StageError};

/// A submitted file's report and those of everything found inside it, at every depth.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Submission {
    /// The submitted file's report.
    pub root: Report,
    descendants: Vec<PackedReport>,
}

impl Submission {
    /// A submission of one file with nothing inside.
    pub fn single(root: Report) -> Self {
        Self { root, descendants: Vec::new() }
    }

    /// The submission of `root` and its packed `descendants` (parents before children).
    pub fn new(root: Report, descendants: Vec<PackedReport>) -> Self {
        Self { root, descendants }
    }

    /// The submission of `root` and `descendants` (parents before children), packing them.
    pub fn packing(root: Report, descendants: &[Report]) -> Result<Self, PackError> {
        let descendants = descendants.iter().map(PackedReport::pack).collect::<Result<_, _>>()?;
        Ok(Self { root, descendants })
    }

    /// The descendants, packed, parents before children.
    pub fn descendants(&self) -> &[PackedReport] {
        &self.descendants
    }

    /// The descendants' reports, unpacked one at a time.
    pub fn descendant_reports(&self) -> impl Iterator<Item = Result<Report, PackError>> + '_ {
        self.descendants.iter().map(PackedReport::unpack)
    }

    /// Every report, the root's first, all unpacked at once: for tests and small submissions
    /// (the scan path opens descendants one at a time).
    pub fn unpack_all(&self) -> Result<Vec<Report>, PackError> {
        std::iter::once(Ok(self.root.clone())).chain(self.descendant_reports()).collect()
    }

    /// The root's report and the packed descendants.
    pub fn into_parts(self) -> (Report, Vec<PackedReport>) {
        (self.root, self.descendants)
    }

    /// Records `origin` on every report. The descendants are unpacked and packed again (only a
    /// fleet's local fallback relabels reports after the fact; an analysis in this process is
    /// labelled as it is made, see the engine's `Options::origin`).
    pub fn set_origin(&mut self, origin: &Origin) {
        self.root.provenance.set_origin(origin.clone());
        let mut problems = Vec::new();
        for packed in &mut self.descendants {
            let relabelled = packed.unpack().and_then(|mut report| {
                report.provenance.set_origin(origin.clone());
                PackedReport::pack(&report)
            });
            match relabelled {
                Ok(relabelled) => *packed = relabelled,
                Err(error) => problems.push(kept_error(packed.sha256(), &error)),
            }
        }
        self.root.errors.extend(problems);
    }

    /// The submission as one report for the wire: the root carrying its descendants (see
    /// [`Report::descendants`]). A descendant that cannot be read back is left out, and the
    /// root's errors say so.
    pub fn into_wire(self) -> Report {
        let mut root = self.root;
        for packed in self.descendants {
            match packed.unpack() {
                Ok(report) => root.descendants.push(report),
                Err(error) => root.errors.push(kept_error(packed.sha256(), &error)),
            }
        }
        root
    }

    /// The submission an answer on the wire carries. A descendant that cannot be packed is left
    /// out, and the root's errors say so.
    pub fn from_wire(mut root: Report) -> Self {
        let mut descendants = Vec::with_capacity(root.descendants.len());
        for report in std::mem::take(&mut root.descendants) {
            match PackedReport::pack(&report) {
                Ok(packed) => descendants.push(packed),
                Err(error) => root.errors.push(kept_error(&report.hashes.sha256, &error)),
            }
        }
        Self { root, descendants }
    }
}

/// The root's error for a descendant whose report was lost on the way.
pub fn kept_error(sha256: &str, error: &PackError) -> StageError {
    StageError::new(stage::EXTRACTION, format!("the report of the file with SHA-256 {sha256} found inside is missing: {error}"))
}
