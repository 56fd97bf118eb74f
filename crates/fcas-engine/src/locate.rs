//! A descendant's bytes, found again: the submitted file is opened and the containers of the
//! lineage are opened in turn, each child picked by its SHA-256. Nothing is kept of a
//! descendant but its report, so this is how one is exported later.
use std::collections::HashSet;
use std::path::Path;

use fcas_extract::{Budget, Flow};
use fcas_report::LineageStep;

use crate::submission::sha256_hex;
use crate::{identity, InputError, OpenedFile, Options};

/// Why a sample's bytes could not be found again.
#[derive(Debug, thiserror::Error)]
pub enum LocateError {
    /// The submitted file cannot be opened.
    #[error("cannot open {path}: {source}; the file it was found in must still be where it was scanned")]
    Input {
        /// The submitted file.
        path: String,
        /// Why.
        source: InputError,
    },
    /// A file on the way no longer has the content that was analysed.
    #[error("{name} changed since it was analysed (its SHA-256 differs); scan it again")]
    Changed {
        /// The file or container that changed.
        name: String,
    },
    /// A container on the way no longer yields the child.
    #[error("{name} was not found again inside {container}")]
    Missing {
        /// The child.
        name: String,
        /// Its container.
        container: String,
    },
}

/// The bytes of the file whose SHA-256 is `sha256`, found at `path` (a submitted file) or, with a
/// `lineage`, inside the containers it names (`lineage[0].name` is the submitted file's path).
pub fn locate(path: &str, lineage: &[LineageStep], sha256: &str, options: &Options) -> Result<Vec<u8>, LocateError> {
    let root_path = lineage.first().map_or(path, |root| root.name.as_str());
    let opened = OpenedFile::open(Path::new(root_path), options.limits.max_file_size).map_err(|source| input(root_path, source))?;
    let bytes = opened.into_bytes().map_err(|source| input(root_path, source))?;
    // The sha256 expected at each step: every container, then the sample itself.
    let mut expected = lineage.iter().map(|step| (step.name.as_str(), step.sha256.as_str())).chain([(path, sha256)]);
    let (name, first) = expected.next().unwrap_or((path, sha256));
    if sha256_hex(&bytes) != first {
        return Err(LocateError::Changed { name: name.to_string() });
    }
    // The submitted file stays mapped; only the children on the way are copied out.
    let mut current: Option<Vec<u8>> = None;
    let mut container = name.to_string();
    for (name, wanted) in expected {
        let source = current.as_deref().unwrap_or(&bytes);
        let child = child_of(source, wanted, options)
            .ok_or_else(|| LocateError::Missing { name: name.to_string(), container: container.clone() })?;
        current = Some(child);
        container = name.to_string();
    }
    Ok(current.unwrap_or_else(|| bytes.to_vec()))
}

/// The child of `bytes` whose SHA-256 is `wanted`.
fn child_of(bytes: &[u8], wanted: &str, options: &Options) -> Option<Vec<u8>> {
    let (format, _) = identity::detect(bytes);
    let mut found = None;
    let mut budget = Budget::default();
    fcas_extract::open(format, bytes, &options.extraction, &mut budget, &mut |child| {
        if sha256_hex(&child.data) == wanted {
            found = Some(child.data.into_owned());
            return Flow::Stop;
        }
        Flow::Continue
    });
    found
}

/// Hands each descendant of `bytes` whose SHA-256 is in `wanted` to `visit` once, with its
/// bytes: the containers are opened again, descending only into wanted children, at most
/// `max_depth` levels (the extraction limits of `options`). This is how the bytes of a
/// submission's descendants are found after its analysis dropped them (or ran elsewhere).
pub fn for_each_descendant(bytes: &[u8], wanted: &HashSet<String>, options: &Options, visit: &mut dyn FnMut(&str, &[u8])) {
    let mut seen = HashSet::new();
    descend(bytes, wanted, options, 0, &mut seen, visit);
}

fn descend(
    bytes: &[u8],
    wanted: &HashSet<String>,
    options: &Options,
    depth: u32,
    seen: &mut HashSet<String>,
    visit: &mut dyn FnMut(&str, &[u8]),
) {
    // Every wanted child is visited once, so a ZIP quine stops; the depth bounds the rest.
    if depth >= options.extraction.limits.max_depth || seen.len() >= wanted.len() {
        return;
    }
    let (format, _) = identity::detect(bytes);
    let mut budget = Budget::default();
    fcas_extract::open(format, bytes, &options.extraction, &mut budget, &mut |child| {
        let sha256 = sha256_hex(&child.data);
        if wanted.contains(&sha256) && seen.insert(sha256.clone()) {
            visit(&sha256, &child.data);
            descend(&child.data, wanted, options, depth + 1, seen, visit);
        }
        if seen.len() >= wanted.len() {
            return Flow::Stop;
        }
        Flow::Continue
    });
}

fn input(path: &str, source: InputError) -> LocateError {
    LocateError::Input { path: path.to_string(), source }
}
