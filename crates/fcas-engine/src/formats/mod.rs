//! One folder per executable format: parse with goblin, borrow the bytes, report what we saw.
pub mod elf;
pub mod macho;
pub mod pe;
pub(crate) mod span;
