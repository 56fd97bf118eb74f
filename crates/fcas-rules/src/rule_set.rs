//! `RuleSet`: the rules of a set of sources, compiled once (or read from the cache) and shared
//! by every thread that scans.
use std::sync::Arc;

use fcas_report::RulesReport;

use crate::cache;
use crate::compile::{compile, rule_set_id, CompileError};
use crate::limits::RulesLimits;
use crate::scan::{meta_value, scan_with, ScanError};
use crate::sources::{read, RuleSources};
use crate::thread_scanner::with_thread_scanner;

/// Compiled rules and the id of the sources they came from. `Send + Sync`: one set serves all
/// threads; each thread scans with a scanner of its own, which it keeps (`thread_scanner`).
pub struct RuleSet {
    rules: Arc<yara_x::Rules>,
    id: String,
    limits: RulesLimits,
    from_cache: bool,
    cache_note: Option<String>,
}

/// One rule of a set, as `fcas rules list` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleInfo {
    /// Namespace (`fcas` for the built-in rules, else the file's path in its folder).
    pub namespace: String,
    /// Identifier.
    pub rule: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Metadata, in declaration order.
    pub meta: Vec<fcas_report::RuleMeta>,
}

impl RuleInfo {
    /// The value of metadata `key` as text.
    pub fn meta_text(&self, key: &str) -> Option<String> {
        self.meta.iter().find(|m| m.key == key).map(|m| m.value.to_string())
    }
}

impl RuleSet {
    /// Reads and compiles `sources` (or reads the compiled set from the cache). Every source
    /// that cannot be read or compiled is an error in the list; the rest still make the set.
    pub fn load(sources: &RuleSources) -> (Self, Vec<CompileError>) {
        let (texts, mut errors) = read(sources);
        let id = rule_set_id(&texts);
        let limits = sources.limits;
        if let Some(dir) = &sources.cache_dir {
            if let Some(rules) = cache::load(dir, &id, limits.max_cache_bytes) {
                return (Self { rules: Arc::new(rules), id, limits, from_cache: true, cache_note: None }, errors);
            }
        }
        let (rules, compile_errors) = compile(&texts);
        // A set with errors is not cached: loading it again must show the errors again.
        let cache_note = match &sources.cache_dir {
            Some(dir) if compile_errors.is_empty() => cache::store(dir, &id, &rules).err(),
            _ => None,
        };
        errors.extend(compile_errors);
        (Self { rules: Arc::new(rules), id, limits, from_cache: false, cache_note }, errors)
    }

    /// The rule set id: SHA-256 (hex) over its sources (see `compile::rule_set_id`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Whether the compiled rules were read from the cache instead of compiled.
    pub fn loaded_from_cache(&self) -> bool {
        self.from_cache
    }

    /// Why the compiled rules could not be cached, if they could not (the rules still work).
    pub fn cache_note(&self) -> Option<&str> {
        self.cache_note.as_deref()
    }

    /// The limits scans run with.
    pub fn limits(&self) -> &RulesLimits {
        &self.limits
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.iter().len()
    }

    /// Whether the set holds no rule.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every rule of the set, in compilation order.
    pub fn rules(&self) -> Vec<RuleInfo> {
        self.rules
            .iter()
            .map(|rule| RuleInfo {
                namespace: rule.namespace().to_string(),
                rule: rule.identifier().to_string(),
                tags: rule.tags().map(|tag| tag.identifier().to_string()).collect(),
                meta: rule
                    .metadata()
                    .map(|(key, value)| fcas_report::RuleMeta { key: key.to_string(), value: meta_value(&value) })
                    .collect(),
            })
            .collect()
    }

    /// Scans one file's bytes with this thread's scanner.
    pub fn scan(&self, bytes: &[u8]) -> Result<RulesReport, ScanError> {
        with_thread_scanner(&self.rules, |scanner| scan_with(scanner, bytes, &self.id, &self.limits))
    }

    /// A scanner to scan many files one after the other on this thread (a retro-hunt).
    pub fn scanner(&self) -> RuleScanner<'_> {
        RuleScanner { scanner: yara_x::Scanner::new(&self.rules), set: self }
    }
}

/// A scanner of a `RuleSet`, reused for file after file on one thread.
pub struct RuleScanner<'r> {
    scanner: yara_x::Scanner<'r>,
    set: &'r RuleSet,
}

impl RuleScanner<'_> {
    /// Scans one file's bytes within the set's limits.
    pub fn scan(&mut self, bytes: &[u8]) -> Result<RulesReport, ScanError> {
        scan_with(&mut self.scanner, bytes, &self.set.id, &self.set.limits)
    }
}
