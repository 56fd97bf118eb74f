//! The decoded bytes one document may produce in all (DocLimits::max_decoded_total), shared by
//! every decompression of a VBA project.

/// What is left of the decoded-bytes budget.
#[derive(Debug, Clone)]
pub(crate) struct Budget {
    left: usize,
}

impl Budget {
    /// A budget of `total` bytes.
    pub(crate) fn new(total: usize) -> Self {
        Self { left: total }
    }

    /// At most `wanted`, within what is left.
    pub(crate) fn cap(&self, wanted: usize) -> usize {
        wanted.min(self.left)
    }

    /// Records `used` bytes as decoded.
    pub(crate) fn spend(&mut self, used: usize) {
        self.left = self.left.saturating_sub(used);
    }
}
