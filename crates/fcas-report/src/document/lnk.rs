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
}
