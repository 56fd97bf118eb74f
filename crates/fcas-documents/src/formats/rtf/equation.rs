//! Microsoft Equation Editor objects, the target of CVE-2017-11882 and CVE-2018-0802: known by
//! their OLE1 class, or (when the class is disguised) by the compound file they carry.
use std::io::{Cursor, Read};

/// The Equation Editor 3.0 CLSID, as the compound file's root entry gives it.
const EQUATION_CLSID: &str = "0002ce02-0000-0000-c000-000000000046";
/// The compound file signature.
const CFB_MAGIC: &[u8] = &[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/// Start of an `EQNOLEFILEHDR` (cbHdr = 28, version 0x00020000): equation data, in an
/// `\x01Ole10Native` stream after its size.
const EQUATION_HEADER: &[u8] = &[0x1c, 0x00, 0x00, 0x00, 0x02, 0x00];

/// Whether an object of OLE1 `class` with native data `payload` is an Equation Editor object.
pub(super) fn is_equation_editor(class: Option<&str>, payload: &[u8]) -> bool {
    class.is_some_and(is_equation_class) || (payload.starts_with(CFB_MAGIC) && compound_file_is_equation(payload))
}

fn is_equation_class(class: &str) -> bool {
    let class = class.trim_end_matches('\0');
    ["Equation", "Equation.2", "Equation.3"].iter().any(|known| class.eq_ignore_ascii_case(known))
}

/// The root CLSID, an `Equation Native` stream, or equation data in `\x01Ole10Native`.
fn compound_file_is_equation(bytes: &[u8]) -> bool {
    let Ok(mut file) = cfb::CompoundFile::open(Cursor::new(bytes)) else { return false };
    if file.root_entry().clsid().to_string().eq_ignore_ascii_case(EQUATION_CLSID) {
        return true;
    }
    if file.is_stream("/Equation Native") {
        return true;
    }
    let Ok(stream) = file.open_stream("/\u{1}Ole10Native") else { return false };
    // Only its start is needed; the size field comes first.
    let mut start = Vec::new();
    if stream.take(4 + EQUATION_HEADER.len() as u64).read_to_end(&mut start).is_err() {
        return false;
    }
    start.get(4..).is_some_and(|header| header == EQUATION_HEADER)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_recognised_whatever_the_case() {
        assert!(is_equation_editor(Some("Equation.3"), b""));
        assert!(is_equation_editor(Some("eQuAtIoN.3\0"), b""));
        assert!(is_equation_editor(Some("Equation"), b""));
        assert!(!is_equation_editor(Some("Package"), b""));
        assert!(!is_equation_editor(None, b"MZ"));
    }

    #[test]
    fn broken_compound_files_are_not_equations() {
        let mut bytes = CFB_MAGIC.to_vec();
        bytes.extend_from_slice(&[0xff; 600]);
        assert!(!is_equation_editor(Some("Disguised.1"), &bytes));
    }
}
