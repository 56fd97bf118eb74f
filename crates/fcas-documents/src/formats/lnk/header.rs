//! The 76-byte shell link header (MS-SHLLINK 2.1): flags, attributes, times, size, window
//! state and hot key.
use crate::bytes::{u16_at, u32_at, u64_at};

/// The header's size, which is also its first field.
pub(super) const HEADER_SIZE: usize = 0x4c;
/// LinkCLSID 00021401-0000-0000-C000-000000000046 as stored.
const LINK_CLSID: [u8; 16] = [0x01, 0x14, 0x02, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46];

/// Link flag bits (MS-SHLLINK 2.1.1) the parser acts on.
pub(super) mod flag {
    pub(crate) const HAS_ID_LIST: u32 = 0x1;
    pub(crate) const HAS_LINK_INFO: u32 = 0x2;
    pub(crate) const HAS_NAME: u32 = 0x4;
    pub(crate) const HAS_RELATIVE_PATH: u32 = 0x8;
    pub(crate) const HAS_WORKING_DIR: u32 = 0x10;
    pub(crate) const HAS_ARGUMENTS: u32 = 0x20;
    pub(crate) const HAS_ICON_LOCATION: u32 = 0x40;
    pub(crate) const IS_UNICODE: u32 = 0x80;
    pub(crate) const FORCE_NO_LINK_INFO: u32 = 0x100;
}

const FLAG_NAMES: [&str; 27] = [
    "HasTargetIDList",
    "HasLinkInfo",
    "HasName",
    "HasRelativePath",
    "HasWorkingDir",
    "HasArguments",
    "HasIconLocation",
    "IsUnicode",
    "ForceNoLinkInfo",
    "HasExpString",
    "RunInSeparateProcess",
    "Unused1",
    "HasDarwinID",
    "RunAsUser",
    "HasExpIcon",
    "NoPidlAlias",
    "Unused2",
    "RunWithShimLayer",
    "ForceNoLinkTrack",
    "EnableTargetMetadata",
    "DisableLinkPathTracking",
    "DisableKnownFolderTracking",
    "DisableKnownFolderAlias",
    "AllowLinkToLink",
    "UnaliasOnSave",
    "PreferEnvironmentPath",
    "KeepLocalIDListForUNCTarget",
];

const ATTRIBUTE_NAMES: [&str; 15] = [
    "READONLY",
    "HIDDEN",
    "SYSTEM",
    "RESERVED1",
    "DIRECTORY",
    "ARCHIVE",
    "RESERVED2",
    "NORMAL",
    "TEMPORARY",
    "SPARSE_FILE",
    "REPARSE_POINT",
    "COMPRESSED",
    "OFFLINE",
    "NOT_CONTENT_INDEXED",
    "ENCRYPTED",
];

/// The header's fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Header {
    pub(super) flags: u32,
    pub(super) attributes: u32,
    pub(super) created: u64,
    pub(super) accessed: u64,
    pub(super) modified: u64,
    pub(super) file_size: u32,
    pub(super) show_command: u32,
    pub(super) hotkey: u16,
}

/// The header at the start of `bytes`, when it is a shell link header.
pub(super) fn parse(bytes: &[u8]) -> Option<Header> {
    if u32_at(bytes, 0)? as usize != HEADER_SIZE || bytes.get(4..20)? != LINK_CLSID {
        return None;
    }
    Some(Header {
        flags: u32_at(bytes, 20)?,
        attributes: u32_at(bytes, 24)?,
        created: u64_at(bytes, 28)?,
        accessed: u64_at(bytes, 36)?,
        modified: u64_at(bytes, 44)?,
        file_size: u32_at(bytes, 52)?,
        show_command: u32_at(bytes, 60)?,
        hotkey: u16_at(bytes, 64)?,
    })
}

impl Header {
    pub(super) fn has(&self, bit: u32) -> bool {
        self.flags & bit != 0
    }

    pub(super) fn flag_names(&self) -> Vec<String> {
        names(self.flags, &FLAG_NAMES)
    }

    pub(super) fn attribute_names(&self) -> Vec<String> {
        names(self.attributes, &ATTRIBUTE_NAMES)
    }

    /// Windows treats every value but these two as SW_SHOWNORMAL.
    pub(super) fn show_command_name(&self) -> &'static str {
        match self.show_command {
            3 => "maximized",
            7 => "minimized",
            _ => "normal",
        }
    }
}

fn names(bits: u32, table: &[&str]) -> Vec<String> {
    table.iter().enumerate().filter(|(bit, _)| bits & (1 << bit) != 0).map(|(_, name)| (*name).to_string()).collect()
}

/// A hot key as `CTRL+ALT+F5`, `None` when unset or not a key Windows accepts.
pub(super) fn hotkey_text(hotkey: u16) -> Option<String> {
    let [key, modifiers] = hotkey.to_le_bytes();
    let key = match key {
        0x30..=0x39 | 0x41..=0x5a => char::from(key).to_string(),
        0x70..=0x87 => format!("F{}", key - 0x6f),
        0x90 => "NUM LOCK".to_string(),
        0x91 => "SCROLL LOCK".to_string(),
        _ => return None,
    };
    let mut parts: Vec<String> = [(0x2, "CTRL"), (0x4, "ALT"), (0x1, "SHIFT")]
        .iter()
        .filter(|(bit, _)| modifiers & bit != 0)
        .map(|(_, name)| (*name).to_string())
        .collect();
    parts.push(key);
    Some(parts.join("+"))
}

/// A FILETIME (100 ns since 1601-01-01 UTC) as RFC 3339 to the second, `None` when zero.
pub(super) fn filetime_text(filetime: u64) -> Option<String> {
    const TICKS_PER_SECOND: u64 = 10_000_000;
    /// Seconds from 1601-01-01 to 1970-01-01.
    const UNIX_OFFSET: i64 = 11_644_473_600;
    if filetime == 0 {
        return None;
    }
    let unix = i64::try_from(filetime / TICKS_PER_SECOND).ok()? - UNIX_OFFSET;
    let days = unix.div_euclid(86_400);
    let second_of_day = unix.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    Some(format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", second_of_day / 3600, second_of_day % 3600 / 60, second_of_day % 60))
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn filetimes_become_rfc3339() {
        // The Unix epoch, a leap day, and the largest FILETIMEs Windows (i64) and the field (u64) hold.
        assert_eq!(filetime_text(116_444_736_000_000_000).unwrap(), "1970-01-01T00:00:00Z");
        assert_eq!(filetime_text(116_444_736_000_000_000 + 951_782_400 * 10_000_000).unwrap(), "2000-02-29T00:00:00Z");
        assert!(filetime_text(i64::MAX as u64).unwrap().starts_with("30828-09-14"));
        assert!(filetime_text(u64::MAX).unwrap().starts_with("60056-"));
        assert_eq!(filetime_text(0), None);
    }

    #[test]
    fn hotkeys_read_like_windows_shows_them() {
        assert_eq!(hotkey_text(0x0674).unwrap(), "CTRL+ALT+F5");
        assert_eq!(hotkey_text(0x0341).unwrap(), "CTRL+SHIFT+A");
        assert_eq!(hotkey_text(0), None);
    }
}
