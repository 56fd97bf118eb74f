//! String literals in one line of p-code: the literal opcode word, a 16-bit length, the bytes,
//! padded to an even length. Opcodes and their arguments are 16-bit aligned, so the line is
//! searched word by word; a literal must be text (no control bytes, as VBA source cannot hold
//! them between quotes), which keeps other words that happen to equal the opcode out.
use super::Layout;

/// The literals of `line`, in order.
pub(crate) fn in_line(line: &[u8], layout: Layout) -> Vec<&[u8]> {
    let opcode = layout.literal_opcode().to_le_bytes();
    let mut found = Vec::new();
    let mut at = 0usize;
    // Every step moves at least 2 bytes forward, so the loop ends within line.len() / 2 steps.
    while let Some(pair) = line.get(at..at.saturating_add(2)) {
        if pair == opcode {
            if let Some((literal, next)) = literal_at(line, at) {
                found.push(literal);
                at = next;
                continue;
            }
        }
        at = at.saturating_add(2);
    }
    found
}

/// The literal whose opcode is at `at`, and where the next opcode starts.
fn literal_at(line: &[u8], at: usize) -> Option<(&[u8], usize)> {
    let start = at.checked_add(4)?;
    let length_bytes = line.get(at.checked_add(2)?..start)?;
    let length = usize::from(u16::from_le_bytes([length_bytes[0], length_bytes[1]]));
    let end = start.checked_add(length)?;
    let bytes = line.get(start..end)?;
    if bytes.is_empty() || !bytes.iter().all(|&byte| is_text(byte)) {
        return None;
    }
    Some((bytes, end.checked_add(end % 2)?))
}

/// Printable ASCII, tab, or a byte of a code page's upper half.
fn is_text(byte: u8) -> bool {
    byte == b'\t' || (0x20..0x7f).contains(&byte) || byte >= 0x80
}
