//! Windows shortcuts (MS-SHLLINK): what runs when the analyst's user double-clicks it.
use serde::{Deserialize, Serialize};

/// A shortcut's target and the traces of the machine it was made on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LnkReport {
    /// Target path (from the link info or the ID list).
    pub target: Option<String>,
    /// Command-line arguments.
    pub arguments: Option<String>,
    /// Working folder.
    pub working_dir: Option<String>,
    /// Icon location.
    pub icon: Option<String>,
    /// NetBIOS name of the machine it was made on (tracker block).
    pub machine_id: Option<String>,
    /// Description (the `NAME_STRING`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Path of the target relative to the shortcut.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relative_path: Option<String>,
    /// The path the ID list spells (shell items joined), when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_list_path: Option<String>,
    /// Target from the environment variables block (`%windir%\...`), unexpanded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment_target: Option<String>,
    /// Icon location from the icon environment block, unexpanded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub icon_environment: Option<String>,
    /// Link flags by their MS-SHLLINK names (`HasArguments`, `IsUnicode`, ...).
    pub flags: Vec<String>,
    /// The target's file attributes by name (`ARCHIVE`, `DIRECTORY`, ...).
    pub file_attributes: Vec<String>,
    /// Target creation time, RFC 3339 (UTC), when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// Target last access time, RFC 3339 (UTC), when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accessed: Option<String>,
    /// Target last write time, RFC 3339 (UTC), when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// Target size in bytes (the low 32 bits, as stored).
    pub file_size: u64,
    /// Window state: `normal`, `maximized`, `minimized` (anything else is `normal` to Windows).
    pub show_command: String,
    /// Hot key (`CTRL+ALT+F5`), when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hotkey: Option<String>,
    /// Volume of the target (link info), when local.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume: Option<LnkVolume>,
    /// Network share of the target (link info), when remote.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_share: Option<String>,
    /// Device name the share was mapped to (`Z:`), when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_device: Option<String>,
    /// MAC address of the machine it was made on, from the tracker's version-1 file droid
    /// (`00:0c:29:...`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mac_address: Option<String>,
    /// Tracker droid GUIDs: volume, file, birth volume, birth file.
    pub droids: Vec<String>,
    /// Known folder GUID (known folder block), when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub known_folder: Option<String>,
    /// Special folder CSIDL (special folder block), when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub special_folder: Option<u32>,
    /// Signatures of the extra data blocks in file order (`0xa0000003`, ...).
    pub extra_blocks: Vec<String>,
}

/// The volume a shortcut's target was on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LnkVolume {
    /// `unknown`, `no_root_dir`, `removable`, `fixed`, `remote`, `cdrom`, `ramdisk`.
    pub drive_type: String,
    /// Drive serial number (`1C2D-3E4F`).
    pub serial: String,
    /// Volume label.
    pub label: String,
}
