//! Lists of known files in: a MISP event, a STIX 2.1 bundle or a plain list of hashes, each read
//! into [`KnownEntry`] values (an MD5, SHA-1 or SHA-256 with the list's name and tags for it).
//!
//! The input is untrusted: its size is checked before parsing, JSON nesting is bounded by
//! serde_json's recursion limit (128), and the entries, tags and text kept are capped
//! ([`ImportLimits`]). What is not a hash is counted as skipped, never a failure.
use serde_json::Value;

/// Which hash a known entry names a file by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HashKind {
    /// 32 hexadecimal digits.
    Md5,
    /// 40 hexadecimal digits.
    Sha1,
    /// 64 hexadecimal digits.
    Sha256,
}

impl HashKind {
    /// The name stored and shown (`md5`, `sha1`, `sha256`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Md5 => "md5",
            Self::Sha1 => "sha1",
            Self::Sha256 => "sha256",
        }
    }

    /// The kind of a hexadecimal hash, by its length; `None` for anything else.
    pub fn of(hash: &str) -> Option<Self> {
        if !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        match hash.len() {
            32 => Some(Self::Md5),
            40 => Some(Self::Sha1),
            64 => Some(Self::Sha256),
            _ => None,
        }
    }
}

/// One known file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownEntry {
    /// Which hash [`KnownEntry::hash`] is.
    pub hash_kind: HashKind,
    /// The hash, lowercase hexadecimal.
    pub hash: String,
    /// Where it came from (the name given at import).
    pub source: String,
    /// The name the list gives the file (empty when none).
    pub name: String,
    /// The list's tags for it.
    pub tags: Vec<String>,
}

/// Bounds on what an import reads and keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportLimits {
    /// Largest input accepted, in bytes.
    pub max_bytes: usize,
    /// Most entries one input may give.
    pub max_entries: usize,
    /// Most tags kept per entry.
    pub max_tags: usize,
    /// Longest name or tag kept, in characters (longer ones are cut).
    pub max_text_chars: usize,
}

impl Default for ImportLimits {
    fn default() -> Self {
        Self { max_bytes: 64 * 1024 * 1024, max_entries: 1_000_000, max_tags: 64, max_text_chars: 512 }
    }
}

/// What kind of list an input was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    /// A MISP event (`{"Event": ...}`, a bare event, or an API answer `{"response": [...]}`).
    Misp,
    /// A STIX 2.1 bundle.
    Stix,
    /// One hash per line.
    HashList,
}

impl ListFormat {
    /// `misp`, `stix` or `hash list`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Misp => "misp",
            Self::Stix => "stix",
            Self::HashList => "hash list",
        }
    }
}

/// What an input gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// What the input was.
    pub format: ListFormat,
    /// Its known files.
    pub entries: Vec<KnownEntry>,
    /// Values that are not an MD5, SHA-1 or SHA-256 (lines of a list, hash attributes, patterns).
    pub skipped: u64,
}

/// Why an input gave nothing.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImportError {
    /// Larger than [`ImportLimits::max_bytes`].
    #[error("the file is {size} bytes, more than the {max} bytes an import reads; split it or raise the limit")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// It starts like JSON but does not parse.
    #[error("the file is not valid JSON ({0}); give a MISP event, a STIX 2.1 bundle or a list of hashes")]
    Json(String),
    /// Valid JSON, but neither a MISP event nor a STIX bundle.
    #[error("the JSON is neither a MISP event nor a STIX 2.1 bundle; give one of those or a list of hashes")]
    UnknownJson,
    /// More than [`ImportLimits::max_entries`].
    #[error("the file names more than {0} files; split it or raise the limit")]
    TooManyEntries(usize),
}

/// Reads `bytes` (format sniffed: JSON is a MISP event or a STIX bundle, anything else a list of
/// hashes) into known entries from `source`.
pub fn read_known(bytes: &[u8], source: &str, limits: &ImportLimits) -> Result<Imported, ImportError> {
    if bytes.len() > limits.max_bytes {
        return Err(ImportError::TooLarge { size: bytes.len(), max: limits.max_bytes });
    }
    let mut reader = Reader { source, limits, entries: Vec::new(), skipped: 0 };
    let text = String::from_utf8_lossy(bytes);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let format = if trimmed.starts_with(['{', '[']) {
        let value: Value = serde_json::from_str(trimmed).map_err(|e| ImportError::Json(e.to_string()))?;
        if value.get("type").and_then(Value::as_str) == Some("bundle") {
            reader.stix(&value)?;
            ListFormat::Stix
        } else if let Some(events) = misp_events(&value) {
            for event in events {
                reader.misp(event)?;
            }
            ListFormat::Misp
        } else {
            return Err(ImportError::UnknownJson);
        }
    } else {
        reader.hash_list(trimmed)?;
        ListFormat::HashList
    };
    Ok(Imported { format, entries: reader.entries, skipped: reader.skipped })
}

/// The events of a MISP document: `{"Event": {...}}`, `{"response": [{"Event": ...}, ...]}`,
/// a list of those, or a bare event (it has `info` and attributes or objects).
fn misp_events(value: &Value) -> Option<Vec<&Value>> {
    if let Some(event) = value.get("Event").filter(|e| e.is_object()) {
        return Some(vec![event]);
    }
    let list = value.get("response").unwrap_or(value).as_array();
    if let Some(list) = list {
        let events: Vec<&Value> = list.iter().filter_map(|e| e.get("Event").filter(|e| e.is_object())).collect();
        return (!events.is_empty()).then_some(events);
    }
    let bare = value.get("info").is_some() && (value.get("Attribute").is_some() || value.get("Object").is_some());
    bare.then(|| vec![value])
}

struct Reader<'a> {
    source: &'a str,
    limits: &'a ImportLimits,
    entries: Vec<KnownEntry>,
    skipped: u64,
}

impl Reader<'_> {
    fn add(&mut self, hash: &str, name: &str, tags: &[String]) -> Result<(), ImportError> {
        let hash = hash.trim().to_ascii_lowercase();
        let Some(hash_kind) = HashKind::of(&hash) else {
            self.skipped += 1;
            return Ok(());
        };
        if self.entries.len() >= self.limits.max_entries {
            return Err(ImportError::TooManyEntries(self.limits.max_entries));
        }
        let tags = tags.iter().take(self.limits.max_tags).map(|t| self.cut(t)).collect();
        let entry = KnownEntry { hash_kind, hash, source: self.source.to_string(), name: self.cut(name), tags };
        self.entries.push(entry);
        Ok(())
    }

    fn cut(&self, text: &str) -> String {
        text.trim().chars().take(self.limits.max_text_chars).collect()
    }

    /// One hash per line, optionally followed by a name; `#` starts a comment.
    fn hash_list(&mut self, text: &str) -> Result<(), ImportError> {
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            let (hash, name) = line.split_once(|c: char| c.is_whitespace() || c == ',' || c == ';').unwrap_or((line, ""));
            let name = name.trim_start_matches(|c: char| c.is_whitespace() || c == ',' || c == ';');
            self.add(hash, name, &[])?;
        }
        Ok(())
    }

    fn misp(&mut self, event: &Value) -> Result<(), ImportError> {
        let info = str_of(event, "info");
        let event_tags = tag_names(event);
        for attribute in array_of(event, "Attribute") {
            self.misp_attribute(attribute, info, &event_tags)?;
        }
        for object in array_of(event, "Object") {
            let attributes = array_of(object, "Attribute");
            let filename = attributes
                .iter()
                .find(|a| str_of(a, "object_relation") == "filename" || str_of(a, "type") == "filename")
                .map(|a| str_of(a, "value"))
                .unwrap_or(info);
            for attribute in attributes {
                self.misp_attribute(attribute, filename, &event_tags)?;
            }
        }
        Ok(())
    }

    /// An `md5`, `sha1` or `sha256` attribute, or a `filename|md5` (...) one.
    fn misp_attribute(&mut self, attribute: &Value, name: &str, event_tags: &[String]) -> Result<(), ImportError> {
        let kind = str_of(attribute, "type");
        let value = str_of(attribute, "value");
        let (name, hash) = match kind {
            "md5" | "sha1" | "sha256" => (name, value),
            "filename|md5" | "filename|sha1" | "filename|sha256" => value.split_once('|').unwrap_or((name, value)),
            _ => return Ok(()),
        };
        let mut tags = tag_names(attribute);
        tags.extend(event_tags.iter().filter(|t| !tags.contains(t)).cloned().collect::<Vec<_>>());
        self.add(hash, name, &tags)
    }

    fn stix(&mut self, bundle: &Value) -> Result<(), ImportError> {
        for object in array_of(bundle, "objects") {
            match str_of(object, "type") {
                "file" => {
                    let Some(hashes) = object.get("hashes").and_then(Value::as_object) else { continue };
                    for (algorithm, hash) in hashes {
                        if stix_hash_kind(algorithm).is_some() {
                            self.add(hash.as_str().unwrap_or_default(), str_of(object, "name"), &[])?;
                        }
                    }
                }
                "indicator" if str_of(object, "pattern_type") == "stix" => {
                    let mut tags: Vec<String> = strings_of(object, "labels");
                    tags.extend(strings_of(object, "indicator_types"));
                    for hash in pattern_hashes(str_of(object, "pattern")) {
                        self.add(hash, str_of(object, "name"), &tags)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// STIX hash algorithm names FCAS matches on.
fn stix_hash_kind(algorithm: &str) -> Option<HashKind> {
    match algorithm.to_ascii_uppercase().as_str() {
        "MD5" => Some(HashKind::Md5),
        "SHA-1" | "SHA1" => Some(HashKind::Sha1),
        "SHA-256" | "SHA256" => Some(HashKind::Sha256),
        _ => None,
    }
}

/// The values compared with `file:hashes.<MD5|SHA-1|SHA-256>` in a STIX pattern
/// (`[file:hashes.'SHA-256' = '...' OR file:hashes.MD5 = '...']`).
fn pattern_hashes(pattern: &str) -> Vec<&str> {
    let mut hashes = Vec::new();
    let mut rest = pattern;
    while let Some(at) = rest.find("file:hashes.") {
        rest = &rest[at + "file:hashes.".len()..];
        let algorithm_end = rest.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(rest.len());
        let algorithm = rest[..algorithm_end].trim_matches('\'');
        rest = &rest[algorithm_end..];
        let after_equals = rest.trim_start().strip_prefix('=').map(str::trim_start);
        let Some(value) = after_equals.and_then(|v| v.strip_prefix('\'')) else { continue };
        let Some(end) = value.find('\'') else { break };
        if stix_hash_kind(algorithm).is_some() {
            hashes.push(&value[..end]);
        }
        rest = &value[end..];
    }
    hashes
}

fn str_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn array_of<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default()
}

fn strings_of(value: &Value, key: &str) -> Vec<String> {
    array_of(value, key).iter().filter_map(Value::as_str).map(str::to_string).collect()
}

fn tag_names(value: &Value) -> Vec<String> {
    array_of(value, "Tag").iter().map(|tag| str_of(tag, "name")).filter(|name| !name.is_empty()).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_give_their_hashes() {
        let md5 = "0123456789abcdef0123456789abcdef";
        let pattern = format!("[file:hashes.'SHA-256' = '{}' OR file:hashes.MD5 = '{md5}' OR file:name = 'x']", "a".repeat(64));
        assert_eq!(pattern_hashes(&pattern), vec!["a".repeat(64).as_str(), md5]);
        assert!(pattern_hashes("[file:hashes.'SHA-256' = 'unterminated").is_empty());
        assert!(pattern_hashes("file:hashes.").is_empty());
    }
}
