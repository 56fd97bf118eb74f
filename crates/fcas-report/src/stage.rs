//! Names of the stages that every front end writes into `errors[].stage`, and the marker of a
//! stage that panicked. One place, so the CLI, the store, the app and the fleet agree.

/// The file could not be read at all (missing, not a regular file, over the size limit, ...).
pub const INPUT: &str = "input";
/// The isolated analysis process crashed, hung or misbehaved.
pub const ISOLATION: &str = "isolation";
/// The worker fleet could not analyse the file (unreachable, refused, bad answer).
pub const FLEET: &str = "fleet";

/// Keeping the sample's bytes in the case store's vault failed (the report is still stored).
pub const VAULT: &str = "vault";

/// Opening a container, or keeping what came out of it, failed; the rest of the report stands.
pub const EXTRACTION: &str = "extraction";

/// Stages whose error means the file got no analysis at all: such a report is a failure, not a
/// partial report, and is never stored as an analysis.
pub const FATAL: &[&str] = &[INPUT, ISOLATION, FLEET];

/// How every message of a stage that panicked begins. A panic is a bug: the mutation test and the
/// fuzz target look for this marker, never for a message's wording.
pub const PANIC_MARKER: &str = "internal error, please report it:";

/// The message of a stage that panicked with `detail`.
pub fn panic_message(detail: &str) -> String {
    format!("{PANIC_MARKER} {detail}")
}

/// Whether `message` is that of a stage that panicked.
pub fn is_panic(message: &str) -> bool {
    message.starts_with(PANIC_MARKER)
}

/// The text a caught panic carries (its `&str` or `String` payload), for [`panic_message`].
pub fn panic_payload_text(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "panic".to_string()
    }
}
