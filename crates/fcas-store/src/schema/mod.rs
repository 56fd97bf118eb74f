//! The case-store schema as numbered migrations. A database records the last migration applied
//! in `PRAGMA user_version`; opening it applies the missing ones, each in its own transaction.
mod migrations;

pub(crate) use migrations::migrate;
pub use migrations::{create_at_version, LATEST_VERSION};
