//! Auto-run triggers and suspicious keywords in VBA source, matched as whole words without
//! regard to case. The lists follow olevba's (oletools 0.60.2), so results compare with it.
use std::sync::OnceLock;

use regex::Regex;

/// Procedure names Office runs on its own (open, close, new document, workbook events).
const AUTOEXEC: &[&str] = &[
    "AutoExec",
    "AutoOpen",
    "DocumentOpen",
    "AutoExit",
    "AutoClose",
    "Document_Close",
    "DocumentBeforeClose",
    "DocumentChange",
    "AutoNew",
    "Document_New",
    "NewDocument",
    "Document_Open",
    "Document_BeforeClose",
    "Auto_Open",
    "Workbook_Open",
    "Workbook_Activate",
    "Auto_Ope",
    "Auto_Close",
    "Workbook_Close",
    "Workbook_BeforeClose",
    "Worksheet_Calculate",
];

/// Event handler suffixes of controls (ActiveX, forms) that fire without the user asking
/// (`Frame1_Click`, `InkPicture1_Painted`, ...): patterns, the word before `_` is any name.
const AUTOEXEC_EVENTS: &[&str] = &[
    "Painted",
    "Painting",
    "GotFocus",
    "LostFocus",
    "MouseHover",
    "Click",
    "Change",
    "Resize",
    "BeforeNavigate2",
    "BeforeScriptExecute",
    "DocumentComplete",
    "DownloadBegin",
    "DownloadComplete",
    "FileDownload",
    "NavigateComplete2",
    "NavigateError",
    "ProgressChange",
    "PropertyChange",
    "SetSecureLockIcon",
    "StatusTextChange",
    "TitleChange",
    "MouseMove",
    "MouseEnter",
    "MouseLeave",
    "Layout",
    "OnConnecting",
    "FollowHyperlink",
    "ContentControlOnEnter",
];

/// Keywords of calls malware makes: run programs, download, write files, reach the Windows API,
/// hide, detect sandboxes, weaken macro security, rewrite VBA.
const SUSPICIOUS: &[&str] = &[
    "Environ",
    "Win32_Environment",
    "Environment",
    "ExpandEnvironmentStrings",
    "HKCU\\Environment",
    "HKEY_CURRENT_USER\\Environment",
    "Open",
    "Write",
    "Put",
    "Output",
    "Print #",
    "Binary",
    "FileCopy",
    "CopyFile",
    "CopyHere",
    "CopyFolder",
    "MoveHere",
    "MoveFile",
    "MoveFolder",
    "Kill",
    "CreateTextFile",
    "ADODB.Stream",
    "WriteText",
    "SaveToFile",
    "Shell",
    "vbNormal",
    "vbNormalFocus",
    "vbHide",
    "vbMinimizedFocus",
    "vbMaximizedFocus",
    "vbNormalNoFocus",
    "vbMinimizedNoFocus",
    "WScript.Shell",
    "Run",
    "ShellExecute",
    "ShellExecuteA",
    "shell32",
    "InvokeVerb",
    "InvokeVerbEx",
    "DoIt",
    "ControlPanelItem",
    "Create",
    "MacScript",
    "AppleScript",
    "PowerShell",
    "noexit",
    "ExecutionPolicy",
    "noprofile",
    "command",
    "EncodedCommand",
    "invoke-command",
    "scriptblock",
    "Invoke-Expression",
    "AuthorizationManager",
    "Start-Process",
    "CALL",
    "Application.Visible",
    "ShowWindow",
    "SW_HIDE",
    "MkDir",
    "ActiveWorkbook.SaveAs",
    "Application.AltStartupPath",
    "CreateObject",
    "GetObject",
    "New-Object",
    "Shell.Application",
    "ExecuteExcel4Macro",
    "Windows",
    "FindWindow",
    "Lib",
    "libc.dylib",
    "dylib",
    "CreateThread",
    "CreateUserThread",
    "VirtualAlloc",
    "VirtualAllocEx",
    "RtlMoveMemory",
    "WriteProcessMemory",
    "SetContextThread",
    "QueueApcThread",
    "WriteVirtualMemory",
    "VirtualProtect",
    "SetTimer",
    "URLDownloadToFileA",
    "Msxml2.XMLHTTP",
    "Microsoft.XMLHTTP",
    "MSXML2.ServerXMLHTTP",
    "User-Agent",
    "Net.WebClient",
    "DownloadFile",
    "DownloadString",
    "SendKeys",
    "AppActivate",
    "CallByName",
    "Chr",
    "ChrB",
    "ChrW",
    "StrReverse",
    "Xor",
    "RegOpenKeyExA",
    "RegOpenKeyEx",
    "RegCloseKey",
    "RegQueryValueExA",
    "RegQueryValueEx",
    "RegRead",
    "SYSTEM\\ControlSet001\\Services\\Disk\\Enum",
    "VIRTUAL",
    "VMWARE",
    "VBOX",
    "GetVolumeInformationA",
    "GetVolumeInformation",
    "1824245000",
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProductId",
    "76487-337-8429955-22614",
    "andy",
    "C:\\exec\\exec.exe",
    "popupkiller",
    "SbieDll.dll",
    "SandboxieControlWndClass",
    "C:\\file.exe",
    "currentuser",
    "Schmidti",
    "Afx:400000:0",
    "AccessVBOM",
    "VBAWarnings",
    "ProtectedView",
    "DisableAttachementsInPV",
    "DisableInternetFilesInPV",
    "DisableUnsafeLocationsInPV",
    "blockcontentexecutionfrominternet",
    "VBProject",
    "VBComponents",
    "CodeModule",
    "AddFromString",
    "FORMULA.FILL",
    "EXEC",
    "REGISTER",
];

/// Suspicious keywords that vary in spelling: patterns.
const SUSPICIOUS_PATTERNS: &[&str] =
    &[r"\.\s*Variables", r"EnumSystemLanguageGroupsW?", r"EnumDateFormats(?:W|(?:Ex){1,2})?", "system", "popen", r"exec[lv][ep]?"];

/// Keywords that mean the source runs something on its own.
pub(crate) fn autoexec(source: &str) -> Vec<String> {
    static MATCHERS: OnceLock<Vec<Regex>> = OnceLock::new();
    let matchers = MATCHERS.get_or_init(|| {
        let words = AUTOEXEC.iter().map(|word| regex::escape(word));
        let events = AUTOEXEC_EVENTS.iter().map(|event| format!(r"\w+_{event}"));
        compile(words.chain(events))
    });
    found(matchers, source)
}

/// Suspicious keywords of the source, as spelled there.
pub(crate) fn suspicious(source: &str) -> Vec<String> {
    static MATCHERS: OnceLock<Vec<Regex>> = OnceLock::new();
    let matchers = MATCHERS.get_or_init(|| {
        let words = SUSPICIOUS.iter().map(|word| regex::escape(word));
        compile(words.chain(SUSPICIOUS_PATTERNS.iter().map(|pattern| (*pattern).to_string())))
    });
    let mut keywords = found(matchers, source);
    // A backspace hides what follows it when the source is printed on a console.
    if source.contains('\u{8}') {
        keywords.push("\\b".to_string());
    }
    keywords
}

/// Whole-word, case-insensitive matchers of `patterns` (a pattern that does not compile, which
/// the constant lists above never hold, is left out rather than failing the analysis).
fn compile(patterns: impl Iterator<Item = String>) -> Vec<Regex> {
    patterns.filter_map(|pattern| Regex::new(&format!(r"(?i)\b{pattern}\b")).ok()).collect()
}

/// The first match of each matcher, as written in the source, once each.
fn found(matchers: &[Regex], source: &str) -> Vec<String> {
    let mut keywords: Vec<String> = Vec::new();
    for matcher in matchers {
        if let Some(found) = matcher.find(source) {
            if !keywords.iter().any(|known| known.eq_ignore_ascii_case(found.as_str())) {
                keywords.push(found.as_str().to_string());
            }
        }
    }
    keywords
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers_are_whole_words_in_any_case() {
        let source = "Sub autoopen()\nEnd Sub\nPrivate Sub CommandButton1_Click()\nSub MyAutoOpenX()";
        assert_eq!(autoexec(source), vec!["autoopen", "CommandButton1_Click"]);
        assert!(autoexec("Sub NotAuto_Opener()").is_empty());
    }

    #[test]
    fn suspicious_calls_are_found() {
        let source = "x = CreateObject(\"WScript.Shell\").Run(\"cmd\")\nShell \"calc\", vbHide";
        let keywords = suspicious(source);
        for expected in ["CreateObject", "WScript.Shell", "Run", "Shell", "vbHide"] {
            assert!(keywords.iter().any(|k| k == expected), "{expected} in {keywords:?}");
        }
        assert!(suspicious("Dim Shellfish As Long").is_empty());
    }
}
