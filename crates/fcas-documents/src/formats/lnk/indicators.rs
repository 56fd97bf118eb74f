//! What makes a shortcut dangerous: an interpreter as target with a command line, an encoded
//! PowerShell command, arguments hidden past what the properties dialog shows, a document's
//! icon on a command target.
use fcas_report::{Evidence, Indicator, LnkReport, Severity};

use crate::formats::script::powershell;
use crate::Findings;

/// Characters of the Target field the Windows properties dialog shows; arguments past it are
/// out of the user's sight.
const VISIBLE_ARGUMENTS: usize = 260;
/// A run of blanks this long in the arguments is padding, not formatting.
const PADDING_RUN: usize = 50;
/// Bytes of one decoded command kept.
const MAX_DECODED_COMMAND: usize = 1 << 20;

/// An interpreter or proxy a shortcut may start, and the technique it stands for.
struct Launcher {
    name: &'static str,
    technique: &'static str,
    severity: Severity,
}

const LAUNCHERS: [Launcher; 9] = [
    Launcher { name: "cmd.exe", technique: "T1059.003", severity: Severity::Medium },
    Launcher { name: "powershell.exe", technique: "T1059.001", severity: Severity::High },
    Launcher { name: "pwsh.exe", technique: "T1059.001", severity: Severity::High },
    Launcher { name: "mshta.exe", technique: "T1218.005", severity: Severity::High },
    Launcher { name: "wscript.exe", technique: "T1059.005", severity: Severity::Medium },
    Launcher { name: "cscript.exe", technique: "T1059.005", severity: Severity::Medium },
    Launcher { name: "rundll32.exe", technique: "T1218.011", severity: Severity::High },
    Launcher { name: "regsvr32.exe", technique: "T1218.010", severity: Severity::High },
    Launcher { name: "conhost.exe", technique: "T1202", severity: Severity::Medium },
];

/// Icons a user takes for a document rather than a program.
const DOCUMENT_ICONS: [&str; 16] = [
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".rtf",
    ".txt",
    ".jpg",
    ".png",
    "winword.exe",
    "excel.exe",
    "powerpnt.exe",
    "acrord32.exe",
    "acrobat.exe",
];

pub(super) fn raise(report: &LnkReport, findings: &mut Findings) {
    let arguments = report.arguments.as_deref().unwrap_or_default();
    if !arguments.trim().is_empty() {
        findings.decoded_text.push(arguments.to_string());
    }
    let launcher = launcher_of(report);
    if let Some(launcher) = launcher {
        if !arguments.trim().is_empty() {
            findings.indicators.push(indicator(
                "lnk.arguments_command",
                launcher.severity,
                format!("Shortcut runs {} with a command line", launcher.name),
                format!("{} {} ({})", launcher.name, excerpt(arguments.trim()), launcher.technique),
                "T1204.002",
            ));
        }
    }
    encoded_command(arguments, findings);
    hidden_arguments(arguments, findings);
    if let (Some(launcher), Some(icon)) = (launcher, document_icon(report)) {
        findings.indicators.push(indicator(
            "lnk.icon_mismatch",
            Severity::Low,
            format!("Shortcut to {} shows a document's icon", launcher.name),
            icon.to_string(),
            "T1036",
        ));
    }
}

/// The launcher the shortcut starts: the target, else the environment target, else the
/// relative path, by file name.
fn launcher_of(report: &LnkReport) -> Option<&'static Launcher> {
    [&report.target, &report.environment_target, &report.id_list_path, &report.relative_path].into_iter().flatten().find_map(|path| {
        let name = path.rsplit(['\\', '/']).next().unwrap_or(path).to_ascii_lowercase();
        LAUNCHERS.iter().find(|launcher| launcher.name == name)
    })
}

fn encoded_command(arguments: &str, findings: &mut Findings) {
    let Some(command) = powershell::encoded_commands(arguments, 1, MAX_DECODED_COMMAND).into_iter().next() else {
        return;
    };
    let text = command.text.clone().unwrap_or_default();
    findings.indicators.push(indicator(
        "lnk.encoded_command",
        Severity::High,
        "Shortcut passes an encoded PowerShell command".to_string(),
        format!("{} (T1059.001)", excerpt(&text)),
        "T1027",
    ));
    if !text.is_empty() {
        findings.decoded_text.push(text);
    }
}

fn hidden_arguments(arguments: &str, findings: &mut Findings) {
    let characters = arguments.chars().count();
    let padding = longest_blank_run(arguments);
    if characters > VISIBLE_ARGUMENTS || padding >= PADDING_RUN {
        findings.indicators.push(indicator(
            "lnk.long_arguments",
            Severity::Medium,
            "Shortcut arguments are padded or longer than the properties dialog shows".to_string(),
            format!("{characters} characters, longest blank run {padding}"),
            "T1027",
        ));
    }
}

fn longest_blank_run(text: &str) -> usize {
    let (mut longest, mut run) = (0, 0);
    for c in text.chars() {
        run = if c.is_whitespace() { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

fn document_icon(report: &LnkReport) -> Option<&str> {
    [&report.icon, &report.icon_environment].into_iter().flatten().map(String::as_str).find(|icon| {
        let lower = icon.to_ascii_lowercase();
        DOCUMENT_ICONS.iter().any(|suffix| lower.ends_with(suffix))
    })
}

fn excerpt(text: &str) -> String {
    const KEPT: usize = 200;
    if text.chars().count() <= KEPT {
        return text.to_string();
    }
    let kept: String = text.chars().take(KEPT).collect();
    format!("{kept}...")
}

fn indicator(id: &str, severity: Severity, title: String, detail: String, attack_id: &str) -> Indicator {
    Indicator {
        id: id.to_string(),
        severity,
        title,
        evidence: vec![Evidence { detail: Some(detail), ..Evidence::default() }],
        attack_id: Some(attack_id.to_string()),
    }
}
