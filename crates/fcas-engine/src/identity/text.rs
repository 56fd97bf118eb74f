//! Text files and scripts, by cheap heuristics on the first KiB.
use fcas_report::Format;

use super::Detected;

/// Bytes checked for text-ness; the rest of the file is not read.
const TEXT_SAMPLE: usize = 64 * 1024;
/// Bytes the script heuristics look at.
const SCRIPT_SAMPLE: usize = 1024;
/// Keyword hits needed before a file without a shebang is called a script of that language.
const MIN_KEYWORD_HITS: usize = 2;

/// Encoding of a text file.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Ascii,
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
}

impl Encoding {
    fn description(self) -> &'static str {
        match self {
            Encoding::Ascii => "ASCII text",
            Encoding::Utf8 => "Unicode text, UTF-8 text",
            Encoding::Utf8Bom => "Unicode text, UTF-8 (with BOM) text",
            Encoding::Utf16Le => "Unicode text, UTF-16, little-endian text",
            Encoding::Utf16Be => "Unicode text, UTF-16, big-endian text",
        }
    }
}

/// Text (ASCII, UTF-8, UTF-16 with BOM), then the kind of script or markup it holds.
pub(crate) fn detect(bytes: &[u8]) -> Option<Detected> {
    let encoding = encoding(bytes)?;
    let head = lowercase_head(bytes, encoding);
    Some(script(&head, encoding).unwrap_or_else(|| Detected::new(Format::Text, encoding.description(), "text/plain")))
}

fn encoding(bytes: &[u8]) -> Option<Encoding> {
    if bytes.starts_with(b"\xff\xfe") {
        return Some(Encoding::Utf16Le);
    }
    if bytes.starts_with(b"\xfe\xff") {
        return Some(Encoding::Utf16Be);
    }
    let (body, bom) = match bytes.strip_prefix(b"\xef\xbb\xbf") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let sample = body.get(..TEXT_SAMPLE).unwrap_or(body);
    if sample.iter().any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b | 0x08 | 0x07) || b == 0x7f) {
        return None;
    }
    match std::str::from_utf8(sample) {
        Ok(_) if bom => Some(Encoding::Utf8Bom),
        Ok(text) if text.is_ascii() => Some(Encoding::Ascii),
        Ok(_) => Some(Encoding::Utf8),
        // A multi-byte character cut by the end of the sample is still text.
        Err(error) if error.error_len().is_none() && error.valid_up_to() + 4 > sample.len() => {
            Some(if bom { Encoding::Utf8Bom } else { Encoding::Utf8 })
        }
        Err(_) => None,
    }
}

/// The first KiB as lowercase ASCII (other characters become `?`), whatever the encoding.
fn lowercase_head(bytes: &[u8], encoding: Encoding) -> String {
    let take = |units: &mut dyn Iterator<Item = u16>| -> String {
        units
            .take(SCRIPT_SAMPLE)
            .map(|u| u8::try_from(u).ok().filter(u8::is_ascii).map_or('?', |b| char::from(b.to_ascii_lowercase())))
            .collect()
    };
    match encoding {
        Encoding::Utf16Le => take(&mut bytes.get(2..).unwrap_or_default().chunks_exact(2).map(|p| u16::from_le_bytes([p[0], p[1]]))),
        Encoding::Utf16Be => take(&mut bytes.get(2..).unwrap_or_default().chunks_exact(2).map(|p| u16::from_be_bytes([p[0], p[1]]))),
        Encoding::Utf8Bom => take(&mut bytes.get(3..).unwrap_or_default().iter().map(|&b| u16::from(b))),
        Encoding::Ascii | Encoding::Utf8 => take(&mut bytes.iter().map(|&b| u16::from(b))),
    }
}

fn script(head: &str, encoding: Encoding) -> Option<Detected> {
    let trimmed = head.trim_start();
    if let Some(line) = trimmed.strip_prefix("#!") {
        return Some(shebang(line.lines().next().unwrap_or_default(), encoding));
    }
    if head.contains("<hta:application") {
        return Some(Detected::new(Format::Script, "HTML Application (HTA)", "text/html"));
    }
    if head.contains("<svg") {
        return Some(Detected::new(Format::Svg, "SVG Scalable Vector Graphics image", "image/svg+xml"));
    }
    if ["<!doctype html", "<html", "<head", "<title", "<body", "<script"].iter().any(|tag| head.contains(tag)) {
        return Some(Detected::new(Format::Html, format!("HTML document, {}", encoding.description()), "text/html"));
    }
    if trimmed.starts_with("<?xml") {
        return Some(Detected::new(Format::Xml, format!("XML document, {}", encoding.description()), "text/xml"));
    }
    if ["@echo off", "@echo on", "@rem", "@set ", "@if "].iter().any(|start| trimmed.starts_with(start)) {
        return Some(Detected::new(Format::Script, format!("DOS batch file, {}", encoding.description()), "text/x-msdos-batch"));
    }
    keyword_language(head).map(|language| Detected::new(Format::Script, format!("{language}, {}", encoding.description()), "text/plain"))
}

/// Scripting languages without a magic, recognised by keywords typical of each.
const KEYWORDS: &[(&str, &[&str])] = &[
    (
        "PowerShell script",
        &[
            "param(",
            "$env:",
            "write-host",
            "write-output",
            "get-item",
            "get-process",
            "invoke-",
            "new-object",
            "-executionpolicy",
            "[system.",
            "[convert]::",
            "foreach-object",
            "$null",
            "-join",
        ],
    ),
    ("VBScript", &["dim ", "createobject(", "wscript.", "end sub", "end function", "on error resume next", "msgbox", "end if"]),
    (
        "JavaScript",
        &[
            "function ",
            "function(",
            "var ",
            "let ",
            "const ",
            "=>",
            "activexobject",
            "document.",
            "eval(",
            "window.",
            "new function",
            "string.fromcharcode",
        ],
    ),
];

fn keyword_language(head: &str) -> Option<&'static str> {
    KEYWORDS
        .iter()
        .map(|(language, words)| (*language, words.iter().filter(|word| head.contains(*word)).count()))
        .filter(|&(_, hits)| hits >= MIN_KEYWORD_HITS)
        .max_by_key(|&(_, hits)| hits)
        .map(|(language, _)| language)
}

/// `#!/usr/bin/env python3` and the like: the interpreter names the script kind.
fn shebang(line: &str, encoding: Encoding) -> Detected {
    let mut words = line.split_whitespace();
    let program = words.next().unwrap_or_default();
    let mut name = program.rsplit('/').next().unwrap_or_default();
    if name == "env" {
        name = words.find(|word| !word.starts_with('-')).unwrap_or_default();
    }
    let base = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    let (kind, mime) = match base {
        "sh" | "dash" | "ash" => ("POSIX shell script", "text/x-shellscript"),
        "bash" => ("Bourne-Again shell script", "text/x-shellscript"),
        "zsh" => ("Paul Falstad's zsh script", "text/x-shellscript"),
        "ksh" | "mksh" => ("Korn shell script", "text/x-shellscript"),
        "python" => ("Python script", "text/x-script.python"),
        "perl" => ("Perl script", "text/x-perl"),
        "ruby" => ("Ruby script", "text/x-ruby"),
        "php" => ("PHP script", "text/x-php"),
        "node" | "nodejs" => ("Node.js script", "application/javascript"),
        "pwsh" | "powershell" => ("PowerShell script", "text/plain"),
        _ => ("script", "text/plain"),
    };
    let kind = if kind == "script" { format!("a {name} script") } else { kind.to_string() };
    Detected::new(Format::Script, format!("{kind}, {} executable", encoding.description()), mime)
}
