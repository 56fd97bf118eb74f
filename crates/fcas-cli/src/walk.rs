//! Expanding the command line's paths into the files to analyse.
use std::path::{Path, PathBuf};

/// One thing to report on.
#[derive(Debug)]
pub enum Target {
    /// A path to analyse (the engine refuses it with a clear error if it is not a regular file).
    File(PathBuf),
    /// A path found while walking a directory that could not be listed.
    Unlistable(PathBuf, String),
}

/// Files named on the command line are taken as they are (symbolic links followed); directories
/// are walked recursively in name order without following symbolic links inside them, so a walk
/// cannot leave the tree or loop.
pub fn expand(paths: &[PathBuf]) -> Vec<Target> {
    let mut targets = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk_dir(path, &mut targets);
        } else {
            targets.push(Target::File(path.clone()));
        }
    }
    targets
}

fn walk_dir(root: &Path, targets: &mut Vec<Target>) {
    let walker = walkdir::WalkDir::new(root).follow_links(false).sort_by_file_name();
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_dir() => {}
            Ok(entry) if entry.file_type().is_symlink() => {}
            Ok(entry) => targets.push(Target::File(entry.into_path())),
            Err(error) => {
                let path = error.path().map(Path::to_path_buf).unwrap_or_else(|| root.to_path_buf());
                let reason = error.io_error().map(|e| e.to_string()).unwrap_or_else(|| error.to_string());
                targets.push(Target::Unlistable(path, format!("cannot list this directory entry: {reason}")));
            }
        }
    }
}
