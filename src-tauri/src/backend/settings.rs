//! The analyst's settings, kept as JSON in the app's configuration folder.
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use fcas_report::AnalysisOptions;

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

pub use fcas_scan::FleetFallback;

/// Bounds of the app's analysis processes and drops. What each analysis does is in
/// [`Settings::analysis`], the options every front end shares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalysisLimits {
    /// Seconds one file may take before its child process is killed.
    pub timeout_seconds: u64,
    /// Address-space limit of the child process, MiB.
    pub memory_mib: u64,
    /// Analysis processes running at once.
    pub workers: usize,
    /// Most files queued by one drop.
    pub max_files_per_drop: usize,
    /// Settings files written before `analysis` existed kept the size limit here (MiB); read
    /// once into `analysis.max_size`, never written.
    #[serde(skip_serializing)]
    pub max_file_mib: Option<u64>,
    /// Likewise for `analysis.no_disasm`.
    #[serde(skip_serializing)]
    pub no_disasm: Option<bool>,
}

impl Default for AnalysisLimits {
    fn default() -> Self {
        Self { timeout_seconds: 60, memory_mib: 4096, workers: 2, max_files_per_drop: 10_000, max_file_mib: None, no_disasm: None }
    }
}

/// The app's default analysis options: files up to 512 MiB.
pub fn default_analysis() -> AnalysisOptions {
    AnalysisOptions { max_size: 512 << 20, ..AnalysisOptions::default() }
}

/// Containers: the extra passwords tried on encrypted ones.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExtractionSettings {
    /// Tried, in order, after the default list (`infected`, `malware`, `virus`, `password`).
    pub passwords: Vec<String>,
}

/// Passwords are never printed: only how many there are.
impl std::fmt::Debug for ExtractionSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExtractionSettings").field("passwords", &format_args!("<{} redacted>", self.passwords.len())).finish()
    }
}

/// The sample vault: the bytes of every analysed file (and of what was found inside it) kept
/// beside the case store, for retro-hunts and exports without the original files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VaultSettings {
    /// "Keep sample bytes (vault)": on unless turned off.
    pub keep: bool,
    /// The vault's size quota in GiB; beyond it the least recently read or added samples go.
    pub quota_gib: u64,
}

impl Default for VaultSettings {
    fn default() -> Self {
        Self { keep: true, quota_gib: fcas_store::DEFAULT_VAULT_QUOTA >> 30 }
    }
}

/// The colour theme of the page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Follows the system's `prefers-color-scheme`.
    #[default]
    System,
    /// Light, whatever the system says.
    Light,
    /// Dark, whatever the system says.
    Dark,
}

/// Smallest page zoom, in percent (Ctrl+- stops there).
pub const MIN_ZOOM_PERCENT: u16 = 50;
/// Largest page zoom, in percent (Ctrl+= stops there).
pub const MAX_ZOOM_PERCENT: u16 = 200;

/// How the page looks: theme and zoom. Saved on its own (`Backend::save_appearance`) as the
/// analyst changes it, without re-applying the rest of the settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Appearance {
    /// Light, dark or the system's choice.
    pub theme: Theme,
    /// Page zoom in percent (100: none).
    pub zoom_percent: u16,
    /// The queue panel folded to a narrow strip.
    pub queue_collapsed: bool,
}

impl Default for Appearance {
    fn default() -> Self {
        Self { theme: Theme::System, zoom_percent: 100, queue_collapsed: false }
    }
}

impl Appearance {
    /// Rejects a zoom the page could not be read at.
    pub fn validate(&self) -> AppResult<()> {
        if !(MIN_ZOOM_PERCENT..=MAX_ZOOM_PERCENT).contains(&self.zoom_percent) {
            return Err(AppError::invalid(format!("the zoom must be between {MIN_ZOOM_PERCENT} % and {MAX_ZOOM_PERCENT} %")));
        }
        Ok(())
    }
}

/// Most extra passwords, and the longest one (bytes).
const MAX_PASSWORDS: usize = 1000;
const MAX_PASSWORD_BYTES: usize = 1024;

/// Everything the Settings view edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// What each analysis does (the options the CLI, the fleet and the child share).
    pub analysis: AnalysisOptions,
    /// Bounds of the analysis processes.
    pub limits: AnalysisLimits,
    /// Containers (settings files written before it existed have none: no extra password).
    pub extraction: ExtractionSettings,
    /// Folders of YARA rules the analyses run besides the built-in rules and the user's rule
    /// folder (`fcas worker --rules DIR` each).
    pub rule_folders: Vec<String>,
    /// The sample vault (settings files written before it existed keep sample bytes, 10 GiB).
    pub vault: VaultSettings,
    /// Theme and zoom (settings files written before it existed: the system's theme, 100 %).
    pub appearance: Appearance,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            mode: Mode::default(),
            worker_urls: Vec::new(),
            token: String::new(),
            fleet_unreachable: None,
            database_path: String::new(),
            analysis: default_analysis(),
            limits: AnalysisLimits::default(),
            extraction: ExtractionSettings::default(),
            rule_folders: Vec::new(),
            vault: VaultSettings::default(),
            appearance: Appearance::default(),
        }
    }
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
        if !((1 << 20)..=(16 << 30)).contains(&self.analysis.max_size) {
            return Err(AppError::invalid("the file size limit must be between 1 MiB and 16 GiB"));
        }
        if !(1..=16).contains(&limits.workers) {
            return Err(AppError::invalid("between 1 and 16 analysis processes"));
        }
        if !(1..=1_000_000).contains(&self.vault.quota_gib) {
            return Err(AppError::invalid("the vault's quota must be between 1 GiB and 1000000 GiB"));
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
        self.appearance.validate()?;
        let passwords = &self.extraction.passwords;
        if passwords.len() > MAX_PASSWORDS {
            return Err(AppError::invalid(format!("at most {MAX_PASSWORDS} container passwords")));
        }
        // Messages never quote a password: they say which line.
        for (line, password) in passwords.iter().enumerate().map(|(i, p)| (i + 1, p)) {
            if password.is_empty() || password.contains(['\n', '\r']) {
                return Err(AppError::invalid(format!("container password {line} is empty or spans lines; give one per line")));
            }
            if password.len() > MAX_PASSWORD_BYTES {
                return Err(AppError::invalid(format!("container password {line} is longer than {MAX_PASSWORD_BYTES} bytes")));
            }
        }
        Ok(())
    }

    /// Reads the settings file; a missing or unreadable one gives the defaults.
    pub fn load(path: &Path) -> Self {
        let mut settings: Self = std::fs::read(path).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default();
        settings.upgrade();
        settings
    }

    /// Moves what older settings files kept under `limits` into `analysis`.
    fn upgrade(&mut self) {
        if let Some(mib) = self.limits.max_file_mib.take() {
            self.analysis.max_size = mib.saturating_mul(1 << 20);
        }
        if let Some(no_disasm) = self.limits.no_disasm.take() {
            self.analysis.no_disasm = no_disasm;
        }
        if self.analysis.max_size == 0 {
            self.analysis.max_size = default_analysis().max_size;
        }
        // A hand-edited file's blank lines are no passwords.
        self.extraction.passwords.retain(|password| !password.is_empty());
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
    fn older_settings_files_keep_their_size_limit_and_disassembly_choice() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, r#"{"limits":{"timeout_seconds":30,"max_file_mib":16,"no_disasm":true}}"#).unwrap();
        let settings = Settings::load(&path);
        assert_eq!(settings.analysis, AnalysisOptions { max_size: 16 << 20, no_disasm: true, ..AnalysisOptions::default() });
        assert_eq!(settings.limits.timeout_seconds, 30);
        settings.save(&path).unwrap();
        let written: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert!(written["limits"].get("max_file_mib").is_none());
        assert_eq!(written["analysis"]["max_size"], 16 << 20);
        assert_eq!(Settings::load(&path), settings);
    }

    #[test]
    fn container_passwords_round_trip_and_older_files_have_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        // A file written before containers were opened: no `extraction` at all.
        std::fs::write(&path, r#"{"mode":"local","worker_urls":[],"token":"","database_path":"","limits":{"timeout_seconds":45}}"#)
            .unwrap();
        let old = Settings::load(&path);
        assert_eq!(old.limits.timeout_seconds, 45);
        assert!(old.extraction.passwords.is_empty());
        old.validate().unwrap();

        let mut settings = old;
        settings.extraction.passwords = vec!["s3cret".into(), "with space ".into(), "ünïcode".into()];
        settings.validate().unwrap();
        settings.save(&path).unwrap();
        let written: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(written["extraction"]["passwords"], serde_json::json!(["s3cret", "with space ", "ünïcode"]));
        assert_eq!(Settings::load(&path), settings);

        std::fs::write(&path, r#"{"extraction":{"passwords":["", "kept"]}}"#).unwrap();
        assert_eq!(Settings::load(&path).extraction.passwords, ["kept"]);
    }

    #[test]
    fn container_passwords_are_never_printed_nor_quoted_in_errors() {
        let mut settings = Settings::default();
        settings.extraction.passwords = vec!["hunter2-secret".into(), "two\nrows-secret".into()];
        let printed = format!("{settings:?} {:#?}", settings);
        assert!(!printed.contains("hunter2") && !printed.contains("rows-secret"), "{printed}");
        assert!(printed.contains("<2 redacted>"));
        let refused = settings.validate().unwrap_err();
        assert_eq!(refused.code, "invalid");
        assert!(refused.message.contains("password 2") && !refused.message.contains("rows-secret"), "{}", refused.message);
        settings.extraction.passwords = vec![String::new()];
        assert!(settings.validate().is_err());
        settings.extraction.passwords = vec!["x".repeat(MAX_PASSWORD_BYTES + 1)];
        assert!(settings.validate().is_err());
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

    #[test]
    fn the_appearance_is_read_from_older_files_and_its_zoom_is_bounded() {
        let older: Settings = serde_json::from_str(r#"{"mode":"local"}"#).unwrap();
        assert_eq!(older.appearance, Appearance { theme: Theme::System, zoom_percent: 100, queue_collapsed: false });
        let dark: Settings = serde_json::from_str(r#"{"appearance":{"theme":"dark","zoom_percent":130}}"#).unwrap();
        assert_eq!(dark.appearance, Appearance { theme: Theme::Dark, zoom_percent: 130, queue_collapsed: false });
        assert!(serde_json::from_str::<Settings>(r#"{"appearance":{"theme":"sepia"}}"#).is_err());
        let mut settings = Settings::default();
        for (zoom, valid) in
            [(MIN_ZOOM_PERCENT - 1, false), (MIN_ZOOM_PERCENT, true), (MAX_ZOOM_PERCENT, true), (MAX_ZOOM_PERCENT + 1, false)]
        {
            settings.appearance.zoom_percent = zoom;
            assert_eq!(settings.validate().is_ok(), valid, "zoom {zoom}");
        }
    }
}
