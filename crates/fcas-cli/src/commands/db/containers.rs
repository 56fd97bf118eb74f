//! `children` and `parents`: what was found inside a container, and where a sample was found.
use std::io::{self, Write};

use clap::Args;
use fcas_store::query::Edge;
use fcas_store::{Result, Store};

use super::render::{output_error, print_json, printable};
use crate::exit::Exit;

/// Arguments of `fcas db children` and `fcas db parents`.
#[derive(Debug, Args)]
pub struct EdgeArgs {
    /// The sample: its full SHA-256 (also for a child never stored on its own), or any hash or
    /// unique prefix of a stored sample.
    #[arg(value_name = "SHA256|PREFIX")]
    hash: String,
}

/// `fcas db children`.
pub fn children(store: &Store, args: &EdgeArgs, json: bool) -> Result<Exit> {
    let edges = store.children(&args.hash)?;
    print_edges(&edges, json, "in", "no children stored: it is not a container, or was stored before containers were opened")
}

/// `fcas db parents`.
pub fn parents(store: &Store, args: &EdgeArgs, json: bool) -> Result<Exit> {
    let edges = store.parents(&args.hash)?;
    print_edges(&edges, json, "as", "not found inside any stored container")
}

/// One line per edge: the other end's hash, format, size and verdict, then the child's name
/// inside the container (`in NAME` for children, `as NAME` for the containers it came out of).
fn print_edges(edges: &[Edge], json: bool, relation: &str, none: &str) -> Result<Exit> {
    if json {
        print_json(edges)?;
    } else {
        let mut out = io::stdout().lock();
        for e in edges {
            let verdict = e.verdict.as_deref().unwrap_or("-");
            let stored = if e.stored { "" } else { "  (no report stored)" };
            writeln!(out, "{}  {:<8} {:>10}  {:<10} {relation} {}{stored}", e.sha256, e.format, e.size, verdict, printable(&e.name))
                .map_err(output_error)?;
        }
    }
    if edges.is_empty() {
        eprintln!("fcas: {none}");
    }
    Ok(Exit::Success)
}
