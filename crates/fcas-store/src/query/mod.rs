//! Read-only queries. Each returns plain serialisable structs; the CLI prints them as text or
//! JSON. Facts-based queries (imports, indicators, text) look at each sample's latest report.
mod annotate;
mod containers;
mod facts;
mod history;
mod lookup;
mod review;
mod show;
mod sort;
mod stats;
mod summary;
mod text;

pub use annotate::{Annotation, NoteAdded, TagChange};
pub use containers::Edge;
pub use facts::ImportSpec;
pub use history::{HistoryEntry, HistoryFilter};
pub use lookup::{lookup_ids, resolve_sample, SampleRef};
pub use review::ReviewChange;
pub use show::{ReportMeta, SampleDetail, StoredNote, StoredSample};
pub use sort::HistorySort;
pub use stats::{Count, Stats};
pub use summary::{sample_summaries, SampleSummary};
pub use text::{TextHit, HITS_WITH_MATCHES};

/// Default number of rows a listing returns.
pub const DEFAULT_LIMIT: u32 = 50;
/// Most rows a single listing returns, whatever is asked.
pub const MAX_LIMIT: u32 = 10_000;

pub(crate) fn clamp_limit(limit: u32) -> u32 {
    limit.clamp(1, MAX_LIMIT)
}
