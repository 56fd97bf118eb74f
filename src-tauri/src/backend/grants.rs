//! Paths the analyst handed to the app. The front end may only ask to analyse files under a path
//! that arrived through a drop on the window or a dialog, so a compromised page cannot make the app
//! read arbitrary files.
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::error::{AppError, AppResult};

/// Most roots remembered; the oldest are forgotten first (a session rarely needs more).
const MAX_GRANTS: usize = 4096;

/// The set of granted roots (files or directories).
#[derive(Debug, Default)]
pub struct Grants {
    roots: Mutex<BTreeSet<PathBuf>>,
}

impl Grants {
    /// Grants `path` (and everything under it when it is a directory).
    pub fn grant(&self, path: &Path) {
        let mut roots = self.roots.lock().unwrap_or_else(|p| p.into_inner());
        if roots.len() >= MAX_GRANTS {
            if let Some(first) = roots.iter().next().cloned() {
                roots.remove(&first);
            }
        }
        roots.insert(normalise(path));
    }

    /// Ok when `path` is a granted root or lies under one.
    pub fn check(&self, path: &Path) -> AppResult<()> {
        let wanted = normalise(path);
        let roots = self.roots.lock().unwrap_or_else(|p| p.into_inner());
        if roots.iter().any(|root| wanted.starts_with(root)) {
            Ok(())
        } else {
            Err(AppError::not_granted(format!("{} was not dropped on the window or chosen in a dialog", path.display())))
        }
    }
}

/// Absolute, without `.`/`..` components, so `granted/../etc` cannot escape a root.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_granted_roots_and_their_children_pass() {
        let grants = Grants::default();
        grants.grant(Path::new("/samples/batch"));
        assert!(grants.check(Path::new("/samples/batch/a.exe")).is_ok());
        assert!(grants.check(Path::new("/samples/batch")).is_ok());
        assert_eq!(grants.check(Path::new("/samples/other.exe")).unwrap_err().code, "not_granted");
        assert!(grants.check(Path::new("/samples/batch/../../etc/passwd")).is_err());
        assert!(grants.check(Path::new("/samples/batchX/a")).is_err());
    }
}
