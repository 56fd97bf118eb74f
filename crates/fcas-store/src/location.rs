//! Where the case store lives when no `--db PATH` is given.
use std::path::PathBuf;

/// Environment variable naming the case store; `--db PATH` still wins over it.
pub const DB_ENV_VAR: &str = "FCAS_DB";

/// The default case store: `$FCAS_DB` when set, else `cases.sqlite` in the user's data folder
/// (`$XDG_DATA_HOME/fcas`, else `~/.local/share/fcas` on Linux; the platform's application-data
/// folder on macOS and Windows). `None` when no home folder can be determined.
pub fn default_db_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(DB_ENV_VAR).filter(|value| !value.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let dirs = directories::BaseDirs::new()?;
    Some(dirs.data_dir().join("fcas").join("cases.sqlite"))
}
