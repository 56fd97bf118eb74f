//! PowerShell's `-EncodedCommand`: Base64 of UTF-16LE text, behind any prefix of the option
//! name (`-e`, `-en`, `-enc`, ...) or its `-ec` alias, with `-` or `/`.
use std::sync::LazyLock;

use regex::bytes::Regex;

use super::base64_text;
use super::text;

static OPTION: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"(?i)(?:^|[\s"'(])(?:[-/]|\x{2013}|\x{2014})([a-z]{1,14})\s+["']?([A-Za-z0-9+][A-Za-z0-9+/]{3,}={0,2})"#).ok()
});

/// A decoded `-EncodedCommand` argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EncodedCommand {
    /// Offset of the Base64 text in the searched text.
    pub(crate) offset: usize,
    /// The Base64 text.
    pub(crate) encoded_length: usize,
    /// The decoded bytes (UTF-16LE text when well formed).
    pub(crate) bytes: Vec<u8>,
    /// The command, when the bytes are UTF-16LE text.
    pub(crate) text: Option<String>,
}

/// Whether `name` (lowercase) is an abbreviation PowerShell resolves to `-EncodedCommand`.
fn is_encoded_command_option(name: &[u8]) -> bool {
    name == b"ec" || b"encodedcommand".starts_with(name)
}

/// The first `max_count` encoded commands in `command_line`, each decoded to at most
/// `max_bytes`.
pub(crate) fn encoded_commands(command_line: &str, max_count: usize, max_bytes: usize) -> Vec<EncodedCommand> {
    encoded_commands_in(command_line.as_bytes(), max_count, max_bytes)
}

/// [`encoded_commands`] over bytes.
pub(crate) fn encoded_commands_in(command_line: &[u8], max_count: usize, max_bytes: usize) -> Vec<EncodedCommand> {
    let Some(regex) = OPTION.as_ref() else { return Vec::new() };
    regex
        .captures_iter(command_line)
        .filter_map(|found| {
            let name = found.get(1)?.as_bytes().to_ascii_lowercase();
            if !is_encoded_command_option(&name) {
                return None;
            }
            let encoded = found.get(2)?;
            let bytes = base64_text::decode(encoded.as_bytes(), max_bytes)?;
            let text = text::utf16le(&bytes);
            Some(EncodedCommand { offset: encoded.start(), encoded_length: encoded.len(), bytes, text })
        })
        .take(max_count)
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_abbreviation_is_found() {
        // "Write-Host 1" in UTF-16LE.
        let encoded = "VwByAGkAdABlAC0ASABvAHMAdAAgADEA";
        for option in ["-e", "-en", "-enc", "/EncodedCommand", "-eC", "-ENCODEDC"] {
            let line = format!("powershell -nop {option} {encoded}");
            let found = encoded_commands(&line, 4, 1 << 20);
            assert_eq!(found.len(), 1, "{option}");
            assert_eq!(found[0].text.as_deref(), Some("Write-Host 1"));
            assert_eq!(&line[found[0].offset..found[0].offset + found[0].encoded_length], encoded);
        }
        assert!(encoded_commands(&format!("powershell -ex {encoded}"), 4, 1 << 20).is_empty());
        assert!(encoded_commands(&format!("powershell -Exec {encoded}"), 4, 1 << 20).is_empty());
    }
}
