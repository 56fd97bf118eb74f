//! The one error shape every command returns to the front end: `{code, message}`.
use serde::Serialize;

/// A failure the front end can show and branch on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{code}: {message}")]
pub struct AppError {
    /// Stable machine-readable code (`not_found`, `not_granted`, `invalid`, `io`, `unavailable`).
    pub code: &'static str,
    /// A sentence for the analyst.
    pub message: String,
}

impl AppError {
    /// Nothing stored under that key.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self { code: "not_found", message: message.into() }
    }
    /// A path that did not come from a drop or a dialog.
    pub fn not_granted(message: impl Into<String>) -> Self {
        Self { code: "not_granted", message: message.into() }
    }
    /// An argument the command cannot accept.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self { code: "invalid", message: message.into() }
    }
    /// A file or directory could not be read or written.
    pub fn io(message: impl Into<String>) -> Self {
        Self { code: "io", message: message.into() }
    }
    /// A part of the app is not available (store closed, analysis program missing).
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self { code: "unavailable", message: message.into() }
    }
}

/// What every command returns.
pub type AppResult<T> = Result<T, AppError>;
