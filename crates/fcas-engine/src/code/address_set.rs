//! Sets of mapped code addresses for the traversal's hot loop: one bit per mapped byte.
//!
//! Every decoded instruction asks "seen before?"; a hash set answers in tens of nanoseconds and
//! grows by rehashing, a bitmap over the mapped bytes answers in a few. The bitmap needs each
//! address to have exactly one place, so images whose ranges overlap (hostile headers, object
//! files whose sections all sit at address 0) or that map far more bytes than the file holds
//! keep a hash set, with the same answers.
use std::collections::HashSet;

use super::image::CodeImage;

/// Mapped bytes per file byte above which the bitmap is not worth its memory.
const MAX_MAPPED_PER_FILE_BYTE: usize = 4;
/// Bits per bitmap word.
const WORD_BITS: usize = u64::BITS as usize;

/// Where each range's bits start in a bitmap over all mapped bytes.
#[derive(Debug, Clone)]
struct Numbering {
    /// First bit of range `i`.
    starts: Vec<usize>,
    /// Bits in all.
    total: usize,
}

impl Numbering {
    /// `None` when the image does not suit a bitmap.
    fn of(image: &CodeImage<'_>) -> Option<Self> {
        if !image.ranges_are_disjoint() {
            return None;
        }
        let mut starts = Vec::with_capacity(image.ranges.len());
        let mut total = 0usize;
        for range in &image.ranges {
            starts.push(total);
            total = total.checked_add(range.len)?;
        }
        let affordable = image.bytes.len().saturating_mul(MAX_MAPPED_PER_FILE_BYTE).max(1 << 16);
        (total <= affordable).then_some(Self { starts, total })
    }

    fn bit(&self, image: &CodeImage<'_>, va: u64) -> Option<usize> {
        let at = image.locate(va)?;
        self.starts.get(at.range)?.checked_add(at.offset)
    }
}

enum Storage {
    Bits { numbering: Numbering, words: Vec<u64> },
    Hashed(HashSet<u64>),
}

/// A set of virtual addresses of one [`CodeImage`]. Addresses outside the mapped ranges are
/// never members (the traversal only inserts mapped ones).
pub(crate) struct AddressSet {
    storage: Storage,
}

impl AddressSet {
    /// An empty set sized for `image`.
    pub(crate) fn new(image: &CodeImage<'_>) -> Self {
        let storage = match Numbering::of(image) {
            Some(numbering) => {
                let words = vec![0u64; numbering.total.div_ceil(WORD_BITS)];
                Storage::Bits { numbering, words }
            }
            None => Storage::Hashed(HashSet::new()),
        };
        Self { storage }
    }

    /// The key of `va` in this set, `None` when `va` is unmapped and cannot be a member.
    /// Inside one mapped range keys follow addresses: the key of `va + n` is `key + n` as long
    /// as both lie in the same range, which lets a linear decoder skip the range lookup.
    pub(crate) fn key(&self, image: &CodeImage<'_>, va: u64) -> Option<u64> {
        match &self.storage {
            Storage::Bits { numbering, .. } => numbering.bit(image, va).map(|bit| bit as u64),
            Storage::Hashed(_) => image.locate(va).map(|_| va),
        }
    }

    /// Adds the address of `key`; true when it was not a member.
    pub(crate) fn insert_key(&mut self, key: u64) -> bool {
        match &mut self.storage {
            Storage::Bits { words, .. } => {
                let Some((word, mask)) = locate_bit(words, key) else { return true };
                let fresh = *word & mask == 0;
                *word |= mask;
                fresh
            }
            Storage::Hashed(set) => set.insert(key),
        }
    }

    /// True when the address of `key` is a member.
    pub(crate) fn contains_key(&self, key: u64) -> bool {
        match &self.storage {
            Storage::Bits { words, .. } => {
                let Ok(bit) = usize::try_from(key) else { return false };
                words.get(bit / WORD_BITS).is_some_and(|word| word & (1u64 << (bit % WORD_BITS)) != 0)
            }
            Storage::Hashed(set) => set.contains(&key),
        }
    }

    /// Removes the address of `key`.
    pub(crate) fn remove_key(&mut self, key: u64) {
        match &mut self.storage {
            Storage::Bits { words, .. } => {
                if let Some((word, mask)) = locate_bit(words, key) {
                    *word &= !mask;
                }
            }
            Storage::Hashed(set) => {
                set.remove(&key);
            }
        }
    }

    /// Adds `va`; true when it was not a member. An unmapped address cannot be recorded and
    /// always counts as new.
    pub(crate) fn insert(&mut self, image: &CodeImage<'_>, va: u64) -> bool {
        self.key(image, va).is_none_or(|key| self.insert_key(key))
    }

    /// True when `va` is a member.
    pub(crate) fn contains(&self, image: &CodeImage<'_>, va: u64) -> bool {
        self.key(image, va).is_some_and(|key| self.contains_key(key))
    }
}

fn locate_bit(words: &mut [u64], key: u64) -> Option<(&mut u64, u64)> {
    let bit = usize::try_from(key).ok()?;
    Some((words.get_mut(bit / WORD_BITS)?, 1u64 << (bit % WORD_BITS)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitmap_and_hash_set_agree() {
        let bytes = [0x90u8; 64];
        let mut disjoint = CodeImage::new(&bytes, 64);
        disjoint.map(0x1000, 0, 32, true);
        disjoint.map(0x2000, 32, 32, false);
        let mut overlapping = CodeImage::new(&bytes, 64);
        overlapping.map(0x1000, 0, 32, true);
        overlapping.map(0x1010, 32, 32, false);
        assert!(matches!(AddressSet::new(&disjoint).storage, Storage::Bits { .. }));
        assert!(matches!(AddressSet::new(&overlapping).storage, Storage::Hashed(_)));
        for (image, second) in [(&disjoint, 0x2000), (&overlapping, 0x1020)] {
            let mut set = AddressSet::new(image);
            for va in [0x1000, 0x101f, second, second + 0xf] {
                assert!(!set.contains(image, va));
                assert!(set.insert(image, va));
                assert!(!set.insert(image, va));
                assert!(set.contains(image, va));
            }
            assert!(!set.contains(image, 0x1001));
            set.remove_key(set.key(image, 0x101f).expect("mapped"));
            assert!(!set.contains(image, 0x101f));
            assert!(set.contains(image, 0x1000));
        }
        // Unmapped addresses are never members.
        for image in [&disjoint, &overlapping] {
            let mut set = AddressSet::new(image);
            assert!(set.insert(image, 0x3000));
            assert!(!set.contains(image, 0x3000));
            // Keys follow addresses inside a range.
            let key = set.key(image, 0x1000).expect("mapped");
            assert!(set.insert_key(key + 5));
            assert!(set.contains(image, 0x1005));
        }
    }
}
