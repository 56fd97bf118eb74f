//! Imported APIs grouped by the behaviour they enable. One API alone is common in benign programs;
//! the indicator fires when a group's *characteristic combination* is imported, and lists every
//! matching API as evidence.
//!
//! Imports alone only say what a program *could* do: a GUI toolkit imports the keyboard APIs, a
//! debugger or a system DLL the cross-process ones. So a capability inferred from imports is at
//! most `medium`; it becomes more severe only when the disassembly shows the calls (the
//! characteristic APIs called from one function, or called with the telling constant argument),
//! as capa requires code evidence. The fire rates on benign software are in docs/INDICATORS.md.
use fcas_report::{CodeReport, PeReport, Severity};

use super::code_evidence::{self, CodeRule};
use super::{api_evidence, indicator, Indicator};

/// A behaviour: its APIs, how many of them make the indicator fire, and its ATT&CK technique.
struct Behaviour {
    id: &'static str,
    title: &'static str,
    /// Severity when only the imports show the behaviour.
    severity: Severity,
    attack_id: &'static str,
    /// How many distinct APIs of `apis` must be imported.
    threshold: usize,
    /// Function names without the A/W suffix, compared case-insensitively.
    apis: &'static [&'static str],
    /// Groups of which the imports must hold one API each for `combination_severity` (the
    /// characteristic pair of a capability, rather than any few of its APIs).
    combination: &'static [&'static [&'static str]],
    /// Severity when the imports hold the whole `combination`.
    combination_severity: Severity,
    /// What the disassembly must show to raise the severity, and to what.
    code: Option<CodeRule>,
}

/// Cross-process memory writes: the payload lands in another process.
const REMOTE_WRITE: &[&str] =
    &["WriteProcessMemory", "NtWriteVirtualMemory", "ZwWriteVirtualMemory", "NtMapViewOfSection", "ZwMapViewOfSection"];
/// Starting or redirecting a thread of another process: the payload runs there.
const REMOTE_EXECUTION: &[&str] = &[
    "CreateRemoteThread",
    "CreateRemoteThreadEx",
    "NtCreateThreadEx",
    "RtlCreateUserThread",
    "QueueUserAPC",
    "NtQueueApcThread",
    "SetThreadContext",
    "NtSetContextThread",
];

/// `SetWindowsHookEx` hook types that see every keystroke: `WH_KEYBOARD` (2) and
/// `WH_KEYBOARD_LL` (13).
const KEYBOARD_HOOKS: &[i64] = &[2, 13];
/// `NtQueryInformationProcess` classes that only a debugger check asks for: `ProcessDebugPort`
/// (7), `ProcessDebugObjectHandle` (0x1e), `ProcessDebugFlags` (0x1f).
const DEBUGGER_QUERIES: &[i64] = &[7, 0x1e, 0x1f];
/// `NtSetInformationThread(ThreadHideFromDebugger)` (0x11).
const HIDE_FROM_DEBUGGER: &[i64] = &[0x11];

const BEHAVIOURS: &[Behaviour] = &[
    Behaviour {
        id: "pe.api.process_injection",
        title: "Imports APIs used to inject code into other processes",
        severity: Severity::Low,
        attack_id: "T1055",
        threshold: 3,
        apis: &[
            "OpenProcess",
            "VirtualAllocEx",
            "VirtualProtectEx",
            "WriteProcessMemory",
            "CreateRemoteThread",
            "CreateRemoteThreadEx",
            "NtCreateThreadEx",
            "RtlCreateUserThread",
            "QueueUserAPC",
            "NtQueueApcThread",
            "SetThreadContext",
            "NtSetContextThread",
            "ResumeThread",
            "NtUnmapViewOfSection",
            "ZwUnmapViewOfSection",
            "NtMapViewOfSection",
            "NtWriteVirtualMemory",
        ],
        combination: &[REMOTE_WRITE, REMOTE_EXECUTION],
        combination_severity: Severity::Medium,
        code: Some(CodeRule::CoLocated {
            severity: Severity::High,
            title: "Writes into another process and runs a thread there, from one function",
            groups: &[REMOTE_WRITE, REMOTE_EXECUTION],
        }),
    },
    Behaviour {
        id: "pe.api.anti_debugging",
        title: "Imports APIs used to detect or evade debuggers",
        severity: Severity::Low,
        attack_id: "T1622",
        threshold: 2,
        apis: &[
            "IsDebuggerPresent",
            "CheckRemoteDebuggerPresent",
            "NtQueryInformationProcess",
            "ZwQueryInformationProcess",
            "OutputDebugString",
            "NtSetInformationThread",
            "DebugActiveProcess",
            "NtQuerySystemInformation",
            "FindWindow",
        ],
        combination: &[],
        combination_severity: Severity::Low,
        code: Some(CodeRule::ConstantArgument {
            severity: Severity::Medium,
            title: "Asks whether a debugger is attached, or hides a thread from it",
            calls: &[
                ("NtQueryInformationProcess", 1, DEBUGGER_QUERIES),
                ("ZwQueryInformationProcess", 1, DEBUGGER_QUERIES),
                ("NtSetInformationThread", 1, HIDE_FROM_DEBUGGER),
                ("ZwSetInformationThread", 1, HIDE_FROM_DEBUGGER),
            ],
        }),
    },
    Behaviour {
        id: "pe.api.keylogging",
        title: "Imports APIs used to capture keystrokes",
        severity: Severity::Low,
        attack_id: "T1056.001",
        threshold: 2,
        apis: &[
            "SetWindowsHookEx",
            "GetAsyncKeyState",
            "GetKeyState",
            "GetKeyboardState",
            "RegisterRawInputDevices",
            "GetRawInputData",
            "MapVirtualKey",
        ],
        combination: &[],
        combination_severity: Severity::Low,
        code: Some(CodeRule::ConstantArgument {
            severity: Severity::High,
            title: "Installs a keyboard hook (SetWindowsHookEx with WH_KEYBOARD or WH_KEYBOARD_LL)",
            calls: &[("SetWindowsHookEx", 0, KEYBOARD_HOOKS)],
        }),
    },
    Behaviour {
        id: "pe.api.network",
        title: "Imports networking APIs (downloads or command and control)",
        severity: Severity::Low,
        attack_id: "T1071",
        threshold: 2,
        apis: &[
            "WSAStartup",
            "socket",
            "connect",
            "send",
            "recv",
            "gethostbyname",
            "getaddrinfo",
            "InternetOpen",
            "InternetOpenUrl",
            "InternetConnect",
            "HttpOpenRequest",
            "HttpSendRequest",
            "InternetReadFile",
            "URLDownloadToFile",
            "WinHttpOpen",
            "WinHttpConnect",
            "WinHttpSendRequest",
            "WinHttpReadData",
        ],
        combination: &[],
        combination_severity: Severity::Low,
        code: None,
    },
    Behaviour {
        id: "pe.api.crypto",
        title: "Imports cryptography APIs (encryption of data or of the payload)",
        severity: Severity::Low,
        attack_id: "T1027",
        threshold: 2,
        apis: &[
            "CryptAcquireContext",
            "CryptGenKey",
            "CryptDeriveKey",
            "CryptEncrypt",
            "CryptDecrypt",
            "CryptImportKey",
            "CryptExportKey",
            "BCryptOpenAlgorithmProvider",
            "BCryptGenerateSymmetricKey",
            "BCryptEncrypt",
            "BCryptDecrypt",
        ],
        combination: &[],
        combination_severity: Severity::Low,
        code: None,
    },
    Behaviour {
        id: "pe.api.persistence",
        title: "Imports APIs used to persist across reboots (registry run keys, services, tasks)",
        severity: Severity::Low,
        attack_id: "T1547.001",
        threshold: 2,
        apis: &["RegCreateKey", "RegCreateKeyEx", "RegSetValue", "RegSetValueEx", "CreateService", "ChangeServiceConfig", "StartService"],
        combination: &[],
        combination_severity: Severity::Low,
        code: None,
    },
    Behaviour {
        id: "pe.api.dynamic_resolution",
        title: "Resolves APIs at run time (hides its real imports)",
        severity: Severity::Low,
        attack_id: "T1106",
        threshold: 2,
        apis: &["LoadLibrary", "LoadLibraryEx", "GetProcAddress", "LdrLoadDll", "LdrGetProcedureAddress"],
        combination: &[],
        combination_severity: Severity::Low,
        code: None,
    },
];

/// Evaluates every behaviour over the imports of `pe`, and over the call sites of `code` (the
/// disassembly facts, absent with `--no-disasm` or for other machines).
pub(super) fn pe(pe: &PeReport, code: Option<&CodeReport>, found: &mut Vec<Indicator>) {
    for behaviour in BEHAVIOURS {
        let mut matched: Vec<String> = Vec::new();
        let mut distinct: Vec<&str> = Vec::new();
        for import in &pe.imports {
            for function in &import.functions {
                let Some(api) = behaviour.apis.iter().find(|api| same_api(function, api)) else { continue };
                matched.push(format!("{}!{}", import.dll, function));
                if !distinct.contains(api) {
                    distinct.push(api);
                }
            }
        }
        if distinct.len() < behaviour.threshold {
            continue;
        }
        let combined = !behaviour.combination.is_empty()
            && behaviour.combination.iter().all(|group| {
                pe.imports.iter().flat_map(|import| &import.functions).any(|function| group.iter().any(|api| same_api(function, api)))
            });
        let severity = if combined { behaviour.combination_severity } else { behaviour.severity };
        let mut ind = indicator(behaviour.id, severity, behaviour.title, Some(behaviour.attack_id));
        ind.evidence = matched.into_iter().map(api_evidence).collect();
        if let (Some(rule), Some(code)) = (&behaviour.code, code) {
            if let Some(shown) = code_evidence::shown(rule, code) {
                ind.severity = shown.severity;
                ind.title = shown.title.to_string();
                // The call sites first: they are why the severity is what it is.
                let imports = std::mem::replace(&mut ind.evidence, shown.call_sites);
                ind.evidence.extend(imports);
            }
        }
        found.push(ind);
    }
}

/// `CreateServiceW` and `createservicea` are the API `CreateService`.
pub(super) fn same_api(imported: &str, api: &str) -> bool {
    let base = imported.strip_suffix(['A', 'W', 'a', 'w']).filter(|b| b.len() == api.len()).unwrap_or(imported);
    base.eq_ignore_ascii_case(api)
}

#[cfg(test)]
mod tests {
    use fcas_report::{ApiCallSite, CallArgument, CodeReport, PeImport, PeReport, Severity};

    fn with_imports(functions: &[&str]) -> PeReport {
        PeReport {
            imports: vec![PeImport {
                dll: "kernel32.dll".into(),
                functions: functions.iter().map(|s| s.to_string()).collect(),
                ..PeImport::default()
            }],
            ..PeReport::default()
        }
    }

    fn call(function: u64, address: u64, api: &str, arguments: &[(u32, i64)]) -> ApiCallSite {
        ApiCallSite {
            address,
            function,
            api: api.to_string(),
            kind: "call".into(),
            arguments: arguments.iter().map(|&(position, value)| CallArgument { position, value }).collect(),
        }
    }

    fn severity_of(pe: &PeReport, code: Option<&CodeReport>, id: &str) -> Option<Severity> {
        let mut found = Vec::new();
        super::pe(pe, code, &mut found);
        found.iter().find(|i| i.id == id).map(|i| i.severity)
    }

    const INJECTION: &[&str] = &["OpenProcess", "VirtualAllocEx", "WriteProcessMemory", "CreateRemoteThread"];

    #[test]
    fn injection_needs_the_combination() {
        let mut found = Vec::new();
        super::pe(&with_imports(INJECTION), None, &mut found);
        let injection = found.iter().find(|i| i.id == "pe.api.process_injection").expect("fires");
        assert_eq!(injection.attack_id.as_deref(), Some("T1055"));
        assert_eq!(injection.evidence.len(), 4);

        let mut found = Vec::new();
        super::pe(&with_imports(&["OpenProcess", "CloseHandle"]), None, &mut found);
        assert!(found.iter().all(|i| i.id != "pe.api.process_injection"));
    }

    #[test]
    fn injection_apis_without_a_remote_write_are_low() {
        // A crash handler or a thread library: it opens processes and drives threads, writes nothing.
        let imports = with_imports(&["OpenProcess", "ResumeThread", "SetThreadContext"]);
        assert_eq!(severity_of(&imports, None, "pe.api.process_injection"), Some(Severity::Low));
    }

    #[test]
    fn injection_from_imports_alone_is_medium() {
        assert_eq!(severity_of(&with_imports(INJECTION), None, "pe.api.process_injection"), Some(Severity::Medium));
        // Disassembled, but the APIs are never called.
        let code = CodeReport::default();
        assert_eq!(severity_of(&with_imports(INJECTION), Some(&code), "pe.api.process_injection"), Some(Severity::Medium));
    }

    #[test]
    fn injection_called_from_one_function_is_high_with_its_call_sites() {
        let code = CodeReport {
            api_calls: vec![
                call(0x401000, 0x401010, "kernel32.dll!OpenProcess", &[]),
                call(0x401000, 0x401020, "kernel32.dll!VirtualAllocEx", &[]),
                call(0x401000, 0x401030, "kernel32.dll!WriteProcessMemory", &[]),
                call(0x401000, 0x401040, "kernel32.dll!CreateRemoteThread", &[]),
            ],
            ..CodeReport::default()
        };
        let mut found = Vec::new();
        super::pe(&with_imports(INJECTION), Some(&code), &mut found);
        let injection = found.iter().find(|i| i.id == "pe.api.process_injection").expect("fires");
        assert_eq!(injection.severity, Severity::High);
        let sites: Vec<_> = injection.evidence.iter().filter_map(|e| e.detail.as_deref()).collect();
        assert!(sites.iter().any(|d| d.contains("0x401030") && d.contains("0x401000")), "{sites:?}");
        assert!(sites.iter().any(|d| d.contains("0x401040")), "{sites:?}");
    }

    #[test]
    fn injection_calls_spread_over_functions_stay_medium() {
        // A debugger writes memory in one place and resumes threads in another.
        let code = CodeReport {
            api_calls: vec![
                call(0x401000, 0x401030, "kernel32.dll!WriteProcessMemory", &[]),
                call(0x402000, 0x402040, "kernel32.dll!CreateRemoteThread", &[]),
            ],
            ..CodeReport::default()
        };
        assert_eq!(severity_of(&with_imports(INJECTION), Some(&code), "pe.api.process_injection"), Some(Severity::Medium));
    }

    const KEYBOARD: &[&str] = &["SetWindowsHookExW", "GetKeyState", "MapVirtualKeyW"];

    #[test]
    fn keyboard_imports_alone_are_low() {
        assert_eq!(severity_of(&with_imports(KEYBOARD), None, "pe.api.keylogging"), Some(Severity::Low));
    }

    #[test]
    fn a_low_level_keyboard_hook_is_high() {
        for hook in [13, 2] {
            let code = CodeReport {
                api_calls: vec![call(0x401000, 0x401010, "user32.dll!SetWindowsHookExW", &[(0, hook), (3, 0)])],
                ..CodeReport::default()
            };
            assert_eq!(severity_of(&with_imports(KEYBOARD), Some(&code), "pe.api.keylogging"), Some(Severity::High));
        }
    }

    #[test]
    fn another_hook_type_or_an_unknown_one_stays_low() {
        // WH_CBT (5), a GUI toolkit's hook; and a hook type computed at run time.
        for arguments in [&[(0, 5)][..], &[]] {
            let code = CodeReport {
                api_calls: vec![call(0x401000, 0x401010, "user32.dll!SetWindowsHookExW", arguments)],
                ..CodeReport::default()
            };
            assert_eq!(severity_of(&with_imports(KEYBOARD), Some(&code), "pe.api.keylogging"), Some(Severity::Low));
        }
    }

    #[test]
    fn a_debug_port_query_is_medium_and_the_imports_alone_low() {
        let imports = with_imports(&["IsDebuggerPresent", "NtQueryInformationProcess"]);
        assert_eq!(severity_of(&imports, None, "pe.api.anti_debugging"), Some(Severity::Low));
        let code = CodeReport {
            api_calls: vec![call(0x401000, 0x401010, "ntdll.dll!NtQueryInformationProcess", &[(1, 7)])],
            ..CodeReport::default()
        };
        assert_eq!(severity_of(&imports, Some(&code), "pe.api.anti_debugging"), Some(Severity::Medium));
    }

    #[test]
    fn ansi_and_wide_variants_count_as_one_api() {
        assert!(super::same_api("SetWindowsHookExW", "SetWindowsHookEx"));
        assert!(super::same_api("regsetvalueexa", "RegSetValueEx"));
        assert!(!super::same_api("RegSetValueExZ", "RegSetValueEx"));
        // A name that really ends in A or W is not cut.
        assert!(super::same_api("GetKeyboardState", "GetKeyboardState"));
    }
}
