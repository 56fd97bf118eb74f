//! What the Settings view and the first-launch screen show about the app itself.
use serde::Serialize;

use super::Backend;

/// A model as far as the app knows it: from the predictions of the latest stored report.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ModelStatus {
    /// Model id.
    pub model: String,
    /// Version.
    pub version: String,
    /// `ready`, or why it did not run.
    pub status: String,
}

/// The app's state at a glance.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AppStatus {
    /// App version.
    pub version: String,
    /// Where analyses run now.
    pub analyzer: String,
    /// The case store's location.
    pub store: String,
    /// Why the configured case store is not in use (reports are then kept in memory), and what
    /// to do; `None` when it is.
    pub store_problem: Option<String>,
    /// Samples stored.
    pub stored_samples: u64,
    /// Models seen in the latest report.
    pub models: Vec<ModelStatus>,
}

impl Backend {
    /// The app's state at a glance.
    pub fn status(&self) -> AppStatus {
        let query = fcas_store::query::HistoryFilter { limit: 1, ..Default::default() };
        let latest = self.history(&query).ok().and_then(|rows| rows.into_iter().next());
        let models = latest
            .and_then(|row| self.report(&row.sha256).ok())
            .map(|sample| {
                sample
                    .report
                    .predictions
                    .iter()
                    .map(|p| ModelStatus {
                        model: p.model.clone(),
                        version: p.version.clone(),
                        status: match (&p.score, &p.reason) {
                            (Some(_), _) => "ready".into(),
                            (None, Some(reason)) => reason.clone(),
                            (None, None) => p.label.clone(),
                        },
                    })
                    .collect()
            })
            .unwrap_or_default();
        let (store, store_problem) = self.store_location();
        AppStatus {
            version: env!("CARGO_PKG_VERSION").to_string(),
            analyzer: self.analyser_description(),
            store,
            store_problem,
            stored_samples: self.with_store(|store| store.sample_count()).unwrap_or(0),
            models,
        }
    }
}
