//! The rules of a retro-hunt: one folder of YARA rules (never the built-in set), compiled before
//! the hunt starts and read again, unchanged, when it resumes. Shared by `fcas hunt` and the
//! app's Hunts view, which first writes the rules the analyst typed into a folder of its own.
use std::io::Write;
use std::path::{Path, PathBuf};

use fcas_rules::{CompileError, RuleSet, RuleSource, RuleSources};
use fcas_store::Store;

/// Largest rule text the app writes for a hunt.
pub const MAX_HUNT_RULES_BYTES: usize = 4 << 20;

/// Why a hunt's rules cannot run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HuntRulesError {
    /// Files that did not read or compile, each with file and line.
    Compile {
        /// The folder.
        folder: PathBuf,
        /// Every error.
        errors: Vec<CompileError>,
    },
    /// The folder holds no rule.
    Empty(PathBuf),
    /// The stored hunt does not exist.
    NoSuchHunt(i64),
    /// The rules changed since the hunt started.
    Changed {
        /// The hunt.
        hunt_id: i64,
        /// Where its rules are.
        folder: String,
        /// The rule set's hash then and now.
        then: String,
        /// The hash now.
        now: String,
    },
    /// The rules could not be written or the store read.
    Io(String),
}

impl std::fmt::Display for HuntRulesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Compile { folder, errors } => {
                let shown = errors.iter().take(5).map(ToString::to_string).collect::<Vec<_>>().join("; ");
                write!(f, "{} error(s) in the rules of {}: {shown}; fix them and start the hunt again", errors.len(), folder.display())
            }
            Self::Empty(folder) => write!(f, "{} holds no rules (.yar or .yara files)", folder.display()),
            Self::NoSuchHunt(id) => write!(f, "no hunt {id} in the case store (see `fcas db hunts`)"),
            Self::Changed { hunt_id, folder, then, now } => {
                write!(f, "the rules in {folder} changed since hunt {hunt_id} started ({then} then, {now} now); start a new hunt with them")
            }
            Self::Io(reason) => f.write_str(reason),
        }
    }
}

impl std::error::Error for HuntRulesError {}

/// Compiles the rules of `folder` for a hunt. Any error refuses the whole set: a hunt runs the
/// rules the analyst wrote, not the part of them that compiled.
pub fn compile_hunt_rules(folder: &Path) -> Result<RuleSet, HuntRulesError> {
    let sources = RuleSources { builtin: false, folders: vec![folder.to_path_buf()], ..RuleSources::standard(&[]) };
    let (rules, errors) = RuleSet::load(&sources);
    if !errors.is_empty() {
        return Err(HuntRulesError::Compile { folder: folder.to_path_buf(), errors });
    }
    if rules.is_empty() {
        return Err(HuntRulesError::Empty(folder.to_path_buf()));
    }
    Ok(rules)
}

/// The rules hunt `hunt_id` ran, read again from the folder it names; refused when they
/// changed, as the matches so far would no longer be of one rule set.
pub fn stored_hunt_rules(store: &Store, hunt_id: i64) -> Result<RuleSet, HuntRulesError> {
    let hunt = store.hunt(hunt_id).map_err(|e| HuntRulesError::Io(e.to_string()))?.ok_or(HuntRulesError::NoSuchHunt(hunt_id))?;
    let rules = compile_hunt_rules(Path::new(&hunt.rules_source))?;
    if rules.id() != hunt.rules_hash {
        return Err(HuntRulesError::Changed { hunt_id, folder: hunt.rules_source, then: hunt.rules_hash, now: rules.id().to_string() });
    }
    Ok(rules)
}

/// Origin named in the errors of typed rules.
pub const TYPED_RULES_ORIGIN: &str = "typed rules";

/// Compile errors of rule `text` typed in the app, checked in memory (nothing is written); an
/// empty list only when the text holds at least one rule that compiles.
pub fn check_hunt_rules_text(text: &str) -> Result<Vec<CompileError>, HuntRulesError> {
    too_large(text)?;
    let source = RuleSource { namespace: "hunt".into(), origin: TYPED_RULES_ORIGIN.into(), text: text.into() };
    let (rules, errors) = fcas_rules::check(&[source]);
    if errors.is_empty() && rules == 0 {
        return Ok(vec![CompileError { origin: TYPED_RULES_ORIGIN.into(), line: 0, message: "no rule in the text".into() }]);
    }
    Ok(errors)
}

/// Writes rule `text` typed in the app as `rules.yar` in a folder of its own under `parent`,
/// named by the text's SHA-256 (so the same text is one folder, and a hunt can be resumed from
/// it); the file is readable by its owner only and appears whole (written aside, then renamed).
/// Returns the folder.
pub fn write_hunt_rules(parent: &Path, text: &str) -> Result<PathBuf, HuntRulesError> {
    use sha2::Digest;
    use std::os::unix::fs::DirBuilderExt;
    too_large(text)?;
    let io = |what: &str, path: &Path, e: std::io::Error| HuntRulesError::Io(format!("cannot {what} {}: {e}", path.display()));
    let folder = parent.join(fcas_report::hex(&sha2::Sha256::digest(text.as_bytes())));
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(&folder).map_err(|e| io("create", &folder, e))?;
    let file = folder.join("rules.yar");
    // tempfile creates the file with mode 0600 under a unique name: two writers never collide.
    let mut partial = tempfile::NamedTempFile::new_in(&folder).map_err(|e| io("write in", &folder, e))?;
    partial.write_all(text.as_bytes()).map_err(|e| io("write", &file, e))?;
    partial.persist(&file).map_err(|e| io("write", &file, e.error))?;
    Ok(folder)
}

fn too_large(text: &str) -> Result<(), HuntRulesError> {
    if text.len() > MAX_HUNT_RULES_BYTES {
        return Err(HuntRulesError::Io(format!(
            "the rules are larger than {} MiB; keep them in a folder instead",
            MAX_HUNT_RULES_BYTES >> 20
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
    use super::*;

    const RULE: &str = "rule has_mz { strings: $mz = \"MZ\" condition: $mz at 0 }\n";

    #[test]
    fn typed_rules_compile_and_errors_name_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let folder = write_hunt_rules(dir.path(), RULE).unwrap();
        assert_eq!(write_hunt_rules(dir.path(), RULE).unwrap(), folder, "the same text is the same folder");
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(folder.join("rules.yar")).unwrap().permissions().mode() & 0o777, 0o600);
        let rules = compile_hunt_rules(&folder).unwrap();
        assert_eq!(rules.len(), 1);

        let broken = write_hunt_rules(dir.path(), "rule a { condition: true }\n\nrule b { condition: nope }\n").unwrap();
        match compile_hunt_rules(&broken).err() {
            Some(HuntRulesError::Compile { errors, .. }) => {
                assert_eq!(errors.len(), 1, "{errors:?}");
                assert_eq!(errors[0].line, 3, "{errors:?}");
            }
            other => panic!("{other:?}"),
        }
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        assert_eq!(compile_hunt_rules(&empty).err(), Some(HuntRulesError::Empty(empty.clone())));
        assert!(write_hunt_rules(dir.path(), &"x".repeat(MAX_HUNT_RULES_BYTES + 1)).is_err());
    }

    #[test]
    fn typed_rules_are_checked_in_memory() {
        assert_eq!(check_hunt_rules_text(RULE).unwrap(), Vec::new());
        let errors = check_hunt_rules_text("rule a { condition: true }\n\nrule b { condition: nope }\n").unwrap();
        assert_eq!(errors.iter().map(|e| (e.origin.as_str(), e.line)).collect::<Vec<_>>(), [(TYPED_RULES_ORIGIN, 3)]);
        let empty = check_hunt_rules_text("// nothing but a comment\n").unwrap();
        assert_eq!(empty.len(), 1);
        assert_eq!(empty[0].message, "no rule in the text");
        assert!(check_hunt_rules_text(&"x".repeat(MAX_HUNT_RULES_BYTES + 1)).is_err());
    }
}
