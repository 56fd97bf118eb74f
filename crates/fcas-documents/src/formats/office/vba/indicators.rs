//! The indicators a VBA project raises.
use fcas_report::{Evidence, Indicator, Severity, VbaModule, VbaReport};

use super::obfuscation;

/// Keywords that run programs, fetch files or reach the Windows API: what an auto-run macro
/// uses to drop and start a payload.
const EXECUTION: &[&str] = &[
    "Shell",
    "WScript.Shell",
    "ShellExecute",
    "ShellExecuteA",
    "Shell.Application",
    "Run",
    "CreateObject",
    "GetObject",
    "CallByName",
    "PowerShell",
    "URLDownloadToFileA",
    "Msxml2.XMLHTTP",
    "Microsoft.XMLHTTP",
    "MSXML2.ServerXMLHTTP",
    "Net.WebClient",
    "DownloadFile",
    "DownloadString",
    "ADODB.Stream",
    "SaveToFile",
    "Lib",
    "VirtualAlloc",
    "VirtualAllocEx",
    "RtlMoveMemory",
    "WriteProcessMemory",
    "CreateThread",
    "MacScript",
    "ExecuteExcel4Macro",
    "Start-Process",
    "Create",
];

/// Adds to `found` the indicators of `vba`.
pub(crate) fn add(vba: &VbaReport, found: &mut Vec<Indicator>) {
    if vba.modules.is_empty() {
        return;
    }
    found.push(indicator(
        "document.vba.macros",
        Severity::Low,
        format!("VBA macros ({} modules)", vba.modules.len()),
        vba.modules.iter().map(|module| evidence(module, None)).collect(),
        "T1059.005",
    ));
    let autoexec = with(vba, |module| module.autoexec.clone());
    if !autoexec.is_empty() {
        found.push(indicator(
            "document.vba.autoexec",
            Severity::Medium,
            "VBA macro runs on its own (document open/close, control events)".to_string(),
            autoexec.clone(),
            "T1204.002",
        ));
    }
    let suspicious = with(vba, |module| module.suspicious.iter().filter(|k| !is_sign(k)).cloned().collect());
    if !suspicious.is_empty() {
        let executes = with(vba, |module| module.suspicious.iter().filter(|k| is_execution(k)).cloned().collect());
        let severity = match (autoexec.is_empty(), executes.is_empty()) {
            (false, false) => Severity::High,
            (_, false) => Severity::Medium,
            _ => Severity::Low,
        };
        found.push(indicator(
            "document.vba.suspicious",
            severity,
            "VBA macro calls that run programs, download or write files".to_string(),
            suspicious,
            "T1059.005",
        ));
    }
    let signs = with(vba, |module| module.suspicious.iter().filter(|k| is_sign(k)).cloned().collect());
    if !signs.is_empty() {
        found.push(indicator("document.vba.obfuscation", Severity::Medium, "VBA macro hides its strings".to_string(), signs, "T1027"));
    }
    if vba.stomped {
        found.push(indicator(
            "document.vba.stomped",
            Severity::High,
            "VBA p-code disagrees with its source (VBA stomping)".to_string(),
            vba.pcode_strings_missing_from_source
                .iter()
                .map(|found| Evidence {
                    section: Some(found.stream.clone()),
                    detail: Some(format!("p-code string not in the source: {:?}", found.text)),
                    ..Evidence::default()
                })
                .collect(),
            "T1027",
        ));
    }
}

/// Evidence per module and keyword that `pick` selects.
fn with(vba: &VbaReport, pick: impl Fn(&VbaModule) -> Vec<String>) -> Vec<Evidence> {
    vba.modules.iter().flat_map(|module| pick(module).into_iter().map(move |keyword| evidence(module, Some(keyword)))).collect()
}

fn evidence(module: &VbaModule, detail: Option<String>) -> Evidence {
    Evidence { section: Some(module.stream.clone()), detail, ..Evidence::default() }
}

fn indicator(id: &str, severity: Severity, title: String, evidence: Vec<Evidence>, attack_id: &str) -> Indicator {
    Indicator { id: id.to_string(), severity, title, evidence, attack_id: Some(attack_id.to_string()) }
}

fn is_sign(keyword: &str) -> bool {
    obfuscation::SIGNS.iter().any(|sign| sign.eq_ignore_ascii_case(keyword))
}

fn is_execution(keyword: &str) -> bool {
    EXECUTION.iter().any(|known| known.eq_ignore_ascii_case(keyword))
}
