//! What `fcas --version` names: the program, the engine, the report schema, the case store's
//! schema and the models this installation would run, so a bug report says all of it at once.
use fcas_models::registry;

/// The text of `fcas --version` (the short `-V` says the same: one form is easier to paste).
pub fn long_version() -> String {
    let models = registry::declared_versions(registry::default_models_dir().as_deref(), registry::default_user_models_dir().as_deref());
    let models = if models.is_empty() {
        "none installed (see `fcas models`)".to_string()
    } else {
        models.iter().map(|(id, version)| format!("{id} {version}")).collect::<Vec<_>>().join(", ")
    };
    format!(
        "{}\nengine {}\nreport schema {}\ncase store schema {}\nmodels: {models}",
        env!("CARGO_PKG_VERSION"),
        fcas_engine::ENGINE_VERSION,
        fcas_report::SCHEMA_VERSION,
        fcas_store::schema::LATEST_VERSION,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_names_engine_and_schemas() {
        let text = long_version();
        assert!(text.starts_with(env!("CARGO_PKG_VERSION")), "{text}");
        assert!(text.contains(&format!("report schema {}", fcas_report::SCHEMA_VERSION)), "{text}");
        assert!(text.contains(&format!("case store schema {}", fcas_store::schema::LATEST_VERSION)), "{text}");
        assert!(text.lines().any(|line| line.starts_with("models: ")), "{text}");
    }
}
