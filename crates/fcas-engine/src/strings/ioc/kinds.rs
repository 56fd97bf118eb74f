//! One finder per IOC kind: a cheap pre-check, a regex, and validation of each candidate.
use std::net::Ipv6Addr;
use std::sync::LazyLock;

use regex::{Regex, RegexBuilder};

use super::{base58, bech32, tld};

/// Called with (kind, byte position in the string, matched text).
pub(crate) type Emit<'e> = dyn FnMut(&'static str, usize, &str) + 'e;

/// A compiled pattern. Unicode is off: the strings are printable ASCII, and ASCII-only
/// classes and word boundaries keep the regex engine on its fastest path.
/// "Anything but" classes are spelled out as printable-ASCII ranges: with Unicode off, a
/// negated class could match a lone byte of a multi-byte character, which `regex` refuses.
/// The patterns are constants that a unit test compiles; `None` (never expected) would only
/// disable one finder.
fn pattern(source: &str) -> Option<Regex> {
    RegexBuilder::new(source).unicode(false).build().ok()
}

/// The matches of `regex` in `text`, none when the pattern did not compile.
fn matches<'t>(regex: &'static LazyLock<Option<Regex>>, text: &'t str) -> impl Iterator<Item = regex::Match<'t>> {
    regex.as_ref().into_iter().flat_map(move |regex| regex.find_iter(text))
}

static URL: LazyLock<Option<Regex>> = LazyLock::new(|| pattern(r"(?i)\b(?:https?|ftp)://[a-z0-9\-._~%!$&'()*+,;=:@/?#\[\]]+"));
static EMAIL: LazyLock<Option<Regex>> =
    LazyLock::new(|| pattern(r"(?i)\b[a-z0-9._%+\-]{1,64}@(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}\b"));
static DOMAIN: LazyLock<Option<Regex>> = LazyLock::new(|| pattern(r"\b(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[a-z]{2,24}\b"));
static IPV4: LazyLock<Option<Regex>> = LazyLock::new(|| pattern(r"\b(?:[0-9]{1,3}\.){3}[0-9]{1,3}\b"));
static IPV6: LazyLock<Option<Regex>> = LazyLock::new(|| pattern(r"(?i)(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}"));
static REGISTRY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    pattern(
        r#"\b(?i:HKEY_(?:LOCAL_MACHINE|CURRENT_USER|CLASSES_ROOT|USERS|CURRENT_CONFIG|PERFORMANCE_DATA)|HKLM|HKCU|HKCR|HKU|HKCC|SOFTWARE|SYSTEM)(?:\\[\x20-\x21\x23-\x29\x2b-\x3b\x3d\x40-\x5b\x5d-\x7b\x7d-\x7e]+)*\\?"#,
    )
});
static WINDOWS_PATH: LazyLock<Option<Regex>> = LazyLock::new(|| {
    pattern(
        r#"(?i)(?:\b[a-z]:\\|%[a-z_][a-z0-9_()]*%\\|\\\\[a-z0-9.?$_\-]+\\)[\x20-\x21\x23-\x29\x2b-\x2e\x30-\x39\x3b\x3d\x40-\x7b\x7d-\x7e]*"#,
    )
});
static UNIX_PATH: LazyLock<Option<Regex>> = LazyLock::new(|| {
    pattern(
        r"/(?:etc|tmp|bin|sbin|usr|var|dev|proc|home|root|lib|lib32|lib64|opt|boot|sys|run|mnt|media|srv|Library|System|Applications|Users|private|Volumes)(?:/[A-Za-z0-9._+@%~\-]+)*/?",
    )
});
static BTC_BASE58: LazyLock<Option<Regex>> = LazyLock::new(|| pattern(r"\b[13][1-9A-HJ-NP-Za-km-z]{25,34}\b"));
static BTC_BECH32: LazyLock<Option<Regex>> = LazyLock::new(|| pattern(r"(?i)\bbc1[02-9ac-hj-np-z]{11,71}\b"));
static ETH: LazyLock<Option<Regex>> = LazyLock::new(|| pattern(r"\b0x[0-9a-fA-F]{40}\b"));
static XMR: LazyLock<Option<Regex>> = LazyLock::new(|| pattern(r"\b[48][0-9AB][1-9A-HJ-NP-Za-km-z]{93}\b"));
static BASE64: LazyLock<Option<Regex>> = LazyLock::new(|| pattern(r"[A-Za-z0-9+/]{40,}={0,2}"));

/// What one pass over a string says about which finders can match in it. Each field is a
/// necessary condition of a pattern, so skipping a finder on it never loses a match.
#[derive(Default)]
struct Shape {
    dot: bool,
    at: bool,
    backslash: bool,
    slash: bool,
    upper_h: bool,
    colons: usize,
    /// Longest run of ASCII letters and digits (every wallet address is one).
    alnum_run: usize,
    /// Longest run of base64 characters.
    base64_run: usize,
}

impl Shape {
    fn of(text: &str) -> Self {
        let mut shape = Shape::default();
        let (mut alnum, mut base64) = (0usize, 0usize);
        for b in text.bytes() {
            match b {
                b'.' => shape.dot = true,
                b'@' => shape.at = true,
                b'\\' => shape.backslash = true,
                b'/' => shape.slash = true,
                b'H' => shape.upper_h = true,
                b':' => shape.colons += 1,
                _ => {}
            }
            if b.is_ascii_alphanumeric() {
                alnum += 1;
                base64 += 1;
            } else {
                shape.alnum_run = shape.alnum_run.max(alnum);
                alnum = 0;
                if b == b'+' || b == b'/' {
                    base64 += 1;
                } else {
                    shape.base64_run = shape.base64_run.max(base64);
                    base64 = 0;
                }
            }
        }
        shape.alnum_run = shape.alnum_run.max(alnum);
        shape.base64_run = shape.base64_run.max(base64);
        shape
    }
}

/// Shortest alphanumeric run of each wallet pattern: base58 (26), bech32 (`bc1` + 11),
/// Ethereum (`0x` + 40), Monero (95).
const SHORTEST_BTC_BASE58: usize = 26;
const SHORTEST_BTC_BECH32: usize = 14;
const SHORTEST_ETH: usize = 42;
const SHORTEST_XMR: usize = 95;
/// Shortest base64 blob.
const SHORTEST_BASE64: usize = 40;

/// Runs every finder whose pre-check passes over `text`.
pub(crate) fn find_all(text: &str, emit: &mut Emit<'_>) {
    let shape = Shape::of(text);
    if shape.colons > 0 && shape.slash && text.contains("://") {
        urls(text, emit);
    }
    if shape.at {
        emails(text, emit);
    }
    if shape.dot {
        domains(text, emit);
        ipv4s(text, emit);
    }
    if shape.colons >= 7 || (shape.colons >= 2 && text.contains("::")) {
        ipv6s(text, emit);
    }
    if shape.backslash || (shape.upper_h && text.contains("HKEY_")) {
        registry_keys(text, emit);
    }
    if shape.backslash {
        windows_paths(text, emit);
    }
    if shape.slash {
        unix_paths(text, emit);
    }
    if text.len() >= SHORTEST_BTC_BASE58 && shape.alnum_run >= SHORTEST_BTC_BECH32 {
        wallets(text, shape.alnum_run, emit);
    }
    if shape.base64_run >= SHORTEST_BASE64 {
        base64_blobs(text, emit);
    }
}

fn byte_before(text: &str, at: usize) -> Option<u8> {
    at.checked_sub(1).and_then(|before| text.as_bytes().get(before).copied())
}

fn byte_after(text: &str, end: usize) -> Option<u8> {
    text.as_bytes().get(end).copied()
}

/// `http`, `https` and `ftp` URLs with a host, without trailing punctuation.
fn urls(text: &str, emit: &mut Emit<'_>) {
    for found in matches(&URL, text) {
        let url = found.as_str().trim_end_matches(['.', ',', ';', ':', '\'', '"', ')', ']', '!', '?']);
        let host = url.split("://").nth(1).unwrap_or_default().split(['/', '?', '#']).next().unwrap_or_default();
        if host.bytes().any(|b| b.is_ascii_alphanumeric()) {
            emit("url", found.start(), url);
        }
    }
}

fn has_known_tld(name: &str) -> bool {
    name.rsplit('.').next().is_some_and(|last| tld::is_known(&last.to_ascii_lowercase()))
}

fn emails(text: &str, emit: &mut Emit<'_>) {
    for found in matches(&EMAIL, text) {
        if has_known_tld(found.as_str()) {
            emit("email", found.start(), found.as_str());
        }
    }
}

/// Dotted names whose last label is a whitelisted, lowercase TLD. Names inside a path
/// (after or before a backslash), an e-mail address or a call (`obj.method(`) are skipped.
fn domains(text: &str, emit: &mut Emit<'_>) {
    for found in matches(&DOMAIN, text) {
        let before = byte_before(text, found.start());
        let after = byte_after(text, found.end());
        if matches!(before, Some(b'\\' | b'@' | b'.' | b'-')) || matches!(after, Some(b'\\' | b'(' | b'@')) {
            continue;
        }
        // An all-numeric name before the TLD is a version or a number, not a host.
        let labels = found.as_str().rsplit_once('.').map(|(labels, _)| labels).unwrap_or_default();
        if labels.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            continue;
        }
        if has_known_tld(found.as_str()) {
            emit("domain", found.start(), found.as_str());
        }
    }
}

/// Words that, right before a dotted quad, make it a version number (`Version=4.0.0.0`).
const VERSION_WORDS: &[&str] = &["version", "ver", "v", "build", "release", "assemblyversion", "fileversion", "productversion"];

/// Dotted quads with octets 0-255 without leading zeros, not part of a longer dotted
/// sequence, not in 0.0.0.0/8, and not right after a version word. A bare `1.2.3.4` with no
/// such word is reported: a version and an address cannot be told apart without context.
fn ipv4s(text: &str, emit: &mut Emit<'_>) {
    for found in matches(&IPV4, text) {
        let before = byte_before(text, found.start());
        let after = byte_after(text, found.end());
        let next = byte_after(text, found.end() + 1);
        if before == Some(b'.') || (after == Some(b'.') && next.is_some_and(|b| b.is_ascii_digit())) {
            continue;
        }
        let octets: Vec<&str> = found.as_str().split('.').collect();
        let valid = octets.iter().all(|o| o.parse::<u16>().is_ok_and(|v| v <= 255) && !(o.len() > 1 && o.starts_with('0')));
        if !valid || octets.first() == Some(&"0") {
            continue;
        }
        let prefix = text.get(..found.start()).unwrap_or_default().trim_end_matches([' ', '=', ':', '-', '_', '\t', '"', '\'']);
        let last_word = prefix.rsplit(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or_default().to_ascii_lowercase();
        if VERSION_WORDS.contains(&last_word.as_str()) {
            continue;
        }
        emit("ipv4", found.start(), found.as_str());
    }
}

/// IPv6 addresses that `std` parses, standing alone (not inside `std::vector` or a time),
/// neither `::` nor `::1`, with a group of three or more digits or all eight groups.
fn ipv6s(text: &str, emit: &mut Emit<'_>) {
    for found in matches(&IPV6, text) {
        let word = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || b == b':' || b == b'.' || b == b'_');
        if word(byte_before(text, found.start())) || word(byte_after(text, found.end())) {
            continue;
        }
        let candidate = found.as_str();
        let groups: Vec<&str> = candidate.split(':').filter(|g| !g.is_empty()).collect();
        let substantial = groups.len() == 8 || groups.iter().any(|g| g.len() >= 3);
        if groups.len() >= 2 && substantial && candidate.parse::<Ipv6Addr>().is_ok() {
            emit("ipv6", found.start(), candidate);
        }
    }
}

/// `HKEY_*` roots (alone or with a path), and `HKLM\`, `HKCU\`, `SOFTWARE\...`, `SYSTEM\...`
/// with at least one key below them.
fn registry_keys(text: &str, emit: &mut Emit<'_>) {
    for found in matches(&REGISTRY, text) {
        let key = found.as_str().trim_end_matches([' ', '\\']);
        let upper = key.to_ascii_uppercase();
        let has_subkey = key.contains('\\');
        // The root must be a whole word: `SYSTEM32` or `HKEY_USERSX` are not roots.
        let root_end = found.start() + key.find('\\').unwrap_or(key.len());
        if byte_after(text, root_end).is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
            continue;
        }
        // `SOFTWARE\...` inside `HKEY_LOCAL_MACHINE\SOFTWARE\...` is part of that key.
        if byte_before(text, found.start()) == Some(b'\\') {
            continue;
        }
        if upper.starts_with("HKEY_") || has_subkey {
            emit("registry_key", found.start(), key);
        }
    }
}

/// `C:\...`, `%APPDATA%\...` and UNC `\\host\share\...` paths.
fn windows_paths(text: &str, emit: &mut Emit<'_>) {
    for found in matches(&WINDOWS_PATH, text) {
        let path = found.as_str().trim_end_matches([' ', '.']);
        if path.len() >= 3 {
            emit("windows_path", found.start(), path);
        }
    }
}

/// Absolute paths under well-known Unix and macOS roots, not inside a URL or a longer name.
fn unix_paths(text: &str, emit: &mut Emit<'_>) {
    for found in matches(&UNIX_PATH, text) {
        let part_of_name = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || b"_.~/\\-:".contains(&b));
        if part_of_name(byte_before(text, found.start())) || part_of_name(byte_after(text, found.end())) {
            continue;
        }
        emit("unix_path", found.start(), found.as_str());
    }
}

/// Bitcoin (base58check and bech32 checksums verified), Ethereum (`0x` + 40 hex digits, not
/// all one digit; the EIP-55 mixed-case checksum needs Keccak and is not checked) and Monero
/// (95 base58 characters; its Keccak checksum is not checked either).
fn wallets(text: &str, alnum_run: usize, emit: &mut Emit<'_>) {
    if alnum_run >= SHORTEST_BTC_BASE58 {
        for found in matches(&BTC_BASE58, text) {
            if base58::is_bitcoin_address(found.as_str()) {
                emit("btc_address", found.start(), found.as_str());
            }
        }
    }
    for found in matches(&BTC_BECH32, text) {
        if bech32::is_segwit_address(found.as_str()) {
            emit("btc_address", found.start(), found.as_str());
        }
    }
    if alnum_run >= SHORTEST_ETH {
        for found in matches(&ETH, text) {
            let digits = found.as_str().get(2..).unwrap_or_default();
            if distinct(digits) >= 8 {
                emit("eth_address", found.start(), found.as_str());
            }
        }
    }
    if text.len() >= SHORTEST_XMR && alnum_run >= SHORTEST_XMR {
        for found in matches(&XMR, text) {
            if base58::is_alphabet(found.as_str()) && distinct(found.as_str()) >= 20 {
                emit("xmr_address", found.start(), found.as_str());
            }
        }
    }
}

fn distinct(text: &str) -> usize {
    let mut seen = [false; 256];
    text.bytes().for_each(|b| seen[usize::from(b)] = true);
    seen.iter().filter(|&&s| s).count()
}

/// Runs of the alphabet's own table (`ABCDEFGH...`), common in binaries, are not blobs.
const ALPHABET_RUNS: &[&str] = &["ABCDEFGHIJKLMNOP", "abcdefghijklmnop", "0123456789"];

/// Lowercase letters in a row that make a run look like words (`ProcessInformation`) rather
/// than base64, where eight in a row are rare (about 4% of 60-character blobs).
const WORD_RUN: usize = 8;

fn has_word(text: &str) -> bool {
    text.as_bytes().split(|b| !b.is_ascii_lowercase()).any(|run| run.len() >= WORD_RUN)
}

/// Distinct characters a blob needs; base64 of a PE header has about a dozen.
const MIN_DISTINCT_BASE64: usize = 10;

/// Standalone runs of at least 40 base64 characters whose length with padding is a multiple
/// of four, mixing upper case, lower case and digits, without a word-like lowercase run, with at least [`MIN_DISTINCT_BASE64`] distinct characters.
fn base64_blobs(text: &str, emit: &mut Emit<'_>) {
    let in_alphabet = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || b"+/".contains(&b));
    for found in matches(&BASE64, text) {
        let blob = found.as_str();
        let after = byte_after(text, found.end());
        if in_alphabet(byte_before(text, found.start())) || in_alphabet(after) || after == Some(b'=') || blob.len() % 4 != 0 {
            continue;
        }
        let mixed = blob.bytes().any(|b| b.is_ascii_uppercase())
            && blob.bytes().any(|b| b.is_ascii_lowercase())
            && blob.bytes().any(|b| b.is_ascii_digit());
        if mixed && !has_word(blob) && distinct(blob) >= MIN_DISTINCT_BASE64 && !ALPHABET_RUNS.iter().any(|run| blob.contains(run)) {
            emit("base64", found.start(), blob);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_compiles() {
        for (i, regex) in
            [&URL, &EMAIL, &DOMAIN, &IPV4, &IPV6, &REGISTRY, &WINDOWS_PATH, &UNIX_PATH, &BTC_BASE58, &BTC_BECH32, &ETH, &XMR, &BASE64]
                .into_iter()
                .enumerate()
        {
            assert!(regex.is_some(), "pattern {i}");
        }
    }
}
