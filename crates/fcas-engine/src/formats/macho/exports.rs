//! Exported symbols: the names of the dyld export trie, walked depth-first in edge order.
use std::collections::HashSet;

use super::reader::Reader;
use crate::Limits;

/// Longest symbol name built from trie edges; a longer path is malformed.
const MAX_NAME_BYTES: usize = 4096;
/// Bytes of names (pending and found) built in all; a hostile trie of long shared prefixes with
/// wide fan-out could otherwise ask for gigabytes.
const NAME_BYTES_BUDGET: usize = 16 << 20;

/// Names of the trie at (`offset`, `size`) in the slice, in depth-first order. Each node is
/// visited once, so a trie whose edges loop still ends.
pub(super) fn names(reader: Reader<'_>, (offset, size): (u64, u64), limits: &Limits, notes: &mut Vec<String>) -> Vec<String> {
    let Some(trie) = crate::formats::span::file_span(reader.bytes, offset, size) else {
        notes.push(format!("the export trie at offset {offset} with size {size} lies outside the file"));
        return Vec::new();
    };
    let mut names = Vec::new();
    let mut visited = HashSet::new();
    let mut pending: Vec<(usize, Vec<u8>)> = vec![(0, Vec::new())];
    let mut malformed = false;
    let mut budget = NAME_BYTES_BUDGET;
    while let Some((node, prefix)) = pending.pop() {
        if !visited.insert(node) {
            malformed = true;
            continue;
        }
        let Some(children) = read_node(trie, node, &prefix, &mut names) else {
            malformed = true;
            continue;
        };
        if names.len() > limits.max_table_entries {
            names.truncate(limits.max_table_entries);
            notes.push(format!("more than {} exported symbols; the list is cut", limits.max_table_entries));
            return names;
        }
        let cost: usize = children.iter().map(|(_, name)| name.len()).sum();
        let Some(left) = budget.checked_sub(cost) else {
            notes.push("the export trie builds more name bytes than allowed; the names read so far are kept".to_string());
            return names;
        };
        budget = left;
        // Reversed so that the first edge is walked first.
        pending.extend(children.into_iter().rev());
    }
    if malformed {
        notes.push("the export trie is malformed (a bad node or a loop); the names read so far are kept".to_string());
    }
    names
}

/// Reads the node at `node`: pushes its name when it is terminal and returns its children
/// (offset, name so far). `None` when the node is malformed.
fn read_node(trie: &[u8], node: usize, prefix: &[u8], names: &mut Vec<String>) -> Option<Vec<(usize, Vec<u8>)>> {
    let mut at = node;
    let terminal_size = uleb128(trie, &mut at)?;
    if terminal_size > 0 {
        names.push(String::from_utf8_lossy(prefix).into_owned());
    }
    at = at.checked_add(usize::try_from(terminal_size).ok()?)?;
    let count = *trie.get(at)?;
    at += 1;
    let mut children = Vec::new();
    for _ in 0..count {
        let edge_len = trie.get(at..)?.iter().position(|&b| b == 0)?;
        let edge = trie.get(at..at + edge_len)?;
        at += edge_len + 1;
        let child = usize::try_from(uleb128(trie, &mut at)?).ok()?;
        if prefix.len() + edge.len() > MAX_NAME_BYTES {
            return None;
        }
        children.push((child, [prefix, edge].concat()));
    }
    Some(children)
}

/// An unsigned LEB128 number at `*at`, advancing past it.
fn uleb128(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*at)?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}
