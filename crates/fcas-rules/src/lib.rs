//! YARA-X rules for FCAS: where rules come from (`sources`), compiling them once into a shared
//! `RuleSet` (`compile`, `rule_set`), a cache of compiled sets (`cache`), scanning one file
//! (`scan`, with a scanner kept per thread: `thread_scanner`) and the engine stage that puts the matches in a report (`stage`).
mod cache;
mod compile;
mod limits;
mod rule_set;
mod scan;
mod sources;
mod stage;
mod thread_scanner;

pub use cache::cache_path;
pub use compile::{check, rule_set_id, CompileError};
pub use limits::RulesLimits;
pub use rule_set::{RuleInfo, RuleScanner, RuleSet};
pub use scan::{excerpt, ScanError};
pub use sources::{default_cache_dir, user_rules_dir, RuleSource, RuleSources, BUILTIN_NAMESPACE};
pub use stage::{indicator_of, RulesStage, STAGE};
