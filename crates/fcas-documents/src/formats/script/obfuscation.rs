//! Signs of obfuscation: text built from character codes, strings cut and glued back,
//! escape characters inside words, substring tricks, evaluation of built text, long encoded
//! runs. Each sign has a pattern and the count from which it stops being ordinary style.
use std::sync::LazyLock;

use fcas_report::ObfuscationSign;
use regex::bytes::Regex;

/// Matches counted per sign at most (the count is a measure, not an inventory).
const MAX_COUNT: usize = 100_000;

struct Sign {
    name: &'static str,
    pattern: &'static str,
    /// Matches from which the sign is reported.
    threshold: usize,
}

const SIGNS: [Sign; 9] = [
    // Four or more Chr()/ChrW() calls glued with & or +.
    Sign { name: "chr-chain", pattern: r"(?i)(?:chrw?\s*\(\s*[0-9&hx]+\s*\)\s*[&+]\s*){3,}chrw?\s*\(", threshold: 1 },
    Sign { name: "from-char-code", pattern: r"String\.fromCharCode\s*\((?:\s*\d+\s*,){3,}", threshold: 1 },
    Sign { name: "char-cast-join", pattern: r"(?i)\[char\]\s*\(?\s*(?:0x)?[0-9a-f]+|\[char\[\]\]", threshold: 3 },
    Sign { name: "string-concatenation", pattern: r#"["']\s*[+&]\s*["']"#, threshold: 5 },
    Sign { name: "string-splitting", pattern: r#"(?i)\.split\s*\(\s*["'][^"']{0,8}["']\s*\)|-split\s*["']"#, threshold: 1 },
    Sign { name: "backtick-escape", pattern: r"[A-Za-z]`[A-Za-z]", threshold: 3 },
    Sign { name: "caret-escape", pattern: r"[A-Za-z]\^[A-Za-z]", threshold: 3 },
    Sign { name: "substring-variable", pattern: r"%[A-Za-z0-9_#$]+:~-?\d+(?:,-?\d+)?%", threshold: 3 },
    Sign {
        name: "dynamic-evaluation",
        pattern: r#"(?i)\b(?:iex|invoke-expression|eval|execute|executeglobal)\b\s*[(\s"'$]"#,
        threshold: 1,
    },
];

/// Encoded runs this long are a sign by themselves.
const LONG_RUN: usize = 200;

static COMPILED: LazyLock<Vec<(&'static Sign, Regex)>> =
    LazyLock::new(|| SIGNS.iter().filter_map(|sign| Some((sign, Regex::new(sign.pattern).ok()?))).collect());

/// The signs found in `text`, and `long-encoded-run` for the given run offsets and lengths.
pub(crate) fn signs(text: &[u8], encoded_runs: &[(usize, usize)]) -> Vec<ObfuscationSign> {
    let mut found = Vec::new();
    for (sign, regex) in COMPILED.iter() {
        let mut matches = regex.find_iter(text).take(MAX_COUNT);
        let Some(first) = matches.next() else { continue };
        let count = 1 + matches.count();
        if count >= sign.threshold {
            found.push(ObfuscationSign { sign: sign.name.to_string(), count: count as u64, offset: first.start() as u64 });
        }
    }
    let long: Vec<_> = encoded_runs.iter().filter(|(_, length)| *length >= LONG_RUN).collect();
    if let Some((offset, _)) = long.first() {
        found.push(ObfuscationSign { sign: "long-encoded-run".to_string(), count: long.len() as u64, offset: *offset as u64 });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        signs(text.as_bytes(), &[]).into_iter().map(|sign| sign.sign).collect()
    }

    #[test]
    fn each_sign_is_seen() {
        assert!(names("x = Chr(87) & Chr(83) & ChrW(99) & Chr(114)").contains(&"chr-chain".to_string()));
        assert!(names("String.fromCharCode(104,116,116,112)").contains(&"from-char-code".to_string()));
        assert!(names("-join ([char]73,[char]69,[char]88)").contains(&"char-cast-join".to_string()));
        assert!(names("I`E`X (n`e`w-o`b`j`e`c`t x)").contains(&"backtick-escape".to_string()));
        assert!(names("c^m^d /c p^o^w^e^r").contains(&"caret-escape".to_string()));
        assert!(names("%a:~0,1%%a:~5,1%%a:~2,1%").contains(&"substring-variable".to_string()));
        assert!(names("eval(x)").contains(&"dynamic-evaluation".to_string()));
        assert!(names("Write-Host 'hello'").is_empty());
    }
}
