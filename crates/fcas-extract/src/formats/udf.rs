//! UDF images. A UDF bridge image (UDF and ISO 9660 side by side over the same file data, as
//! `genisoimage -udf` and most DVD authoring tools write) is read through its ISO 9660 tree;
//! a pure UDF image is identified, not opened.
use crate::{Container, ReadError};

pub(crate) fn read(_data: &[u8], _cx: &mut Container<'_>) -> Result<(), ReadError> {
    Err(ReadError::Unsupported(
        "UDF images without an ISO 9660 tree are identified but not opened. Mount it read-only (or extract it with 7-Zip) and scan the folder"
            .into(),
    ))
}
