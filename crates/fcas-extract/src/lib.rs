//! FCAS container extraction: archives, disk images and installers opened in memory.
//!
//! [`open`] takes a container's bytes and its detected [`Format`], tries the passwords of the
//! list on encrypted entries, and hands each child to a receiver as it comes out, decoded in
//! memory: nothing is written to the file system, so an entry called `../../x` or `/etc/x` is
//! only a name. Every step is bounded by [`ExtractLimits`]; a damaged container gives the
//! children read before the damage and says what went wrong. The caller (the engine's
//! submission) analyses each child, recurses, and counts the depth.
#![deny(missing_docs)]

mod container;
mod formats;
pub mod limits;
pub mod pack;
mod passwords;

use std::time::Instant;

use fcas_report::{Extraction, ExtractionStatus, Format};

pub use container::{Budget, Child, ChildError, Container, Flow};
pub use limits::ExtractLimits;
pub use passwords::{Passwords, DEFAULT_PASSWORDS};

/// How to open containers: whether to, the limits and the passwords to try.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Open containers at all (`--no-extract` turns it off).
    pub enabled: bool,
    /// Bounds on depth, counts, sizes and time.
    pub limits: ExtractLimits,
    /// Passwords tried on encrypted containers, in order.
    pub passwords: Passwords,
}

impl Default for Settings {
    fn default() -> Self {
        Self { enabled: true, limits: ExtractLimits::default(), passwords: Passwords::default() }
    }
}

/// Why a reader stopped before the end of its container.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ReadError {
    /// The container is damaged (truncated, bad headers, bad checksums).
    #[error("{0}")]
    Damaged(String),
    /// It uses a feature no reader of FCAS supports.
    #[error("{0}")]
    Unsupported(String),
}

/// Whether bytes of `format` are a container FCAS opens (or identifies as one it cannot).
pub fn is_container(format: Format, bytes: &[u8]) -> bool {
    formats::reader_for(format, bytes).is_some()
}

/// Opens `bytes` (detected as `format`) and hands each child to `sink` as it is decoded;
/// `None` when the bytes are not a container. `budget` counts children and bytes across the
/// whole submission.
pub fn open(
    format: Format,
    bytes: &[u8],
    settings: &Settings,
    budget: &mut Budget,
    sink: &mut dyn FnMut(Child<'_>) -> Flow,
) -> Option<Extraction> {
    let reader = formats::reader_for(format, bytes)?;
    let started = Instant::now();
    let mut container = Container {
        limits: &settings.limits,
        passwords: &settings.passwords,
        budget,
        sink,
        started,
        receiver_time: std::time::Duration::ZERO,
        container_size: bytes.len() as u64,
        emitted: 0,
        emitted_names: Vec::new(),
        stopped: false,
        status: None,
        password: None,
        limits_hit: Vec::new(),
        skipped: Vec::new(),
        entries: Vec::new(),
    };
    // Readers are crates and code of our own fed hostile bytes: a panic in one is that
    // container's failure, never the analysis's.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (reader.read)(bytes, &mut container))).unwrap_or_else(|panic| {
        Err(ReadError::Damaged(fcas_report::stage::panic_message(&fcas_report::stage::panic_payload_text(&*panic))))
    });
    let damaged = container.damaged();
    let (status, message) = match outcome {
        // Entries with damaged data make a damaged container, even when its reader got to the end.
        Ok(()) if damaged > 0 && container.status.is_none() => {
            let status = if container.emitted > 0 { ExtractionStatus::Partial } else { ExtractionStatus::Failed };
            (status, Some(format!("{damaged} entr{} damaged (see skipped)", if damaged == 1 { "y is" } else { "ies are" })))
        }
        Ok(()) => (container.status.unwrap_or_default(), None),
        Err(ReadError::Unsupported(message)) => (ExtractionStatus::Unsupported, Some(message)),
        Err(ReadError::Damaged(message)) if container.emitted > 0 => (ExtractionStatus::Partial, Some(message)),
        Err(ReadError::Damaged(message)) => {
            (container.status.filter(|s| *s == ExtractionStatus::Encrypted).unwrap_or(ExtractionStatus::Failed), Some(message))
        }
    };
    Some(Extraction {
        status,
        format: reader.name.to_string(),
        password: container.password,
        limits_hit: container.limits_hit,
        skipped: container.skipped,
        entries: container.entries,
        message,
        ms: started.elapsed().saturating_sub(container.receiver_time).as_secs_f64() * 1e3,
    })
}

/// The extraction of a container that was not opened (`no_extract`, the depth limit).
pub fn not_opened(format: Format, bytes: &[u8], limit: Option<(&str, String)>, message: &str) -> Option<Extraction> {
    let reader = formats::reader_for(format, bytes)?;
    let limits_hit = limit.map(|(limit, detail)| vec![fcas_report::LimitHit { limit: limit.to_string(), detail }]).unwrap_or_default();
    Some(Extraction {
        status: ExtractionStatus::NotOpened,
        format: reader.name.to_string(),
        limits_hit,
        message: Some(message.to_string()),
        ..Extraction::default()
    })
}
