//! The fat (universal) header: where each architecture's slice lies.

/// `FAT_MAGIC`, big-endian.
const FAT_MAGIC: u32 = 0xcafe_babe;
/// `FAT_MAGIC_64`: 64-bit offsets and sizes.
const FAT_MAGIC_64: u32 = 0xcafe_babf;

/// One `fat_arch` entry.
pub(super) struct FatArch {
    pub(super) cpu_type: u32,
    pub(super) offset: u64,
    pub(super) size: u64,
}

/// The architectures of a fat file.
pub(super) struct FatArches {
    /// `nfat_arch` as declared.
    pub(super) declared: u32,
    /// Entries that could be read, at most the table limit.
    pub(super) entries: Vec<FatArch>,
}

/// The fat header's entries, or `None` when `bytes` is not a fat file.
pub(super) fn arches(bytes: &[u8], limits: &crate::Limits, notes: &mut Vec<String>) -> Option<FatArches> {
    let reader = super::reader::Reader { bytes, little: false };
    let magic = reader.u32(0)?;
    let is_64 = match magic {
        FAT_MAGIC => false,
        FAT_MAGIC_64 => true,
        _ => return None,
    };
    let declared = reader.u32(4)?;
    let entry_size: u64 = if is_64 { 32 } else { 20 };
    let fits = (bytes.len() as u64).saturating_sub(8) / entry_size;
    let count = u64::from(declared).min(fits).min(limits.max_table_entries as u64);
    if count < u64::from(declared) {
        notes.push(format!("the fat header declares {declared} architectures; only {count} are read"));
    }
    let entries = (0..count)
        .filter_map(|index| {
            let at = 8 + index * entry_size;
            let cpu_type = reader.u32(at)?;
            let (offset, size) = if is_64 {
                (reader.u64(at + 8)?, reader.u64(at + 16)?)
            } else {
                (u64::from(reader.u32(at + 8)?), u64::from(reader.u32(at + 12)?))
            };
            Some(FatArch { cpu_type, offset, size })
        })
        .collect();
    Some(FatArches { declared, entries })
}
