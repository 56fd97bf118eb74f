//! Virtual Hard Disks. A VHD's virtual disk is presented as bytes and read as a raw disk
//! (a FAT volume, or MBR partitions holding FAT): a fixed VHD is the disk followed by a
//! 512-byte footer (borrowed as it is); a dynamic one is rebuilt from its block allocation
//! table, in memory, only when its virtual size is within the container's limits. A
//! differencing VHD holds only the sectors changed since its parent disk, which a submission of
//! one file does not have: it is identified, with its parent's name, not opened. VHDX has a
//! reader of its own (`vhdx.rs`).
use std::borrow::Cow;

use crate::{Container, ReadError};

use fcas_documents::bytes::{u32_be_at, u64_be_at};

const FOOTER: usize = 512;
const COOKIE: &[u8] = b"conectix";
const SPARSE_COOKIE: &[u8] = b"cxsparse";
const DISK_FIXED: u32 = 2;
const DISK_DYNAMIC: u32 = 3;
const DISK_DIFFERENCING: u32 = 4;
/// A BAT entry for a block never written: the block reads as zeros.
const UNALLOCATED: u32 = u32::MAX;
/// Largest block size accepted (the format's default is 2 MiB).
const MAX_BLOCK: u64 = 256 << 20;

pub(crate) fn read(data: &[u8], cx: &mut Container<'_>) -> Result<(), ReadError> {
    // Over a limit, the disk is `None` (the container recorded why).
    let Some(Disk { bytes, missing }) = virtual_disk(data, cx)? else { return Ok(()) };
    super::disk::read(&bytes, cx)?;
    match missing {
        0 => Ok(()),
        missing => Err(ReadError::Damaged(format!("{missing} blocks of the dynamic VHD lie outside the file (read as zeros)"))),
    }
}

/// A virtual disk and the count of its blocks the file could not supply.
struct Disk<'d> {
    bytes: Cow<'d, [u8]>,
    missing: usize,
}

/// The footer: at the end of the file, or its copy at the start when the end is missing.
fn footer(data: &[u8]) -> Option<&[u8]> {
    let end = data.len().checked_sub(FOOTER).and_then(|at| data.get(at..)).filter(|f| f.starts_with(COOKIE));
    end.or_else(|| data.get(..FOOTER).filter(|f| f.starts_with(COOKIE)))
}

/// The virtual disk's bytes; `None` when a limit refused it (recorded).
fn virtual_disk<'d>(data: &'d [u8], cx: &mut Container<'_>) -> Result<Option<Disk<'d>>, ReadError> {
    let footer = footer(data).ok_or_else(|| ReadError::Damaged("no VHD footer (\"conectix\") at the end or the start".into()))?;
    let size = u64_be_at(footer, 48).unwrap_or(0);
    match u32_be_at(footer, 60).unwrap_or(0) {
        DISK_FIXED => {
            let disk = data.get(..data.len().saturating_sub(FOOTER)).unwrap_or_default();
            // The file may be cut short, or padded: the footer's size says where the disk ends.
            let end = usize::try_from(size).unwrap_or(usize::MAX).min(disk.len());
            Ok(Some(Disk { bytes: Cow::Borrowed(disk.get(..end).unwrap_or_default()), missing: 0 }))
        }
        DISK_DYNAMIC => dynamic(data, footer, size, cx),
        DISK_DIFFERENCING => Err(differencing("VHD", parent_name(data, footer).as_deref())),
        other => Err(ReadError::Damaged(format!("unknown VHD disk type {other}"))),
    }
}

/// Why a differencing disk is not opened, naming its parent when the image does.
pub(crate) fn differencing(kind: &str, parent: Option<&str>) -> ReadError {
    let parent = parent.map(|name| format!(" (\"{name}\")")).unwrap_or_default();
    ReadError::Unsupported(format!(
        "a differencing {kind} holds only the sectors changed since its parent disk{parent}, so it is not opened alone; scan the parent disk too"
    ))
}

/// A differencing VHD's parent, as its dynamic header names it (UTF-16BE, up to 256
/// characters).
fn parent_name(data: &[u8], footer: &[u8]) -> Option<String> {
    let header_at = usize::try_from(u64_be_at(footer, 16)?).ok()?;
    let header = data.get(header_at..header_at.checked_add(1024)?).filter(|h| h.starts_with(SPARSE_COOKIE))?;
    let field = header.get(64..576)?;
    let end = field.chunks_exact(2).position(|pair| pair == [0, 0]).map_or(field.len(), |units| units * 2);
    let name = fcas_documents::bytes::utf16_lossy(field.get(..end)?, true);
    (!name.is_empty()).then_some(name)
}

/// Rebuilds a dynamic VHD's disk from its dynamic header and block allocation table.
fn dynamic<'d>(data: &'d [u8], footer: &[u8], size: u64, cx: &mut Container<'_>) -> Result<Option<Disk<'d>>, ReadError> {
    let damaged = |what: &str| ReadError::Damaged(format!("dynamic VHD: {what}"));
    let header_at = u64_be_at(footer, 16).and_then(|at| usize::try_from(at).ok()).ok_or_else(|| damaged("no dynamic header offset"))?;
    let header = data.get(header_at..header_at.saturating_add(1024)).ok_or_else(|| damaged("the dynamic header is past the end"))?;
    if !header.starts_with(SPARSE_COOKIE) {
        return Err(damaged("no dynamic header (\"cxsparse\")"));
    }
    let table = u64_be_at(header, 16).and_then(|at| usize::try_from(at).ok()).ok_or_else(|| damaged("no table offset"))?;
    let entries = u64::from(u32_be_at(header, 28).unwrap_or(0));
    let block = u64::from(u32_be_at(header, 32).unwrap_or(0));
    if block == 0 || block % 512 != 0 || block > MAX_BLOCK {
        return Err(damaged(&format!("block size {block} is not a multiple of 512 up to {MAX_BLOCK}")));
    }
    // The virtual disk is allocated whole: only when the limits allow a child that large.
    if cx.admit("virtual disk", Some(size), Some(data.len() as u64)).is_none() {
        return Ok(None);
    }
    let size = usize::try_from(size).map_err(|_| damaged("virtual size too large"))?;
    let mut disk = vec![0u8; size];
    // Each block starts with its sector bitmap, one bit per sector, padded to a sector.
    let bitmap = (block / 512).div_ceil(8).div_ceil(512) * 512;
    let mut missing = 0usize;
    for index in 0..entries.min((size as u64).div_ceil(block)) {
        let Some(sector) =
            usize::try_from(index).ok().and_then(|i| table.checked_add(i.checked_mul(4)?)).and_then(|at| u32_be_at(data, at))
        else {
            missing += 1;
            continue;
        };
        if sector == UNALLOCATED {
            continue;
        }
        let from = u64::from(sector) * 512 + bitmap;
        let to = index * block;
        let length = block.min(size as u64 - to) as usize;
        let source = usize::try_from(from).ok().and_then(|from| data.get(from..from.checked_add(length)?));
        let target = usize::try_from(to).ok().and_then(|to| disk.get_mut(to..to.checked_add(length)?));
        match (source, target) {
            (Some(source), Some(target)) => target.copy_from_slice(source),
            _ => missing += 1,
        }
    }
    Ok(Some(Disk { bytes: Cow::Owned(disk), missing }))
}
