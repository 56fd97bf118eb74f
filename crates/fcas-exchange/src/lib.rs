//! FCAS's exchange formats: stored reports out as a STIX 2.1 bundle ([`stix`]) or a MISP event
//! ([`misp`]), and lists of known files in ([`import`]: a MISP event, a STIX bundle or a plain
//! list of hashes).
//!
//! Pure conversion: the caller reads the store and writes the files; nothing here does I/O.
#![deny(missing_docs)]

mod attack;
mod ids;
pub mod import;
pub mod misp;
mod sample;
pub mod stix;

pub use import::{read_known, HashKind, ImportError, ImportLimits, Imported, KnownEntry, ListFormat};
pub use sample::{file_name, Sample};
