//! The orders History can be listed in, each backed by an index (migration 8) so that a page
//! of a large store is found without sorting every row.
use serde::{Deserialize, Serialize};

/// The column History is sorted by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HistorySort {
    /// When the report was made (the default, newest first).
    #[default]
    Date,
    /// The name the sample was last seen under (case-insensitive).
    Name,
    /// The verdict label, then the date.
    Verdict,
    /// The verdict score (reports without one sort lowest).
    Score,
    /// The sample's size in bytes.
    Size,
    /// The detected format.
    Format,
}

impl HistorySort {
    /// Whether the order is read from an index of `samples` (the query is driven from samples,
    /// each joined to its report) rather than of `reports`.
    pub(crate) fn reads_samples_first(self) -> bool {
        matches!(self, Self::Name | Self::Size | Self::Format)
    }

    /// The ORDER BY terms (every term in the same direction, so one index serves the whole
    /// order; the row ids end it, so ties keep a stable order between pages). Without
    /// `with_report`, a sample order ends at the sample's id (one report per sample).
    pub(crate) fn order_by(self, ascending: bool, with_report: bool) -> String {
        let d = if ascending { "ASC" } else { "DESC" };
        if !with_report && self.reads_samples_first() {
            let column = match self {
                Self::Name => "s.name COLLATE NOCASE",
                Self::Size => "s.size",
                _ => "s.format",
            };
            return format!("{column} {d}, s.id {d}");
        }
        match self {
            Self::Date => format!("r.analysed_at {d}, r.id {d}"),
            Self::Verdict => format!("r.verdict {d}, r.analysed_at {d}, r.id {d}"),
            Self::Score => format!("r.score {d}, r.id {d}"),
            Self::Name => format!("s.name COLLATE NOCASE {d}, s.id {d}, r.id {d}"),
            Self::Size => format!("s.size {d}, s.id {d}, r.id {d}"),
            Self::Format => format!("s.format {d}, s.id {d}, r.id {d}"),
        }
    }
}
