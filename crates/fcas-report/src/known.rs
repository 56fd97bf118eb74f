use serde::{Deserialize, Serialize};

/// A list of known files (a MISP event, a STIX bundle, a hash list) that names this file. Filled
/// by the case store when a report is read, from the hashes imported with `fcas db import`; never
/// part of a stored report body, so samples stored before an import match too.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Known {
    /// Which of the file's hashes matched: `md5`, `sha1` or `sha256`.
    pub hash_kind: String,
    /// Where the entry came from (the name given at import, by default the imported file's name).
    pub source: String,
    /// The name the list gives the file (empty when it gives none).
    pub name: String,
    /// The list's tags for it (MISP tags, STIX labels).
    pub tags: Vec<String>,
}
