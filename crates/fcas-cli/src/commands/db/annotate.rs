//! `fcas db tag` and `fcas db note`.
use clap::Args;
use fcas_store::{Result, Store};

use super::render::{print_json, printable};
use crate::exit::Exit;

/// Arguments of `fcas db tag`.
#[derive(Debug, Args)]
pub struct TagArgs {
    /// The sample: any hash or a unique prefix.
    #[arg(value_name = "SHA256|PREFIX")]
    hash: String,
    /// The tag.
    tag: String,
    /// Remove the tag instead of adding it.
    #[arg(long)]
    remove: bool,
}

/// Runs `fcas db tag`.
pub fn tag(store: &mut Store, args: &TagArgs, json: bool) -> Result<Exit> {
    let change = if args.remove { store.remove_tag(&args.hash, &args.tag)? } else { store.add_tag(&args.hash, &args.tag)? };
    if json {
        print_json(&change)?;
    } else {
        let verb = match (args.remove, change.changed) {
            (false, true) => "tagged",
            (false, false) => "already tagged",
            (true, true) => "untagged",
            (true, false) => "was not tagged",
        };
        println!("{} {verb} {}", change.sha256, printable(&change.tag));
    }
    Ok(Exit::Success)
}

/// Arguments of `fcas db note`.
#[derive(Debug, Args)]
pub struct NoteArgs {
    /// The sample: any hash or a unique prefix.
    #[arg(value_name = "SHA256|PREFIX")]
    hash: String,
    /// The note.
    #[arg(required = true, num_args = 1..)]
    text: Vec<String>,
}

/// Runs `fcas db note`.
pub fn note(store: &mut Store, args: &NoteArgs, json: bool) -> Result<Exit> {
    let added = store.add_note(&args.hash, &args.text.join(" "))?;
    if json {
        print_json(&added)?;
    } else {
        println!("note {} added to {}", added.note_id, added.sha256);
    }
    Ok(Exit::Success)
}
