//! tar (ustar, pax and GNU, long names and sparse files through the `tar` crate). Only regular
//! files come out; links and devices are names, not content.
use std::io::Cursor;

use crate::{Container, ReadError};

pub(crate) fn read(data: &[u8], cx: &mut Container<'_>) -> Result<(), ReadError> {
    let mut archive = tar::Archive::new(Cursor::new(data));
    let entries = archive.entries().map_err(super::damaged)?;
    for entry in entries {
        if !cx.wants_more() {
            break;
        }
        let mut entry = entry.map_err(super::damaged)?;
        let kind = entry.header().entry_type();
        if !(kind.is_file() || kind.is_gnu_sparse() || kind.is_contiguous()) {
            continue;
        }
        let name = super::name_from_bytes(&entry.path_bytes());
        let size = entry.size();
        // Stored, not compressed: the entry cannot expand beyond what it declares.
        cx.take(&name, &mut entry, Some(size), Some(size));
    }
    Ok(())
}
