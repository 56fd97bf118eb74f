//! Files the page saves itself (a table's CSV export: a `blob:` link): WebKitGTK writes them in
//! the user's Downloads folder (XDG user folders; the name made unique) and would say nothing,
//! so the app tells the page where each one went, or that it failed. A download of anything the
//! page did not make (any other URL scheme) is refused.
use serde::Serialize;
use tauri::webview::DownloadEvent;
use tauri::{Emitter, Runtime, Webview};

/// Name of the event carrying a [`DownloadOutcome`].
pub const DOWNLOAD_EVENT: &str = "fcas://download";

/// Where a saved file went.
#[derive(Debug, Clone, Serialize)]
pub struct DownloadOutcome {
    /// The file written (`None` when the download failed before it had one).
    pub path: Option<String>,
    /// Whether it was written completely.
    pub success: bool,
}

/// The window's download handler: lets the page's own files through to the destination the
/// webview chose, and reports each finished one as a [`DOWNLOAD_EVENT`].
pub fn on_download<R: Runtime>(webview: Webview<R>, event: DownloadEvent<'_>) -> bool {
    match event {
        DownloadEvent::Requested { url, .. } => url.scheme() == "blob",
        DownloadEvent::Finished { path, success, .. } => {
            let outcome = DownloadOutcome { path: path.map(|p| p.to_string_lossy().into_owned()), success };
            let _ = webview.emit(DOWNLOAD_EVENT, outcome);
            true
        }
        _ => true,
    }
}
