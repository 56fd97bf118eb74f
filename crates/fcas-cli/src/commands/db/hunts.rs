//! `fcas db hunts` and `fcas db hunt ID`: retro-hunts stored in the case store and their matches.
use std::io::{self, Write};

use clap::Args;
use fcas_store::hunt::Hunt;
use fcas_store::{Result, Store, StoreError};

use super::render::{output_error, print_json, printable, when};
use crate::exit::Exit;

/// Arguments of `fcas db hunt`.
#[derive(Debug, Args)]
pub struct HuntArgs {
    /// The hunt's id (`fcas db hunts` lists them).
    #[arg(value_name = "ID")]
    id: i64,
}

/// Runs `fcas db hunts`: every hunt, newest first.
pub fn list(store: &Store, json: bool) -> Result<Exit> {
    let hunts = store.hunts()?;
    if json {
        print_json(&hunts)?;
        return Ok(Exit::Success);
    }
    let mut out = io::stdout().lock();
    for hunt in &hunts {
        writeln!(out, "{}", hunt_line(hunt)).map_err(output_error)?;
    }
    Ok(Exit::Success)
}

/// Runs `fcas db hunt ID`: the hunt, then one line per match.
pub fn show(store: &Store, args: &HuntArgs, json: bool) -> Result<Exit> {
    let Some(hunt) = store.hunt(args.id)? else {
        return Err(StoreError::NotFound { query: format!("hunt {}", args.id) });
    };
    let matches = store.hunt_matches(args.id)?;
    if json {
        print_json(&serde_json::json!({ "hunt": hunt, "matches": matches }))?;
        return Ok(Exit::Success);
    }
    let mut out = io::stdout().lock();
    writeln!(out, "{}", hunt_line(&hunt)).map_err(output_error)?;
    for line in hunt.message.lines().take(20) {
        writeln!(out, "  ! {}", printable(line)).map_err(output_error)?;
    }
    for found in &matches {
        let rule = &found.rule_match;
        let tags = if rule.tags.is_empty() { String::new() } else { format!("  [{}]", printable(&rule.tags.join(", "))) };
        let strings = rule.strings.iter().take(3).map(|s| format!("{}@{:#x}", printable(&s.identifier), s.offset)).collect::<Vec<_>>();
        writeln!(out, "{}  {}:{}{}  {}", found.sha256, printable(&rule.namespace), printable(&rule.rule), tags, strings.join(" "))
            .map_err(output_error)?;
    }
    Ok(Exit::Success)
}

fn hunt_line(hunt: &Hunt) -> String {
    let filter = [hunt.since.map(|s| format!("since {}", when(s))), hunt.tag.as_ref().map(|t| format!("tag {}", printable(t)))]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
    let filter = if filter.is_empty() { String::new() } else { format!("  ({})", filter.join(", ")) };
    format!(
        "hunt {}  {:<9}  {}  {} scanned, {} matched, {} errors, {} bytes  rules {}{}",
        hunt.id,
        hunt.status.as_str(),
        when(hunt.created_at),
        hunt.scanned,
        hunt.matched,
        hunt.errors,
        hunt.bytes,
        &hunt.rules_hash.get(..16).unwrap_or(&hunt.rules_hash),
        filter
    )
}
