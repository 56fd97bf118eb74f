//! Compiling rule sources once into a shareable `RuleSet`, identified by the SHA-256 of its
//! sources. Errors are values naming file and line; a broken file leaves the others compiled.
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::sources::RuleSource;

/// A rule file that could not be read or compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// The file (a path, or `built-in:NAME`).
    pub origin: String,
    /// 1-based line of the error; 0 when it concerns the whole file.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl CompileError {
    /// An error about a whole file (unreadable, too large, ...).
    pub fn file(path: &Path, message: &str) -> Self {
        Self { origin: path.display().to_string(), line: 0, message: message.to_string() }
    }
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.origin, self.message)
        } else {
            write!(f, "{}:{}: {}", self.origin, self.line, self.message)
        }
    }
}

/// The rule set id: SHA-256 over the (namespace, source) pairs in sorted order, each part
/// length-prefixed so that no two different sets hash alike.
pub fn rule_set_id(sources: &[RuleSource]) -> String {
    let mut pairs: Vec<(&str, &str)> = sources.iter().map(|s| (s.namespace.as_str(), s.text.as_str())).collect();
    pairs.sort_unstable();
    let mut hasher = Sha256::new();
    for (namespace, text) in pairs {
        for part in [namespace, text] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
    }
    fcas_report::hex(&hasher.finalize())
}

/// Compiles `sources`; every error is returned with its file and line, and the rules of the
/// sources that compiled are kept.
pub fn compile(sources: &[RuleSource]) -> (yara_x::Rules, Vec<CompileError>) {
    let mut compiler = yara_x::Compiler::new();
    for source in sources {
        compiler.new_namespace(&source.namespace);
        let code = yara_x::SourceCode::from(source.text.as_str()).with_origin(source.origin.as_str());
        // The error returned is also kept in `compiler.errors()`, read below with the others.
        let _ = compiler.add_source(code);
    }
    let errors = compiler
        .errors()
        .iter()
        .map(|error| describe(error, sources.iter().find(|s| error.labels().any(|l| l.origin() == Some(s.origin.as_str())))))
        .collect();
    (compiler.build(), errors)
}

/// Checks `sources` without keeping their rules: how many rules they hold and every compile
/// error, for an editor that checks text before anything is saved.
pub fn check(sources: &[RuleSource]) -> (usize, Vec<CompileError>) {
    let (rules, errors) = compile(sources);
    (rules.iter().len(), errors)
}

fn describe(error: &yara_x::errors::CompileError, source: Option<&RuleSource>) -> CompileError {
    let label = error.labels().next();
    let origin = label.as_ref().and_then(|l| l.origin().map(str::to_string)).or_else(|| source.map(|s| s.origin.clone()));
    let line = match (&label, source) {
        (Some(label), Some(source)) => line_of(&source.text, label.span().start()),
        _ => 0,
    };
    let detail = label.as_ref().map(|l| l.text().to_string()).filter(|t| !t.is_empty() && t != error.title());
    let message = match detail {
        Some(detail) => format!("{} ({detail})", error.title()),
        None => error.title().to_string(),
    };
    CompileError { origin: origin.unwrap_or_default(), line, message }
}

/// 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes().iter().take(offset).filter(|&&b| b == b'\n').count() + 1
}
