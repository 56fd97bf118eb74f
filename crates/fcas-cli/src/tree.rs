//! A container and what was found inside it, as an indented tree for a person:
//!
//! ```text
//! sample.zip  zip, opened with password "infected"
//! └── inner.7z  sevenzip, opened
//!     ├── a.exe  pe  malicious
//!     └── b.dll  pe  benign (also found earlier in this file)
//! ```
use std::collections::HashMap;
use std::io::{self, Write};

use fcas_report::{ChildRef, Report};

/// What the tree shows of a descendant: its children and a line about it.
pub struct Node {
    sha256: String,
    children: Vec<ChildRef>,
    text: String,
}

impl Node {
    /// The node of `report`.
    pub fn of(report: &Report) -> Self {
        Self { sha256: report.hashes.sha256.clone(), children: report.children.clone(), text: describe(report) }
    }
}

/// Writes the tree of `root` and its `descendants` (nothing when `root` has no children).
pub fn write_tree(out: &mut dyn Write, root: &Report, descendants: &[Node]) -> io::Result<()> {
    if root.children.is_empty() && root.extraction.is_none() {
        return Ok(());
    }
    let by_sha: HashMap<&str, &Node> = descendants.iter().map(|node| (node.sha256.as_str(), node)).collect();
    let node = Node::of(root);
    writeln!(out, "{}  {}", root.path, node.text)?;
    write_children(out, &node, &by_sha, "", 0)
}

fn write_children(out: &mut dyn Write, parent: &Node, by_sha: &HashMap<&str, &Node>, indent: &str, depth: usize) -> io::Result<()> {
    // Lineages are bounded by the extraction depth; this guards against a hand-made cycle.
    if depth > 64 {
        return Ok(());
    }
    for (index, child) in parent.children.iter().enumerate() {
        let last = index + 1 == parent.children.len();
        let (branch, next) = if last { ("└── ", "    ") } else { ("├── ", "│   ") };
        let node = (!child.duplicate).then(|| by_sha.get(child.sha256.as_str())).flatten();
        let text = match node {
            Some(node) => node.text.clone(),
            None => describe_ref(child),
        };
        writeln!(out, "{indent}{branch}{}  {text}", child.name)?;
        if let Some(node) = node {
            write_children(out, node, by_sha, &format!("{indent}{next}"), depth + 1)?;
        }
    }
    Ok(())
}

/// Format, verdict and how its container opened.
fn describe(report: &Report) -> String {
    let mut parts = vec![report.format.as_str().to_string()];
    if let Some(verdict) = &report.verdict {
        parts.push(verdict.label.clone());
    }
    if let Some(extraction) = &report.extraction {
        let mut how = extraction.status.as_str().replace('_', " ");
        if let Some(password) = &extraction.password {
            how.push_str(&format!(" with password \"{password}\""));
        }
        if !extraction.limits_hit.is_empty() {
            how.push_str(&format!(", {} limit(s) hit", extraction.limits_hit.len()));
        }
        if !extraction.skipped.is_empty() {
            how.push_str(&format!(", {} entr(ies) skipped", extraction.skipped.len()));
        }
        parts.push(how);
    }
    if let Some(error) = report.fatal_error() {
        parts.push(format!("error: {}", error.message));
    }
    parts.join(", ")
}

fn describe_ref(child: &ChildRef) -> String {
    let verdict = child.verdict.as_deref().map(|v| format!(", {v}")).unwrap_or_default();
    let seen = if child.duplicate { " (same content as a file listed earlier)" } else { "" };
    format!("{}{verdict}{seen}", child.format)
}

#[cfg(test)]
mod tests {
    use fcas_report::{ChildRef, Extraction, LineageStep, Report};

    use super::{write_tree, Node};

    fn report(path: &str, sha: &str, children: Vec<ChildRef>) -> Report {
        let mut report = Report { path: path.into(), children, ..Report::default() };
        report.hashes.sha256 = sha.into();
        report
    }

    fn child(name: &str, sha: &str, duplicate: bool) -> ChildRef {
        ChildRef { name: name.into(), sha256: sha.into(), format: "pe".into(), duplicate, ..ChildRef::default() }
    }

    #[test]
    fn the_tree_nests_children_under_their_containers_and_marks_repeats() {
        let mut root = report("s.zip", "r", vec![child("inner.7z", "i", false), child("b.exe", "b", true)]);
        root.extraction = Some(Extraction { password: Some("infected".into()), ..Extraction::default() });
        let mut inner = report("s.zip!inner.7z", "i", vec![child("b.exe", "b", false)]);
        inner.lineage = vec![LineageStep { sha256: "r".into(), name: "s.zip".into() }];
        let b = report("s.zip!inner.7z!b.exe", "b", Vec::new());
        let mut out = Vec::new();
        write_tree(&mut out, &root, &[Node::of(&inner), Node::of(&b)]).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "s.zip  unknown, opened with password \"infected\"\n├── inner.7z  unknown\n│   └── b.exe  unknown\n└── b.exe  pe (same content as a file listed earlier)\n"
        );
    }
}
