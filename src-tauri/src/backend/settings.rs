//! The analyst's settings, kept as JSON in the app's configuration folder.
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::{AppError, AppResult};

/// Where analyses run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// In a child process on this machine; nothing leaves it.
    #[default]
    Local,
    /// On the configured worker fleet.
    Connected,
}

/// What connected mode does with a file when no worker of the fleet can be reached.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FleetFallback {
    /// The file's scan fails with a message saying what to check.
    #[default]
    Fail,
    /// The file is analysed on this machine instead (its report is marked `local`).
    Local,
}

/// Bounds of one local analysis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalysisLimits {
    /// Seconds one file may take before its child process is killed.
    pub timeout_seconds: u64,
    /// Address-space limit of the child process, MiB.
    pub memory_mib: u64,
    /// Larger files are refused, MiB.
    pub max_file_mib: u64,
    /// Analysis processes running at once.
    pub workers: usize,
    /// Skip disassembly (faster on large files).
    pub no_disasm: bool,
    /// Most files queued by one drop.
    pub max_files_per_drop: usize,
}

impl Default for AnalysisLimits {
    fn default() -> Self {
        Self { timeout_seconds: 60, memory_mib: 4096, max_file_mib: 512, workers: 2, no_disasm: false, max_files_per_drop: 10_000 }
    }
}

/// Everything the Settings view edits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Local or connected mode.
    pub mode: Mode,
    /// Fleet worker base URLs (used only in connected mode).
    pub worker_urls: Vec<String>,
    /// Bearer token for the fleet.
    pub token: String,
    /// Connected mode when the fleet is unreachable: `fail` or `local`. Absent (a Settings page
    /// that does not show it) means "keep the saved choice", and `fail` when none was saved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fleet_unreachable: Option<FleetFallback>,
    /// Case store file; empty for the default in the app's data folder.
    pub database_path: String,
    /// Analysis bounds.
    pub limits: AnalysisLimits,
}

impl Settings {
    /// Rejects values that would make the app misbehave.
    pub fn validate(&self) -> AppResult<()> {
        let limits = &self.limits;
        if !(1..=3600).contains(&limits.timeout_seconds) {
            return Err(AppError::invalid("the time limit must be between 1 and 3600 seconds"));
        }
        if !(64..=65_536).contains(&limits.memory_mib) {
            return Err(AppError::invalid("the memory limit must be between 64 MiB and 64 GiB"));
        }
        if !(1..=16_384).contains(&limits.max_file_mib) {
            return Err(AppError::invalid("the file size limit must be between 1 MiB and 16 GiB"));
        }
        if !(1..=16).contains(&limits.workers) {
            return Err(AppError::invalid("between 1 and 16 analysis processes"));
        }
        if !(1..=100_000).contains(&limits.max_files_per_drop) {
            return Err(AppError::invalid("between 1 and 100000 files per drop"));
        }
        for url in &self.worker_urls {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(AppError::invalid(format!("worker URL {url} must start with http:// or https://")));
            }
        }
        if self.mode == Mode::Connected && self.worker_urls.is_empty() {
            return Err(AppError::invalid("connected mode needs at least one worker URL"));
        }
        Ok(())
    }

    /// Reads the settings file; a missing or unreadable one gives the defaults.
    pub fn load(path: &Path) -> Self {
        std::fs::read(path).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default()
    }

    /// Writes the settings file (owner-only: it may hold the fleet token).
    pub fn save(&self, path: &Path) -> AppResult<()> {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| AppError::io(format!("cannot create {}: {e}", parent.display())))?;
        }
        let json = serde_json::to_vec_pretty(self).map_err(|e| AppError::io(e.to_string()))?;
        let temporary = path.with_extension("json.tmp");
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&temporary)
            .map_err(|e| AppError::io(format!("cannot write {}: {e}", temporary.display())))?;
        file.write_all(&json).map_err(|e| AppError::io(e.to_string()))?;
        std::fs::rename(&temporary, path).map_err(|e| AppError::io(e.to_string()))
    }

    /// The fleet-unreachable policy in force.
    pub fn fleet_fallback(&self) -> FleetFallback {
        self.fleet_unreachable.unwrap_or_default()
    }

    /// The case store file to open.
    pub fn database_file(&self, data_dir: &Path) -> PathBuf {
        if self.database_path.trim().is_empty() {
            data_dir.join("cases.sqlite")
        } else {
            PathBuf::from(self.database_path.trim())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        assert_eq!(Settings::load(&path), Settings::default());
        let mut settings = Settings::default();
        settings.validate().unwrap();
        settings.worker_urls = vec!["http://127.0.0.1:8700".into()];
        settings.mode = Mode::Connected;
        settings.save(&path).unwrap();
        assert_eq!(Settings::load(&path), settings);
        assert_eq!(settings.fleet_fallback(), FleetFallback::Fail);
    }

    #[test]
    fn the_fleet_policy_is_read_from_the_settings_file() {
        let parsed: Settings = serde_json::from_str(r#"{"mode":"connected","fleet_unreachable":"local"}"#).unwrap();
        assert_eq!(parsed.fleet_fallback(), FleetFallback::Local);
        let parsed: Settings = serde_json::from_str(r#"{"fleet_unreachable":"fail"}"#).unwrap();
        assert_eq!(parsed.fleet_fallback(), FleetFallback::Fail);
        assert!(serde_json::from_str::<Settings>(r#"{"fleet_unreachable":"maybe"}"#).is_err());
    }

    #[test]
    fn bad_values_are_refused() {
        let mut settings = Settings { mode: Mode::Connected, ..Settings::default() };
        assert_eq!(settings.validate().unwrap_err().code, "invalid");
        settings.worker_urls = vec!["ftp://x".into()];
        assert!(settings.validate().is_err());
        settings = Settings::default();
        settings.limits.workers = 0;
        assert!(settings.validate().is_err());
    }
}
