//! Retro-hunts from the app: rules the analyst types (or a rule folder) run over the samples the
//! vault keeps, on a thread of their own with a connection of their own to the case store file,
//! through the same runner as `fcas hunt` (`fcas-scan`). The page polls the stored hunt for its
//! progress; a running hunt can be cancelled, and a stopped one resumed.
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use fcas_rules::{CompileError, RuleSet, RuleSources};
use fcas_scan::hunt::{resume_hunt, run_hunt, start_hunt, HuntSettings};
use fcas_scan::hunt_rules::{check_hunt_rules_text, compile_hunt_rules, stored_hunt_rules, write_hunt_rules};
use fcas_store::hunt::{Hunt, HuntMatch, HuntStatus, NewHunt};
use fcas_store::Store;
use serde::{Deserialize, Serialize};

use super::{AppError, AppResult, Backend};

/// What the page asks to hunt with.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct HuntRequest {
    /// Rule text typed in the Hunts view (written into a private folder of the app's).
    pub rules: Option<String>,
    /// Or a folder of rules.
    pub folder: Option<String>,
    /// Only samples first seen on or after this date (YYYY-MM-DD).
    pub since: Option<String>,
    /// Only samples with this tag.
    pub tag: Option<String>,
}

/// A rule file's problem, for the page: file, line (0: the whole file) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleProblem {
    /// The file (a path, `built-in:NAME`, or `typed rules`).
    pub origin: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// A stored hunt as the Hunts view lists it: `active` when it runs in this app now. A hunt stored
/// as running that is not active was stopped by the app closing or being killed: resume it.
#[derive(Debug, Clone, Serialize)]
pub struct ListedHunt {
    /// The hunt as stored.
    #[serde(flatten)]
    pub hunt: Hunt,
    /// Whether a thread of this app runs it now.
    pub active: bool,
}

/// The cancel flags of the hunts running in this app.
#[derive(Default)]
pub struct RunningHunts(Mutex<HashMap<i64, Arc<AtomicBool>>>);

impl RunningHunts {
    fn add(&self, id: i64) -> Arc<AtomicBool> {
        let flag = Arc::new(AtomicBool::new(false));
        self.0.lock().unwrap_or_else(|p| p.into_inner()).insert(id, Arc::clone(&flag));
        flag
    }

    fn remove(&self, id: i64) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).remove(&id);
    }

    fn is_running(&self, id: i64) -> bool {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).contains_key(&id)
    }

    fn cancel(&self, id: i64) -> bool {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).get(&id).map(|flag| flag.store(true, Ordering::Relaxed)).is_some()
    }
}

impl Backend {
    /// Compile errors of the rule folders `folders` (as the analyses would load them with the
    /// built-in rules), or of typed rule text `rules` (checked in memory): empty when they compile.
    pub fn check_rules(&self, folders: &[String], rules: Option<&str>) -> AppResult<Vec<RuleProblem>> {
        let errors = match rules {
            Some(text) => check_hunt_rules_text(text).map_err(|e| AppError::invalid(e.to_string()))?,
            None => {
                let folders: Vec<PathBuf> = folders.iter().map(PathBuf::from).collect();
                RuleSet::load(&RuleSources { cache_dir: None, ..RuleSources::standard(&folders) }).1
            }
        };
        Ok(errors.iter().map(problem).collect())
    }

    /// Starts a hunt over the vault and returns its id at once; it runs on its own thread.
    pub fn start_hunt(self: &Arc<Self>, request: &HuntRequest) -> AppResult<i64> {
        let folder = match (&request.rules, &request.folder) {
            (Some(text), None) => write_hunt_rules(&self.hunt_rules_dir(), text).map_err(|e| AppError::io(e.to_string()))?,
            (None, Some(folder)) => {
                let folder = PathBuf::from(folder);
                self.grants.check(&folder)?;
                folder
            }
            _ => return Err(AppError::invalid("a hunt needs either typed rules or a rule folder")),
        };
        let rules = compile_hunt_rules(&folder).map_err(|e| AppError::invalid(e.to_string()))?;
        let since = request
            .since
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|text| {
                fcas_store::parse_date(text.trim()).ok_or_else(|| AppError::invalid(format!("{text:?} is not a date (YYYY-MM-DD)")))
            })
            .transpose()?;
        let tag = request.tag.clone().filter(|t| !t.trim().is_empty());
        let mut store = self.hunt_store()?;
        let new = NewHunt { rules_hash: rules.id().to_string(), rules_source: folder.display().to_string(), since, tag };
        let id = start_hunt(&mut store, &new).map_err(|e| AppError::io(e.to_string()))?;
        self.spawn_hunt(store, id, rules, false)?;
        Ok(id)
    }

    /// Resumes a hunt that was cancelled or stopped when the app closed.
    pub fn resume_hunt(self: &Arc<Self>, id: i64) -> AppResult<()> {
        let store = self.hunt_store()?;
        let hunt = store.hunt(id).map_err(|e| AppError::io(e.to_string()))?;
        match hunt.map(|h| h.status) {
            None => return Err(AppError::not_found(format!("no hunt {id} in the case store"))),
            Some(HuntStatus::Done) => {
                return Err(AppError::invalid(format!("hunt {id} is done already; start a new hunt to run its rules again")))
            }
            Some(_) if self.hunts.is_running(id) => return Err(AppError::invalid(format!("hunt {id} is running"))),
            Some(_) => {}
        }
        let rules = stored_hunt_rules(&store, id).map_err(|e| AppError::invalid(e.to_string()))?;
        self.spawn_hunt(store, id, rules, true)
    }

    /// Asks hunt `id` to stop after the samples in hand.
    pub fn cancel_hunt(&self, id: i64) -> AppResult<()> {
        if self.hunts.cancel(id) {
            Ok(())
        } else {
            Err(AppError::not_found(format!("hunt {id} is not running in this app")))
        }
    }

    /// Every stored hunt, newest first, each saying whether it runs in this app now.
    pub fn hunts(&self) -> AppResult<Vec<ListedHunt>> {
        let hunts = self.with_store(|store| store.hunts())?;
        Ok(hunts.into_iter().map(|hunt| ListedHunt { active: self.hunts.is_running(hunt.id), hunt }).collect())
    }

    /// The matches of hunt `id`.
    pub fn hunt_matches(&self, id: i64) -> AppResult<Vec<HuntMatch>> {
        self.with_store(|store| store.hunt_matches(id))
    }

    fn spawn_hunt(self: &Arc<Self>, mut store: Store, id: i64, rules: RuleSet, resuming: bool) -> AppResult<()> {
        let cancel = self.hunts.add(id);
        let backend = Arc::clone(self);
        let settings = HuntSettings { vault: super::wiring::vault_config(&self.settings()), ..HuntSettings::default() };
        let spawned = std::thread::Builder::new().name(format!("hunt-{id}")).spawn(move || {
            let matcher = |bytes: &[u8]| rules.scan(bytes).map(|report| report.matches).map_err(|e| e.to_string());
            let ignore = |_: &fcas_scan::hunt::HuntProgress| {};
            // The outcome (done, cancelled, failed and why) is stored with the hunt.
            let _ = if resuming {
                resume_hunt(&mut store, id, &matcher, &settings, &ignore, &cancel)
            } else {
                run_hunt(&mut store, id, &matcher, &settings, &ignore, &cancel)
            };
            backend.hunts.remove(id);
        });
        spawned.map(|_| ()).map_err(|e| {
            self.hunts.remove(id);
            AppError::unavailable(format!("the hunt could not start: {e}"))
        })
    }

    /// A connection of the hunt's own to the case store file (the app's stays free).
    fn hunt_store(&self) -> AppResult<Store> {
        let (path, memory) = self.with_store(|store| Ok((store.path().to_path_buf(), store.is_memory())))?;
        if memory {
            return Err(AppError::unavailable("hunts need the case store file, and the app runs on a store in memory (see Settings)"));
        }
        Store::open_existing(&path).map_err(|e| AppError::unavailable(format!("the case store cannot be opened for the hunt: {e}")))
    }

    /// Where typed hunt rules are written: beside the settings, never in a sample's folder.
    fn hunt_rules_dir(&self) -> PathBuf {
        self.data_dir().join("hunt-rules")
    }
}

fn problem(error: &CompileError) -> RuleProblem {
    RuleProblem { origin: error.origin.clone(), line: error.line, message: error.message.clone() }
}
