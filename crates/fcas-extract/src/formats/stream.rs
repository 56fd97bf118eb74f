//! Single-stream compressors (gzip, bzip2, xz, zstd): one child, the decoded stream. The
//! child's name is the one a gzip header records, else empty (the caller names it after the
//! container, without its suffix).
use std::io::{Cursor, Read};

use crate::{Container, ReadError};

pub(crate) fn gzip(data: &[u8], cx: &mut Container<'_>) -> Result<(), ReadError> {
    let mut decoder = flate2::read::MultiGzDecoder::new(data);
    let name = decoder.header().and_then(|h| h.filename()).map(super::name_from_bytes).unwrap_or_default();
    one(cx, &name, &mut decoder)
}

pub(crate) fn bzip2(data: &[u8], cx: &mut Container<'_>) -> Result<(), ReadError> {
    one(cx, "", &mut bzip2::read::MultiBzDecoder::new(data))
}

pub(crate) fn xz(data: &[u8], cx: &mut Container<'_>) -> Result<(), ReadError> {
    // The dictionary an xz header may ask for is bounded (256 MiB, the largest `xz -9e` uses).
    one(cx, "", &mut lzma_rust2::XzReader::new_mem_limit(Cursor::new(data), true, 256 << 10))
}

pub(crate) fn zstd(data: &[u8], cx: &mut Container<'_>) -> Result<(), ReadError> {
    let mut decoder = zstd::stream::read::Decoder::with_buffer(data).map_err(super::damaged)?;
    // A frame may ask for a window of up to 2 GiB; refuse more than 128 MiB (zstd's own default
    // for decoding without --long).
    decoder.window_log_max(27).map_err(super::damaged)?;
    one(cx, "", &mut decoder)
}

fn one(cx: &mut Container<'_>, name: &str, reader: &mut dyn Read) -> Result<(), ReadError> {
    if !cx.wants_more() {
        return Ok(());
    }
    match cx.read_child(name, reader, None, None) {
        Ok(data) => {
            cx.emit(name, std::borrow::Cow::Owned(data));
            Ok(())
        }
        Err(crate::ChildError::Limit(_)) => Ok(()),
        Err(crate::ChildError::Read(error)) => Err(super::damaged(error)),
    }
}
