//! Turning what the analyst named (files and folders) into the files to scan.
use std::path::{Path, PathBuf};

/// Deepest folder level walked under a named folder.
pub const MAX_DEPTH: usize = 64;

/// One thing to report on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A path to analyse; opening it refuses what is not a regular file, with a clear error.
    File(PathBuf),
    /// An entry found while walking a folder that could not be listed, and why.
    Unlistable(PathBuf, String),
}

impl Target {
    /// The path.
    pub fn path(&self) -> &Path {
        match self {
            Self::File(path) | Self::Unlistable(path, _) => path,
        }
    }
}

/// The targets found and what was left out.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Expanded {
    /// In the order named, folders walked in name order.
    pub targets: Vec<Target>,
    /// Sentences about what was left out (the file cap reached).
    pub notes: Vec<String>,
}

/// Paths named are taken as they are (symbolic links followed); folders are walked recursively
/// in name order without following symbolic links inside them, so a walk never leaves the tree
/// or loops. At most `max_files` targets are returned.
pub fn expand(paths: &[PathBuf], max_files: usize) -> Expanded {
    let mut out = Expanded::default();
    for path in paths {
        if path.is_dir() {
            walk(path, max_files, &mut out);
        } else {
            push(&mut out, Target::File(path.clone()), max_files);
        }
    }
    out
}

fn push(out: &mut Expanded, target: Target, max_files: usize) -> bool {
    if out.targets.len() >= max_files {
        if out.notes.is_empty() {
            out.notes.push(format!("only the first {max_files} files were queued"));
        }
        return false;
    }
    out.targets.push(target);
    true
}

fn walk(root: &Path, max_files: usize, out: &mut Expanded) {
    let walker = walkdir::WalkDir::new(root).follow_links(false).max_depth(MAX_DEPTH).sort_by_file_name();
    for entry in walker {
        let target = match entry {
            Ok(entry) if entry.file_type().is_dir() || entry.file_type().is_symlink() => continue,
            // Regular files and special ones alike: opening refuses FIFOs, sockets and devices
            // with a clear error instead of leaving them out silently.
            Ok(entry) => Target::File(entry.into_path()),
            Err(error) => {
                let path = error.path().map(Path::to_path_buf).unwrap_or_else(|| root.to_path_buf());
                let reason = error.io_error().map(|e| e.to_string()).unwrap_or_else(|| error.to_string());
                Target::Unlistable(path, format!("cannot list this folder entry: {reason}"))
            }
        };
        if !push(out, target, max_files) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_walked_in_name_order_links_inside_are_skipped_and_the_cap_is_noted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        for name in ["b", "a", "sub/c"] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("link")).unwrap();
        let all = expand(&[dir.path().to_path_buf()], 10);
        let names: Vec<_> = all.targets.iter().map(|t| t.path().strip_prefix(dir.path()).unwrap().to_owned()).collect();
        assert_eq!(names, [PathBuf::from("a"), PathBuf::from("b"), PathBuf::from("sub/c")]);
        assert!(all.notes.is_empty());
        let capped = expand(&[dir.path().to_path_buf(), dir.path().join("a")], 2);
        assert_eq!(capped.targets.len(), 2);
        assert_eq!(capped.notes, ["only the first 2 files were queued"]);
    }
}
