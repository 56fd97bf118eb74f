//! Compiled rule sets kept on disk (`<cache dir>/<rule set id>.yrc`), so a second start skips
//! compilation. The file is private (0600) and replaced atomically; one that cannot be read back
//! (corrupt, truncated, from another yara-x version) is ignored and written again.
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The cache file of rule set `id` in `dir`.
pub fn cache_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.yrc"))
}

/// The compiled rules cached for `id`, if a readable file no larger than `max_bytes` holds them.
pub fn load(dir: &Path, id: &str, max_bytes: u64) -> Option<yara_x::Rules> {
    let file = std::fs::File::open(cache_path(dir, id)).ok()?;
    if file.metadata().ok()?.len() > max_bytes {
        return None;
    }
    let mut bytes = Vec::new();
    file.take(max_bytes).read_to_end(&mut bytes).ok()?;
    // The file is ours, but a damaged one must cost a recompilation, never the process.
    std::panic::catch_unwind(|| yara_x::Rules::deserialize(&bytes)).ok()?.ok()
}

/// Writes `rules` as the cache of `id`: a private temporary file in `dir`, renamed into place,
/// so a reader never sees half a file.
pub fn store(dir: &Path, id: &str, rules: &yara_x::Rules) -> Result<(), String> {
    let bytes = rules.serialize().map_err(|e| format!("the compiled rules could not be serialised: {e}"))?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create the rules cache folder {}: {e}", dir.display()))?;
    // tempfile creates the file with mode 0600 on Unix.
    let mut file =
        tempfile::NamedTempFile::new_in(dir).map_err(|e| format!("cannot write in the rules cache folder {}: {e}", dir.display()))?;
    file.write_all(&bytes).and_then(|()| file.as_file().sync_all()).map_err(|e| format!("cannot write the rules cache: {e}"))?;
    file.persist(cache_path(dir, id)).map_err(|e| format!("cannot write the rules cache: {}", e.error))?;
    Ok(())
}
