//! What the objects hold that can act: JavaScript (`/JS`), links (`/URI`), embedded files
//! (`/EF` file specifications and `/Type /EmbeddedFile` streams) and the encryption dictionary.
//! Every object found is walked, replaced versions included: a script an incremental update
//! hid from the cross-reference table is still in the file.
use std::collections::{HashMap, HashSet};

use super::filters::Budget;
use super::lexer::{Dictionary, Value};
use super::objects::{decode_stream, Objects};
use super::text::text;
use crate::DocLimits;

/// References followed one after another before giving up (`1 0 R` naming `2 0 R` ...).
const MAX_HOPS: usize = 8;

/// One script found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Script {
    pub(crate) object: Option<u32>,
    pub(crate) source: String,
}

/// An embedded file's stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EmbeddedStream {
    pub(crate) object: u32,
    pub(crate) name: Option<String>,
}

/// What the walk found.
#[derive(Debug, Default)]
pub(crate) struct Content {
    pub(crate) scripts: Vec<Script>,
    pub(crate) uris: Vec<String>,
    pub(crate) embedded: Vec<EmbeddedStream>,
    /// The scheme of the encryption dictionary, when there is one (`pdf-rc4`, `pdf-aes`,
    /// `pdf` when it cannot be told).
    pub(crate) encryption: Option<String>,
    /// A list reached `max_items`.
    pub(crate) items_cut: bool,
    pub(crate) errors: Vec<String>,
}

/// Walks every object of `objects`.
pub(crate) fn walk(file: &[u8], objects: &Objects, limits: &DocLimits, budget: &mut Budget) -> Content {
    let mut walker = Walker {
        file,
        objects,
        limits,
        budget,
        content: Content::default(),
        scripts_seen: HashSet::new(),
        script_targets: HashSet::new(),
        string_targets: HashSet::new(),
        names: HashMap::new(),
        embedded_seen: HashSet::new(),
    };
    for located in &objects.all {
        match objects.parse(file, located, limits.max_nesting) {
            Ok(parsed) => {
                walker.visit(&parsed.value, Some(located.number), 0);
                if let (Some(dictionary), Some(_)) = (parsed.value.as_dictionary(), parsed.stream) {
                    if dictionary.name_is(b"Type", b"EmbeddedFile") {
                        walker.add_embedded(located.number);
                    }
                }
            }
            Err(error) => walker.content.errors.push(format!("object {}: {error}", located.number)),
        }
    }
    walker.trailers();
    let names = std::mem::take(&mut walker.names);
    for embedded in &mut walker.content.embedded {
        embedded.name = names.get(&embedded.object).cloned();
    }
    walker.content
}

struct Walker<'w, 'a> {
    file: &'a [u8],
    objects: &'a Objects,
    limits: &'w DocLimits,
    budget: &'w mut Budget,
    content: Content,
    scripts_seen: HashSet<String>,
    /// Objects already read as a script: each is decoded once however often it is named.
    script_targets: HashSet<u32>,
    string_targets: HashSet<u32>,
    /// File names of embedded file streams, from the file specifications naming them.
    names: HashMap<u32, String>,
    embedded_seen: HashSet<u32>,
}

impl Walker<'_, '_> {
    fn visit(&mut self, value: &Value<'_>, object: Option<u32>, depth: usize) {
        if depth > self.limits.max_nesting {
            return;
        }
        match value {
            Value::Dictionary(dictionary) => {
                self.dictionary(dictionary, object);
                for (_, item) in &dictionary.entries {
                    self.visit(item, object, depth + 1);
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.visit(item, object, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn dictionary(&mut self, dictionary: &Dictionary<'_>, object: Option<u32>) {
        if let Some(value) = dictionary.get(b"JS") {
            self.script(value, object);
        }
        if let Some(value) = dictionary.get(b"URI") {
            if let Some(uri) = self.string(value) {
                self.add_uri(text(&uri));
            }
        }
        if let Some(Value::Dictionary(files)) = dictionary.get(b"EF") {
            self.file_specification(dictionary, files);
        }
        if let Some(value) = dictionary.get(b"Encrypt") {
            self.encryption(value);
        }
    }

    /// A string value, or the string an indirect object holds (each object read once: a
    /// string named a million times is not parsed a million times).
    fn string(&mut self, value: &Value<'_>) -> Option<Vec<u8>> {
        let mut number = match value {
            Value::String(bytes) => return Some(bytes.to_vec()),
            Value::Reference(number) => *number,
            _ => return None,
        };
        if !self.string_targets.insert(number) {
            return None;
        }
        for _ in 0..MAX_HOPS {
            let located = self.objects.get(number)?;
            match self.objects.parse(self.file, located, self.limits.max_nesting).ok()?.value {
                Value::String(bytes) => return Some(bytes.into_owned()),
                Value::Reference(next) => number = next,
                _ => return None,
            }
        }
        None
    }

    fn script(&mut self, value: &Value<'_>, object: Option<u32>) {
        let (source, from) = match value {
            Value::String(bytes) => (text(bytes), object),
            Value::Reference(number) => {
                if !self.script_targets.insert(*number) {
                    return;
                }
                match self.script_in_object(*number) {
                    Some(source) => (source, Some(*number)),
                    None => return,
                }
            }
            _ => return,
        };
        if self.scripts_seen.contains(&source) {
            return;
        }
        if self.content.scripts.len() >= self.limits.max_items {
            self.content.items_cut = true;
            return;
        }
        self.scripts_seen.insert(source.clone());
        self.content.scripts.push(Script { object: from, source });
    }

    /// The script held by object `number`: a string, or a stream decoded.
    fn script_in_object(&mut self, number: u32) -> Option<String> {
        let mut number = number;
        for _ in 0..MAX_HOPS {
            let located = self.objects.get(number)?;
            let parsed = self.objects.parse(self.file, located, self.limits.max_nesting).ok()?;
            match (&parsed.value, parsed.stream) {
                (Value::Dictionary(dictionary), Some(data)) => {
                    let decoded = decode_stream(self.objects, self.file, dictionary, data, self.limits.max_nesting, self.budget);
                    if let Some(error) = decoded.error {
                        self.content.errors.push(format!("JavaScript stream {number}: {error}"));
                    }
                    return Some(text(&decoded.bytes));
                }
                (Value::String(bytes), _) => return Some(text(bytes)),
                (Value::Reference(next), _) => number = *next,
                _ => return None,
            }
        }
        None
    }

    fn add_uri(&mut self, uri: String) {
        if self.content.uris.contains(&uri) {
            return;
        }
        if self.content.uris.len() >= self.limits.max_items {
            self.content.items_cut = true;
            return;
        }
        self.content.uris.push(uri);
    }

    /// A file specification: its name (`/UF`, else `/F`) for the streams its `/EF` names.
    fn file_specification(&mut self, specification: &Dictionary<'_>, files: &Dictionary<'_>) {
        let mut name = None;
        for key in [&b"UF"[..], b"F", b"Unix", b"DOS", b"Mac"] {
            if let Some(bytes) = specification.get(key).and_then(|value| self.string(value)) {
                name = Some(text(&bytes)).filter(|name| !name.is_empty());
                if name.is_some() {
                    break;
                }
            }
        }
        for (_, value) in &files.entries {
            if let Value::Reference(number) = value {
                if let Some(name) = &name {
                    self.names.entry(*number).or_insert_with(|| name.clone());
                }
                let is_stream = self.objects.get(*number).is_some_and(|located| located.stream.is_some());
                if is_stream {
                    self.add_embedded(*number);
                }
            }
        }
    }

    fn add_embedded(&mut self, number: u32) {
        if self.embedded_seen.contains(&number) {
            return;
        }
        if self.content.embedded.len() >= self.limits.max_items {
            self.content.items_cut = true;
            return;
        }
        self.embedded_seen.insert(number);
        self.content.embedded.push(EmbeddedStream { object: number, name: None });
    }

    fn encryption(&mut self, value: &Value<'_>) {
        if self.content.encryption.is_some() {
            return;
        }
        let scheme = match value {
            Value::Dictionary(dictionary) => Some(scheme(dictionary)),
            Value::Reference(number) => {
                let parsed =
                    self.objects.get(*number).and_then(|located| self.objects.parse(self.file, located, self.limits.max_nesting).ok());
                parsed.map(|parsed| parsed.value.as_dictionary().map_or_else(|| "pdf".to_string(), scheme))
            }
            _ => None,
        };
        self.content.encryption = scheme;
    }

    /// Classic trailers (`trailer << ... >>`) are not objects; their `/Encrypt` is read here.
    fn trailers(&mut self) {
        const MAX_TRAILERS: usize = 1_000;
        const MAX_TRAILER: usize = 64 << 10;
        for at in memchr::memmem::find_iter(self.file, b"trailer").take(MAX_TRAILERS) {
            let start = at + b"trailer".len();
            let window = self.file.get(..start.saturating_add(MAX_TRAILER).min(self.file.len())).unwrap_or_default();
            if let Ok(Value::Dictionary(dictionary)) = super::lexer::Parser::new(window, start, self.limits.max_nesting).value() {
                if let Some(value) = dictionary.get(b"Encrypt") {
                    self.encryption(value);
                }
            }
        }
    }
}

/// The encryption scheme of an encryption dictionary (ISO 32000-1 7.6.1, 7.6.5).
fn scheme(dictionary: &Dictionary<'_>) -> String {
    let version = dictionary.get(b"V").and_then(Value::as_integer).unwrap_or(0);
    let method = || {
        let filter_name = match dictionary.get(b"StmF") {
            Some(Value::Name(name)) => name.to_vec(),
            _ => b"StdCF".to_vec(),
        };
        let filters = dictionary.get(b"CF").and_then(Value::as_dictionary)?;
        match filters.get(&filter_name)?.as_dictionary()?.get(b"CFM")? {
            Value::Name(method) => Some(method.to_vec()),
            _ => None,
        }
    };
    match version {
        1..=3 => "pdf-rc4".to_string(),
        4 => match method().as_deref() {
            Some(b"AESV2" | b"AESV3") => "pdf-aes".to_string(),
            Some(b"V2") => "pdf-rc4".to_string(),
            _ => "pdf".to_string(),
        },
        5 | 6 => "pdf-aes".to_string(),
        _ => "pdf".to_string(),
    }
}
