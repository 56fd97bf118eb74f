//! Paths the analyst handed to the app. The front end may only ask to analyse files under a path
//! that arrived through a drop on the window or a dialog, so a compromised page cannot make the app
//! read arbitrary files. Paths are compared resolved (symbolic links followed, `..` applied), both
//! when granted and when checked: a link inside a dropped folder that names a file outside it
//! does not pass.
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::error::{AppError, AppResult};

/// Most roots remembered; the oldest are forgotten first (a session rarely needs more).
const MAX_GRANTS: usize = 4096;

/// The set of granted roots (files or directories), resolved.
#[derive(Debug, Default)]
pub struct Grants {
    roots: Mutex<BTreeSet<PathBuf>>,
}

impl Grants {
    /// Grants `path` (and everything under it when it is a directory). A path that cannot be
    /// resolved (it does not exist) grants nothing.
    pub fn grant(&self, path: &Path) {
        let Ok(resolved) = std::fs::canonicalize(path) else { return };
        let mut roots = self.roots.lock().unwrap_or_else(|p| p.into_inner());
        if roots.len() >= MAX_GRANTS {
            if let Some(first) = roots.iter().next().cloned() {
                roots.remove(&first);
            }
        }
        roots.insert(resolved);
    }

    /// Ok when `path`, resolved, is a granted root or lies under one.
    pub fn check(&self, path: &Path) -> AppResult<()> {
        let refused = || AppError::not_granted(format!("{} was not dropped on the window or chosen in a dialog", path.display()));
        let wanted = std::fs::canonicalize(path).map_err(|_| refused())?;
        let roots = self.roots.lock().unwrap_or_else(|p| p.into_inner());
        if roots.iter().any(|root| wanted.starts_with(root)) {
            Ok(())
        } else {
            Err(refused())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_granted_roots_and_their_children_pass_resolved() {
        let dir = tempfile::tempdir().unwrap();
        let batch = dir.path().join("batch");
        std::fs::create_dir(&batch).unwrap();
        std::fs::write(batch.join("a.exe"), b"MZ").unwrap();
        std::fs::write(dir.path().join("other.exe"), b"MZ").unwrap();
        std::fs::create_dir(dir.path().join("batchX")).unwrap();
        std::fs::write(dir.path().join("batchX/a"), b"x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("other.exe"), batch.join("escape")).unwrap();
        let grants = Grants::default();
        grants.grant(&batch);
        assert!(grants.check(&batch.join("a.exe")).is_ok());
        assert!(grants.check(&batch).is_ok());
        assert_eq!(grants.check(&dir.path().join("other.exe")).unwrap_err().code, "not_granted");
        assert!(grants.check(&batch.join("../other.exe")).is_err());
        assert!(grants.check(&dir.path().join("batchX/a")).is_err());
        assert!(grants.check(&batch.join("escape")).is_err(), "a link out of the dropped folder is refused");
        assert!(grants.check(&batch.join("missing")).is_err());
    }
}
