//! Payloads carried by a PE: its overlay (the bytes after the last section's raw data, the
//! Authenticode certificate left out) and its RT_RCDATA resources, each a child only when it
//! starts like an executable or a container (droppers, installers and self-extracting
//! archives keep theirs there). A PE with neither is not a container. Headers and the resource
//! tree are read with bounds on every offset and entry count; payloads are borrowed.
use std::borrow::Cow;
use std::ops::Range;

use crate::{Container, ReadError};

use fcas_documents::bytes::{u16_at, u32_at};

/// Magic numbers of what is worth opening or analysing as a file of its own.
const PAYLOAD_MAGICS: &[&[u8]] = &[
    b"MZ",
    b"PK\x03\x04",
    b"7z\xbc\xaf\x27\x1c",
    b"MSCF\0\0\0\0",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ\0",
    b"\x28\xb5\x2f\xfd",
    b"Rar!\x1a\x07",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
];
/// RT_RCDATA, raw application-defined data.
const RT_RCDATA: u32 = 10;
/// Entries read in one resource directory.
const MAX_ENTRIES: usize = 4096;
/// Payloads offered from one PE.
const MAX_PAYLOADS: usize = 1000;

pub(crate) fn read(data: &[u8], cx: &mut Container<'_>) -> Result<(), ReadError> {
    let payloads = payloads(data).ok_or_else(|| ReadError::Damaged("the PE headers are unreadable".into()))?;
    for (name, range) in payloads {
        if !cx.wants_more() {
            break;
        }
        let Some(bytes) = data.get(range) else { continue };
        let size = bytes.len() as u64;
        if cx.admit(&name, Some(size), Some(size)).is_some() {
            cx.emit(name, Cow::Borrowed(bytes));
        }
    }
    Ok(())
}

/// Whether the PE carries an overlay or RT_RCDATA resource worth opening.
pub(crate) fn has_payloads(data: &[u8]) -> bool {
    payloads(data).is_some_and(|found| !found.is_empty())
}

/// The section table and data directories, as far as the payload search needs them.
struct Headers {
    /// (virtual address, virtual size, raw offset, raw size) of each section.
    sections: Vec<(u32, u32, u32, u32)>,
    resources: Option<(u32, u32)>,
    certificate: Option<(u32, u32)>,
}

fn headers(data: &[u8]) -> Option<Headers> {
    let pe = u32_at(data, 0x3c)? as usize;
    if data.get(pe..pe.checked_add(4)?)? != b"PE\0\0" {
        return None;
    }
    let sections = usize::from(u16_at(data, pe + 6)?);
    let optional = pe + 24;
    let optional_size = usize::from(u16_at(data, pe + 20)?);
    let directories = match u16_at(data, optional)? {
        0x10b => optional + 96,
        0x20b => optional + 112,
        _ => return None,
    };
    let count = u32_at(data, directories - 4)? as usize;
    let directory = |index: usize| {
        (index < count)
            .then(|| Some((u32_at(data, directories + index * 8)?, u32_at(data, directories + index * 8 + 4)?)))
            .flatten()
            .filter(|(at, size)| *at != 0 && *size != 0)
    };
    let table = optional + optional_size;
    // The COFF header's count is 16-bit: the section list is bounded.
    let sections = (0..sections)
        .map_while(|index| {
            let at = table + index * 40;
            Some((u32_at(data, at + 12)?, u32_at(data, at + 8)?, u32_at(data, at + 20)?, u32_at(data, at + 16)?))
        })
        .collect();
    Some(Headers { sections, resources: directory(2), certificate: directory(4) })
}

/// Every payload's name and place in the file.
fn payloads(data: &[u8]) -> Option<Vec<(String, Range<usize>)>> {
    let headers = headers(data)?;
    let mut found = Vec::new();
    if let Some(range) = overlay(data, &headers).filter(|range| data.get(range.clone()).is_some_and(is_payload)) {
        found.push(("overlay".to_string(), range));
    }
    if let Some((rva, _)) = headers.resources {
        if let Some(base) = file_offset(&headers, rva) {
            rcdata(data, &headers, base, &mut found);
        }
    }
    Some(found)
}

/// The bytes after the last section's raw data, without a certificate table at their end.
fn overlay(data: &[u8], headers: &Headers) -> Option<Range<usize>> {
    let end_of_sections =
        headers.sections.iter().filter(|(.., size)| *size > 0).map(|&(.., offset, size)| u64::from(offset) + u64::from(size)).max()?;
    let start = usize::try_from(end_of_sections).ok()?;
    let mut end = data.len();
    // The certificate's "address" is a file offset, and it is usually the file's last bytes.
    if let Some((at, size)) = headers.certificate {
        let (at, cert_end) = (at as usize, at as usize + size as usize);
        if at >= start && cert_end >= data.len() {
            end = at.min(end);
        }
    }
    (start < end).then_some(start..end)
}

fn is_payload(bytes: &[u8]) -> bool {
    PAYLOAD_MAGICS.iter().any(|magic| bytes.starts_with(magic))
}

/// The file offset of `rva`, through the section holding it.
fn file_offset(headers: &Headers, rva: u32) -> Option<usize> {
    headers.sections.iter().find_map(|&(address, virtual_size, offset, raw_size)| {
        let span = virtual_size.max(raw_size);
        (rva >= address && rva - address < span).then(|| offset as usize + (rva - address) as usize)
    })
}

/// The RT_RCDATA resources (type, then name, then language), named `resource/RCDATA/<name>`
/// and, when a name has several languages, `/<language>` after it.
fn rcdata(data: &[u8], headers: &Headers, base: usize, found: &mut Vec<(String, Range<usize>)>) {
    let Some(types) = entries(data, base, 0) else { return };
    let Some(&(_, names_at)) = types.iter().find(|(id, _)| *id == Id::Number(RT_RCDATA)) else { return };
    let Some(names) = subdirectory(names_at).and_then(|at| entries(data, base, at)) else { return };
    for (name, languages_at) in names {
        let Some(languages) = subdirectory(languages_at).and_then(|at| entries(data, base, at)) else { continue };
        let several = languages.len() > 1;
        for (language, entry_at) in languages {
            if found.len() >= MAX_PAYLOADS || subdirectory(entry_at).is_some() {
                return;
            }
            let entry = base + entry_at as usize;
            let (Some(rva), Some(size)) = (u32_at(data, entry), u32_at(data, entry + 4)) else { continue };
            let Some(start) = file_offset(headers, rva) else { continue };
            let Some(bytes) = start.checked_add(size as usize).and_then(|end| data.get(start..end)) else { continue };
            if !is_payload(bytes) {
                continue;
            }
            let mut label = format!("resource/RCDATA/{}", name.label(data, base));
            if several {
                label = format!("{label}/{}", language.label(data, base));
            }
            found.push((label, start..start + bytes.len()));
        }
    }
}

/// A resource entry's identifier: a number, or the offset of a counted UTF-16 name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Id {
    Number(u32),
    Name(u32),
}

impl Id {
    fn label(self, data: &[u8], base: usize) -> String {
        match self {
            Id::Number(number) => number.to_string(),
            Id::Name(offset) => {
                let at = base + offset as usize;
                let length = u16_at(data, at).map(usize::from).unwrap_or(0);
                let units: Vec<u16> = (0..length).map_while(|i| u16_at(data, at + 2 + i * 2)).collect();
                String::from_utf16_lossy(&units)
            }
        }
    }
}

/// The offset of the subdirectory an entry points at (its high bit set).
fn subdirectory(target: u32) -> Option<u32> {
    (target & 0x8000_0000 != 0).then_some(target & 0x7fff_ffff)
}

/// The entries of the resource directory `offset` bytes into the resource section (at file
/// offset `base`): identifier and target.
fn entries(data: &[u8], base: usize, offset: u32) -> Option<Vec<(Id, u32)>> {
    let at = base.checked_add(offset as usize)?;
    let count = usize::from(u16_at(data, at + 12)?) + usize::from(u16_at(data, at + 14)?);
    let list = (0..count.min(MAX_ENTRIES))
        .map_while(|index| {
            let entry = at + 16 + index * 8;
            let name = u32_at(data, entry)?;
            let id = if name & 0x8000_0000 != 0 { Id::Name(name & 0x7fff_ffff) } else { Id::Number(name) };
            Some((id, u32_at(data, entry + 4)?))
        })
        .collect();
    Some(list)
}
