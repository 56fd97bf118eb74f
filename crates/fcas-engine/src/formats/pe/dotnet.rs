//! .NET: the CLR (COR20) header of data directory 14 and the metadata root it points to.
use fcas_report::PeClr;
use goblin::pe::PE;

use super::rva::{data_directory, u16_at, u32_at, ImageMap};
use crate::Limits;

const CLR_DIRECTORY: usize = 14;
/// `cb` up to `EntryPointToken`: the part of the header read here.
const COR20_READ_SIZE: usize = 24;
const METADATA_SIGNATURE: u32 = 0x424A_5342; // "BSJB"
/// The version string is at most 255 bytes by specification.
const MAX_VERSION_LENGTH: u32 = 255;
/// Stream names are at most 32 bytes including the NUL.
const MAX_STREAM_NAME: usize = 32;
/// Real assemblies have five or six streams.
const MAX_STREAMS: usize = 64;

const COMIMAGE_FLAGS_ILONLY: u32 = 0x1;
const COMIMAGE_FLAGS_32BITREQUIRED: u32 = 0x2;
const COMIMAGE_FLAGS_STRONGNAMESIGNED: u32 = 0x8;
const COMIMAGE_FLAGS_NATIVE_ENTRYPOINT: u32 = 0x10;
const COMIMAGE_FLAGS_32BITPREFERRED: u32 = 0x20000;

/// The CLR header, when data directory 14 is set (what makes a PE a .NET assembly, as pefile
/// counts it). Parts that cannot be read stay at their defaults and are noted.
pub(crate) fn clr(pe: &PE<'_>, bytes: &[u8], limits: &Limits, notes: &mut Vec<String>) -> Option<PeClr> {
    let (rva, _) = data_directory(pe, CLR_DIRECTORY).filter(|(rva, _)| *rva != 0)?;
    let map = ImageMap::new(pe, bytes, limits);
    let mut clr = PeClr::default();
    let header = map.read(rva, COR20_READ_SIZE);
    let field = |at: usize| u32_at(header, at);
    let (Some(cb), Some(metadata_rva), Some(metadata_size), Some(flags), Some(entry_point)) =
        (field(0), field(8), field(12), field(16), field(20))
    else {
        notes.push(format!("CLR header at RVA {rva:#x} cannot be read"));
        return Some(clr);
    };
    clr.header_size = cb;
    clr.major_runtime_version = u16_at(header, 4).unwrap_or_default();
    clr.minor_runtime_version = u16_at(header, 6).unwrap_or_default();
    clr.metadata_rva = metadata_rva;
    clr.metadata_size = metadata_size;
    clr.flags = flags;
    clr.il_only = flags & COMIMAGE_FLAGS_ILONLY != 0;
    clr.requires_32bit = flags & COMIMAGE_FLAGS_32BITREQUIRED != 0;
    clr.prefers_32bit = flags & COMIMAGE_FLAGS_32BITPREFERRED != 0;
    clr.strong_name_signed = flags & COMIMAGE_FLAGS_STRONGNAMESIGNED != 0;
    clr.native_entry_point = flags & COMIMAGE_FLAGS_NATIVE_ENTRYPOINT != 0;
    clr.entry_point = entry_point;
    if read_metadata_root(&map, &mut clr).is_none() {
        notes.push(format!("CLR metadata root at RVA {metadata_rva:#x} cannot be read"));
    }
    Some(clr)
}

/// Fills the runtime version and stream names from the `BSJB` metadata root.
fn read_metadata_root(map: &ImageMap<'_>, clr: &mut PeClr) -> Option<()> {
    let root = map.read(clr.metadata_rva, clr.metadata_size as usize);
    if u32_at(root, 0)? != METADATA_SIGNATURE {
        return None;
    }
    let version_length = u32_at(root, 12)?.min(MAX_VERSION_LENGTH) as usize;
    let version = root.get(16..16 + version_length)?;
    let version = version.split(|&b| b == 0).next().unwrap_or_default();
    clr.runtime_version = Some(String::from_utf8_lossy(version).into_owned());
    // The length field is the padded length; streams follow it and a 2-byte flags field.
    let padded = (u32_at(root, 12)? as usize).checked_add(16)?;
    let count = usize::from(u16_at(root, padded.checked_add(2)?)?);
    let mut at = padded.checked_add(4)?;
    for _ in 0..count.min(MAX_STREAMS) {
        // Each header: offset, size, then a NUL-terminated name padded to 4 bytes.
        let name_start = at.checked_add(8)?;
        let window = root.get(name_start..)?;
        let window = window.get(..MAX_STREAM_NAME).unwrap_or(window);
        let name_length = window.iter().position(|&b| b == 0)?;
        clr.streams.push(String::from_utf8_lossy(window.get(..name_length)?).into_owned());
        at = name_start.checked_add((name_length + 4) & !3)?;
    }
    Some(())
}
