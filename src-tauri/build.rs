//! Builds the Tauri context from the repository's `tauri.conf.json` and declares the app's own
//! commands, so that a capability must name each one before the front end may call it.

/// Every command the front end may invoke; `capabilities` in `tauri.conf.json` grants them.
const COMMANDS: &[&str] = &[
    "analyze_paths",
    "pick_and_analyze",
    "get_report",
    "get_report_strings",
    "list_samples",
    "similar_samples",
    "children",
    "parents",
    "update_sample",
    "update_samples",
    "set_reviewed",
    "get_settings",
    "save_settings",
    "save_appearance",
    "app_status",
    "export_report",
    "export_samples",
    "export_exchange",
    "check_rules",
    "start_hunt",
    "resume_hunt",
    "cancel_hunt",
    "list_hunts",
    "hunt_matches",
    "read_sample_bytes",
];

fn main() {
    let attributes =
        tauri_build::Attributes::new().config_path("../tauri.conf.json").app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        eprintln!("tauri build failed: {error:#} (check tauri.conf.json and that ui/dist was built: make ui)");
        std::process::exit(1);
    }
}
