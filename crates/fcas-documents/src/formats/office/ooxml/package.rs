//! The parts of an OOXML package, read within the limits: a part count, bytes per part and
//! bytes in all (a zip bomb stops at the cap and is reported cut).
use std::io::{Cursor, Read};

use crate::DocLimits;

/// An opened package and what is left of its byte budget.
pub(super) struct Package<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Part names, in archive order, at most `max_package_parts`.
    pub(super) names: Vec<String>,
    budget: usize,
    per_part: usize,
    /// Parts or bytes were left out at a limit.
    pub(super) truncated: bool,
}

impl<'a> Package<'a> {
    /// Opens `bytes` as a ZIP package.
    pub(super) fn open(bytes: &'a [u8], limits: &DocLimits) -> Result<Self, String> {
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|error| format!("ooxml: {error}"))?;
        let count = archive.len();
        let names: Vec<String> = (0..count.min(limits.max_package_parts))
            .filter_map(|index| archive.name_for_index(index)?.ok().map(|name| name.into_owned()))
            .collect();
        Ok(Self {
            archive,
            names,
            budget: limits.max_decoded_total,
            per_part: limits.max_decoded_stream,
            truncated: count > limits.max_package_parts,
        })
    }

    /// Whether the package is an Office Open XML one (it has `[Content_Types].xml`).
    pub(super) fn is_ooxml(&self) -> bool {
        self.archive.index_for_name("[Content_Types].xml").is_some()
    }

    /// The bytes of part `name` (cut at the limits); `Err` when it cannot be read.
    pub(super) fn read(&mut self, name: &str) -> Result<Vec<u8>, String> {
        let cap = self.per_part.min(self.budget);
        let part = self.archive.by_name(name).map_err(|error| format!("{name}: {error}"))?;
        // The declared size (within the cap) spares the copies of a growing buffer; a lie
        // only costs the cap's worth of address space, reserved, not touched.
        let mut data = Vec::with_capacity(usize::try_from(part.size()).unwrap_or(usize::MAX).min(cap));
        part.take(cap as u64 + 1).read_to_end(&mut data).map_err(|error| format!("{name}: {error}"))?;
        if data.len() > cap {
            data.truncate(cap);
            self.truncated = true;
        }
        self.budget = self.budget.saturating_sub(data.len());
        Ok(data)
    }
}
