//! The FCAS desktop app. Everything lives in the library so tests can reach it.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    prefer_software_rendering_without_compositing();
    fcas_app::run();
}

/// WebKitGTK composites pages through OpenGL, which on machines without a GPU driver (virtual
/// machines, remote desktops: Mesa's software rasteriser) costs a core's worth of CPU at every
/// repaint, taken from the analysis the analyst is waiting for. The views are SVG and HTML and
/// need no compositing, so it is off unless the user set `WEBKIT_DISABLE_COMPOSITING_MODE`
/// (to `0` to keep it). Set first thing, before any thread exists.
fn prefer_software_rendering_without_compositing() {
    const VAR: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
    if cfg!(target_os = "linux") && std::env::var_os(VAR).is_none() {
        std::env::set_var(VAR, "1");
    }
}
