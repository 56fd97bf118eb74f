//! Turns dropped paths (files and folders) into the list of files to analyse.
use std::path::{Path, PathBuf};

/// Deepest folder level walked under a dropped folder.
const MAX_DEPTH: usize = 32;

/// The files found and what was skipped.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Expanded {
    /// Regular files, in drop order, folders in name order.
    pub files: Vec<PathBuf>,
    /// Sentences about what was left out (limit reached, unreadable entries).
    pub notes: Vec<String>,
}

/// Expands `paths`: files stay, folders are walked (symbolic links inside are not followed, so a
/// walk never leaves the tree or loops). At most `max_files` files are returned.
pub fn expand(paths: &[PathBuf], max_files: usize) -> Expanded {
    let mut out = Expanded::default();
    for path in paths {
        if out.files.len() >= max_files {
            out.notes.push(format!("only the first {max_files} files were queued"));
            break;
        }
        if path.is_dir() {
            walk(path, max_files, &mut out);
        } else {
            out.files.push(path.clone());
        }
    }
    out
}

fn walk(root: &Path, max_files: usize, out: &mut Expanded) {
    let walker = walkdir::WalkDir::new(root).follow_links(false).max_depth(MAX_DEPTH).sort_by_file_name();
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                if out.files.len() >= max_files {
                    out.notes.push(format!("only the first {max_files} files were queued"));
                    return;
                }
                out.files.push(entry.into_path());
            }
            Ok(_) => {}
            Err(error) => out.notes.push(format!("skipped an entry under {}: {error}", root.display())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_walked_in_name_order_and_capped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        for name in ["b", "a", "sub/c"] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        let all = expand(&[dir.path().to_path_buf()], 10);
        let names: Vec<_> = all.files.iter().map(|p| p.strip_prefix(dir.path()).unwrap().to_owned()).collect();
        assert_eq!(names, [PathBuf::from("a"), PathBuf::from("b"), PathBuf::from("sub/c")]);
        let capped = expand(&[dir.path().to_path_buf()], 2);
        assert_eq!(capped.files.len(), 2);
        assert_eq!(capped.notes.len(), 1);
    }
}
