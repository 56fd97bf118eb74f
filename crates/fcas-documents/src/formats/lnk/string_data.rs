//! StringData (MS-SHLLINK 2.4): description, relative path, working folder, arguments and icon
//! location, each a 16-bit character count and the characters (UTF-16LE when IsUnicode).
use super::header::{flag, Header};
use crate::bytes::{latin1, slice_at, u16_at, utf16};

/// The strings a shortcut carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Strings {
    pub(super) name: Option<String>,
    pub(super) relative_path: Option<String>,
    pub(super) working_dir: Option<String>,
    pub(super) arguments: Option<String>,
    pub(super) icon: Option<String>,
}

/// The strings the header's flags announce, from `at`, and the offset after them; on a cut the
/// strings read so far and the error.
pub(super) fn parse(bytes: &[u8], mut at: usize, header: &Header) -> (Strings, usize, Option<String>) {
    const FIELDS: [(u32, &str); 5] = [
        (flag::HAS_NAME, "name"),
        (flag::HAS_RELATIVE_PATH, "relative path"),
        (flag::HAS_WORKING_DIR, "working folder"),
        (flag::HAS_ARGUMENTS, "arguments"),
        (flag::HAS_ICON_LOCATION, "icon location"),
    ];
    let unicode = header.has(flag::IS_UNICODE);
    let mut values: [Option<String>; 5] = Default::default();
    let mut error = None;
    for ((bit, what), slot) in FIELDS.iter().zip(values.iter_mut()) {
        if !header.has(*bit) {
            continue;
        }
        let Some((text, next)) = counted_string(bytes, at, unicode) else {
            error = Some(format!("lnk: string data cut in the {what} at offset {at}"));
            break;
        };
        *slot = Some(text);
        at = next;
    }
    let [name, relative_path, working_dir, arguments, icon] = values;
    (Strings { name, relative_path, working_dir, arguments, icon }, at, error)
}

fn counted_string(bytes: &[u8], at: usize, unicode: bool) -> Option<(String, usize)> {
    let count = usize::from(u16_at(bytes, at)?);
    let length = if unicode { count * 2 } else { count };
    let start = at.checked_add(2)?;
    let raw = slice_at(bytes, start, length)?;
    let text = if unicode { utf16(raw) } else { latin1(raw) };
    Some((text, start + length))
}
