//! Resource leaves with what their data looks like (an embedded PE is a classic dropper trick).
use fcas_report::PeResource;
use goblin::pe::PE;

use super::resource_tree::{self, EntryKey, RawLeaf};
use super::rva::{data_directory, ImageMap};
use crate::Limits;

/// Index of the resource table among the data directories.
pub(super) const RESOURCE_DIRECTORY: usize = 2;
/// Bytes of a leaf handed to magic detection: enough for every header it checks.
const MAGIC_PREFIX: usize = 64 * 1024;

/// Every resource leaf (type -> name -> language), in directory order.
pub(crate) fn resources(pe: &PE<'_>, bytes: &[u8], limits: &Limits, notes: &mut Vec<String>) -> Vec<PeResource> {
    let map = ImageMap::new(pe, bytes, limits);
    let leaves = raw_leaves(pe, &map, limits, notes);
    // Leaves may all point at one huge blob: bound the bytes scanned to twice the file.
    let mut budget = bytes.len().saturating_mul(2);
    let mut budget_noted = false;
    leaves
        .into_iter()
        .map(|leaf| {
            let data = map.read(leaf.data_rva, leaf.size as usize);
            let affordable = data.len() <= budget;
            if affordable {
                budget -= data.len();
            } else if !budget_noted {
                budget_noted = true;
                notes.push(
                    "resource data overlaps far beyond the file size; entropy and content of later resources are not computed".into(),
                );
            }
            describe(leaf, &map, data, affordable)
        })
        .collect()
}

/// The raw leaves of the resource directory, if the image has one.
pub(super) fn raw_leaves(pe: &PE<'_>, map: &ImageMap<'_>, limits: &Limits, notes: &mut Vec<String>) -> Vec<RawLeaf> {
    match data_directory(pe, RESOURCE_DIRECTORY) {
        Some((rva, _)) if rva != 0 => resource_tree::walk(map, rva, limits, notes),
        _ => Vec::new(),
    }
}

fn describe(leaf: RawLeaf, map: &ImageMap<'_>, data: &[u8], analyse: bool) -> PeResource {
    let (kind, type_id) = match leaf.type_key {
        EntryKey::Id(id) => (type_name(id).map_or_else(|| id.to_string(), str::to_string), Some(id)),
        EntryKey::Name(name) => (name, None),
    };
    let (name, id) = match leaf.name_key {
        EntryKey::Id(id) => (None, Some(id)),
        EntryKey::Name(name) => (Some(name), None),
    };
    let language_id = (leaf.language & 0x3ff) as u16;
    let sublanguage_id = ((leaf.language >> 10) & 0xffff) as u16;
    let (content, entropy) = if analyse {
        let prefix = data.get(..MAGIC_PREFIX).unwrap_or(data);
        (crate::identity::detect(prefix).0, Some(crate::entropy::shannon(data)))
    } else {
        (Default::default(), None)
    };
    PeResource {
        kind,
        type_id,
        name,
        id,
        language_id,
        sublanguage_id,
        language: language_name(language_id).unwrap_or_default().to_string(),
        sublanguage: sublanguage_name(language_id, sublanguage_id).unwrap_or_default().to_string(),
        rva: leaf.data_rva,
        offset: map.offset(leaf.data_rva).map(|o| o as u64),
        size: leaf.size,
        code_page: leaf.code_page,
        size_in_file: data.len() as u64,
        entropy,
        content,
    }
}

/// Name of a predefined resource type (`winuser.h`).
pub(super) fn type_name(id: u32) -> Option<&'static str> {
    Some(match id {
        1 => "RT_CURSOR",
        2 => "RT_BITMAP",
        3 => "RT_ICON",
        4 => "RT_MENU",
        5 => "RT_DIALOG",
        6 => "RT_STRING",
        7 => "RT_FONTDIR",
        8 => "RT_FONT",
        9 => "RT_ACCELERATOR",
        10 => "RT_RCDATA",
        11 => "RT_MESSAGETABLE",
        12 => "RT_GROUP_CURSOR",
        14 => "RT_GROUP_ICON",
        16 => "RT_VERSION",
        17 => "RT_DLGINCLUDE",
        19 => "RT_PLUGPLAY",
        20 => "RT_VXD",
        21 => "RT_ANICURSOR",
        22 => "RT_ANIICON",
        23 => "RT_HTML",
        24 => "RT_MANIFEST",
        _ => return None,
    })
}

/// Name of a common primary language id (`winnt.h`).
fn language_name(id: u16) -> Option<&'static str> {
    Some(match id {
        0x00 => "LANG_NEUTRAL",
        0x01 => "LANG_ARABIC",
        0x02 => "LANG_BULGARIAN",
        0x03 => "LANG_CATALAN",
        0x04 => "LANG_CHINESE",
        0x05 => "LANG_CZECH",
        0x06 => "LANG_DANISH",
        0x07 => "LANG_GERMAN",
        0x08 => "LANG_GREEK",
        0x09 => "LANG_ENGLISH",
        0x0a => "LANG_SPANISH",
        0x0b => "LANG_FINNISH",
        0x0c => "LANG_FRENCH",
        0x0d => "LANG_HEBREW",
        0x0e => "LANG_HUNGARIAN",
        0x0f => "LANG_ICELANDIC",
        0x10 => "LANG_ITALIAN",
        0x11 => "LANG_JAPANESE",
        0x12 => "LANG_KOREAN",
        0x13 => "LANG_DUTCH",
        0x14 => "LANG_NORWEGIAN",
        0x15 => "LANG_POLISH",
        0x16 => "LANG_PORTUGUESE",
        0x18 => "LANG_ROMANIAN",
        0x19 => "LANG_RUSSIAN",
        0x1a => "LANG_CROATIAN",
        0x1b => "LANG_SLOVAK",
        0x1c => "LANG_ALBANIAN",
        0x1d => "LANG_SWEDISH",
        0x1e => "LANG_THAI",
        0x1f => "LANG_TURKISH",
        0x20 => "LANG_URDU",
        0x21 => "LANG_INDONESIAN",
        0x22 => "LANG_UKRAINIAN",
        0x23 => "LANG_BELARUSIAN",
        0x24 => "LANG_SLOVENIAN",
        0x25 => "LANG_ESTONIAN",
        0x26 => "LANG_LATVIAN",
        0x27 => "LANG_LITHUANIAN",
        0x29 => "LANG_FARSI",
        0x2a => "LANG_VIETNAMESE",
        0x2b => "LANG_ARMENIAN",
        0x2c => "LANG_AZERI",
        0x2d => "LANG_BASQUE",
        0x2f => "LANG_MACEDONIAN",
        0x36 => "LANG_AFRIKAANS",
        0x37 => "LANG_GEORGIAN",
        0x39 => "LANG_HINDI",
        0x3e => "LANG_MALAY",
        0x3f => "LANG_KAZAK",
        0x41 => "LANG_SWAHILI",
        0x56 => "LANG_GALICIAN",
        0x7f => "LANG_INVARIANT",
        _ => return None,
    })
}

/// Name of a sublanguage: the country-specific ones of a few languages, else the generic ones.
fn sublanguage_name(language: u16, sublanguage: u16) -> Option<&'static str> {
    let specific = match (language, sublanguage) {
        (0x09, 1) => "SUBLANG_ENGLISH_US",
        (0x09, 2) => "SUBLANG_ENGLISH_UK",
        (0x09, 3) => "SUBLANG_ENGLISH_AUS",
        (0x09, 4) => "SUBLANG_ENGLISH_CAN",
        (0x09, 5) => "SUBLANG_ENGLISH_NZ",
        (0x09, 6) => "SUBLANG_ENGLISH_EIRE",
        (0x04, 1) => "SUBLANG_CHINESE_TRADITIONAL",
        (0x04, 2) => "SUBLANG_CHINESE_SIMPLIFIED",
        (0x04, 3) => "SUBLANG_CHINESE_HONGKONG",
        (0x04, 4) => "SUBLANG_CHINESE_SINGAPORE",
        (0x07, 1) => "SUBLANG_GERMAN",
        (0x07, 2) => "SUBLANG_GERMAN_SWISS",
        (0x07, 3) => "SUBLANG_GERMAN_AUSTRIAN",
        (0x0a, 1) => "SUBLANG_SPANISH",
        (0x0a, 2) => "SUBLANG_SPANISH_MEXICAN",
        (0x0a, 3) => "SUBLANG_SPANISH_MODERN",
        (0x0c, 1) => "SUBLANG_FRENCH",
        (0x0c, 2) => "SUBLANG_FRENCH_BELGIAN",
        (0x0c, 3) => "SUBLANG_FRENCH_CANADIAN",
        (0x0c, 4) => "SUBLANG_FRENCH_SWISS",
        (0x16, 1) => "SUBLANG_PORTUGUESE_BRAZILIAN",
        (0x16, 2) => "SUBLANG_PORTUGUESE",
        (_, 0) => "SUBLANG_NEUTRAL",
        (_, 1) => "SUBLANG_DEFAULT",
        (_, 2) => "SUBLANG_SYS_DEFAULT",
        _ => return None,
    };
    Some(specific)
}
