//! RAR: identified, never opened. The only complete reader is UnRAR's, whose licence forbids
//! using it to rebuild the compressor and is not an open-source licence; FCAS ships under MIT OR
//! Apache-2.0 and takes no such dependency.
use crate::{Container, ReadError};

pub(crate) fn read(_data: &[u8], _cx: &mut Container<'_>) -> Result<(), ReadError> {
    Err(ReadError::Unsupported(
        "RAR archives are identified but not opened: no reader under a permissive licence exists. Extract it with unrar or 7-Zip and scan the folder".into(),
    ))
}
