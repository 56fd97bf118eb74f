//! Each container reader on images built here in code: the children's names and bytes, and
//! damaged or random input giving an error or a partial status, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way

mod cab;
mod common;
mod disk;
mod iso;
mod ole;
mod pe;
mod tools;
mod udf;
mod vhd;
