//! The script's language from its words: the engine's detection says only "script", and the
//! file name is not to be trusted (or known) here. Each language scores the markers it has; the
//! highest score wins.
use std::sync::LazyLock;

use regex::bytes::Regex;

/// Bytes looked at: markers show in the first lines of any real script.
const SAMPLE: usize = 64 << 10;

struct Markers {
    language: &'static str,
    pattern: &'static str,
}

const MARKERS: [Markers; 5] = [
    Markers { language: "hta", pattern: r"(?i)<hta:application|<html[\s>][\s\S]*<script" },
    Markers {
        language: "powershell",
        pattern: r"(?i)\$env:|\$[a-z_][a-z0-9_]*\s*=|\b(?:invoke-expression|invoke-webrequest|new-object|write-host|write-output|get-[a-z]+|set-[a-z]+|start-process|iex)\b|\[system\.|-join\b|\bparam\s*\(",
    },
    Markers {
        language: "batch",
        pattern: r"(?im)^\s*@?echo\s+off|^\s*set\s+(?:/[ap]\s+)?[a-z_][a-z0-9_]*=|^\s*goto\s|^\s*rem\s|^\s*::|%~d?p0|^\s*if\s+(?:not\s+)?(?:exist|errorlevel)\b",
    },
    Markers {
        language: "vbscript",
        pattern: r#"(?im)^\s*dim\s|\bcreateobject\s*\(|^\s*end\s+(?:sub|function|if)\b|\bwscript\.echo\b|\bmsgbox\b|^\s*on\s+error\s+resume\s+next|\bchrw?\s*\(|^\s*set\s+\w+\s*=\s*(?:createobject|getobject|wscript)"#,
    },
    Markers {
        language: "jscript",
        pattern: r"\bvar\s+\w+\s*=|\bfunction\s*\w*\s*\(|new\s+ActiveXObject\s*\(|String\.fromCharCode|\beval\s*\(|\.split\s*\(|===|\bWScript\.CreateObject\s*\(",
    },
];

static COMPILED: LazyLock<Vec<(&'static str, Regex)>> =
    LazyLock::new(|| MARKERS.iter().filter_map(|markers| Some((markers.language, Regex::new(markers.pattern).ok()?))).collect());

/// Markers text the engine did not call a script needs before it is analysed as one: one
/// `var x =` in a README is not a script.
const MIN_MARKERS_IN_TEXT: usize = 2;

/// `powershell`, `vbscript`, `jscript`, `batch`, `hta`, or `unknown` when no marker is found.
pub(crate) fn detect(text: &[u8]) -> &'static str {
    scored(text).0
}

/// Whether text the engine identified only as text reads as a script (a one-line PowerShell
/// launcher, a batch file without `@echo off`).
pub(crate) fn is_likely_script(text: &[u8]) -> bool {
    let (language, score) = scored(text);
    language == "hta" || (language != "unknown" && score >= MIN_MARKERS_IN_TEXT)
}

/// The language with the most markers, and how many it has.
fn scored(text: &[u8]) -> (&'static str, usize) {
    let sample = text.get(..SAMPLE.min(text.len())).unwrap_or_default();
    let mut best = ("unknown", 0usize);
    for (language, regex) in COMPILED.iter() {
        // An HTML application is a page, whatever its scripts are written in.
        if *language == "hta" {
            if regex.is_match(sample) {
                return ("hta", 1);
            }
            continue;
        }
        let score = regex.find_iter(sample).take(1000).count();
        if score > best.1 {
            best = (language, score);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_told_apart() {
        assert_eq!(detect(b"$a = New-Object Net.WebClient\nWrite-Host $a"), "powershell");
        assert_eq!(detect(b"@echo off\nset x=1\ngoto end\n"), "batch");
        assert_eq!(detect(b"Dim s\nSet o = CreateObject(\"WScript.Shell\")\nMsgBox s\n"), "vbscript");
        assert_eq!(detect(b"var s = 'a'.split(''); eval(s.join(''));"), "jscript");
        assert_eq!(detect(b"<html><head><HTA:APPLICATION id=x></head><script>x</script>"), "hta");
        assert_eq!(detect(b"hello"), "unknown");
    }
}
