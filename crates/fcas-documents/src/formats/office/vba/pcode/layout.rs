//! Which p-code layout compiled a project: the version in the `_VBA_PROJECT` stream's header
//! (MS-OVBA 2.3.4.1: Reserved1 0x61CC, then Version), which changes with the Office release.

/// The `_VBA_PROJECT` stream's first field.
const SIGNATURE: [u8; 2] = [0xcc, 0x61];

/// The VBA versions whose p-code FCAS reads: the VBA7 32-bit layout of Office 2010 and later
/// (0x97 Office 2010, 0xAF and 0xB5 later releases; the corpus holds each). Earlier releases
/// (VBA5/VBA6) number their opcodes differently and are not guessed at.
const VBA7: std::ops::RangeInclusive<u16> = 0x97..=0xb5;

/// A p-code layout FCAS reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// VBA7 (Office 2010 and later), 32-bit line records.
    Vba7,
}

impl Layout {
    /// The opcode of a string literal (the opcode word's low 10 bits; the high bits are flags).
    pub(crate) fn literal_opcode(self) -> u16 {
        match self {
            Layout::Vba7 => 0x00b6,
        }
    }
}

/// The version in the header of the `_VBA_PROJECT` stream `stream`.
pub(crate) fn version_of(stream: &[u8]) -> Result<u16, String> {
    match stream.get(..4) {
        Some([a, b, low, high]) if [*a, *b] == SIGNATURE => Ok(u16::from_le_bytes([*low, *high])),
        Some(_) => Err("_VBA_PROJECT does not start with 0x61CC".to_string()),
        None => Err("_VBA_PROJECT is shorter than its header".to_string()),
    }
}

impl TryFrom<u16> for Layout {
    type Error = String;

    fn try_from(version: u16) -> Result<Self, String> {
        if VBA7.contains(&version) {
            Ok(Layout::Vba7)
        } else {
            Err(format!("p-code of VBA version {version:#06x} is not read: stomping not determined"))
        }
    }
}
