//! Imported APIs grouped by the behaviour they enable. One API alone is common in benign programs;
//! the indicator fires when a group's *characteristic combination* is imported, and lists every
//! matching API as evidence.
use fcas_report::{PeReport, Severity};

use super::{api_evidence, indicator, Indicator};

/// A behaviour: its APIs, how many of them make the indicator fire, and its ATT&CK technique.
struct Behaviour {
    id: &'static str,
    title: &'static str,
    severity: Severity,
    attack_id: &'static str,
    /// How many distinct APIs of `apis` must be imported.
    threshold: usize,
    /// Function names without the A/W suffix, compared case-insensitively.
    apis: &'static [&'static str],
}

const BEHAVIOURS: &[Behaviour] = &[
    Behaviour {
        id: "pe.api.process_injection",
        title: "Imports APIs used to inject code into other processes",
        severity: Severity::High,
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
    },
    Behaviour {
        id: "pe.api.anti_debugging",
        title: "Imports APIs used to detect or evade debuggers",
        severity: Severity::Medium,
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
    },
    Behaviour {
        id: "pe.api.keylogging",
        title: "Imports APIs used to capture keystrokes",
        severity: Severity::High,
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
    },
    Behaviour {
        id: "pe.api.persistence",
        title: "Imports APIs used to persist across reboots (registry run keys, services, tasks)",
        severity: Severity::Low,
        attack_id: "T1547.001",
        threshold: 2,
        apis: &["RegCreateKey", "RegCreateKeyEx", "RegSetValue", "RegSetValueEx", "CreateService", "ChangeServiceConfig", "StartService"],
    },
    Behaviour {
        id: "pe.api.dynamic_resolution",
        title: "Resolves APIs at run time (hides its real imports)",
        severity: Severity::Low,
        attack_id: "T1106",
        threshold: 2,
        apis: &["LoadLibrary", "LoadLibraryEx", "GetProcAddress", "LdrLoadDll", "LdrGetProcedureAddress"],
    },
];

pub(super) fn pe(pe: &PeReport, found: &mut Vec<Indicator>) {
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
        if distinct.len() >= behaviour.threshold {
            let mut ind = indicator(behaviour.id, behaviour.severity, behaviour.title, Some(behaviour.attack_id));
            ind.evidence = matched.into_iter().map(api_evidence).collect();
            found.push(ind);
        }
    }
}

/// `CreateServiceW` and `createservicea` are the API `CreateService`.
fn same_api(imported: &str, api: &str) -> bool {
    let base = imported.strip_suffix(['A', 'W', 'a', 'w']).filter(|b| b.len() == api.len()).unwrap_or(imported);
    base.eq_ignore_ascii_case(api)
}

#[cfg(test)]
mod tests {
    use fcas_report::{PeImport, PeReport};

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

    #[test]
    fn injection_needs_the_combination() {
        let mut found = Vec::new();
        super::pe(&with_imports(&["OpenProcess", "VirtualAllocEx", "WriteProcessMemory", "CreateRemoteThread"]), &mut found);
        let injection = found.iter().find(|i| i.id == "pe.api.process_injection").expect("fires");
        assert_eq!(injection.attack_id.as_deref(), Some("T1055"));
        assert_eq!(injection.evidence.len(), 4);

        let mut found = Vec::new();
        super::pe(&with_imports(&["OpenProcess", "CloseHandle"]), &mut found);
        assert!(found.iter().all(|i| i.id != "pe.api.process_injection"));
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
