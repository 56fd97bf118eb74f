//! The FCAS desktop app. Everything lives in the library so tests can reach it.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    fcas_app::run();
}
