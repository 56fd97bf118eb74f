//! Turning the settings into the parts the backend runs: the analyser, the case store, the scan
//! service. Each says what went wrong in the app's words.
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fcas_scan::{find_analysis_program, Analyser, IsolationLimits, Remote, RemoteConfig, ScanService, ANALYSIS_PROGRAM};
use fcas_store::{Store, VaultConfig};

use super::settings::{Mode, Settings};
use super::OpenStore;

/// Attempts per file before the fleet counts as unreachable. Few, because a file waits on them
/// in the app (retries back off from 0.1 s, so this is about a second against a dead fleet).
const FLEET_ATTEMPTS: u32 = 4;

/// The analyser the settings ask for.
pub fn analyser(settings: &Settings) -> Analyser {
    let local = local_analyser(settings);
    if settings.mode != Mode::Connected {
        return local;
    }
    match remote_config(settings).and_then(|config| Remote::new(config, &settings.analysis, local)) {
        Ok(remote) => Analyser::Remote(Box::new(remote)),
        Err(reason) => Analyser::Unavailable(format!("{reason}; check the worker URLs in Settings")),
    }
}

/// Isolated analysis processes running the program shipped next to the app, or why there are none.
fn local_analyser(settings: &Settings) -> Analyser {
    let limits = &settings.limits;
    match find_analysis_program() {
        Some(program) => Analyser::isolated_with_rules(
            &program,
            IsolationLimits {
                timeout: Duration::from_secs(limits.timeout_seconds),
                memory_bytes: limits.memory_mib.saturating_mul(1 << 20),
                workers: limits.workers,
            },
            &settings.rule_folders.iter().map(PathBuf::from).collect::<Vec<_>>(),
        ),
        None => Analyser::Unavailable(format!(
            "the analysis program `{ANALYSIS_PROGRAM}` was not found next to the app; build it with `make app`"
        )),
    }
}

fn remote_config(settings: &Settings) -> Result<RemoteConfig, String> {
    let urls = settings
        .worker_urls
        .iter()
        .map(|url| fcas_fleet::client::Url::parse(url.trim()).map_err(|e| format!("the worker URL {url} is not valid ({e})")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RemoteConfig {
        urls,
        token: Some(settings.token.trim()).filter(|t| !t.is_empty()).map(str::to_string),
        ca_cert: None,
        attempts: FLEET_ATTEMPTS,
        fallback: settings.fleet_fallback(),
        advice: "Check that the workers named in Settings are running and reachable from this machine, or set \
                 \"fleet_unreachable\": \"local\" in the settings file to analyse files here while the fleet is down"
            .into(),
        passwords: settings.extraction.passwords.clone(),
    })
}

/// The case store file the settings name (created when missing), or a store in memory that
/// says why the file cannot be used.
pub(crate) fn open_store(file: &Path) -> OpenStore {
    match Store::open(file) {
        Ok(store) => OpenStore { store: Arc::new(Mutex::new(store)), problem: None },
        Err(error) => {
            let problem = format!(
                "The case store cannot be used: {error}. Until then reports are kept in memory only: fix the file or its \
                 folder's permissions, or choose another case store file in Settings."
            );
            match Store::open_memory() {
                Ok(store) => OpenStore { store: Arc::new(Mutex::new(store)), problem: Some(problem) },
                // SQLite could not even create a database in memory: nothing can be kept.
                Err(memory_error) => {
                    eprintln!("fcas-app: {problem} No store in memory could be made either ({memory_error}); the app cannot start.");
                    std::process::exit(1)
                }
            }
        }
    }
}

/// The vault's configuration from the settings (its quota in GiB).
pub fn vault_config(settings: &Settings) -> VaultConfig {
    VaultConfig { quota: settings.vault.quota_gib.saturating_mul(1 << 30), ..VaultConfig::default() }
}

/// The scan service: `analyser`, the settings' analysis options and container passwords (tried
/// after the defaults), storing into `store` and confirming each file once committed (the page
/// reads its report right away).
pub fn service(analyser: Analyser, settings: &Settings, store: &Arc<Mutex<Store>>) -> ScanService {
    let service = ScanService::new(Arc::new(analyser), settings.analysis).with_passwords(settings.extraction.passwords.clone());
    // A store held in memory (its file unusable) has no vault: nothing to keep bytes beside.
    let keep = settings.vault.keep && !store.lock().map(|s| s.is_memory()).unwrap_or(true);
    let vault = vault_config(settings);
    match service.with_store(Arc::clone(store)).and_then(|service| if keep { service.with_vault(vault) } else { Ok(service) }) {
        Ok(service) => service.confirm_each(),
        Err(error) => ScanService::new(
            Arc::new(Analyser::Unavailable(format!("the case store cannot take reports: {error}; choose another file in Settings"))),
            settings.analysis,
        ),
    }
}
