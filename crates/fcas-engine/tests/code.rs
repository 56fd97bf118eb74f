//! Disassembly facts on the fixture corpus, checked against the reference JSON files and, when it
//! is installed, against `objdump`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use fcas_engine::code::{analyze_elf, analyze_pe};
use fcas_engine::report::CodeReport;
use fcas_engine::{Deadline, Limits};
use goblin::elf::Elf;
use goblin::pe::PE;
use serde_json::Value;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus")
}

/// Every fixture under `files/<kind>/`, as paths relative to `files/`.
fn fixtures(kind: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut dirs = vec![corpus().join("files").join(kind)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("fixture directory") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                let relative = path.strip_prefix(corpus().join("files")).expect("under files/");
                out.push(relative.to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

fn read(relative: &str) -> Vec<u8> {
    std::fs::read(corpus().join("files").join(relative)).expect("fixture")
}

fn reference(relative: &str) -> Value {
    let path = corpus().join("refs").join(format!("{relative}.json"));
    serde_json::from_slice(&std::fs::read(path).expect("reference")).expect("reference JSON")
}

/// True when goblin parses the file as a PE or an ELF (the pipeline disassembles only those).
fn parses(bytes: &[u8]) -> bool {
    PE::parse(bytes).is_ok() || Elf::parse(bytes).is_ok()
}

/// What the pipeline would do: parse with goblin, then disassemble. `None` for other formats.
fn analyze(bytes: &[u8], limits: &Limits) -> (Option<CodeReport>, Vec<String>) {
    let mut notes = Vec::new();
    let deadline = Deadline::after(limits.stage_time);
    let report = if bytes.starts_with(b"MZ") {
        PE::parse(bytes).ok().and_then(|pe| analyze_pe(&pe, bytes, limits, deadline, &mut notes))
    } else if bytes.starts_with(b"\x7fELF") {
        Elf::parse(bytes).ok().and_then(|elf| analyze_elf(&elf, bytes, limits, deadline, &mut notes))
    } else {
        None
    };
    (report, notes)
}

/// Entry VA and its file offset, computed from the reference JSON (pefile or LIEF), and the
/// machine as the reference names it.
fn reference_entry(reference: &Value) -> Option<(u64, u64, String)> {
    if let Some(pe) = reference.get("pefile").filter(|p| p["parsed"] != false) {
        let rva = pe["entry_point"].as_u64()?;
        let base = pe["image_base"].as_u64()?;
        let section = pe["sections"].as_array()?.iter().find(|s| {
            let va = s["virtual_address"].as_u64().unwrap_or(0);
            let size = s["virtual_size"].as_u64().unwrap_or(0).max(s["raw_size"].as_u64().unwrap_or(0));
            rva >= va && rva < va + size
        })?;
        let offset = rva - section["virtual_address"].as_u64()? + section["raw_pointer"].as_u64()?;
        return Some((base + rva, offset, pe["machine_name"].as_str()?.to_string()));
    }
    let lief = reference.get("lief")?;
    // An ELF entry of 0 means "none" (shared libraries, object files).
    let entry = lief["header"]["entrypoint"].as_u64().filter(|&e| e != 0)?;
    let segment = lief["segments"].as_array()?.iter().find(|s| {
        let va = s["virtual_address"].as_u64().unwrap_or(0);
        s["type"] == "LOAD" && entry >= va && entry < va + s["physical_size"].as_u64().unwrap_or(0)
    })?;
    let offset = entry - segment["virtual_address"].as_u64()? + segment["offset"].as_u64()?;
    Some((entry, offset, lief["header"]["machine"].as_str()?.to_string()))
}

fn is_x86_machine(machine: &str) -> bool {
    matches!(machine, "IMAGE_FILE_MACHINE_I386" | "IMAGE_FILE_MACHINE_AMD64" | "X86_64" | "I386" | "i386")
}

/// Executables of the corpus: PE, ELF and packed files.
fn executables() -> Vec<String> {
    ["pe", "elf", "packed"].iter().flat_map(|kind| fixtures(kind)).collect()
}

#[test]
fn entry_listing_starts_at_the_entry_point_with_the_file_bytes() {
    let mut checked = 0;
    for relative in executables() {
        let reference = reference(&relative);
        let Some((entry_va, entry_offset, machine)) = reference_entry(&reference) else { continue };
        let bytes = read(&relative);
        if !parses(&bytes) {
            eprintln!("{relative}: goblin cannot parse it, skipped");
            continue;
        }
        let (report, _) = analyze(&bytes, &Limits::default());
        if !is_x86_machine(&machine) {
            assert!(report.is_none(), "{relative}: {machine} is not x86/x64, expected no code report");
            continue;
        }
        let report = report.unwrap_or_else(|| panic!("{relative}: no code report for {machine}"));
        assert_eq!(report.arch, if machine.contains("AMD64") || machine == "X86_64" { "x64" } else { "x86" }, "{relative}");
        assert_eq!(report.entry_point, Some(entry_va), "{relative}");
        let first = report.entry_disassembly.first().unwrap_or_else(|| panic!("{relative}: empty entry listing"));
        assert_eq!(first.address, entry_va, "{relative}");
        let len = first.bytes.len() / 2;
        let start = entry_offset as usize;
        assert_eq!(first.bytes, hex(&bytes[start..start + len]), "{relative}: first instruction bytes");
        // The listing is contiguous.
        for pair in report.entry_disassembly.windows(2) {
            assert_eq!(pair[0].address + (pair[0].bytes.len() / 2) as u64, pair[1].address, "{relative}");
        }
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} x86/x64 executables checked");
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The first `count` instructions objdump decodes at `va`: (address, length, mnemonic).
fn objdump_listing(path: &Path, va: u64, count: usize) -> Option<Vec<(u64, usize, String)>> {
    let output = Command::new("objdump")
        .args(["-d", "-z", "--insn-width=16", "-M", "intel"])
        .arg(format!("--start-address={va:#x}"))
        .arg(format!("--stop-address={:#x}", va + 16 * count as u64))
        .arg(path)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let mut out = Vec::new();
    for line in text.lines() {
        let mut fields = line.split('\t');
        let (Some(address), Some(bytes), Some(instruction)) = (fields.next(), fields.next(), fields.next()) else { continue };
        let Ok(address) = u64::from_str_radix(address.trim().trim_end_matches(':'), 16) else { continue };
        out.push((address, bytes.split_whitespace().count(), objdump_mnemonic(instruction)));
        if out.len() == count {
            break;
        }
    }
    Some(out)
}

/// objdump's mnemonic without prefixes, spelled as iced-x86 spells it.
fn objdump_mnemonic(instruction: &str) -> String {
    const PREFIXES: &[&str] =
        &["bnd", "notrack", "rep", "repz", "repe", "repnz", "repne", "lock", "data16", "addr32", "cs", "ds", "es", "ss", "fs", "gs"];
    let mnemonic = instruction.split_whitespace().find(|t| !PREFIXES.contains(t) && !t.starts_with("rex")).unwrap_or("");
    match mnemonic {
        "movabs" => "mov".to_string(),
        "pushf" => "pushf*".to_string(),
        "popf" => "popf*".to_string(),
        other => other.to_string(),
    }
}

/// iced-x86's mnemonic in objdump's spelling, where they differ.
fn comparable_iced_mnemonic(mnemonic: &str, text: &str) -> String {
    match mnemonic {
        // String instructions: objdump names the operand size through its operands.
        "movsb" | "movsw" | "movsd" | "movsq" | "stosb" | "stosw" | "stosd" | "stosq" | "lodsb" | "lodsw" | "lodsd" | "lodsq" | "scasb"
        | "scasw" | "scasd" | "scasq" | "cmpsb" | "cmpsw" | "cmpsd" | "cmpsq"
            if !text.contains("xmm") =>
        {
            mnemonic[..4].to_string()
        }
        "pushf" | "pushfd" | "pushfq" => "pushf*".to_string(),
        "popf" | "popfd" | "popfq" => "popf*".to_string(),
        _ => mnemonic.to_string(),
    }
}

#[test]
fn entry_listing_agrees_with_objdump() {
    if Command::new("objdump").arg("--version").output().is_err() {
        eprintln!("objdump is not installed: cross-check skipped");
        return;
    }
    let mut compared = 0;
    for relative in executables() {
        let reference = reference(&relative);
        let Some((entry_va, _, machine)) = reference_entry(&reference) else { continue };
        if !is_x86_machine(&machine) {
            continue;
        }
        let bytes = read(&relative);
        let Some(report) = analyze(&bytes, &Limits::default()).0 else { continue };
        let ours: Vec<_> = report.entry_disassembly.iter().take(20).collect();
        let Some(theirs) = objdump_listing(&corpus().join("files").join(&relative), entry_va, 20) else { continue };
        if theirs.is_empty() {
            // objdump only disassembles code sections; packed entry points may be elsewhere.
            continue;
        }
        for (mine, (address, len, mnemonic)) in ours.iter().zip(&theirs) {
            assert_eq!(mine.address, *address, "{relative}: address");
            assert_eq!(mine.bytes.len() / 2, *len, "{relative} at {address:#x}: length ({})", mine.text);
            // iced-x86 formats a few instructions under another name (`66 90` is `nop` but
            // printed `xchg ax,ax`, as objdump does): either spelling may match.
            let printed = objdump_mnemonic(&mine.text);
            let decoded = comparable_iced_mnemonic(&mine.mnemonic, &mine.text);
            assert!(
                &decoded == mnemonic || &comparable_iced_mnemonic(&printed, &mine.text) == mnemonic,
                "{relative} at {address:#x}: ours {} ({decoded}), objdump {mnemonic}",
                mine.text
            );
        }
        compared += 1;
    }
    assert!(compared >= 30, "only {compared} files compared with objdump");
}

/// API names a file imports, from the reference: `dll!function` for PE, symbols for ELF.
fn reference_imports(reference: &Value) -> HashSet<String> {
    let mut names = HashSet::new();
    if let Some(pe) = reference.get("pefile") {
        for table in ["imports", "delay_imports"] {
            for dll in pe[table].as_array().into_iter().flatten() {
                let library = dll["dll"].as_str().unwrap_or("");
                for function in dll["functions"].as_array().into_iter().flatten() {
                    match function["name"].as_str() {
                        Some(name) => names.insert(format!("{library}!{name}")),
                        None => names.insert(format!("{library}!#{}", function["ordinal"])),
                    };
                }
            }
        }
    }
    if let Some(symbols) = reference.pointer("/lief/imported_symbols").and_then(Value::as_array) {
        names.extend(symbols.iter().filter_map(Value::as_str).map(str::to_string));
    }
    names
}

#[test]
fn every_api_call_names_an_import_of_the_file() {
    let mut with_calls = 0;
    for relative in executables() {
        let bytes = read(&relative);
        let Some(report) = analyze(&bytes, &Limits::default()).0 else { continue };
        let imports = reference_imports(&reference(&relative));
        for call in &report.api_calls {
            assert!(imports.contains(&call.api), "{relative}: {} at {:#x} is not an import", call.api, call.address);
            assert!(report.functions.iter().any(|f| f.address == call.function), "{relative}: caller {:#x} unknown", call.function);
        }
        let counted: u64 = report.api_call_counts.iter().map(|c| c.count).sum();
        assert_eq!(counted, report.api_calls.len() as u64, "{relative}: counts and call sites disagree");
        if !report.api_calls.is_empty() {
            with_calls += 1;
        }
    }
    assert!(with_calls >= 30, "only {with_calls} files with API call sites");
}

fn calls_of(report: &CodeReport, api: &str) -> usize {
    report.api_calls.iter().filter(|c| c.api == api).count()
}

#[test]
fn known_api_call_sites_are_found() {
    let expectations: &[(&str, &[&str])] = &[
        ("pe/deb-libwine-amd64/hostname.exe", &["kernel32.dll!GetComputerNameW", "kernel32.dll!WriteConsoleW"]),
        ("pe/deb-libwine-i386/hostname.exe", &["kernel32.dll!GetComputerNameW", "kernel32.dll!WriteConsoleW"]),
        ("elf/deb-elf-amd64/ls", &["opendir", "readdir", "closedir"]),
        ("elf/deb-elf-i386/dash", &["fork", "execve"]),
    ];
    for (relative, apis) in expectations {
        let report = analyze(&read(relative), &Limits::default()).0.expect("code report");
        assert!(report.function_count > 1, "{relative}: {} functions", report.function_count);
        for api in *apis {
            assert!(calls_of(&report, api) > 0, "{relative}: no call to {api}; found {:?}", report.api_call_counts);
        }
    }
}

#[test]
fn executables_with_code_have_functions_and_a_histogram() {
    for relative in executables() {
        let Some(report) = analyze(&read(&relative), &Limits::default()).0 else { continue };
        if report.entry_point.is_none() && report.functions.is_empty() {
            continue;
        }
        assert!(report.function_count > 0, "{relative}");
        assert!(report.instruction_count > 0, "{relative}");
        assert_eq!(report.function_count, report.functions.len() as u64, "{relative}");
        let total: u64 = report.functions.iter().map(|f| f.instruction_count).sum();
        assert_eq!(total, report.instruction_count, "{relative}: per-function counts");
        assert!(report.mnemonic_histogram.len() <= 64);
        assert!(report.mnemonic_histogram.windows(2).all(|w| w[0].count >= w[1].count), "{relative}");
        assert!(report.mnemonic_histogram.iter().map(|m| m.count).sum::<u64>() <= report.instruction_count);
    }
}

#[test]
fn instruction_and_function_budgets_are_honoured() {
    let limits = Limits { max_instructions: 1000, max_functions: 50, ..Limits::default() };
    for relative in ["pe/deb-libwine-amd64/kernel32.dll", "pe/deb-libwine-i386/kernel32.dll", "elf/deb-elf-amd64/libc.so.6"] {
        let (report, notes) = analyze(&read(relative), &limits);
        let report = report.expect("code report");
        assert!(report.instruction_count <= 1000, "{relative}: {}", report.instruction_count);
        assert!(report.function_count <= 50, "{relative}: {}", report.function_count);
        assert!(report.truncated, "{relative}");
        assert!(report.functions.iter().any(|f| f.cut), "{relative}");
        assert!(!notes.is_empty(), "{relative}: a cut must be noted");
    }
}

#[test]
fn an_expired_deadline_stops_the_traversal() {
    let limits = Limits { stage_time: Duration::ZERO, ..Limits::default() };
    let (report, notes) = analyze(&read("pe/deb-libwine-amd64/kernel32.dll"), &limits);
    let report = report.expect("code report");
    assert!(report.truncated);
    assert_eq!(report.instruction_count, 0);
    assert!(report.functions.iter().all(|f| f.cut));
    assert!(notes.iter().any(|n| n.contains("time")), "{notes:?}");
}

#[test]
fn malformed_files_and_random_bytes_stay_within_budgets() {
    let limits = Limits { max_instructions: 20_000, max_functions: 500, stage_time: Duration::from_secs(5), ..Limits::default() };
    let mut inputs: Vec<(String, Vec<u8>)> = fixtures("malformed").into_iter().map(|r| (r.clone(), read(&r))).collect();
    // Deterministic pseudo-random bytes behind real headers, and on their own.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut noise = |len: usize| -> Vec<u8> {
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect()
    };
    for relative in ["pe/deb-libwine-amd64/hostname.exe", "pe/deb-libwine-i386/ping.exe", "elf/deb-elf-amd64/ls", "elf/deb-elf-i386/dash"] {
        let mut bytes = read(relative);
        let header = 0x400.min(bytes.len());
        let tail = noise(bytes.len() - header);
        bytes[header..].copy_from_slice(&tail);
        inputs.push((format!("{relative} with random body"), bytes));
    }
    inputs.push(("random".to_string(), noise(1 << 16)));
    for (name, bytes) in inputs {
        let (report, _) = analyze(&bytes, &limits);
        if let Some(report) = report {
            assert!(report.instruction_count <= 20_000, "{name}");
            assert!(report.function_count <= 500, "{name}");
            assert!(report.entry_disassembly.len() <= limits.entry_instructions, "{name}");
        }
    }
}

/// A minimal x64 ELF executable whose single segment holds `code` at its entry point.
fn tiny_elf(code: &[u8]) -> Vec<u8> {
    const BASE: u64 = 0x40_0000;
    const HEADERS: u64 = 64 + 56;
    let size = HEADERS + code.len() as u64;
    let mut elf = Vec::new();
    elf.extend_from_slice(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0");
    elf.extend_from_slice(&2u16.to_le_bytes()); // ET_EXEC
    elf.extend_from_slice(&62u16.to_le_bytes()); // EM_X86_64
    elf.extend_from_slice(&1u32.to_le_bytes());
    elf.extend_from_slice(&(BASE + HEADERS).to_le_bytes()); // entry
    elf.extend_from_slice(&64u64.to_le_bytes()); // phoff
    elf.extend_from_slice(&0u64.to_le_bytes()); // shoff
    elf.extend_from_slice(&0u32.to_le_bytes());
    for half in [64u16, 56, 1, 64, 0, 0] {
        elf.extend_from_slice(&half.to_le_bytes());
    }
    elf.extend_from_slice(&1u32.to_le_bytes()); // PT_LOAD
    elf.extend_from_slice(&5u32.to_le_bytes()); // R+X
    for field in [0, BASE, BASE, size, size, 0x1000] {
        elf.extend_from_slice(&field.to_le_bytes());
    }
    elf.extend_from_slice(code);
    elf
}

#[test]
fn hostile_control_flow_terminates() {
    let limits = Limits { max_functions: 1000, max_instructions: 100_000, ..Limits::default() };
    // A self-jump, a call to itself, a jump into the middle of an instruction, a loop.
    let tricks: Vec<u8> = [
        &[0xe8, 0x00, 0x00, 0x00, 0x00][..], // call $+5
        &[0x74, 0x01],                       // je over one byte (into the next instruction)
        &[0xb8, 0xeb, 0xfe, 0x90, 0x90],     // mov eax, ... hiding `jmp $`
        &[0xe8, 0xfb, 0xff, 0xff, 0xff],     // call itself
        &[0x75, 0xf0],                       // jne backwards
        &[0xeb, 0xfe],                       // jmp $
    ]
    .concat();
    let report = analyze(&tiny_elf(&tricks), &limits).0.expect("x64 ELF");
    assert!(report.function_count >= 2);
    assert!(report.instruction_count < 100, "{}", report.instruction_count);
    assert!(!report.truncated);

    // 200,000 chained calls: each `call $+5` starts a new function.
    let chain = [0xe8, 0, 0, 0, 0].repeat(200_000);
    let (report, notes) = analyze(&tiny_elf(&chain), &limits);
    let report = report.expect("x64 ELF");
    assert_eq!(report.function_count, 1000);
    assert!(report.instruction_count <= 100_000);
    assert!(report.truncated);
    assert!(notes.iter().any(|n| n.contains("functions")), "{notes:?}");

    // A long run of conditional jumps to themselves and of padding.
    let mut loops = [0x74, 0xfe].repeat(50_000);
    loops.extend([0x90; 4096]);
    let report = analyze(&tiny_elf(&loops), &limits).0.expect("x64 ELF");
    assert!(report.instruction_count <= 100_000);
    assert_eq!(report.function_count, 1);
}

#[test]
#[ignore = "prints a summary for manual inspection"]
fn print_summary() {
    for relative in executables() {
        let (report, notes) = analyze(&read(&relative), &Limits::default());
        let Some(r) = report else {
            println!("{relative}: none");
            continue;
        };
        println!(
            "{relative}: {} fn, {} ins, {} calls, {} invalid, {} apis, trunc {} notes {:?}",
            r.function_count,
            r.instruction_count,
            r.api_calls.len(),
            r.invalid_instruction_count,
            r.api_call_counts.len(),
            r.truncated,
            notes
        );
    }
}

/// The registers of the first four integer arguments, each with its narrower names, for the
/// System V (ELF) and Microsoft (PE) x64 conventions.
const SYSTEM_V_ARGUMENTS: [&[&str]; 4] =
    [&["rdi", "edi", "di", "dil"], &["rsi", "esi", "si", "sil"], &["rdx", "edx", "dx", "dl"], &["rcx", "ecx", "cx", "cl"]];
const MICROSOFT_ARGUMENTS: [&[&str]; 4] =
    [&["rcx", "ecx", "cx", "cl"], &["rdx", "edx", "dx", "dl"], &["r8", "r8d", "r8w", "r8b"], &["r9", "r9d", "r9w", "r9b"]];

/// objdump's linear listing of `path` in Intel syntax: (address, mnemonic, operands).
fn objdump_instructions(path: &Path) -> Vec<(u64, String, Vec<String>)> {
    let output = Command::new("objdump").args(["-d", "-M", "intel", "--no-show-raw-insn"]).arg(path).output().expect("objdump runs");
    let mut out = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Some((address, instruction)) = line.trim_start().split_once(":\t") else { continue };
        let Ok(address) = u64::from_str_radix(address, 16) else { continue };
        let mut words = instruction.splitn(2, char::is_whitespace);
        let mnemonic = words.next().unwrap_or_default().to_string();
        let operands = words.next().unwrap_or_default().split('#').next().unwrap_or_default();
        out.push((address, mnemonic, operands.split(',').map(|o| o.trim().to_string()).collect()));
    }
    out
}

#[test]
fn constant_arguments_agree_with_objdump() {
    if Command::new("objdump").arg("--version").output().is_err() {
        eprintln!("objdump is not installed: cross-check skipped");
        return;
    }
    let mut compared = 0;
    for (relative, registers) in [
        ("elf/deb-elf-amd64/ls", SYSTEM_V_ARGUMENTS),
        ("pe/deb-libwine-amd64/hostname.exe", MICROSOFT_ARGUMENTS),
        ("pe/pypi-msvc-runtime-win_amd64/vcruntime140_1.dll", MICROSOFT_ARGUMENTS),
    ] {
        let report = analyze(&read(relative), &Limits::default()).0.expect("code report");
        let listing = objdump_instructions(&corpus().join("files").join(relative));
        let index: std::collections::HashMap<u64, usize> = listing.iter().enumerate().map(|(i, (a, _, _))| (*a, i)).collect();
        for site in report.api_calls.iter().filter(|s| !s.arguments.is_empty()) {
            let Some(&at) = index.get(&site.address) else { continue };
            for argument in &site.arguments {
                let names = registers[argument.position as usize];
                // Back from the call, in the same straight-line code, to the instruction that
                // last wrote the argument's register.
                let writer = listing[..at]
                    .iter()
                    .rev()
                    .take_while(|(_, mnemonic, _)| {
                        !matches!(
                            mnemonic.as_str(),
                            "call" | "jmp" | "ret" | "rep" | "repz" | "repnz" | "bnd" | "notrack" | "int3" | "hlt" | "ud2"
                        )
                    })
                    .find(|(_, mnemonic, operands)| names.contains(&operands[0].as_str()) && !matches!(mnemonic.as_str(), "cmp" | "test"));
                let Some((address, mnemonic, operands)) = writer else {
                    panic!("{relative}: call at {:#x}: argument {argument:?} set by nothing objdump shows", site.address)
                };
                let theirs = match mnemonic.as_str() {
                    "mov" => operands.get(1).and_then(|v| u64::from_str_radix(v.trim_start_matches("0x"), 16).ok()).map(|v| v as i64),
                    "xor" | "sub" if operands.get(1) == operands.first() => Some(0),
                    _ => None,
                };
                assert_eq!(
                    theirs,
                    Some(argument.value),
                    "{relative}: call at {:#x}, argument {}: objdump shows {mnemonic} {operands:?} at {address:#x}",
                    site.address,
                    argument.position
                );
                compared += 1;
            }
        }
    }
    assert!(compared >= 100, "only {compared} constant arguments compared with objdump");
}
