//! Where rules come from: the built-in set compiled into the binary, the user's rule folder and
//! folders named on the command line or in settings. Folders are walked within `RulesLimits`.
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::compile::CompileError;
use crate::limits::RulesLimits;

/// Namespace of the built-in rules.
pub const BUILTIN_NAMESPACE: &str = "fcas";

/// The built-in rule files, written by the project (`crates/fcas-rules/rules/`).
const BUILTIN: [(&str, &str); 4] = [
    ("packers.yar", include_str!("../rules/packers.yar")),
    ("installers.yar", include_str!("../rules/installers.yar")),
    ("crypto.yar", include_str!("../rules/crypto.yar")),
    ("loaders.yar", include_str!("../rules/loaders.yar")),
];

/// Which rules to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSources {
    /// Include the built-in rules.
    pub builtin: bool,
    /// Folders of `*.yar` / `*.yara` files, walked recursively.
    pub folders: Vec<PathBuf>,
    /// Where compiled rule sets are cached (`None`: always compile).
    pub cache_dir: Option<PathBuf>,
    /// Bounds on reading the folders and on scanning.
    pub limits: RulesLimits,
}

impl Default for RuleSources {
    fn default() -> Self {
        Self { builtin: true, folders: Vec::new(), cache_dir: None, limits: RulesLimits::default() }
    }
}

impl RuleSources {
    /// The standard sources: the built-in rules, the user's rule folder when it exists, then
    /// `folders` (from `--rules DIR` or settings), cached in the user's cache folder.
    pub fn standard(folders: &[PathBuf]) -> Self {
        let mut all: Vec<PathBuf> = user_rules_dir().filter(|dir| dir.is_dir()).into_iter().collect();
        all.extend(folders.iter().cloned());
        Self { folders: all, cache_dir: default_cache_dir(), ..Self::default() }
    }
}

/// The user's rule folder: `$XDG_DATA_HOME/fcas/rules` (`~/.local/share/fcas/rules` on Linux,
/// the platform's application-data folder elsewhere).
pub fn user_rules_dir() -> Option<PathBuf> {
    Some(directories::BaseDirs::new()?.data_dir().join("fcas").join("rules"))
}

/// The compiled-rules cache: `$XDG_CACHE_HOME/fcas/rules`.
pub fn default_cache_dir() -> Option<PathBuf> {
    Some(directories::BaseDirs::new()?.cache_dir().join("fcas").join("rules"))
}

/// One rule file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSource {
    /// Namespace its rules are compiled in.
    pub namespace: String,
    /// Where it came from, for error messages (a path, or `built-in:NAME`).
    pub origin: String,
    /// The rule text.
    pub text: String,
}

/// Reads every source `sources` names. A file that cannot be read, is too large or past the
/// file count is an error value; the others are still read.
pub fn read(sources: &RuleSources) -> (Vec<RuleSource>, Vec<CompileError>) {
    let mut read = Vec::new();
    let mut errors = Vec::new();
    if sources.builtin {
        for (name, text) in BUILTIN {
            read.push(RuleSource { namespace: BUILTIN_NAMESPACE.into(), origin: format!("built-in:{name}"), text: text.into() });
        }
    }
    let mut budget = Budget { files: 0, bytes: 0, limits: sources.limits };
    for folder in &sources.folders {
        read_folder(folder, &mut budget, &mut read, &mut errors);
    }
    (read, errors)
}

struct Budget {
    files: usize,
    bytes: u64,
    limits: RulesLimits,
}

fn read_folder(folder: &Path, budget: &mut Budget, read: &mut Vec<RuleSource>, errors: &mut Vec<CompileError>) {
    if !folder.is_dir() {
        errors.push(CompileError::file(folder, "is not a folder of rules: give a folder holding .yar or .yara files"));
        return;
    }
    // Hidden entries are skipped: a Kubernetes ConfigMap volume keeps a second copy of its files
    // under `..<timestamp>/`, and shows them at the top as links to it.
    let walker = walkdir::WalkDir::new(folder)
        .max_depth(budget.limits.max_depth)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                errors.push(CompileError::file(error.path().unwrap_or(folder), &format!("cannot be read: {error}")));
                continue;
            }
        };
        // A link is read when it names a regular file (a link to a folder is not walked).
        let is_file = entry.file_type().is_file() || (entry.path_is_symlink() && entry.path().is_file());
        if !is_file || !is_rule_file(entry.path()) {
            continue;
        }
        let path = entry.path();
        if budget.files >= budget.limits.max_files {
            errors.push(CompileError::file(path, &format!("skipped: more than {} rule files", budget.limits.max_files)));
            break;
        }
        budget.files += 1;
        match read_one(path, budget) {
            Ok(text) => {
                let namespace = path.strip_prefix(folder).unwrap_or(path).to_string_lossy().replace('\\', "/");
                read.push(RuleSource { namespace, origin: path.display().to_string(), text });
            }
            Err(message) => errors.push(CompileError::file(path, &message)),
        }
    }
}

fn is_rule_file(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("yar") || e.eq_ignore_ascii_case("yara"))
}

/// Reads one rule file within the size limits, checked before reading.
fn read_one(path: &Path, budget: &mut Budget) -> Result<String, String> {
    let size = std::fs::metadata(path).map_err(|e| format!("cannot be read: {e}"))?.len();
    if size > budget.limits.max_file_bytes {
        return Err(format!("skipped: {size} bytes, more than the {} bytes a rule file may hold", budget.limits.max_file_bytes));
    }
    if budget.bytes + size > budget.limits.max_total_bytes {
        return Err(format!("skipped: the rule folders hold more than {} bytes of rules", budget.limits.max_total_bytes));
    }
    budget.bytes += size;
    // Read at most the size checked: a file that grew since is cut, not trusted.
    let mut bytes = Vec::new();
    std::fs::File::open(path).and_then(|file| file.take(size).read_to_end(&mut bytes)).map_err(|e| format!("cannot be read: {e}"))?;
    String::from_utf8(bytes).map_err(|e| format!("is not UTF-8 text (byte {})", e.utf8_error().valid_up_to()))
}
