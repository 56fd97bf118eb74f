//! `fcas rules check|list`: the YARA rules an analysis runs (built-in, the user's rule folder and
//! `--rules DIR`), their compile errors with file and line, and what each rule says.
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, Subcommand};
use fcas_rules::{RuleInfo, RuleSet, RuleSources};

use crate::exit::Exit;

/// Rule folders given on the command line (shared by `scan`, `serve`, `worker` and `rules`).
#[derive(Debug, Clone, Default, Args)]
pub struct RuleFolders {
    /// A folder of YARA rules (*.yar, *.yara, walked recursively) to run besides the built-in
    /// rules and the user's rule folder (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub folders: Vec<PathBuf>,
}

impl RuleFolders {
    /// The rule set an analysis runs. Errors do not stop it: each is printed on standard error,
    /// prefixed with `who`, and the rules that compiled still run.
    pub fn load_for_analysis(&self, who: &str) -> Arc<RuleSet> {
        let (set, errors) = RuleSet::load(&RuleSources::standard(&self.folders));
        for error in &errors {
            eprintln!("{who}: rule error: {error} (the other rules still run; see `fcas rules check`)");
        }
        Arc::new(set)
    }
}

/// Arguments of `fcas rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    command: RulesCommand,
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// Compile the rules and print each error with its file and line (exit code 5 on errors).
    Check(RuleFolders),
    /// List the rules: namespace, rule, tags, severity and description.
    List(ListArgs),
}

/// Arguments of `fcas rules list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    folders: RuleFolders,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// Runs `fcas rules`.
pub fn exec(args: RulesArgs) -> anyhow::Result<Exit> {
    match args.command {
        RulesCommand::Check(folders) => check(&folders),
        RulesCommand::List(list_args) => list(&list_args),
    }
}

fn check(folders: &RuleFolders) -> anyhow::Result<Exit> {
    let sources = RuleSources::standard(&folders.folders);
    let (set, errors) = RuleSet::load(&sources);
    let mut out = std::io::stdout().lock();
    for error in &errors {
        writeln!(out, "{error}")?;
    }
    let folders: Vec<String> = sources.folders.iter().map(|f| f.display().to_string()).collect();
    let from = if folders.is_empty() { "the built-in rules".to_string() } else { format!("the built-in rules and {}", folders.join(", ")) };
    writeln!(out, "{} rule(s) from {from}; rule set {}; {} error(s)", set.len(), set.id(), errors.len())?;
    if let Some(note) = set.cache_note() {
        writeln!(out, "note: {note}")?;
    }
    Ok(if errors.is_empty() { Exit::Success } else { Exit::RuleErrors })
}

fn list(args: &ListArgs) -> anyhow::Result<Exit> {
    let (set, errors) = RuleSet::load(&RuleSources::standard(&args.folders.folders));
    for error in &errors {
        eprintln!("fcas rules list: rule error: {error} (run `fcas rules check`)");
    }
    let rules = set.rules();
    let mut out = std::io::stdout().lock();
    if args.json {
        let value = serde_json::json!({ "rule_set": set.id(), "rules": rules.iter().map(rule_json).collect::<Vec<_>>() });
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
    } else {
        for rule in &rules {
            let tags = if rule.tags.is_empty() { String::new() } else { format!(" [{}]", rule.tags.join(", ")) };
            let severity = rule.meta_text("severity").unwrap_or_else(|| "-".into());
            let description = rule.meta_text("description").unwrap_or_default();
            writeln!(out, "{}:{}{tags}  {severity}  {description}", rule.namespace, rule.rule)?;
        }
        writeln!(out, "{} rule(s); rule set {}", rules.len(), set.id())?;
    }
    Ok(if errors.is_empty() { Exit::Success } else { Exit::RuleErrors })
}

fn rule_json(rule: &RuleInfo) -> serde_json::Value {
    serde_json::json!({
        "namespace": rule.namespace, "rule": rule.rule, "tags": rule.tags,
        "severity": rule.meta_text("severity"), "description": rule.meta_text("description"), "attack": rule.meta_text("attack"),
    })
}
